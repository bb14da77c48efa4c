from __future__ import annotations

from decimal import Decimal

import pytest

from invoicedesk.store.money import from_cents, opt_from_cents, opt_to_cents, to_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0", 0),
        ("1.5", 150),
        ("1.000", 100),
        ("-0.01", -1),
        ("1E+3", 100000),
        ("12345678901234567.89", 1234567890123456789),
    ],
)
def test_to_cents_is_exact(text: str, cents: int) -> None:
    assert to_cents(Decimal(text)) == cents
    assert from_cents(cents) == Decimal(text)


@pytest.mark.parametrize("text", ["0.001", "1.005", "-3.141"])
def test_more_than_two_places_is_refused_not_rounded(text: str) -> None:
    with pytest.raises(ValueError, match="2 decimal places"):
        to_cents(Decimal(text))


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        to_cents(Decimal(text))


def test_float_and_out_of_range_are_refused() -> None:
    with pytest.raises(TypeError):
        to_cents(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="range"):
        to_cents(Decimal("100000000000000000.00"))


def test_from_cents_keeps_two_places_and_optional_helpers() -> None:
    assert str(from_cents(100)) == "1.00"
    assert str(from_cents(-5)) == "-0.05"
    assert opt_to_cents(None) is None and opt_from_cents(None) is None
    assert opt_to_cents(Decimal("2.5")) == 250 and opt_from_cents(250) == Decimal("2.50")
