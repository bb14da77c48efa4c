from __future__ import annotations

from decimal import Decimal

import pytest

from invoicedesk.domain.models import Draft, Line
from invoicedesk.domain.money import (
    FigureError,
    compute_line,
    compute_totals,
    money_text,
    parse_amount,
    parse_quantity,
    parse_rate,
    try_compute_line,
)

D = Decimal


def line(**kw: object) -> Line:
    base: dict[str, object] = {
        "name": "*信息技术服务*软件开发服务",
        "tax_code": "3040201010000000000",
        "amount": "100.00",
        "tax_rate": "0.06",
    }
    base.update(kw)
    return Line.model_validate(base)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100", D("100.00")),
        ("100.5", D("100.50")),
        ("-3.20", D("-3.20")),
        ("１００.００", D("100.00")),
    ],
)
def test_parse_amount_accepts_plain_decimals(text: str, value: Decimal) -> None:
    assert parse_amount(text) == value
    assert parse_amount(text).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NaN", "figure.not_a_number"),
        ("Infinity", "figure.not_a_number"),
        ("-inf", "figure.not_a_number"),
        ("1e400", "figure.not_a_number"),
        ("abc", "figure.not_a_number"),
        ("1,000.00", "figure.not_a_number"),
        ("", "figure.empty"),
        ("1.005", "figure.too_many_decimals"),
        ("12345678901234567.00", "figure.too_large"),
    ],
)
def test_parse_amount_rejects(text: str, code: str) -> None:
    with pytest.raises(FigureError) as info:
        parse_amount(text)
    assert info.value.code == code
    assert info.value.message  # Chinese text for the user


def test_quantity_allows_13_decimals_not_14() -> None:
    assert parse_quantity("0.9900990099010") == D("0.9900990099010")
    with pytest.raises(FigureError):
        parse_quantity("0.99009900990100")


def test_quantity_longer_than_25_chars_is_refused() -> None:
    with pytest.raises(FigureError) as info:
        parse_quantity("1" * 26)
    assert info.value.code == "figure.too_long"


@pytest.mark.parametrize(
    ("text", "rate"), [("0.06", D("0.06")), ("6%", D("0.06")), ("0.015", D("0.015")), ("0", D(0))]
)
def test_parse_rate(text: str, rate: Decimal) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["1", "1.5", "-0.06", "NaN", "6%%", "0.1234567"])
def test_parse_rate_rejects(text: str) -> None:
    with pytest.raises(FigureError):
        parse_rate(text)


@pytest.mark.parametrize(
    ("total", "rate", "amount", "tax"),
    [
        ("100.00", "0.06", "94.34", "5.66"),
        ("1.00", "0.01", "0.99", "0.01"),
        ("100.00", "0.13", "88.50", "11.50"),
        ("100.00", "0", "100.00", "0.00"),
    ],
)
def test_inclusive_entry(total: str, rate: str, amount: str, tax: str) -> None:
    fig = compute_line(line(amount=total, tax_rate=rate, price_includes_tax=True))
    assert (fig.amount, fig.tax, fig.total) == (D(amount), D(tax), D(total))
    assert fig.amount + fig.tax == fig.total


def test_exclusive_entry() -> None:
    fig = compute_line(line(amount="94.34", tax_rate="0.06", price_includes_tax=False))
    assert (fig.amount, fig.tax, fig.total) == (D("94.34"), D("5.66"), D("100.00"))


def test_half_up_rounding_of_tax() -> None:
    # 0.25 × 0.06 = 0.015 → 0.02 (HALF_UP, not banker's 0.02/0.01 ambiguity)
    fig = compute_line(line(amount="0.25", tax_rate="0.06", price_includes_tax=False))
    assert fig.tax == D("0.02")
    neg = compute_line(line(amount="-0.25", tax_rate="0.06", price_includes_tax=False))
    assert neg.tax == D("-0.02")


def test_unit_prices_derived_to_13_decimals() -> None:
    fig = compute_line(line(quantity="3", unit_price="33.33", amount="99.99", tax_rate="0.13"))
    assert fig.unit_price_incl == D("33.33")
    assert fig.amount == D("88.49")
    assert fig.unit_price_excl == D("29.4966666666667")
    assert fig.quantity is not None and fig.unit_price_excl is not None
    assert abs(fig.quantity * fig.unit_price_excl - fig.amount) <= D("0.01")

    excl = compute_line(
        line(quantity="3", unit_price="1", amount="3.00", tax_rate="0.01", price_includes_tax=False)
    )
    assert excl.unit_price_excl == D("1")
    assert excl.total == D("3.03")
    assert excl.unit_price_incl == D("1.0100000000000")


def test_amount_may_be_left_to_quantity_times_price() -> None:
    fig = compute_line(line(quantity="2", unit_price="0.125", amount="", tax_rate="0.06"))
    assert fig.total == D("0.25")


def test_without_quantity_no_unit_prices() -> None:
    fig = compute_line(line())
    assert fig.quantity is None and fig.unit_price_excl is None and fig.unit_price_incl is None


def test_compute_line_names_the_bad_figure() -> None:
    with pytest.raises(FigureError):
        compute_line(line(amount="abc"))
    assert try_compute_line(line(amount="abc")) is None
    assert try_compute_line(line(tax_rate="")) is None


def test_compute_totals_skips_unreadable_lines_and_never_raises() -> None:
    draft = Draft(
        lines=[
            line(amount="100.00", tax_rate="0.06"),
            line(amount="1e400"),
            line(amount="100.00", tax_rate="0.13"),
            line(amount="NaN", tax_rate="x"),
        ]
    )
    totals = compute_totals(draft)
    assert totals.lines[1] is None and totals.lines[3] is None
    assert (totals.amount, totals.tax, totals.total) == (D("182.84"), D("17.16"), D("200.00"))
    assert totals.amount + totals.tax == totals.total


def test_compute_totals_of_empty_draft() -> None:
    totals = compute_totals(Draft())
    assert (totals.amount, totals.tax, totals.total, totals.lines) == (D(0), D(0), D(0), [])


def test_money_text() -> None:
    assert money_text(D("5")) == "5.00"
    assert money_text(D("-0.005")) == "-0.01"


def test_grouped_money_text_separates_thousands_for_display() -> None:
    from invoicedesk.domain.money import grouped_money_text

    assert grouped_money_text(Decimal("17076.41")) == "17,076.41"
    assert grouped_money_text(Decimal("-1234567.8")) == "-1,234,567.80"
    assert grouped_money_text(Decimal("0")) == "0.00"
