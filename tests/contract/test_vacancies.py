"""«Работа и стажировки» over SQLite and PostgreSQL: imports, search, the minors' law, applying."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend_client.broadcasts import CLI, Actor, NotOperator
from backend_client.errors import ConsentRequired, PersonGone
from backend_client.models import AgeBand, CareerOutcome, Role
from backend_client.sql.vacancies import search as search_module
from backend_client.sql.vacancies.tables import applications, saved_vacancies, vacancies
from backend_client.vacancies.errors import ApplicationNotFound, VacancyClosed, VacancyNotFound
from backend_client.vacancies.models import (
    ApplicationStatus,
    Employer,
    Employment,
    Hazard,
    Schedule,
    SeekerFacts,
    VacancyDraft,
    VacancyKind,
    VacancyQuery,
    VacancyStatus,
)

SAMARA, TOGLIATTI, SYZRAN = "36401", "36440", "36435"
ADULT = SeekerFacts(age=30, studying=False)
PUPIL_15 = SeekerFacts(age=15, studying=True)


def draft(n: int, **changes) -> VacancyDraft:
    base = VacancyDraft(
        source="test",
        source_id=f"v{n}",
        kind=VacancyKind.JOB,
        title=f"Вакансия {n}",
        employer=Employer("ООО «Волга»", "6312345678", "1026300000001"),
        municipality=SAMARA,
        address="Самара, ул. Ленина, 1",
        salary_from=40_000,
        duties="Выполнять работу",
        published_at=datetime(2026, 8, 1, tzinfo=UTC) + timedelta(hours=n),
        modified_at=datetime(2026, 8, 1, tzinfo=UTC) + timedelta(hours=n),
        source_url=f"https://example.invalid/v{n}",
    )
    return replace(base, **changes)


async def someone(records, account: str, role=Role.GRADUATE, band=AgeBand.ADULT, *, consent=True, **profile):
    person = await records.identify("test", account, account)
    await records.choose_role(person.id, role, band)
    if consent:
        await records.give_own_consent(person.id, version="v1", channel="test")
        if profile:
            await records.save_profile(person.id, profile)
    return person.id


async def stored(database, *drafts: VacancyDraft) -> dict[str, int]:
    """Import ``drafts`` and return source id -> our id."""
    report = await database.vacancy_catalogue.upsert_vacancies(list(drafts))
    assert not report.problems, report.problems
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(vacancies.c.source_id, vacancies.c.id))
        return {row.source_id: row.id for row in rows}


async def test_import_adds_updates_closes_and_skips_what_did_not_change(database):
    catalogue = database.vacancy_catalogue
    first = await catalogue.upsert_vacancies([draft(1), draft(2), draft(3)])
    assert (first.added, first.updated, first.unchanged, first.closed) == (3, 0, 0, 0)
    again = await catalogue.upsert_vacancies(
        [draft(1), draft(2, salary_from=50_000), draft(3, status=VacancyStatus.CLOSED)]
    )
    assert (again.added, again.updated, again.unchanged, again.closed) == (0, 1, 1, 1)
    page = await database.vacancies.search(ADULT, VacancyQuery())
    assert [v.source_id for v in page.items] == ["v2", "v1"]
    assert page.items[0].salary_from == 50_000
    assert await catalogue.import_cursor("test") == draft(3).modified_at
    assert await catalogue.import_cursor("other") is None


async def test_a_batch_with_a_problem_writes_nothing_and_names_every_row(database):
    bad = [
        draft(1),
        draft(2, title="<b>Повар</b>"),
        draft(3, salary_from=90_000, salary_to=50_000),
        draft(1, title="Дубль"),
        draft(5, municipality="99999", min_age=12),
    ]
    report = await database.vacancy_catalogue.upsert_vacancies(bad)
    assert report.added == 0
    assert [p.split(":")[0] for p in report.problems] == ["row 2", "row 3", "row 4", "row 5", "row 5"]
    assert (await database.vacancies.search(ADULT, VacancyQuery())).total == 0


async def test_close_missing_closes_only_what_a_full_pull_did_not_see(database, clock):
    catalogue = database.vacancy_catalogue
    await catalogue.upsert_vacancies([draft(1), draft(2), draft(3)])
    clock.advance(timedelta(minutes=5))
    pull_began = clock.now()
    clock.advance(timedelta(minutes=1))
    await catalogue.upsert_vacancies([draft(4)])  # came meanwhile from an incremental pull
    assert await catalogue.close_missing("test", ["v1", "v3"], before=pull_began) == 1
    page = await database.vacancies.search(ADULT, VacancyQuery())
    assert sorted(v.source_id for v in page.items) == ["v1", "v3", "v4"]
    assert await catalogue.close_missing("test", ["v1", "v3"], before=pull_began) == 0


@pytest.fixture(params=["few", "common"])
def word_counts(request, monkeypatch) -> str:
    """Run a test with every word counted as having few postings (the other words read into a hashed
    set) and as common (probed per posting): both ways must find the same."""
    if request.param == "common":
        monkeypatch.setattr(search_module, "PROBE", 1)
    return str(request.param)


async def test_text_search_finds_inflected_words_and_ranks_titles_first(database, word_counts):
    await database.vacancy_catalogue.upsert_vacancies(
        [
            draft(1, title="Сварщик ручной дуговой сварки", municipality=TOGLIATTI),
            draft(2, title="Слесарь", duties="Помогать сварщику на участке"),
            draft(3, title="Программист 1С", kind=VacancyKind.INTERNSHIP),
            draft(4, title="Повар"),
        ]
    )
    search = database.vacancies.search
    found = await search(ADULT, VacancyQuery(text="ищу работу сварщиком"))
    assert [v.source_id for v in found.items] == ["v1", "v2"]
    assert found.total == 2
    assert [
        v.source_id for v in (await search(ADULT, VacancyQuery(text="стажировка программиста"))).items
    ] == ["v3"]
    assert [v.source_id for v in (await search(ADULT, VacancyQuery(text="сварщик в тольятти"))).items] == [
        "v1"
    ]
    assert (await search(ADULT, VacancyQuery(text="космонавт"))).total == 0
    assert (await search(ADULT, VacancyQuery(text="сварщик космонавт"))).total == 2  # the unknown word drops
    together = await search(ADULT, VacancyQuery(text="слесарь сварщик участок"))
    assert ([v.source_id for v in together.items], together.total) == (["v2"], 1)
    assert (await search(ADULT, VacancyQuery(text="повар сварщик"))).total == 0


async def test_filters_narrow_and_pages_hold_five(database):
    drafts = [draft(n, municipality=SYZRAN if n % 2 else SAMARA) for n in range(1, 13)]
    drafts += [
        draft(20, municipality=SYZRAN, kind=VacancyKind.TEMPORARY, employment=Employment.PART),
        draft(21, schedule=Schedule.FLEXIBLE, salary_from=None),
        draft(22, salary_from=30_000, salary_to=80_000, experience_required=True),
        draft(23, employment=Employment.REMOTE, salary_from=None),
    ]
    await database.vacancy_catalogue.upsert_vacancies(drafts)
    search = database.vacancies.search
    first = await search(ADULT, VacancyQuery())
    assert (len(first.items), first.total, first.pages) == (5, 16, 4)
    last = await search(ADULT, VacancyQuery(page=3))
    assert [v.source_id for v in last.items] == ["v1"]
    syzran = await search(ADULT, VacancyQuery(municipality=SYZRAN))
    assert syzran.total == 7
    kinds = await search(ADULT, VacancyQuery(kinds=frozenset({VacancyKind.TEMPORARY})))
    assert [v.source_id for v in kinds.items] == ["v20"]
    part = await search(ADULT, VacancyQuery(part_time=True))
    assert sorted(v.source_id for v in part.items) == ["v20", "v21"]
    pay = await search(ADULT, VacancyQuery(salary_from=60_000))
    assert [v.source_id for v in pay.items] == ["v22"]
    assert (await search(ADULT, VacancyQuery(no_experience=True))).total == 15
    assert [v.source_id for v in (await search(ADULT, VacancyQuery(remote=True))).items] == ["v23"]
    both = await search(
        ADULT, VacancyQuery(municipality=SYZRAN, part_time=True, kinds=frozenset(VacancyKind))
    )
    assert [v.source_id for v in both.items] == ["v20"]


async def test_words_and_filters_read_the_vacancys_current_values(database, clock):
    """A search with words filters on the postings' copies of the vacancy's columns: every change of the
    vacancy rewrites them, so the filters see what the vacancy says now."""
    clock.set(datetime(2026, 10, 12, 9, tzinfo=UTC))  # school time
    catalogue = database.vacancy_catalogue
    await catalogue.upsert_vacancies(
        [
            draft(1, title="Сварщик"),
            draft(2, title="Сварщик", municipality=SYZRAN, employment=Employment.PART),
            draft(3, title="Повар", municipality=SYZRAN),
        ]
    )

    async def found(facts: SeekerFacts = ADULT, **query) -> list[str]:
        page = await database.vacancies.search(facts, VacancyQuery(text="сварщик", **query))
        return sorted(v.source_id for v in page.items)

    assert await found() == ["v1", "v2"]
    assert await found(municipality=SYZRAN) == ["v2"]
    assert await found(part_time=True) == ["v2"]
    assert await found(salary_from=45_000) == []
    assert await found(no_experience=True) == ["v1", "v2"]
    assert await found(PUPIL_15) == []
    changed = draft(
        1,
        title="Сварщик",
        municipality=SYZRAN,
        kind=VacancyKind.INTERNSHIP,
        salary_to=60_000,
        experience_required=True,
        employment=Employment.REMOTE,
        min_age=14,
        schedule=Schedule.PART_DAY,
        hours_per_day=2.0,
        hours_per_week=10.0,
    )
    assert (await catalogue.upsert_vacancies([changed])).updated == 1
    assert await found(municipality=SYZRAN) == ["v1", "v2"]
    assert await found(salary_from=45_000) == ["v1"]
    assert await found(no_experience=True) == ["v2"]
    assert await found(kinds=frozenset({VacancyKind.INTERNSHIP})) == ["v1"]
    assert await found(remote=True) == ["v1"]
    assert await found(PUPIL_15) == ["v1"]
    await catalogue.upsert_vacancies([replace(changed, status=VacancyStatus.CLOSED)])
    assert await found() == ["v2"]


async def test_minors_see_only_lawful_work_for_their_age_and_the_season(database, clock):
    teen = {"min_age": 14, "schedule": Schedule.PART_DAY}
    await database.vacancy_catalogue.upsert_vacancies(
        [
            draft(1),  # a full-time job: adults only
            draft(2, **teen, hours_per_day=2.0, hours_per_week=10.0),  # lawful at 14 even in school time
            draft(
                3, **teen, hours_per_day=4.0, hours_per_week=20.0
            ),  # 14 in the holidays; 16 in school time? no
            draft(4, **teen, hours_per_day=3.0, hours_per_week=12.0, hazards=frozenset({Hazard.NIGHT})),
            draft(5, min_age=16, schedule=Schedule.SHIFTS, hours_per_day=4.0, hours_per_week=16.0),
        ]
    )
    search = database.vacancies.search

    async def seen(facts: SeekerFacts) -> list[str]:
        return sorted(v.source_id for v in (await search(facts, VacancyQuery())).items)

    clock.set(datetime(2026, 10, 12, 9, tzinfo=UTC))  # school time
    assert await seen(PUPIL_15) == ["v2"]
    assert await seen(SeekerFacts(age=16, studying=True)) == ["v2", "v5"]
    assert await seen(SeekerFacts(age=None)) == ["v2"]  # unknown: as a 14-year-old
    assert await seen(SeekerFacts(age=13)) == []
    assert await seen(SeekerFacts(age=16, studying=False)) == ["v2", "v3", "v5"]
    clock.set(datetime(2026, 7, 12, 9, tzinfo=UTC))  # summer holidays
    assert await seen(PUPIL_15) == ["v2", "v3"]
    assert await seen(SeekerFacts(age=18)) == ["v1", "v2", "v3", "v4", "v5"]


async def test_seeker_facts_come_from_the_profile_and_the_latest_test(database, records, clock):
    clock.set(datetime(2026, 10, 12, 9, tzinfo=UTC))
    pupil = await someone(
        records, "p", Role.PUPIL, AgeBand.MINOR, birth_year=2011, municipality=TOGLIATTI, display_name="Аня"
    )
    attempt = await records.start_attempt(pupil, "klimov", "2026.1")
    await records.complete_attempt(
        pupil, attempt.id, CareerOutcome({"tech": 7, "signs": 5, "art": 0}, "ТЗ", "tech", "clear")
    )
    facts = await database.vacancies.seeker(pupil)
    assert facts.age == 14  # born in 2011: 15 at most, 14 at worst
    assert (facts.municipality, facts.studying) == (TOGLIATTI, True)
    assert facts.test_spheres == ("Человек — техника", "Человек — знаковая система")
    assert facts.professions[0] == "Сварщик"
    graduate = await someone(records, "g", specialty="Сварочное производство")
    facts = await database.vacancies.seeker(graduate)
    assert (facts.age, facts.studying, facts.specialty, facts.test_spheres) == (
        18,
        False,
        "Сварочное производство",
        (),
    )
    with pytest.raises(PersonGone):
        await database.vacancies.seeker(9999)


async def test_apply_once_with_consent_to_an_open_lawful_vacancy(database, records):
    found = await stored(
        database,
        draft(1),
        draft(2, status=VacancyStatus.CLOSED),
        draft(3, min_age=14, schedule=Schedule.PART_DAY),
    )
    vacancies = database.vacancies
    adult = await someone(records, "a")
    first = await vacancies.apply(adult, found["v1"], "  Здравствуйте!\n Готов выйти  ", press="p1")
    assert (first.status, first.message) == (ApplicationStatus.SENT, "Здравствуйте! Готов выйти")
    assert await vacancies.apply(adult, found["v1"], "ещё раз", press="p1") == first
    assert await vacancies.apply(adult, found["v1"], "другая кнопка", press="p2") == first
    with pytest.raises(VacancyClosed):
        await vacancies.apply(adult, found["v2"], "", press="p3")
    with pytest.raises(VacancyNotFound):
        await vacancies.apply(adult, 999_999, "", press="p4")
    minor = await someone(records, "m", Role.PUPIL, AgeBand.MINOR, birth_year=2010, display_name="М")
    with pytest.raises(VacancyClosed):
        await vacancies.apply(minor, found["v1"], "", press="p5")  # not lawful at their age
    undecided = await someone(records, "u", consent=False)
    with pytest.raises(ConsentRequired):
        await vacancies.apply(undecided, found["v1"], "", press="p6")
    assert [a.vacancy_id for a in await vacancies.applications_of(adult)] == [found["v1"]]


async def test_concurrent_presses_make_one_application(database, records):
    found = await stored(database, draft(1))
    adult = await someone(records, "a")
    results = await asyncio.gather(
        *(database.vacancies.apply(adult, found["v1"], "", press=f"p{n}") for n in range(5))
    )
    assert len({a.id for a in results}) == 1


async def test_follow_up_answers_only_the_persons_own_application(database, records, clock):
    found = await stored(database, draft(1))
    adult, other = await someone(records, "a"), await someone(records, "b")
    application = await database.vacancies.apply(adult, found["v1"], "", press="p")
    clock.advance(timedelta(days=7))
    with pytest.raises(ApplicationNotFound):
        await database.vacancies.answer_follow_up(other, application.id, True)
    answered = await database.vacancies.answer_follow_up(adult, application.id, True)
    assert (answered.status, answered.answered_at) == (ApplicationStatus.ANSWERED, clock.now())
    corrected = await database.vacancies.answer_follow_up(adult, application.id, False)
    assert (corrected.status, corrected.answered_at) == (ApplicationStatus.NO_ANSWER, None)


async def test_favourites_keep_closed_vacancies_and_need_consent(database, records):
    found = await stored(database, draft(1), draft(2))
    vacancies = database.vacancies
    adult = await someone(records, "a")
    assert await vacancies.save(adult, found["v1"]) is True
    assert await vacancies.save(adult, found["v1"]) is False
    assert await vacancies.save(adult, found["v2"]) is True
    await database.vacancy_catalogue.upsert_vacancies([draft(1, status=VacancyStatus.CLOSED)])
    saved = await vacancies.saved(adult)
    assert [(v.source_id, v.is_open) for v in saved] == [("v2", True), ("v1", False)]
    assert await vacancies.unsave(adult, found["v2"]) is True
    assert await vacancies.unsave(adult, found["v2"]) is False
    with pytest.raises(VacancyNotFound):
        await vacancies.save(adult, 999_999)
    with pytest.raises(ConsentRequired):
        await vacancies.save(await someone(records, "u", consent=False), found["v1"])


async def test_operators_see_applications_by_vacancy_and_employer(database, records):
    found = await stored(database, draft(1), draft(2, employer=Employer("АО «Сызраньмаш»", "6325000000")))
    adult = await someone(records, "a")
    await database.vacancies.apply(adult, found["v1"], "", press="p1")
    await database.vacancies.apply(adult, found["v2"], "", press="p2")
    catalogue = database.vacancy_catalogue
    assert len(await catalogue.applications(CLI)) == 2
    by_inn = await catalogue.applications(CLI, employer_inn="6325000000")
    assert [(a.person_id, v.source_id) for a, v in by_inn] == [(adult, "v2")]
    assert [v.source_id for _, v in await catalogue.applications(CLI, vacancy_id=found["v1"])] == ["v1"]
    with pytest.raises(NotOperator):
        await catalogue.applications(Actor("telegram", "42"))


async def test_erasure_leaves_nothing_of_the_person_in_the_work_tables(database, records):
    found = await stored(database, draft(1))
    adult = await someone(records, "a")
    await database.vacancies.apply(adult, found["v1"], "", press="p")
    await database.vacancies.save(adult, found["v1"])
    await records.erase(adult, reason="test")
    async with database.engine.connect() as connection:
        for table in (applications, saved_vacancies):
            count = (await connection.execute(select(func.count()).select_from(table))).scalar_one()
            assert count == 0, table.name
    assert (await database.vacancies.vacancy(found["v1"])) is not None


async def test_follow_ups_fall_due_after_a_week_until_answered(database, records, clock):
    found = await stored(database, draft(1), draft(2))
    adult, other = await someone(records, "a"), await someone(records, "b")
    first = await database.vacancies.apply(adult, found["v1"], "", press="p1")
    clock.advance(timedelta(days=2))
    second = await database.vacancies.apply(other, found["v2"], "", press="p2")
    due = database.vacancies.due_follow_ups
    assert await due(clock.now() + timedelta(days=4)) == []
    week = await due(clock.now() + timedelta(days=5))
    assert [(t.application_id, t.person_id, t.title) for t in week] == [(first.id, adult, "Вакансия 1")]
    assert week[0].due_at == first.created_at + timedelta(days=7)
    later = clock.now() + timedelta(days=7)
    assert [t.application_id for t in await due(later)] == [first.id, second.id]
    await database.vacancies.answer_follow_up(other, second.id, False)
    assert [t.application_id for t in await due(later)] == [first.id]
    assert await due(clock.now() + timedelta(days=13)) == []  # a fortnight on: the question is stale


async def test_export_lists_applications_and_favourites(database, records):
    found = await stored(database, draft(1), draft(2))
    adult, other = await someone(records, "a"), await someone(records, "b")
    await database.vacancies.apply(adult, found["v1"], "Добрый день", press="p")
    await database.vacancies.save(adult, found["v2"])
    await database.vacancies.save(other, found["v1"])
    data = await records.export(adult)
    assert [(a["vacancy"], a["message"], a["status"]) for a in data["vacancy_applications"]] == [
        ("Вакансия 1", "Добрый день", "sent")
    ]
    assert [s["vacancy_id"] for s in data["saved_vacancies"]] == [found["v2"]]
    assert json.loads(json.dumps(data)) == data
