"""Vacancy alerts over SQLite and PostgreSQL: saved searches, matching on import, once per pair, delivery
with closed vacancies dropped, feedback, unsubscribing and the operators' report."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend_client.broadcasts import CLI, Actor, NotOperator
from backend_client.errors import ConsentRequired
from backend_client.models import AgeBand, Role
from backend_client.outreach import Category, OutboxStatus
from backend_client.sql import open_database
from backend_client.sql.alerts.tables import saved_search_keys, vacancy_alert_items
from backend_client.sql.tables import outbox
from backend_client.vacancies.alerts import (
    MAX_SEARCHES,
    AlertFrequency,
    AlertVacancyNotFound,
    EmptySearch,
    SavedSearchNotFound,
    TooManySearches,
    UnsubscribeReason,
)
from backend_client.vacancies.models import Hazard, VacancyKind, VacancyQuery, VacancyStatus
from tests.contract.test_vacancies import SAMARA, SYZRAN, TOGLIATTI, draft, someone, stored

COOK = VacancyQuery(text="повар", municipality=SAMARA)


async def alert_rows(database) -> list[tuple[str, str, str]]:
    """(key, text, status) of the outbox's alert rows, by key."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox.c.key, outbox.c.text, outbox.c.status)
            .where(outbox.c.key.startswith("alert:"))
            .order_by(outbox.c.key)
        )
        return [tuple(row) for row in rows]


async def pairs(database) -> list[tuple[int, int]]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(
            select(vacancy_alert_items.c.person_id, vacancy_alert_items.c.vacancy_id).order_by(
                vacancy_alert_items.c.person_id, vacancy_alert_items.c.vacancy_id
            )
        )
        return [tuple(row) for row in rows]


def notice_of(key: str) -> str:
    """``alert:<search>:<token>|<channel>`` -> ``<search>:<token>``."""
    return key.removeprefix("alert:").rpartition("|")[0]


# -- saved searches ----------------------------------------------------------------------------------
async def test_subscribe_lists_changes_pauses_and_deletes(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    saved = await alerts.subscribe(pid, COOK, exclude="ночные смены", frequency=AlertFrequency.DAILY)
    assert (saved.query.text, saved.query.municipality, saved.exclude) == ("повар", SAMARA, "ночные смены")
    assert saved.frequency is AlertFrequency.DAILY
    assert not saved.paused
    assert [s.id for s in await alerts.saved_searches(pid)] == [saved.id]
    wider = VacancyQuery(text="повар", kinds=frozenset({VacancyKind.JOB, VacancyKind.TEMPORARY}))
    changed = await alerts.change_search(pid, saved.id, query=wider, frequency=AlertFrequency.INSTANT)
    assert changed.query.municipality is None
    assert changed.query.kinds == wider.kinds
    assert changed.exclude == "ночные смены"
    assert changed.frequency is AlertFrequency.INSTANT
    paused = await alerts.change_search(pid, saved.id, paused=True)
    assert paused.paused
    async with database.engine.connect() as connection:
        keys = select(func.count()).select_from(saved_search_keys)
        assert (await connection.execute(keys)).scalar() == 0  # a paused search leaves the index
    resumed = await alerts.change_search(pid, saved.id, paused=False)
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(saved_search_keys))).all()
    assert sorted((r.term, r.place, r.kind) for r in rows) == [
        ("повар", "", "job"),
        ("повар", "", "temporary"),
    ]
    assert await alerts.delete_search(pid, resumed.id)
    assert not await alerts.delete_search(pid, resumed.id)
    assert await alerts.saved_searches(pid) == []


