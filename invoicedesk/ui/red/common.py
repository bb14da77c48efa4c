"""Small helpers shared by the wizard and the 红字发票 page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from invoicedesk.domain import red
from invoicedesk.domain.money import grouped_money_text
from invoicedesk.vocabulary import BEIJING


def money(value: Decimal | None) -> str:
    return "" if value is None else grouped_money_text(value)


def qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def deadline_text(applied_at: dt.datetime) -> str:
    """The 72-hour 确认期限 in Beijing time, like every invoice time, whatever the machine's zone.

    applied_at is our own clock's reading: naive local time (services/red_case.py), which
    astimezone() reads in the machine's zone."""
    return f"{red.deadline(applied_at).astimezone(BEIJING):%Y-%m-%d %H:%M}"
