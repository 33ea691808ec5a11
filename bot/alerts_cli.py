"""``frontdoor report alerts``: vacancy alerts for operators — subscriptions by kind, municipality and
frequency, alerts sent, vacancies opened and applied to from them, 👍/👎, and why people unsubscribed.
Counts only: nothing about anyone."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from backend_client.broadcasts import CLI
from backend_client.reference import municipality
from bot.cli import CliCommands, CliParsers, database_option
from bot.operator_cli import command_database

if TYPE_CHECKING:
    from backend_client.vacancies.alerts import AlertsReport
    from bot.settings import Settings

EXIT_OK = 0
REASONS = {
    "found_job": "found a job",
    "not_relevant": "not what they wanted",
    "too_many": "too often",
    "other": "other",
    "": "no reason given",
}


def _place(code: str) -> str:
    if not code:
        return "(the whole region)"
    found = municipality(code)
    return found.title if found else code


def _table(title: str, rows: dict[str, int], name: object = str) -> list[str]:
    lines = ["", title]
    if not rows:
        return [*lines, "  (none)"]
    ordered = sorted(rows.items(), key=lambda item: (-item[1], item[0]))
    return [*lines, *(f"  {name(key)}\t{count}" for key, count in ordered)]  # type: ignore[operator]


def format_report(report: AlertsReport) -> str:
    sent = report.vacancies_sent
    opened = f"{report.opened} ({report.opened / sent:.0%} of those sent)" if sent else "0"
    lines = [
        "Vacancy alerts (aggregates, no personal data)",
        "",
        f"Subscriptions: {report.active} active, {report.paused} paused",
        f"Alerts sent: {report.alerts_sent}, listing {sent} vacancies",
        f"Vacancies opened from an alert: {opened}",
        f"Applications to a vacancy an alert brought: {report.applications}",
        f"Relevance: 👍 {report.useful}, 👎 {report.not_useful} (vacancies rated)",
        f"Found a job (said when unsubscribing, erased people included): {report.found_job}",
    ]
    lines += _table("Subscriptions by kind:", report.by_kind, lambda kind: kind or "(any kind)")
    lines += _table("Subscriptions by municipality:", report.by_municipality, _place)
    lines += _table("Subscriptions by frequency:", report.by_frequency)
    lines += _table(
        "Unsubscribed, by reason:", report.unsubscribes, lambda reason: REASONS.get(reason, reason)
    )
    return "\n".join(lines)


async def report_alerts(settings: Settings, args: argparse.Namespace) -> int:
    async with command_database(settings) as database:
        report = await database.vacancy_alerts.alerts_report(CLI)
    sys.stdout.write(format_report(report) + "\n")
    return EXIT_OK


def add_commands(parsers: CliParsers) -> None:
    alerts = parsers.reports.add_parser(
        "alerts",
        help="vacancy alerts: subscriptions, alerts sent, opened, applied to, feedback, unsubscribes",
        epilog=parsers.epilog,
    )
    database_option(alerts)


COMMAND_LINE = CliCommands(add=add_commands, reports={"alerts": report_alerts})