async def test_the_same_filters_or_press_give_the_first_search_back(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    first = await alerts.subscribe(pid, VacancyQuery(text="Повара"), press="p1")
    assert (await alerts.subscribe(pid, VacancyQuery(text="повар"), press="p2")).id == first.id
    assert (await alerts.subscribe(pid, VacancyQuery(text="сварщик"), press="p1")).id == first.id
    assert len(await alerts.saved_searches(pid)) == 1


async def test_limit_empty_search_consent_and_someone_elses(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    other = await someone(records, "b")
    for n in range(MAX_SEARCHES):
        await alerts.subscribe(pid, VacancyQuery(text=f"повар {n + 10}"))
    with pytest.raises(TooManySearches):
        await alerts.subscribe(pid, VacancyQuery(text="сварщик"))
    with pytest.raises(EmptySearch):
        await alerts.subscribe(other, VacancyQuery())
    without = await someone(records, "c", consent=False)
    with pytest.raises(ConsentRequired):
        await alerts.subscribe(without, COOK)
    mine = (await alerts.saved_searches(pid))[0]
    with pytest.raises(SavedSearchNotFound):
        await alerts.saved_search(other, mine.id)
    with pytest.raises(SavedSearchNotFound):
        await alerts.change_search(other, mine.id, paused=True)
    assert not await alerts.delete_search(other, mine.id)
    with pytest.raises(SavedSearchNotFound):
        await alerts.unsubscribe(other, mine.id)


# -- matching on import ------------------------------------------------------------------------------
async def test_an_import_alerts_each_person_once_and_a_second_run_nothing(database, records):
    alerts = database.vacancy_alerts
    ann = await someone(records, "ann")
    bob = await someone(records, "bob")
    await alerts.subscribe(ann, COOK)
    await alerts.subscribe(ann, VacancyQuery(text="повар", kinds=frozenset({VacancyKind.JOB})))  # both fit
    await alerts.subscribe(bob, VacancyQuery(text="сварщик"))
    batch = [
        draft(1, title="Повар горячего цеха"),
        draft(2, title="Повар", municipality=SYZRAN),  # Ann's first search wants Samara; her second any
        draft(3, title="Сварщик", municipality=TOGLIATTI),
        draft(4, title="Бухгалтер"),
    ]
    ids = await stored(database, *batch)
    assert await pairs(database) == sorted([(ann, ids["v1"]), (ann, ids["v2"]), (bob, ids["v3"])])
    rows = await alert_rows(database)
    assert len(rows) == 3  # one per search with something new: Ann's two, Bob's
    assert all(status == OutboxStatus.PENDING.value for *_, status in rows)
    assert all(text == f"⟦alert {notice_of(key)}⟧" for key, text, _ in rows)
    again = await database.vacancy_catalogue.upsert_vacancies(batch)
    assert again.unchanged == 4
    await alerts.match_vacancies(ids.values())  # an operator's re-run: the pairs are known
    assert len(await pairs(database)) == 3
    assert len(await alert_rows(database)) == 3


async def test_closed_never_matches_reopened_does_once(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    ids = await stored(database, draft(1, title="Повар", status=VacancyStatus.CLOSED))
    await alerts.subscribe(pid, COOK)
    await stored(database, draft(2, title="Повар", status=VacancyStatus.CLOSED))
    assert await pairs(database) == []
    ids = await stored(database, draft(1, title="Повар"))  # reopened
    assert await pairs(database) == [(pid, ids["v1"])]
    await stored(database, draft(1, title="Повар", status=VacancyStatus.CLOSED))
    await stored(database, draft(1, title="Повар"))  # reopened again: alerted before, not again
    assert await pairs(database) == [(pid, ids["v1"])]


async def test_words_exclude_words_and_filters(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    await alerts.subscribe(
        pid,
        VacancyQuery(text="повар кондитер", salary_from=45_000, no_experience=True),
        exclude="ночь",
    )
    ids = await stored(
        database,
        draft(1, title="Повар-кондитер", salary_from=50_000),
        draft(2, title="Повар", salary_from=50_000),  # one word only
        draft(3, title="Повар-кондитер", salary_from=30_000),  # pay below the wish
        draft(4, title="Повар-кондитер", salary_from=60_000, experience_required=True),
        draft(5, title="Повар-кондитер в ночь", salary_from=60_000),  # an excluded word
        draft(6, title="Повар-кондитер", salary_from=30_000, salary_to=50_000),  # the top reaches it
    )
    assert await pairs(database) == [(pid, ids["v1"]), (pid, ids["v6"])]


async def test_a_minors_search_matches_only_what_is_lawful_for_their_age(database, records):
    alerts = database.vacancy_alerts
    teen = await someone(records, "t", Role.PUPIL, AgeBand.MINOR, birth_year=2010, display_name="Т")
    adult = await someone(records, "a")
    query = VacancyQuery(text="курьер")
    await alerts.subscribe(teen, query)
    await alerts.subscribe(adult, query)
    light = {"kind": VacancyKind.TEMPORARY, "min_age": 14, "hours_per_week": 10, "hours_per_day": 2}
    ids = await stored(
        database,
        draft(1, title="Курьер", **light),
        draft(2, title="Курьер", **light, hazards=frozenset({Hazard.NIGHT})),
        draft(3, title="Курьер"),  # 18+ by default (min_age 18)
    )
    assert await pairs(database) == sorted(
        [(teen, ids["v1"]), (adult, ids["v1"]), (adult, ids["v2"]), (adult, ids["v3"])]
    )


async def test_two_matchers_at_once_alert_each_pair_once(database, records, database_url, clock):
    pid = await someone(records, "a")
    await database.vacancy_alerts.subscribe(pid, VacancyQuery(text="повар"))
    # The vacancies arrive while the search is paused (no alerts), then both processes match them.
    search = (await database.vacancy_alerts.saved_searches(pid))[0]
    await database.vacancy_alerts.change_search(pid, search.id, paused=True)
    ids = await stored(database, *(draft(n, title=f"Повар {n}") for n in range(1, 41)))
    await database.vacancy_alerts.change_search(pid, search.id, paused=False)
    other = await open_database(database_url, clock)
    try:
        runs = await asyncio.gather(
            database.vacancy_alerts.match_vacancies(ids.values()),
            other.vacancy_alerts.match_vacancies(sorted(ids.values(), reverse=True)),
        )
    finally:
        await other.close()
    assert sum(run.new_pairs for run in runs) == 40
    assert len(await pairs(database)) == 40


# -- delivery ----------------------------------------------------------------------------------------
async def test_the_alert_lists_only_what_is_still_open_and_nothing_is_not_sent(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    await alerts.subscribe(pid, COOK)
    ids = await stored(database, *(draft(n, title="Повар") for n in range(1, 8)))
    [(key, _, _)] = await alert_rows(database)
    await stored(database, draft(2, title="Повар", status=VacancyStatus.CLOSED))
    taken = await alerts.take_alert(notice_of(key))
    assert taken is not None
    assert taken.search is not None
    assert taken.search.query.text == "повар"
    assert {v.id for v in taken.vacancies} == {ids[f"v{n}"] for n in (1, 3, 4, 5, 6, 7)}
    assert len(taken.shown) == 5
    assert taken.more == 1
    again = await alerts.take_alert(notice_of(key))  # the other messenger, or a retry: the same alert
    assert again is not None
    assert again.alert_id == taken.alert_id
    for n in range(1, 8):
        await stored(database, draft(n, title="Повар", status=VacancyStatus.CLOSED))
    assert await alerts.take_alert(notice_of(key)) is None


async def test_notices_piled_up_collapse_into_the_first(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    await alerts.subscribe(pid, COOK)
    await stored(database, draft(1, title="Повар"))
    await stored(database, draft(2, title="Повар"))
    first, second = [notice_of(key) for key, _, _ in await alert_rows(database)]
    taken = await alerts.take_alert(second)
    assert taken is not None
    assert len(taken.vacancies) == 2
    assert await alerts.take_alert(first) is None


async def test_a_paused_or_deleted_search_sends_nothing(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    search = await alerts.subscribe(pid, COOK)
    await stored(database, draft(1, title="Повар"))
    [(key, _, _)] = await alert_rows(database)
    await alerts.change_search(pid, search.id, paused=True)
    assert await alerts.take_alert(notice_of(key)) is None
    await alerts.change_search(pid, search.id, paused=False)
    assert await alerts.take_alert(notice_of(key)) is not None
    await alerts.delete_search(pid, search.id)
    assert await alerts.take_alert(notice_of(key)) is None


async def test_a_daily_search_waits_for_the_evening(database, records, clock):
    clock.set(datetime(2026, 9, 1, 15, 30, tzinfo=UTC))  # 19:30 in Samara: tomorrow's 18:00
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    await alerts.subscribe(pid, COOK, frequency=AlertFrequency.DAILY)
    await stored(database, draft(1, title="Повар"))
    clock.advance(timedelta(hours=3))
    await stored(database, draft(2, title="Повар"))
    async with database.engine.connect() as connection:
        rows = (await connection.execute(select(outbox.c.key, outbox.c.not_before, outbox.c.category))).all()
    assert len(rows) == 1  # one alert a day, however many imports
    assert rows[0].key.endswith(":d20260902|test")
    assert rows[0].category == Category.VACANCIES.value
    assert rows[0].not_before == datetime(2026, 9, 2, 14, 0, tzinfo=UTC)
    taken = await alerts.take_alert(notice_of(rows[0].key))
    assert taken is not None
    assert len(taken.vacancies) == 2


# -- feedback, opening, unsubscribing, the report ----------------------------------------------------
async def test_feedback_ranks_later_alerts_and_forged_feedback_is_refused(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    other = await someone(records, "b")
    await alerts.subscribe(pid, VacancyQuery(text="повар"))
    ids = await stored(database, draft(1, title="Повар"), draft(2, title="Повар-пекарь"))
    [(key, _, _)] = await alert_rows(database)
    assert await alerts.take_alert(notice_of(key)) is not None
    await alerts.rate(pid, ids["v2"], useful=False)
    with pytest.raises(AlertVacancyNotFound):
        await alerts.rate(other, ids["v1"], useful=True)
    assert await alerts.opened(pid, ids["v1"])
    assert not await alerts.opened(pid, ids["v1"])
    assert not await alerts.opened(other, ids["v1"])
    later = await stored(
        database,
        draft(3, title="Повар-пекарь", published_at=datetime(2026, 9, 1, tzinfo=UTC)),
        draft(4, title="Повар"),
    )
    newest = [key for key, _, _ in await alert_rows(database)][-1]
    taken = await alerts.take_alert(notice_of(newest))
    assert taken is not None
    assert [v.id for v in taken.vacancies] == [later["v4"], later["v3"]]


async def test_unsubscribing_with_a_reason_and_the_report(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    search = await alerts.subscribe(pid, COOK)
    await alerts.subscribe(pid, VacancyQuery(kinds=frozenset({VacancyKind.INTERNSHIP})), press="x")
    ids = await stored(database, draft(1, title="Повар"))
    [(key, _, _)] = await alert_rows(database)
    assert await alerts.take_alert(notice_of(key)) is not None
    await alerts.opened(pid, ids["v1"])
    await database.vacancies.apply(pid, ids["v1"], "Здравствуйте", press="apply")
    note = await alerts.unsubscribe(pid, search.id, press="u")
    assert await alerts.unsubscribe(pid, search.id, press="u") == note  # the same press again
    assert await alerts.unsubscribe_reason(pid, note, UnsubscribeReason.FOUND_JOB)
    assert not await alerts.unsubscribe_reason(pid, note, UnsubscribeReason.OTHER)
    report = await alerts.alerts_report(CLI)
    assert (report.active, report.paused) == (1, 0)
    assert report.by_kind == {"internship": 1}
    assert report.by_municipality == {"": 1}
    assert (report.alerts_sent, report.vacancies_sent, report.opened, report.applications) == (1, 1, 1, 1)
    assert report.unsubscribes == {"found_job": 1}
    assert report.found_job == 1
    with pytest.raises(NotOperator):
        await alerts.alerts_report(Actor("telegram", "nobody"))
    await records.erase(pid, reason="asked")
    after = await alerts.alerts_report(CLI)
    assert (after.active, after.alerts_sent, after.unsubscribes, after.found_job) == (0, 0, {}, 1)


def test_alert_items_are_unique_per_person_and_vacancy():
    assert [c.name for c in vacancy_alert_items.primary_key] == ["person_id", "vacancy_id"]


async def test_my_data_exports_subscriptions_alerted_vacancies_and_stops(database, records):
    alerts = database.vacancy_alerts
    pid = await someone(records, "a")
    search = await alerts.subscribe(pid, COOK, exclude="ночь")
    ids = await stored(database, draft(1, title="Повар"))
    [(key, _, _)] = await alert_rows(database)
    taken = await alerts.take_alert(notice_of(key))
    assert taken is not None
    await alerts.rate_alert(pid, taken.alert_id, useful=True)
    other = await alerts.subscribe(pid, VacancyQuery(text="сварщик"))
    await alerts.unsubscribe(pid, other.id)
    exported = (await records.export(pid))["vacancy_alerts"]
    assert [(s["id"], s["words"], s["exclude_words"]) for s in exported["subscriptions"]] == [
        (search.id, "повар", "ночь")
    ]
    [alerted] = exported["vacancies_alerted"]
    assert (alerted["vacancy_id"], alerted["feedback"]) == (ids["v1"], "useful")
    assert alerted["sent_at"] is not None
    assert [(u["words"], u["reason"]) for u in exported["unsubscribed"]] == [("сварщик", None)]
