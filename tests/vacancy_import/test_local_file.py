"""Local employers' and colleges' files: the documented columns, every problem with its row, nothing taken
from a file with a problem."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backend_client.vacancies.importers.local_file import LocalFileError, parse_vacancies
from backend_client.vacancies.models import Employment, Hazard, Schedule, VacancyKind, VacancyStatus

ZONE = ZoneInfo("Europe/Samara")
EXAMPLES = Path(__file__).resolve().parents[2] / "backend_client" / "vacancies" / "examples"
HEADER = "id,kind,title,employer,municipality,salary_from,salary_to,min_age,duties,hours_per_day,employer_inn"


def problems_of(text: str, filename: str = "vacancies.csv") -> list[str]:
    with pytest.raises(LocalFileError) as raised:
        parse_vacancies(text, filename=filename, zone=ZONE)
    return raised.value.problems


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


GOOD = "v-1,job,Повар,ООО Пример,Тольятти,30000,40000,18,Готовить,,6320000000"


@pytest.mark.parametrize("name", ["vacancies.csv", "vacancies.yaml"])
def test_the_examples_import_clean(name):
    drafts, rows = parse_vacancies((EXAMPLES / name).read_text(encoding="utf-8"), filename=name, zone=ZONE)
    assert drafts
    assert len(rows) == len(drafts)
    assert all(draft.source == "local" for draft in drafts)


def test_a_clean_row_maps_every_column():
    text = csv_of(
        "tlt-1;стажировка;Стажёр;ООО «Ромашка»;6320000000;1026300000001;г. о. Тольятти;ул. Мира, 1;53.5;49.4;"
        "30 000;40000;Частичная занятость;гибкий график;<p>Помогать</p>;Желание учиться;СПО;да;1С, Excel;"
        "3;16;4;20;https://example.org/v/1;2026-05-04;closed;Программист",
        header="id;kind;title;employer;employer_inn;employer_ogrn;municipality;address;latitude;longitude;"
        "salary_from;salary_to;employment;schedule;duties;requirements;education;experience;skills;work_places;"
        "min_age;hours_per_day;hours_per_week;url;published;status;profession",
    )
    (draft,), rows = parse_vacancies(text, filename="x.csv", zone=ZONE)
    assert rows == ["row 2"]
    assert (draft.source_id, draft.kind, draft.title) == ("tlt-1", VacancyKind.INTERNSHIP, "Стажёр")
    assert (draft.employer.name, draft.employer.inn, draft.employer.ogrn) == (
        "ООО «Ромашка»",
        "6320000000",
        "1026300000001",
    )
    assert (draft.municipality, draft.address, draft.latitude, draft.longitude) == (
        "36440",
        "ул. Мира, 1",
        53.5,
        49.4,
    )
    assert (draft.salary_from, draft.salary_to) == (30_000, 40_000)
    assert (draft.employment, draft.schedule) == (Employment.PART, Schedule.FLEXIBLE)
    assert (draft.duties, draft.requirements, draft.education) == ("Помогать", "Желание учиться", "СПО")
    assert draft.experience_required is True
    assert draft.skills == ("1С", "Excel")
    assert (draft.work_places, draft.min_age, draft.hours_per_day, draft.hours_per_week) == (3, 16, 4, 20)
    assert draft.source_url == "https://example.org/v/1"
    assert draft.published_at is not None
    assert draft.published_at.isoformat() == "2026-05-04T00:00:00+04:00"
    assert (draft.status, draft.profession) == (VacancyStatus.CLOSED, "Программист")


def test_every_problem_is_listed_with_its_row():
    text = csv_of(
        GOOD,
        "v-2,вахта,Монтажник,ООО Пример,Тольятти,,,18,,,",
        "v-3,job,Курьер,ООО Пример,Тольятти,50,,18,,,",
        "v-4,job,Курьер,ООО Пример,Москва,,,18,,,",
        "v-5,job,Курьер,ООО Пример,Самара,,,12,,,",
        "v-6,temporary,Официант,Кафе,Самара,,,16,Работа в ночные смены и в выходные,,",
        "v-7,temporary,Курьер,ООО Пример,Самара,,,15,,8,",
        "v-1,job,Повар,ООО Пример,Тольятти,,,18,,,",
        "v-9,job,Повар,ООО Пример,Тольятти,50000,40000,18,,,123",
        "v 10,job,,ООО Пример,Тольятти,,,18,,,,extra",
    )
    assert problems_of(text) == [
        "row 3: kind 'вахта': is not one of "
        "internship, job, practice, targeted, temporary, вакансия, временная, летняя, подработка, практика, "
        "работа, сезонная, стажировка, целевое, целевое обучение",
        "row 4: salary_from '50': is not a monthly salary: 1000 to 1000000 roubles",
        "row 5: municipality 'Москва': not a municipality of the region: "
        "write its name (Тольятти) or OKATO code",
        "row 6: min_age '12': is not a whole number from 14 to 18",
        "row 7: min_age 16, but the texts mention night work, forbidden under 18: fix them or set min_age 18",
        "row 7: min_age 16, but the texts mention weekend work, forbidden under 18: "
        "fix them or set min_age 18",
        "row 8: min_age 15, but 8 hours a day: under 18 at most 7",
        "row 9: id v-1 is also in row 2",
        "row 10: employer_inn '123': is not 10 or 12 digits",
        "row 10: salary_from 50000 is above salary_to 40000",
        "row 11: 12 cells where the header has 11",
        "row 11: id 'v 10': an id is 1-64 letters, digits, '.', '_' or '-'",
        "row 11: title is empty",
    ]


def test_wrong_and_missing_columns_are_named_in_the_header():
    text = csv_of(
        "v-1,job,Повар,ООО Пример,Тольятти,30000,,18",
        header="id,kind,titel,employer,municipality,salry_from,x,min_age",
    )
    assert problems_of(text)[:3] == [
        "row 1: missing column 'title'",
        "row 1: unknown column 'titel' (did you mean 'title'?)",
        "row 1: unknown column 'salry_from' (did you mean 'salary_from'?)",
    ]
    assert "row 1: unknown column 'x'" in problems_of(text)


def test_semicolons_tabs_a_bom_and_blank_rows():
    for separator in (";", "\t"):
        text = "\ufeff" + csv_of(GOOD.replace(",", separator), "", header=HEADER.replace(",", separator))
        drafts, _ = parse_vacancies(text, filename="x.csv", zone=ZONE)
        assert [draft.source_id for draft in drafts] == ["v-1"]


def test_an_empty_file_is_refused():
    assert problems_of(csv_of()) == ["the file has no vacancies"]


def test_yaml_entries_are_numbered_and_checked_alike():
    text = """
