"""`frontdoor operator`, `frontdoor broadcast` and `frontdoor maintenance` as an operator meets them."""

from __future__ import annotations


def test_granting_listing_and_revoking_the_role(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'ops.db'}"
    granted = frontdoor("operator", "grant", "telegram:1001", "--database", database)
    assert granted.returncode == 0, granted.stderr
    assert "is now an operator" in granted.stdout
    assert "telegram:1001" in frontdoor("operator", "list", "--database", database).stdout
    revoked = frontdoor("operator", "revoke", "telegram:1001", "--database", database)
    assert "is no longer an operator" in revoked.stdout
    assert frontdoor("operator", "list", "--database", database).stdout.strip() == ""
    bad = frontdoor("operator", "grant", "1001", "--database", database)
    assert bad.returncode == 2


def test_a_campaign_from_the_command_line(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'ops.db'}"
    preview = frontdoor("broadcast", "preview", "--role", "pupil", "--grade", "9", "--database", database)
    assert "recipients now: 0" in preview.stdout
    created = frontdoor(
        "broadcast",
        "create",
        "--text",
        "Ярмарка вакансий",
        "--at",
        "2099-12-01T18:00",
        "--database",
        database,
    )
    assert created.returncode == 0, created.stderr
    assert "campaign 1 scheduled for 2099-12-01 18:00" in created.stdout
    assert "1\tnews\tscheduled" in frontdoor("broadcast", "list", "--database", database).stdout
    assert "scheduled, recipients None" in frontdoor("broadcast", "stats", "1", "--database", database).stdout
    assert (
        "withdrawn from the outbox: 0" in frontdoor("broadcast", "cancel", "1", "--database", database).stdout
    )
    again = frontdoor("broadcast", "cancel", "1", "--database", database)
    assert again.returncode == 2
    assert "campaign_closed" in again.stderr


def test_planned_works_too_soon_are_refused_and_emergencies_go(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'ops.db'}"
    soon = frontdoor(
        "maintenance",
        "plan",
        "--start",
        "2000-01-01T22:00",
        "--end",
        "2000-01-02T02:00",
        "--text",
        "x",
        "--database",
        database,
    )
    assert soon.returncode == 2
    assert "bad_window" in soon.stderr
    planned = frontdoor(
        "maintenance",
        "plan",
        "--start",
        "2099-06-01T22:00",
        "--end",
        "2099-06-02T02:00",
        "--text",
        "Запись на профтуры недоступна",
        "--database",
        database,
    )
    assert planned.returncode == 0, planned.stderr
    emergency = frontdoor("maintenance", "emergency", "--text", "Сбой входа", "--database", database)
    assert "is going out" in emergency.stdout
    listed = frontdoor("maintenance", "list", "--database", database).stdout
    assert "maintenance" in listed
    assert "emergency" in listed


def test_an_emergency_is_withdrawn_without_a_works_notice_and_numbered_as_in_the_desk(frontdoor, tmp_path):
    database = f"sqlite:///{tmp_path / 'ops.db'}"
    news = frontdoor("broadcast", "create", "--text", "Новость", "--database", database)
    assert news.returncode == 0, news.stderr  # campaign 1
    frontdoor("maintenance", "emergency", "--text", "Сбой входа", "--database", database)
    listed = frontdoor("maintenance", "list", "--database", database).stdout
    assert listed.startswith("1\temergency")  # the emergency is system message 1
    campaigns = frontdoor("broadcast", "list", "--database", database).stdout.splitlines()
    assert "2\temergency\tscheduled" in campaigns[0]
    assert campaigns[0].endswith("\tsystem message 1")  # the same number the desk shows
    cancelled = frontdoor("maintenance", "cancel", "1", "--database", database)
    assert cancelled.returncode == 0, cancelled.stderr
    assert "emergency notice 1 withdrawn" in cancelled.stdout
    assert "nobody is told" in cancelled.stdout
    campaigns = frontdoor("broadcast", "list", "--database", database).stdout
    assert "maintenance_cancelled" not in campaigns  # «плановые работы отменены» is never queued
    frontdoor("maintenance", "emergency", "--text", "Сбой оплаты", "--database", database)
    resolved = frontdoor("maintenance", "resolve", "2", "--database", database)
    assert "everyone is told it is fixed" in resolved.stdout
    campaigns = frontdoor("broadcast", "list", "--database", database).stdout
    assert "emergency_resolved\tscheduled" in campaigns
    assert "maintenance_cancelled" not in campaigns
    refused = frontdoor("maintenance", "resolve", "2", "--database", database)
    assert refused.returncode == 2
