"""Small helpers shared by the wizard and the 红字发票 page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicedesk.domain.money import grouped_money_text
from invoicedesk.services.red import RedService


def red_service(services: Any) -> RedService:
    """The services' RedService (made once and kept on the services object if it has none)."""
    existing = getattr(services, "red", None)
    if isinstance(existing, RedService):
        return existing
    made = RedService(services.store, services.vendor, getattr(services, "audit", None))
    services.red = made
    return made


def money(value: Decimal | None) -> str:
    return "" if value is None else grouped_money_text(value)


def qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
