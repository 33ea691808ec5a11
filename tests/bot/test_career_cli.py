"""`frontdoor import in-demand` and `frontdoor report tests` as an operator meets them."""

from __future__ import annotations

from backend_client.models import CareerReport, InstrumentFigures, LeadingCount
from bot.career_cli import format_report


def test_import_then_report(frontdoor, tmp_path):
    csv = tmp_path / "demand.csv"
    csv.write_text("Профессия;Примечание\nСварщик;1\nАстронавт;2\nпрограммист;\n", encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'ops.db'}"
    imported = frontdoor("import", "in-demand", str(csv), "--source", "Минтруд 2026", "--database", database)
    assert imported.returncode == 0, imported.stderr
    assert "not in the catalogue, skipped: Астронавт" in imported.stdout
    assert "in-demand list replaced: 2 professions" in imported.stdout
    report = frontdoor("report", "tests", "--database", database)
    assert report.returncode == 0, report.stderr
    assert "No career tests taken yet." in report.stdout
    assert "Grade 8-9 pupils covered by career testing: 0 of 0" in report.stdout


def test_a_file_without_the_column_imports_nothing(frontdoor, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("name\nСварщик\n", encoding="utf-8")
    result = frontdoor("import", "in-demand", str(csv), "--database", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert result.stderr.startswith("frontdoor: ")
    assert "no column named" in result.stderr


def test_small_groups_are_not_shown_exactly():
    report = CareerReport(
        instruments=(InstrumentFigures("klimov", 10, 8, 1, 1, 7),),
        leading=(
            LeadingCount("klimov", "school", "школа № 3", "tech", 1),
            LeadingCount("klimov", "municipality", "36401", "art", 6),
        ),
        pupils_8_9=20,
        pupils_8_9_tested=7,
    )
    text = format_report(report, min_cell=3)
    assert "completion rate 80%" in text
    assert "школа № 3\tЧеловек — техника\t<3" in text
    assert "г. о. Самара\tЧеловек — художественный образ\t6" in text
    assert "7 of 20 (35%" in text
