"""``frontdoor report nlu``: what people ask the bot in free text, from the counts the conversation keeps.

Per intent: how many messages, their share of all, and the share of each confidence band (high: the
intent's flow started; medium: «Вы имели в виду…?»; low: the honest "I did not understand"). The fallback
rate is the share of messages that got the out-of-scope answer: every low one, and those confidently
understood as out of scope.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from backend_client.models import AskBand, AskCount
from bot.cli import CliCommands, CliParsers, database_option
from nlu.types import OUT_OF_SCOPE

if TYPE_CHECKING:
    from bot.settings import Settings

EXIT_OK = 0


@dataclass(frozen=True, slots=True)
class IntentAsks:
    intent: str
    asks: int
    bands: dict[AskBand, int]


@dataclass(frozen=True, slots=True)
class AsksReport:
    since: date
    until: date
    intents: tuple[IntentAsks, ...]  # most asked first

    @property
    def total(self) -> int:
        return sum(i.asks for i in self.intents)

    @property
    def fallbacks(self) -> int:
        return sum(
            i.bands.get(AskBand.LOW, 0) + (i.bands.get(AskBand.HIGH, 0) if i.intent == OUT_OF_SCOPE else 0)
            for i in self.intents
        )


def summarise(counts: list[AskCount], since: date, until: date) -> AsksReport:
    bands: dict[str, Counter[AskBand]] = {}
    for row in counts:
        bands.setdefault(row.intent, Counter())[row.band] += row.count
    intents = [IntentAsks(name, sum(c.values()), dict(c)) for name, c in bands.items()]
    intents.sort(key=lambda i: (-i.asks, i.intent))
    return AsksReport(since, until, tuple(intents))


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def format_asks(report: AsksReport) -> str:
    lines = [
        f"Free-text questions {report.since.isoformat()} .. {report.until.isoformat()} "
        "(UTC days; counts only, no text, no people)",
        "",
    ]
    if not report.total:
        lines.append("No free-text questions in this period.")
        return "\n".join(lines)
    lines.append(f"{'intent':22}{'asks':>7}{'share':>7}{'high':>7}{'medium':>8}{'low':>6}")
    for row in report.intents:
        high, medium, low = (row.bands.get(band, 0) for band in AskBand)
        lines.append(
            f"{row.intent:22}{row.asks:>7}{_share(row.asks, report.total):>7}{_share(high, row.asks):>7}"
            f"{_share(medium, row.asks):>8}{_share(low, row.asks):>6}"
        )
    lines += [
        f"{'all':22}{report.total:>7}",
        "",
        f"Fallback rate: {_share(report.fallbacks, report.total)} ({report.fallbacks} of {report.total} "
        "answered with the out-of-scope reply: low confidence, or understood as out of scope)",
    ]
    return "\n".join(lines)


async def report_nlu(settings: Settings, args: argparse.Namespace) -> int:
    from backend_client.clock import SystemClock
    from backend_client.sql import open_database
    from bot.app import migrate_database

    clock = SystemClock()
    until = clock.now().date()
    since = until - timedelta(days=args.days - 1)
    url = settings.database.database_url
    await migrate_database(url)
    database = await open_database(url, clock)
    try:
        counts = await database.records.ask_counts(since)
    finally:
        await database.close()
    print(format_asks(summarise(counts, since, until)))
    return EXIT_OK


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= 3660:
        raise argparse.ArgumentTypeError("days is a whole number from 1 to 3660")
    return days


def add_report(parsers: CliParsers) -> None:
    nlu = parsers.reports.add_parser(
        "nlu",
        help="free text: questions per intent, share by confidence band, fallback rate",
        epilog=parsers.epilog,
    )
    nlu.add_argument(
        "--days", type=_days, default=30, metavar="N", help="the last N days, today included (30)"
    )
    database_option(nlu)


COMMAND_LINE = CliCommands(add=add_report, reports={"nlu": report_nlu})
