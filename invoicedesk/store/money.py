"""Exact conversion between Decimal amounts and the INTEGER cents stored in SQLite."""

from __future__ import annotations

from decimal import Decimal

_CENT = Decimal("0.01")


def to_cents(value: Decimal) -> int:
    """Decimal -> int cents, exactly. Refuses floats, NaN/inf and more than 2 places (no silent
    rounding: rounding is the domain's job, HALF_UP, before a figure reaches the store)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"money must be Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"money must be finite, got {value}")
    if value != value.quantize(_CENT):
        raise ValueError(f"money has more than 2 decimal places: {value}")
    cents = int(value.scaleb(2))
    if not -(2**63) <= cents < 2**63:
        raise ValueError(f"money out of range: {value}")
    return cents


def opt_to_cents(value: Decimal | None) -> int | None:
    return None if value is None else to_cents(value)


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def opt_from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else from_cents(cents)
