"""Matching quality: precision@5 of «Подобрать по профилю» against a plain text search, on the demo catalogue.

The labels (``benchmarks/data/matching_labels.yaml``, written for this project) say, for each profile,
which vacancies a careers adviser would put first. For each profile the demo catalogue is loaded into a
temporary SQLite store, and the five first of ``match`` (ours) and of ``search`` with the profile's
specialty as the text (the baseline; its first test profession when no specialty is known) are checked
against them. Printed: precision@5 of both per profile and on average, and the best precision the
catalogue allows (fewer than five relevant lawful vacancies caps it).

    .venv/bin/python benchmarks/matching_quality.py [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the repository's root
from backend_client.clock import ManualClock
from backend_client.sql import migrate, open_database
from backend_client.vacancies.demo import demo_vacancies, seed_demo_vacancies
from backend_client.vacancies.minors import legal_for
from backend_client.vacancies.models import SeekerFacts, Vacancy, VacancyQuery
from backend_client.vacancies.spheres import facts_of_result

LABELS = Path(__file__).resolve().parent / "data" / "matching_labels.yaml"
AT = 5


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    about: str
    seeker: SeekerFacts
    titles: frozenset[str]
    places: frozenset[str]

    def relevant(self, vacancy: Any) -> bool:
        return vacancy.title in self.titles and (not self.places or vacancy.municipality in self.places)


def load_labels() -> tuple[datetime, list[Profile]]:
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    day = data["day"]
    profiles = []
    for entry in data["profiles"]:
        facts = dict(entry["seeker"])
        test = facts.pop("test", None)  # {instrument: [leading scale, next]}: as the store reads a result
        if test:
            ((instrument, scales),) = test.items()
            points = {scale: len(scales) - n for n, scale in enumerate(scales)}
            facts["test_spheres"], facts["professions"] = facts_of_result(instrument, points)
        profiles.append(
            Profile(
                entry["id"],
                entry["about"],
                SeekerFacts(**facts),
                frozenset(entry["titles"]),
                frozenset(entry["places"]),
            )
        )
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC), profiles


def precision(found: list[Vacancy], profile: Profile) -> float:
    return sum(profile.relevant(v) for v in found[:AT]) / AT


def ceiling(profile: Profile, moment: datetime) -> float:
    """The best precision@5 the catalogue allows this person (lawful relevant vacancies, at most five)."""
    lawful = [
        d
        for d in demo_vacancies(today=moment.date())
        if profile.relevant(d)
        and legal_for(d, profile.seeker.age, on=moment.date(), studying=profile.seeker.studying)
    ]
    return min(len(lawful), AT) / AT


def baseline_text(seeker: SeekerFacts) -> str:
    return seeker.specialty or (seeker.professions[0] if seeker.professions else "")


async def main(show: bool) -> None:
    moment, profiles = load_labels()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'quality.db'}"
        migrate(url)
        database = await open_database(url, ManualClock(moment))
        try:
            await seed_demo_vacancies(database.vacancy_catalogue, moment)
            for profile in profiles:
                ours = [m.vacancy for m in await database.vacancies.match(profile.seeker, limit=AT)]
                page = await database.vacancies.search(
                    profile.seeker, VacancyQuery(text=baseline_text(profile.seeker))
                )
                theirs = list(page.items)
                rows.append(
                    (profile, precision(ours, profile), precision(theirs, profile), ceiling(profile, moment))
                )
                if show:
                    _show(profile, ours, theirs)
        finally:
            await database.close()
    print(f"matching quality on the demo catalogue ({moment.date()}), precision@{AT}")
    print(f"  {'profile':<22} {'matching':>9} {'text search':>12} {'best possible':>14}")
    for profile, mine, base, best in rows:
        print(f"  {profile.id:<22} {mine:>9.2f} {base:>12.2f} {best:>14.2f}")
    count = len(rows)
    print(
        f"  {'mean':<22} {sum(r[1] for r in rows) / count:>9.2f} {sum(r[2] for r in rows) / count:>12.2f} "
        f"{sum(r[3] for r in rows) / count:>14.2f}"
    )


def _show(profile: Profile, ours: list[Vacancy], theirs: list[Vacancy]) -> None:
    print(f"\n{profile.id}: {profile.about}")
    for name, found in (("matching", ours), ("text search", theirs)):
        print(f"  {name}:")
        for vacancy in found[:AT]:
            mark = "+" if profile.relevant(vacancy) else " "
            print(f"   {mark} {vacancy.title} ({vacancy.municipality})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--show", action="store_true", help="print each profile's five of both")
    asyncio.run(main(parser.parse_args().show))