vacancies:
  - {id: a-1, kind: job, title: Повар, employer: Кафе, municipality: Сызрань, colour: red}
  - {id: a-2, kind: job, title: Бармен, employer: Бар, municipality: Сызрань, min_age: 16}
  - {id: a-3, kind: job, title: Повар, employer: Кафе, municipality: 36435, experience: может быть}
"""
    assert problems_of(text, "v.yaml") == [
        "entry 1: unknown column 'colour'",
        "entry 2: min_age 16, but the texts mention alcohol or tobacco, forbidden under 18: "
        "fix them or set min_age 18",
        "entry 3: experience 'может быть': write yes or no (да / нет)",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("vacancies: [", "not YAML"),
        ("vacancies: {id: 1}", "expected a list of vacancies"),
        ("- just a line", "expected a list of vacancies"),
    ],
)
def test_a_file_that_is_not_a_list_of_vacancies(text, problem):
    assert problems_of(text, "v.yaml")[0].startswith(problem)


def test_hazards_are_read_for_adults_too():
    (draft,), _ = parse_vacancies(
        csv_of("v-1,job,Сторож,ЧОП,Самара,,,18,Ночные смены сутки через трое,,"), filename="x.csv", zone=ZONE
    )
    assert draft.hazards == {Hazard.NIGHT}
