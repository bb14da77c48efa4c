"""Small helpers shared by the wizard and the 红字发票 page."""

from __future__ import annotations

from decimal import Decimal

from invoicedesk.domain.money import grouped_money_text


def money(value: Decimal | None) -> str:
    return "" if value is None else grouped_money_text(value)


def qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
