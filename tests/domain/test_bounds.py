"""Issue 19 item 2: derived figures are size-checked, special digits are refused, each with a
clear problem at its field (domain-reference.md §2.1: number(18,2), varchar(25))."""

from __future__ import annotations

import pytest

from invoicedesk.domain.money import FigureError, parse_amount, parse_quantity
from invoicedesk.domain.rules import has_errors, validate
from tests.domain.test_rules import codes, make_draft, make_line


def test_derived_amount_from_quantity_times_price_is_bounded() -> None:
    line = make_line(quantity="10000000000", unit_price="1000000", amount="")
    problems = validate(make_draft([line]))
    assert codes(problems)["figure.amount_too_large"] == ("lines[0].amount", "error")
    message = next(p.message for p in problems if p.code == "figure.amount_too_large")
    assert "第 1 行" in message and "17 位整数" in message and "数量 × 单价" in message


def test_largest_derived_amount_that_fits_passes() -> None:
    line = make_line(quantity="1", unit_price="9999999999999999.99", amount="")
    problems = validate(make_draft([line]))
    assert "figure.amount_too_large" not in codes(problems)


def test_tax_inclusive_total_of_a_tax_exclusive_line_is_bounded() -> None:
    # 金额 9999999999999999.00 fits; + 6% 税额 gives a 17-digit 含税金额
    line = make_line(amount="9999999999999999.00", quantity="", unit_price="")
    line["price_includes_tax"] = False
    problems = validate(make_draft([line]))
    assert codes(problems)["figure.total_too_large"] == ("lines[0].amount", "error")


def test_invoice_total_is_bounded() -> None:
    big = "6000000000000000.00"  # two lines that fit, whose 价税合计 does not
    lines = [
        make_line(amount=big, quantity="", unit_price=""),
        make_line(amount=big, quantity="", unit_price="", name="*信息技术服务*运维"),
    ]
    problems = validate(make_draft(lines))
    assert codes(problems)["totals.too_large"] == ("lines", "error")
    assert "价税合计" in next(p.message for p in problems if p.code == "totals.too_large")


def test_derived_unit_price_longer_than_25_characters_is_a_problem() -> None:
    # 含税单价 of 12 integer digits: 不含税单价 with 13 decimals is 26 characters
    line = make_line(quantity="1", unit_price="106000000000.00", amount="106000000000.00")
    problems = validate(make_draft([line]))
    assert codes(problems)["figure.derived_price_too_long"] == ("lines[0].unit_price", "error")
    message = next(p.message for p in problems if p.code == "figure.derived_price_too_long")
    assert "不含税单价" in message and "25" in message


def test_ordinary_derived_price_passes() -> None:
    line = make_line(quantity="3", unit_price="100", amount="300.00")
    assert not has_errors(validate(make_draft([line])))


@pytest.mark.parametrize("text", ["10²", "①", "1₀", "⑩0", "²"])
def test_superscript_and_circled_digits_are_refused(text: str) -> None:
    with pytest.raises(FigureError) as caught:
        parse_quantity(text)
    assert caught.value.code == "figure.special_digit"
    assert "普通数字" in caught.value.message
    with pytest.raises(FigureError):
        parse_amount(text)


def test_special_digit_problem_sits_at_its_field() -> None:
    line = make_line(quantity="10²", unit_price="5", amount="")
    problems = validate(make_draft([line]))
    assert codes(problems)["figure.special_digit"] == ("lines[0].quantity", "error")
    message = next(p.message for p in problems if p.code == "figure.special_digit")
    assert "“²”" in message and "第 1 行" in message


def test_full_width_digits_typed_through_an_ime_still_read() -> None:
    assert str(parse_amount("１００．５０")) == "100.50"
