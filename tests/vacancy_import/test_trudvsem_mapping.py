"""One «Работа России» page and record read into drafts: the API's quirks, our decisions, and no personal
data ever reaching a draft."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from backend_client.vacancies.errors import BadVacancy
from backend_client.vacancies.importers.text import MAX_TEXT
from backend_client.vacancies.importers.trudvsem import MOSCOW, BadPage, draft_of, read_page
from backend_client.vacancies.models import Employment, Hazard, Schedule, VacancyKind
from tests.trudvsem_emulator.records import municipality_of, personal_data, record, vacancy_id


def page(*records: Any, total: Any = None) -> dict[str, Any]:
    return {
        "status": "200",
        "request": {"api": "v1"},
        "meta": {"total": len(records) if total is None else total, "limit": 100},
        "results": {"vacancies": [{"vacancy": item} for item in records]},
    }


# -- the page ---------------------------------------------------------------------------------------
def test_a_page_unwraps_its_records_and_reads_the_total():
    read = read_page(page(record(1), record(2), total=1234))
    assert [item["id"] for item in read.records] == [vacancy_id(1), vacancy_id(2)]
    assert read.total == 1234


@pytest.mark.parametrize("results", [{}, None, []])
def test_an_empty_page_comes_as_an_empty_results_object(results):
    read = read_page({"status": "200", "meta": {"total": 0, "limit": 100}, "results": results})
    assert read.records == ()
    assert read.total == 0


@pytest.mark.parametrize(
    ("total", "read"), [("250", 250), (" 7 ", 7), (250, 250), ("many", None), (-1, None)]
)
def test_the_total_is_a_number_or_a_string(total, read):
    assert read_page(page(record(1), total=total)).total == read


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([], "not a JSON object"),
        ({"status": "500", "results": {}}, "status '500'"),
        ({"status": "200", "results": "none"}, "'results' is not an object"),
        ({"status": "200", "results": {"vacancies": {}}}, "not a list"),
    ],
)
def test_a_body_that_is_not_a_page_says_why(body, reason):
    with pytest.raises(BadPage, match=re.escape(reason)):
        read_page(body)


# -- a record ---------------------------------------------------------------------------------------
def test_the_example_record_maps_field_by_field():
    draft = draft_of(record(1))
    assert draft.source == "trudvsem"
    assert draft.source_id == vacancy_id(1)
    assert draft.title == "Продавец-кассир"
    assert draft.employer.name == "ООО «Предприятие 1»"
    assert draft.employer.inn == "6300000001"
    assert draft.employer.ogrn == "1026300000001"
    assert draft.municipality == municipality_of(1) == "36440"
    assert draft.address.startswith("Самарская область, г Тольятти")
    assert (draft.latitude, draft.longitude) == (53.51, 49.42)
    assert (draft.salary_from, draft.salary_to) == (27_500, 37_500)
    assert draft.employment is Employment.PART
    assert draft.schedule is Schedule.SHIFTS
    assert draft.kind is VacancyKind.JOB
    assert draft.education == "Среднее профессиональное"
    assert draft.experience_required is True
    assert draft.skills == ("Ответственность", "Работа в команде")
    assert draft.work_places == 2
    assert draft.min_age == 18
    assert draft.source_url == record(1)["vac_url"]
    assert draft.published_at == datetime(2026, 1, 29, tzinfo=MOSCOW)
    assert draft.modified_at == datetime.fromisoformat(record(1)["date_modify"])


def test_no_personal_data_reaches_a_draft():
    for n in range(60):
        text = repr(draft_of(record(n)))
        digits = re.sub(r"\D", "", text)
        for datum in personal_data(n):
            assert datum not in text, (n, datum)
            if datum.startswith("+7"):
                assert re.sub(r"\D", "", datum) not in digits, (n, datum)
        assert "contact" not in text.lower()


def test_duties_lose_their_html_scripts_and_styles():
    duty = (
        "<style>p{color:red}</style><p>Приём &amp; выдача товара&nbsp;&laquo;быстро&raquo;</p>"
        "<ul><li>касса</li><li>выкладка</li></ul><script>alert('x')</script><br/>Итог"
    )
    draft = draft_of(record(1, duty=duty))
    assert draft.duties == "Приём & выдача товара «быстро»\n\n• касса\n• выкладка\n\nИтог"
    assert "alert" not in draft.duties
    assert "color" not in draft.duties


def test_a_long_text_is_capped():
    draft = draft_of(record(1, duty="<p>" + "слово " * 2000 + "</p>"))
    assert len(draft.duties) <= MAX_TEXT
    assert draft.duties.endswith("…")


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 0, (None, None)),
        ("35000", "45000", (35_000, 45_000)),
        (35_000, 35_000, (35_000, None)),  # equal: «от N»
        (0, 40_000, (None, 40_000)),
        (30_000, 20_000, (30_000, None)),  # a maximum below the minimum is a slip
        (150, 300, (None, None)),  # hourly rates or typos: cleared as absurd
        (30_000, 90_000_000, (30_000, None)),
        ("30 000,50", "", (30_000, None)),
        ("договорная", None, (None, None)),
        (True, 50_000, (None, 50_000)),
    ],
)
def test_salaries_zero_is_unknown_and_absurd_ones_are_cleared(low, high, expected):
    draft = draft_of(record(1, salary_min=low, salary_max=high))
    assert (draft.salary_from, draft.salary_to) == expected


@pytest.mark.parametrize(
    ("code", "requirements", "needed"),
    [
        (0, "", False),
        ("0", "", False),
        (3, "", True),
        (21, "Опыт от 3 лет", True),
        (3, "Можно без опыта", False),
        (None, "", False),
        (2, "Опыт работы не требуется", False),
    ],
)
def test_experience_is_a_code_read_only_as_needed_or_not(code, requirements, needed):
    item = record(1, requirements=requirements, requirement={"education": "", "experience": code})
    assert draft_of(item).experience_required is needed


@pytest.mark.parametrize(
    ("employment", "schedule", "title", "kind", "expected_employment", "expected_schedule"),
    [
        (
            "Полная занятость",
            "Полный рабочий день",
            "Повар",
            VacancyKind.JOB,
            Employment.FULL,
            Schedule.FULL_DAY,
        ),
        (
            "Стажировка",
            "Гибкий график",
            "Аналитик",
            VacancyKind.INTERNSHIP,
            Employment.INTERNSHIP,
            Schedule.FLEXIBLE,
        ),
        (
            "Временная",
            "Неполный рабочий день",
            "Вожатый",
            VacancyKind.TEMPORARY,
            Employment.TEMPORARY,
            Schedule.PART_DAY,
        ),
        (
            "Сезонная занятость",
            "Сменный график",
            "Сборщик урожая",
            VacancyKind.TEMPORARY,
            Employment.SEASONAL,
            Schedule.SHIFTS,
        ),
        (
            "Полная занятость",
            "Вахтовый метод",
            "Монтажник",
            VacancyKind.JOB,
            Employment.FULL,
            Schedule.ROTATION,
        ),
        (
            "Полная занятость",
            "Ненормированный рабочий день",
            "Водитель",
            VacancyKind.JOB,
            Employment.FULL,
            Schedule.IRREGULAR,
        ),
        ("Удаленная", "Гибкий график", "Копирайтер", VacancyKind.JOB, Employment.REMOTE, Schedule.FLEXIBLE),
        (
            "Полная занятость",
            "Удаленная работа",
            "Оператор",
            VacancyKind.JOB,
            Employment.REMOTE,
            Schedule.FULL_DAY,
        ),
        ("", "", "Оператор чата (удалённо)", VacancyKind.JOB, Employment.REMOTE, Schedule.FULL_DAY),
        ("Частичная занятость", "", "Репетитор на дому", VacancyKind.JOB, Employment.PART, Schedule.FULL_DAY),
        (
            "Полная занятость",
            "",
            "Стажёр отдела продаж",
            VacancyKind.INTERNSHIP,
            Employment.FULL,
            Schedule.FULL_DAY,
        ),
        (
            "Временная",
            "",
            "Практикант-лаборант",
            VacancyKind.PRACTICE,
            Employment.TEMPORARY,
            Schedule.FULL_DAY,
        ),
        ("что-то новое", None, "Инженер", VacancyKind.JOB, Employment.FULL, Schedule.FULL_DAY),
    ],
)
def test_employment_schedule_and_kind(
    employment, schedule, title, kind, expected_employment, expected_schedule
):
    draft = draft_of(record(1, employment=employment, schedule=schedule, **{"job-name": title}))
    assert (draft.kind, draft.employment, draft.schedule) == (kind, expected_employment, expected_schedule)


@pytest.mark.parametrize(
    ("location", "code"),
    [
        ("Самарская обл, г Жигулёвск, ул Мира", "36404"),
        ("Самарская область, Кинель-Черкасский р-н, с Кинель-Черкассы", "36220"),
        ("Самарская область, г Кинель, ул Кинель-Черкасская", "36408"),
        ("г Москва, ул Тверская", None),
        ("", None),
    ],
)
def test_the_municipality_comes_from_the_address(location, code):
    item = record(1, addresses={"address": [{"location": location, "lat": "53.5", "lng": "49.4"}]})
    assert draft_of(item).municipality == code


@pytest.mark.parametrize(
    ("lat", "lng", "expected"),
    [
        ("53.5", "49.4", (53.5, 49.4)),
        ("0", "0", (None, None)),
        ("", None, (None, None)),
        ("95", "abc", (None, None)),
    ],
)
def test_coordinates_are_strings_made_floats(lat, lng, expected):
    item = record(1, addresses={"address": [{"location": "г Самара", "lat": lat, "lng": lng}]})
    draft = draft_of(item)
    assert (draft.latitude, draft.longitude) == expected


def test_skills_come_as_strings_or_objects():
    skills = ["Excel", {"skill_name": "1С"}, {"skill_name": "<b>excel</b>"}, 42, {"other": "x"}, ""]
    assert draft_of(record(1, skills=skills)).skills == ("Excel", "1С")


def test_hazards_come_from_the_texts_and_the_schedule():
    draft = draft_of(record(1, schedule="Вахтовый метод", duty="<p>Ночные смены, без командировок</p>"))
    assert draft.hazards == {Hazard.TRAVEL, Hazard.NIGHT}
    assert draft.min_age == 18


def test_dates_old_keys_and_fallbacks():
    item = record(1, **{"modify-date": "2026-03-01T12:00:00"})
    del item["date_modify"]
    assert draft_of(item).modified_at == datetime(2026, 3, 1, 12, tzinfo=MOSCOW)
    del item["modify-date"]
    assert draft_of(item).modified_at == draft_of(item).published_at
    assert draft_of(record(1, **{"creation-date": "вчера"})).published_at is None


def test_the_card_link_is_built_when_missing():
    item = record(1, vac_url=None)
    assert draft_of(item).source_url == f"https://trudvsem.ru/vacancy/card/1026300000001/{vacancy_id(1)}"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": ""}, "no id"),
        ({"id": None}, "no id"),
        ({"job-name": "  "}, "no job-name"),
        ({"job-name": "<p></p>"}, "no job-name"),
        ({"company": None}, "no company"),
        ({"company": {"name": ""}}, "no company name"),
    ],
)
def test_a_record_that_cannot_be_a_vacancy_says_why(changes, reason):
    with pytest.raises(BadVacancy, match=reason):
        draft_of(record(1, **changes))


def test_a_record_that_is_not_an_object_is_refused():
    with pytest.raises(BadVacancy, match="not an object"):
        draft_of(["not", "a", "record"])
