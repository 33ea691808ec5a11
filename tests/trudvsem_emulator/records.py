"""Vacancy records in the shape «Работа России» serves (DOMAIN.md §2.4–2.5): synthetic values, real keys,
hyphens and wrappers included, and the personal data of the employer's contact person that the importer
must drop. ``record(n)`` is deterministic, so a test can say what vacancy ``n`` looks like."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

MOSCOW = timezone(timedelta(hours=3))
REGION = "6300000000000"
BASE_MODIFIED = datetime(2026, 2, 1, 9, 0, tzinfo=MOSCOW)

TITLES = (
    "Оператор станков с ЧПУ",
    "Продавец-кассир",
    "Стажёр-программист",
    "Слесарь-ремонтник",
    "Повар",
    "Менеджер по продажам",
    "Курьер",
    "Медицинская сестра",
    "Сварщик",
    "Бухгалтер",
)
EMPLOYMENTS = ("Полная занятость", "Частичная занятость", "Стажировка", "Временная", "Сезонная занятость")
SCHEDULES = (
    "Полный рабочий день",
    "Сменный график",
    "Гибкий график",
    "Неполный рабочий день",
    "Вахтовый метод",
)
PLACES = (
    ("Самарская область, г Самара, ул Молодогвардейская, д 1", "50.1", "53.19", "36401"),
    ("Самарская область, г Тольятти, ул Победы, д 2", "49.42", "53.51", "36440"),
    ("Самарская область, г Сызрань, ул Советская, д 3", "48.47", "53.15", "36435"),
    ("Самарская область, Кинель-Черкасский р-н, с Кинель-Черкассы, ул Мира, д 4", "51.48", "53.47", "36220"),
    ("Самарская область, Ставропольский р-н, с Ягодное, ул Лесная, д 5", "49.37", "53.6", "36240"),
)


def contact_person(n: int) -> str:
    return f"Кадровикова Зоя Пэдэевна {n}"


def contact_phone(n: int) -> str:
    return f"+7 (846) 555-{n % 100:02d}-{n // 100 % 100:02d}"


def contact_email(n: int) -> str:
    return f"zoya.kadrovikova{n}@employer{n}.example"


def personal_data(n: int) -> tuple[str, ...]:
    """Every personal datum record ``n`` carries; none may reach a draft."""
    return (
        contact_person(n),
        contact_phone(n),
        contact_email(n),
        f"+7 927 555 {n % 100:02d} 00",
        f"hr{n}@mail.example",
    )


def vacancy_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def record(n: int, modified: datetime | None = None, /, **changes: Any) -> dict[str, Any]:
    """Vacancy ``n`` as the API's inner object; ``changes`` replace top-level keys."""
    title = TITLES[n % len(TITLES)]
    address, lng, lat, _ = PLACES[n % len(PLACES)]
    ogrn = f"10263{n % 1000:08d}"
    salary = 25_000 + (n % 20) * 2_500
    skills: list[Any] = (
        ["Ответственность", "Работа в команде"] if n % 2 else [{"skill_name": "Чтение чертежей"}]
    )
    body: dict[str, Any] = {
        "id": vacancy_id(n),
        "source": "Работодатель",
        "region": {"region_code": REGION, "name": "Самарская область"},
        "company": {
            "companycode": ogrn,
            "hr-agency": False,
            "inn": f"63{n % 100_000_000:08d}",
            "kpp": "631601001",
            "name": f"ООО «Предприятие {n % 37}»",
            "ogrn": ogrn,
            "email": contact_email(n),
            "phone": contact_phone(n),
            "fax": contact_phone(n),
            "url": f"https://trudvsem.ru/company/{ogrn}",
        },
        "creation-date": (BASE_MODIFIED - timedelta(days=3)).date().isoformat(),
        "date_modify": (modified or BASE_MODIFIED + timedelta(minutes=n * 37 % 997)).strftime(
            "%Y-%m-%dT%H:%M:%S%z"
        ),
        "salary": f"от {salary}",
        "salary_min": salary if n % 5 else 0,
        "salary_max": str(salary + 10_000) if n % 3 else salary,
        "currency": "«руб.»",
        "job-name": title,
        "vac_url": f"https://trudvsem.ru/vacancy/card/{ogrn}/{vacancy_id(n)}",
        "employment": EMPLOYMENTS[n % len(EMPLOYMENTS)],
        "schedule": SCHEDULES[n % len(SCHEDULES)],
        "duty": (
            f"<p>Обязанности по профессии «{title}».</p><ul><li>Работа по инструкции</li></ul>"
            f"<script>track({n})</script><p>Вопросы: {personal_data(n)[3]}, {personal_data(n)[4]}</p>"
        ),
        "requirements": "Без опыта" if n % 4 == 0 else "Опыт работы от 1 года",
        "category": {"specialisation": "Производство"},
        "requirement": {"education": "Среднее профессиональное", "experience": n % 4, "qualification": ""},
        "addresses": {"address": [{"location": address, "lng": lng, "lat": lat}]},
        "social_protected": "",
        "term": {"text": ""},
        "contact_list": [
            {"contact_type": "Телефон", "contact_value": contact_phone(n)},
            {"contact_type": "Эл. почта", "contact_value": contact_email(n)},
        ],
        "contact_person": contact_person(n),
        "work_places": 1 + n % 3,
        "code_profession": "000000",
        "skills": skills,
    }
    body.update(copy.deepcopy(changes))
    return body


def municipality_of(n: int) -> str:
    return PLACES[n % len(PLACES)][3]
