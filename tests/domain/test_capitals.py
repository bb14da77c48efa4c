from __future__ import annotations

from decimal import Decimal

import pytest

from invoicedesk.domain.capitals import amount_in_capitals


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "零元整"),
        ("0.00", "零元整"),
        ("100", "壹佰元整"),
        ("0.99", "玖角玖分"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("1.05", "壹元零伍分"),
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("120", "壹佰贰拾元整"),
        ("1001", "壹仟零壹元整"),
        ("1010", "壹仟零壹拾元整"),
        ("10003.50", "壹万零叁元伍角"),
        ("10010", "壹万零壹拾元整"),
        ("100000", "壹拾万元整"),
        ("1001000.01", "壹佰万壹仟元零壹分"),
        ("1000000", "壹佰万元整"),
        ("10000010", "壹仟万零壹拾元整"),
        ("100000000", "壹亿元整"),
        ("100000001", "壹亿零壹元整"),
        ("101000000", "壹亿零壹佰万元整"),
        ("110000000", "壹亿壹仟万元整"),
        ("100010000", "壹亿零壹万元整"),
        ("1010101010.10", "壹拾亿壹仟零壹拾万壹仟零壹拾元壹角"),
        ("1000000000000", "壹万亿元整"),
        ("1000100000000", "壹万零壹亿元整"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
        ("113.00", "壹佰壹拾叁元整"),
        ("0.005", "壹分"),  # rounded HALF_UP to the cent first
    ],
)
def test_amount_in_capitals(value: str, text: str) -> None:
    assert amount_in_capitals(Decimal(value)) == text


def test_negative_amounts_for_red_invoices() -> None:
    # the 数电 layout's red invoice: "（负数）壹佰叁拾圆整" (we write 元 throughout)
    assert amount_in_capitals(Decimal("-130")) == "（负数）壹佰叁拾元整"
    assert amount_in_capitals(Decimal("-0.99")) == "（负数）玖角玖分"
    assert amount_in_capitals(Decimal("-100"), negative_prefix="负") == "负壹佰元整"
    assert amount_in_capitals(Decimal("-0.001")) == "零元整"
