"""What the work conversation's tests share: vacancies written for them, an engine with the real store and
the real NLU model, and people of each kind getting to the section."""

from __future__ import annotations

from dataclasses import replace

from backend_client.vacancies.models import (
    Employer,
    Employment,
    Hazard,
    Schedule,
    SeekerFacts,
    Vacancy,
    VacancyDraft,
    VacancyKind,
    VacancyQuery,
    VacancyStatus,
)
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.testing import DialogClient
from tests.flows.conftest import PUPIL_PROFILE, STUDENT_PROFILE, choose_role, consent_adult, fill_rest

SAMARA, TOGLIATTI, SYZRAN = "36401", "36440", "36435"
TRUDVSEM_URL = "https://trudvsem.ru/vacancy/card/1026300000000/5f1d2c3a-0000-4000-8000-000000000001"


def draft(title: str, **fields: object) -> VacancyDraft:
    """An open full-time job in Тольятти for adults, unless told otherwise."""
    base = VacancyDraft(
        source="local",
        source_id=title,
        kind=VacancyKind.JOB,
        title=title,
        employer=Employer("ООО «Волга-Металл»", inn="6320000000"),
        municipality=TOGLIATTI,
        address="Тольятти, ул. Заводская, 1",
        salary_from=35_000,
        schedule=Schedule.SHIFTS,
        requirements="Среднее профессиональное образование, аккуратность.",
        duties="Сварка металлоконструкций.",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def teen_job(title: str, **fields: object) -> VacancyDraft:
    """Light summer work a 14-year-old may do even in the school year: 2 hours a day, 10 a week."""
    values: dict[str, object] = {
        "kind": VacancyKind.TEMPORARY,
        "employer": Employer("МБУ «Парки Самары»"),
        "municipality": SAMARA,
        "address": "Самара, парк Гагарина",
        "salary_from": 8_000,
        "employment": Employment.TEMPORARY,
        "schedule": Schedule.PART_DAY,
        "min_age": 14,
        "hours_per_day": 2,
        "hours_per_week": 10,
        "requirements": "Ответственность.",
        "duties": "Уборка территории парка.",
    }
    return draft(title, **(values | fields))


ADULT_ONLY_NIGHT = {"min_age": 18, "hazards": frozenset({Hazard.NIGHT}), "schedule": Schedule.SHIFTS}


async def put(database, *drafts: VacancyDraft) -> list[Vacancy]:
    """Import drafts as the importers do; the vacancies as the conversation's port reads them."""
    report = await database.vacancy_catalogue.upsert_vacancies(list(drafts))
    assert not report.problems, report.problems
    adult = SeekerFacts(age=30, studying=False)
    found = await database.vacancies.search(adult, VacancyQuery(per_page=len(drafts) + 50))
    by_key = {(v.source, v.source_id): v for v in found.items}
    return [by_key[(d.source, d.source_id)] for d in drafts if (d.source, d.source_id) in by_key]


async def close(database, vacancy: VacancyDraft) -> None:
    report = await database.vacancy_catalogue.upsert_vacancies(
        [replace(vacancy, status=VacancyStatus.CLOSED)]
    )
    assert not report.problems, report.problems


def jobs_engine(database, clock, nlu=None) -> Engine:
    return build_engine(database, database.conversations, clock, nlu=nlu)


async def graduate(client: DialogClient) -> None:
    await consent_adult(client, "graduate", "22")
    await fill_rest(client, ("Олег", "Тольятти", "СамГТУ", "Сварочное производство"))
    await client.send("/menu")


async def student(client: DialogClient) -> None:
    """A college student of 19 in Тольятти studying «Сварочное производство»."""
    await consent_adult(client, "college_student", "19")
    await fill_rest(client, STUDENT_PROFILE)
    await client.send("/menu")


async def pupil(client: DialogClient, age: str) -> None:
    await choose_role(client, "pupil", age)
    await client.press("Согласен")
    await fill_rest(client, PUPIL_PROFILE)  # Самара, grade 9
    await client.send("/menu")


async def person_of(database, client: DialogClient):
    return await database.records.identify("test", client.account_id, client.account_id)


async def tap(client: DialogClient, label: str) -> None:
    """Press the button labelled exactly ``label`` (chips start with «✕», which label matching skips)."""
    [button] = [b for reply in client.last.replies for b in reply.buttons if b.label == label]
    await client.press_token(button.payload)
