"""Quick date ranges for the history filter. Pure: "today" is passed in, no clock, no Qt."""

from __future__ import annotations

import datetime as dt

QUICK = ("this_month", "last_month", "this_quarter", "this_year")
BEIJING = dt.timezone(dt.timedelta(hours=8))


def beijing_date(now: dt.datetime) -> dt.date:
    """The invoice calendar's day at `now` (an aware time): Beijing's, whatever the machine's
    time zone, so that 今天 and 本月 match the issue dates the history shows."""
    return now.astimezone(BEIJING).date()


def beijing_today() -> dt.date:
    return beijing_date(dt.datetime.now(dt.UTC))


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def quick_range(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Inclusive (first day, last day) of 本月 / 上月 / 本季度 / 本年 around `today`."""
    if kind == "this_month":
        return today.replace(day=1), month_end(today.year, today.month)
    if kind == "last_month":
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return dt.date(year, month, 1), month_end(year, month)
    if kind == "this_quarter":
        first = 3 * ((today.month - 1) // 3) + 1
        return dt.date(today.year, first, 1), month_end(today.year, first + 2)
    if kind == "this_year":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    raise ValueError(f"unknown quick range {kind!r}; one of {QUICK}")
