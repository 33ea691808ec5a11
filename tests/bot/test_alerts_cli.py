"""`frontdoor report alerts` as an operator meets it."""

from __future__ import annotations

from backend_client.vacancies.alerts import AlertsReport
from bot.alerts_cli import format_report


def test_the_report_runs_on_an_empty_store(frontdoor, tmp_path):
    report = frontdoor("report", "alerts", "--database", f"sqlite:///{tmp_path / 'ops.db'}")
    assert report.returncode == 0, report.stderr
    assert "Subscriptions: 0 active, 0 paused" in report.stdout
    assert "Alerts sent: 0, listing 0 vacancies" in report.stdout


def test_the_report_reads_counts_only():
    text = format_report(
        AlertsReport(
            active=3,
            paused=1,
            by_kind={"": 2, "internship": 2},
            by_municipality={"36401": 3, "": 1},
            by_frequency={"instant": 3, "daily": 1},
            alerts_sent=5,
            vacancies_sent=20,
            opened=5,
            applications=2,
            useful=4,
            not_useful=1,
            unsubscribes={"found_job": 2, "": 1},
            found_job=2,
        )
    )
    assert "Subscriptions: 3 active, 1 paused" in text
    assert "Vacancies opened from an alert: 5 (25% of those sent)" in text
    assert "  (any kind)\t2" in text
    assert "  г. о. Самара\t3" in text
    assert "  found a job\t2" in text
    assert "  no reason given\t1" in text
