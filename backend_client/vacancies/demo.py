"""A demo catalogue of work offers for the terminal chat and the benchmarks, written for this project.

The employers are invented (typical of the Samara region's economy, marked «демо»), not real partners;
pay is what such work pays in the region. Every kind is present, from full-time jobs to «Целевое
обучение», and a share is open to 14–17-year-olds (summer jobs, work after lessons) with the hours the
law allows them. ``demo_vacancies`` is deterministic: the same list for the same day, dates counted back
from it. ``seed_demo_vacancies`` loads it into an empty catalogue only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from backend_client.ports.vacancies import VacancyCatalogue
from backend_client.vacancies.demo_roles import Role, demo_roles
from backend_client.vacancies.models import Employer, ImportReport, VacancyDraft

DEMO_SOURCE = "demo"
DEMO_DAY = date(2026, 12, 1)
KNOWN_SOURCES = ("trudvsem", "local", DEMO_SOURCE)  # a catalogue with any of them is not empty


@dataclass(frozen=True, slots=True)
class _Firm:
    name: str
    sector: str
    municipality: str
    street: str


# (sector, name, municipality OKATO, street address)
FIRMS = tuple(
    _Firm(name, sector, place, street)
    for sector, name, place, street in (
        ("industry", "Поволжский станкостроительный завод (демо)", "36401", "Заводское шоссе, 12"),
        ("industry", "Жигулёвский завод металлоконструкций (демо)", "36404", "ул. Промышленная, 3"),
        ("industry", "Тольяттинский завод автокомпонентов (демо)", "36440", "Северная промзона, 18"),
        ("industry", "Сызранский машиностроительный завод (демо)", "36435", "ул. Гидротурбинная, 7"),
        ("industry", "Новокуйбышевский нефтехимический комбинат (демо)", "36413", "Промзона, 1"),
        ("industry", "Чапаевский завод спецсплавов (демо)", "36450", "ул. Заводская, 2"),
        ("industry", "Отрадненская нефтесервисная компания (демо)", "36424", "ул. Нефтяников, 9"),
        ("it", "ИТ-компания «Волга Софт» (демо)", "36401", "Московское шоссе, 17"),
        ("it", "Студия разработки «Жигули Диджитал» (демо)", "36440", "ул. Юбилейная, 31"),
        ("it", "Центр цифровых услуг региона (демо)", "36401", "ул. Молодогвардейская, 210"),
        ("health", "Городская больница № 5 (демо)", "36401", "ул. Ново-Садовая, 156"),
        ("health", "Тольяттинская городская поликлиника (демо)", "36440", "ул. Ленинградская, 20"),
        ("health", "Сызранская центральная больница (демо)", "36435", "ул. Комарова, 1"),
        ("health", "Сеть аптек «Здоровье Поволжья» (демо)", "36401", "ул. Галактионовская, 40"),
        ("health", "Кинельская районная больница (демо)", "36408", "ул. Маяковского, 88"),
        ("education", "Детский сад «Солнышко» (демо)", "36401", "ул. Стара-Загора, 96"),
        ("education", "Загородный детский лагерь «Волжские зори» (демо)", "36214", "пос. Управленческий"),
        ("education", "Школа № 27 (демо)", "36440", "ул. Свердлова, 5"),
        ("education", "Центральная городская библиотека (демо)", "36435", "ул. Советская, 41"),
        ("trade", "Сеть магазинов «Волжанка» (демо)", "36401", "пр. Кирова, 300"),
        ("trade", "Сеть магазинов «Волжанка» (демо)", "36440", "ул. Революционная, 52"),
        ("trade", "Гипермаркет «Самарский двор» (демо)", "36401", "Московское шоссе, 81"),
        ("trade", "Торговый дом «Похвистневский» (демо)", "36427", "ул. Революционная, 10"),
        ("trade", "Магазин «Октябрьский» (демо)", "36418", "ул. Ленина, 45"),
        ("food", "Кафе «Ладья» (демо)", "36401", "ул. Куйбышева, 95"),
        ("food", "Сеть кофеен «Зерно» (демо)", "36440", "Приморский бульвар, 22"),
        ("food", "Столовая «Домашняя кухня» (демо)", "36435", "ул. Ульяновская, 60"),
        ("food", "Хлебозавод «Кинельский каравай» (демо)", "36408", "ул. Мира, 4"),
        ("office", "Банк «Средневолжский кредит» (демо)", "36401", "ул. Фрунзе, 131"),
        ("office", "Транспортно-логистический центр «Поволжье» (демо)", "36440", "Обводное шоссе, 8"),
        ("office", "Многофункциональный центр (демо)", "36413", "ул. Миронова, 2"),
        ("office", "Бухгалтерская компания «Баланс» (демо)", "36401", "ул. Ленинская, 168"),
        ("agro", "Агрофирма «Заволжье» (демо)", "36218", "с. Бобровка, ул. Центральная, 1"),
        ("agro", "Тепличный комбинат «Зелёная долина» (демо)", "36214", "пос. Смышляевка, ул. Тепличная, 1"),
        ("agro", "Хозяйство «Безенчукская нива» (демо)", "36204", "пгт Безенчук, ул. Полевая, 3"),
        ("agro", "Ветеринарная станция района (демо)", "36238", "с. Сергиевск, ул. Ленина, 70"),
        ("agro", "Питомник растений «Красный Яр» (демо)", "36228", "с. Красный Яр, ул. Садовая, 5"),
        ("transport", "Пригородная пассажирская компания (демо)", "36401", "Комсомольская пл., 1"),
        ("transport", "Автотранспортное предприятие № 3 (демо)", "36440", "ул. Базовая, 12"),
        ("transport", "Служба доставки «Быстрый курьер» (демо)", "36401", "ул. Гагарина, 77"),
        ("city", "Управление благоустройства города (демо)", "36401", "ул. Куйбышева, 137"),
        ("city", "Комбинат благоустройства (демо)", "36440", "ул. Коммунистическая, 60"),
        ("city", "Парк культуры и отдыха (демо)", "36435", "ул. Интернациональная, 1"),
        ("city", "Дом культуры «Юность» (демо)", "36424", "ул. Первомайская, 15"),
        ("nightlife", "Развлекательный центр «Полночь» (демо)", "36401", "ул. Молодогвардейская, 70"),
        ("nightlife", "Ночной клуб «Неон» (демо)", "36440", "ул. Карла Маркса, 33"),
        ("industry", "Кинельский завод строительных материалов (демо)", "36408", "ул. Элеваторная, 20"),
        ("industry", "Похвистневский механический завод (демо)", "36427", "ул. Кооперативная, 4"),
        (
            "health",
            "Ставропольская центральная районная больница (демо)",
            "36240",
            "с. Ставрополь, ул. Больничная, 2",
        ),
        ("health", "Новокуйбышевская поликлиника (демо)", "36413", "ул. Островского, 11"),
        ("education", "Молодёжный центр «Новое поколение» (демо)", "36413", "ул. Миронова, 14"),
        ("education", "Детский оздоровительный лагерь «Жигулёвское море» (демо)", "36240", "с. Подстёпки"),
        (
            "trade",
            "Потребительское общество «Шенталинское» (демо)",
            "36248",
            "ст. Шентала, ул. Вокзальная, 8",
        ),
        ("trade", "Сеть магазинов «Волжанка» (демо)", "36435", "ул. Советская, 90"),
        ("food", "Кафе «Приволжье» (демо)", "36236", "с. Приволжье, ул. Мира, 6"),
        ("agro", "Сельхозпредприятие «Глушицкое» (демо)", "36208", "с. Большая Глушица, ул. Советская, 40"),
        ("agro", "Молочная ферма «Исаклинская» (демо)", "36216", "с. Исаклы, ул. Садовая, 2"),
        ("city", "Комбинат благоустройства Сызрани (демо)", "36435", "ул. Ульяновская, 78"),
        (
            "city",
            "Администрация городского округа Чапаевск: трудовые отряды (демо)",
            "36450",
            "ул. Куйбышева, 12",
        ),
        ("transport", "Автоколонна Сызрани (демо)", "36435", "ул. Станкостроителей, 2"),
    )
)


def requisites(firm: _Firm, n: int) -> Employer:
    """Invented INN and OGRN, stable per employer (63: the region's tax code prefix)."""
    seed = sum(ord(ch) for ch in firm.name) * 7919 + n
    return Employer(firm.name, f"63{seed % 10**8:08d}", f"10263{seed % 10**8:08d}")


def _salary(role: Role, rng: random.Random) -> tuple[int | None, int | None]:
    if role.pay is None:
        return None, None
    low, high = role.pay
    start = round(rng.uniform(low, (low + high) / 2) / 1000) * 1000
    top = round(rng.uniform(start, high) / 1000) * 1000 if rng.random() < 0.7 else None
    return start, top if top and top > start else None


def role_vacancy(
    number: int, role: Role, firm: _Firm, employer: Employer, rng: random.Random, day: date
) -> VacancyDraft:
    salary_from, salary_to = _salary(role, rng)
    published = datetime.combine(day - timedelta(days=rng.randrange(0, 45)), time(9, 0), tzinfo=UTC)
    published += timedelta(minutes=number)  # distinct moments keep «newest first» deterministic
    return VacancyDraft(
        source=DEMO_SOURCE,
        source_id=f"demo-{number:04d}",
        kind=role.kind,
        title=role.title,
        employer=employer,
        municipality=firm.municipality,
        address=firm.street,
        salary_from=salary_from,
        salary_to=salary_to,
        employment=role.employment,
        schedule=role.schedule,
        duties=role.duties,
        requirements=role.requirements,
        education=role.education,
        experience_required=role.experience,
        skills=role.skills,
        work_places=rng.choice((1, 1, 1, 2, 3, 5)),
        min_age=role.min_age,
        hours_per_week=role.hours[1] if role.hours else None,
        hours_per_day=role.hours[0] if role.hours else None,
        hazards=role.hazards,
        profession=role.profession,
        published_at=published,
        modified_at=published,
    )


def demo_vacancies(*, today: date = DEMO_DAY) -> list[VacancyDraft]:
    """The demo catalogue: every role at a few employers of its sector (a few hundred vacancies)."""
    rng = random.Random(63)  # the region's code: the same catalogue every time
    drafts: list[VacancyDraft] = []
    for role in demo_roles():
        firms = [firm for firm in FIRMS if firm.sector in role.sectors]
        for firm in rng.sample(firms, min(len(firms), role.copies)):
            drafts.append(role_vacancy(len(drafts) + 1, role, firm, requisites(firm, 0), rng, today))
    return drafts


async def seed_demo_vacancies(catalogue: VacancyCatalogue, now: datetime) -> ImportReport | None:
    """Load the demo catalogue dated from ``now``, unless some catalogue is there already (None then)."""
    for source in KNOWN_SOURCES:
        if await catalogue.import_cursor(source) is not None:
            return None
    return await catalogue.upsert_vacancies(demo_vacancies(today=now.date()))
