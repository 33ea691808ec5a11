"""The work search's pieces without a conversation: the compact form kept in the state and in an intent's
argument, the chips, and free text's entities (the real NLU model) into a search."""

from __future__ import annotations

import pytest

from backend_client.vacancies.models import VacancyKind
from dialogs.flows.jobs.browse import _roubles
from dialogs.flows.jobs.route import find_job_arg, internship_arg, summer_job_arg, typed_search
from dialogs.flows.jobs.search import Filter, Search, chip_text, filters_line

TOGLIATTI, SYZRAN = "36440", "36435"


def test_the_compact_form_round_trips():
    search = Search(
        text="сварщик; ручной=дуговой",
        place=TOGLIATTI,
        kinds=frozenset({VacancyKind.INTERNSHIP, VacancyKind.PRACTICE}),
        part_time=True,
        salary=30_000,
        no_experience=True,
        remote=True,
    )
    assert Search.decode(search.encode()) == search
    assert Search.decode("") == Search()


@pytest.mark.parametrize(
    "raw",
    ["m=99999", "s=-5", "s=99999999999", "s=٣٠٠٠٠", "k=nonsense", "t=" + "а" * 500, "garbage;;==;"],
)
def test_a_forged_or_old_form_yields_only_what_parses(raw):
    search = Search.decode(raw)
    assert search.place is None
    assert search.salary is None
    assert search.kinds == frozenset()
    assert len(search.text) <= 100


def test_chips_toggle_and_remove():
    search = Search(text="повар", place=SYZRAN).toggled(Filter.TEMPORARY).toggled(Filter.NO_EXPERIENCE)
    assert search.active() == [Filter.TEXT, Filter.PLACE, Filter.TEMPORARY, Filter.NO_EXPERIENCE]
    assert [chip_text(search, chip) for chip in search.active()] == [
        "«повар»",
        "Сызрань",
        "Подработка",
        "без опыта",
    ]
    assert filters_line(search) == "Фильтры: «повар» · Сызрань · Подработка · без опыта"
    assert search.toggled(Filter.TEMPORARY).kinds == frozenset()
    assert search.without(Filter.PLACE).place is None
    assert search.without(Filter.NO_EXPERIENCE).active() == [Filter.TEXT, Filter.PLACE, Filter.TEMPORARY]
    with pytest.raises(ValueError, match="not an on/off filter"):
        Search().toggled(Filter.SALARY)


@pytest.mark.parametrize(
    ("typed", "roubles"),
    [
        ("30000", 30_000),
        ("30 000", 30_000),
        ("от 30 000 ₽", 30_000),
        ("30 тысяч", 30_000),
        ("30к", 30_000),
        ("45000 руб.", 45_000),
        ("тридцать", None),
        ("30-40", None),
        ("", None),
    ],
)
def test_a_typed_salary(typed, roubles):
    assert _roubles(typed) == roubles


@pytest.mark.parametrize(
    ("route", "typed", "expected"),
    [
        (
            find_job_arg,
            "ищу работу сварщиком в тольятти без опыта",
            Search(text="сварщик", place=TOGLIATTI, no_experience=True),
        ),
        (
            internship_arg,
            "стажировка для программиста",
            Search(text="программист", kinds=frozenset({VacancyKind.INTERNSHIP, VacancyKind.PRACTICE})),
        ),
        (
            summer_job_arg,
            "подработка на лето в сызрани",
            Search(place=SYZRAN, kinds=frozenset({VacancyKind.TEMPORARY})),
        ),
        (find_job_arg, "работа на удалёнке на неполный день", Search(remote=True, part_time=True)),
        (find_job_arg, "ищу работу", Search()),
    ],
)
async def test_free_text_entities_fill_the_search(nlu_model, route, typed, expected):
    parse = await nlu_model.parse(typed)
    assert Search.decode(route(parse)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("сварщик", Search(text="сварщик", place=SYZRAN)),  # the filter on stays
        (
            "программистом в тольятти без опыта",
            Search(text="программист", place=TOGLIATTI, no_experience=True),
        ),
        ("ищу работу звукорежиссёром в тольятти", Search(text="звукорежиссёром", place=TOGLIATTI)),
        ("стажировка", Search(place=SYZRAN, kinds=frozenset({VacancyKind.INTERNSHIP, VacancyKind.PRACTICE}))),
        ("космонавт", Search(text="космонавт", place=SYZRAN)),
    ],
)
async def test_words_typed_on_a_search_screen(nlu_model, typed, expected):
    current = Search(text="повар", place=SYZRAN)
    assert typed_search(current, typed, await nlu_model.parse(typed)) == expected
    assert typed_search(current, typed, None) == Search(text=typed, place=SYZRAN)  # no model: as typed
