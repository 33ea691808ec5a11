"""The demo catalogue: deterministic, clean, every kind, and work for minors of every age band."""

from __future__ import annotations

from datetime import date

from backend_client.reference import municipality
from backend_client.vacancies.checks import batch_problems
from backend_client.vacancies.demo import FIRMS, demo_vacancies
from backend_client.vacancies.hazards import detect_hazards
from backend_client.vacancies.minors import youngest_legal_age
from backend_client.vacancies.models import VacancyKind


def test_the_demo_is_the_same_every_time_and_passes_every_check():
    first = demo_vacancies(today=date(2026, 12, 1))
    assert first == demo_vacancies(today=date(2026, 12, 1))
    assert 250 <= len(first) <= 500
    assert batch_problems(first) == ()
    assert {v.kind for v in first} == set(VacancyKind)
    assert all(municipality(firm.municipality) for firm in FIRMS)
    assert len({v.municipality for v in first}) >= 15


def test_some_of_it_is_lawful_for_every_minor_age_and_most_is_not():
    drafts = demo_vacancies()
    for age in (14, 15, 16, 17):
        assert any(youngest_legal_age(v, school_time=True) <= age for v in drafts), age
    adults_only = sum(youngest_legal_age(v, school_time=False) == 18 for v in drafts)
    assert len(drafts) / 2 < adults_only < len(drafts)
    assert all("(демо)" in v.employer.name for v in drafts)  # invented employers, marked so


def test_every_hazard_the_texts_reveal_is_declared():
    """The importers derive hazards from a vacancy's words (``hazards.detect_hazards``); the demo declares
    its own, and must not call lawful for minors what its words say is not («сварщик» is harmful work)."""
    for vacancy in demo_vacancies():
        found = detect_hazards((vacancy.title, vacancy.duties, vacancy.requirements))
        assert found <= vacancy.hazards, (vacancy.title, sorted(h.value for h in found - vacancy.hazards))
