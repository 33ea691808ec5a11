"""Russian working days: the packaged decree data, and the Labour Code for years it does not cover."""

from __future__ import annotations

from datetime import date

from backend_client.calendar import WorkingDays


def test_the_2026_decree():
    days = WorkingDays.russian()
    assert not days.provisional(2026)
    assert not days.is_working(date(2026, 1, 9))  # moved from Saturday 3 January
    assert not days.is_working(date(2026, 3, 9))  # 8 March is a Sunday
    assert not days.is_working(date(2026, 12, 31))  # moved from Sunday 4 January
    assert days.is_working(date(2026, 11, 23))
    assert not days.is_working(date(2026, 11, 28))  # a Saturday


def test_a_year_without_data_follows_article_112():
    days = WorkingDays.russian()
    assert days.provisional(2030)
    assert not days.is_working(date(2030, 6, 12))
    assert not days.is_working(date(2028, 6, 12))  # a Monday holiday
    assert not days.is_working(date(2029, 6, 12))
    # 2032: 9 May is a Sunday, so Monday 10 May is off
    assert not days.is_working(date(2032, 5, 10))


def test_counting_between_days():
    days = WorkingDays.russian()
    assert days.between(date(2026, 11, 23), date(2026, 11, 27)) == 3
    assert days.between(date(2026, 11, 2), date(2026, 11, 6)) == 2  # 4 November is a holiday
    assert days.earliest_after(date(2026, 12, 29), 3) == date(2027, 1, 13)
