"""价税合计（大写）: an amount in Chinese financial capitals (壹佰元整, 玖角玖分, 壹万零叁元伍角).

Writing follows the 支付结算办法 conventions used on invoices: 整 after 元 only (none after 角),
one 零 for any run of zeros inside the number, 零 before a lone 分 (壹元零伍分), no leading 零
for amounts under one yuan (玖角玖分), 零元整 for zero.

Negative amounts (red invoices) get the prefix "（负数）" by default ("（负数）壹佰元整"), as the
数电 layout specification's example of 价税合计（大写） writes it (domain-reference.md §2.4); the
prefix stays a parameter. The unit is 元 throughout (that example writes 圆; both are seen).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_WAN = 10**4
_YI = 10**8


def _under_ten_thousand(n: int) -> str:
    """1..9999: digits with their units; inner zero runs become one 零, trailing zeros vanish."""
    text = ""
    zero_pending = False
    for position in range(3, -1, -1):
        digit = (n // 10**position) % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += DIGITS[digit] + _SMALL_UNITS[position]
    return text


def _under_yi(n: int) -> str:
    """1..99999999."""
    high, low = divmod(n, _WAN)
    text = _under_ten_thousand(high) + "万" if high else ""
    if low:
        if high and low < 1000:
            text += "零"
        text += _under_ten_thousand(low)
    return text


def integer_in_capitals(n: int) -> str:
    """A positive integer (no 元): 亿 groups recurse, so 10**12 is 壹万亿."""
    if n < _YI:
        return _under_yi(n)
    high, low = divmod(n, _YI)
    text = integer_in_capitals(high) + "亿"
    if low:
        if low < _YI // 10:
            text += "零"
        text += _under_yi(low)
    return text


def amount_in_capitals(value: Decimal, *, negative_prefix: str = "（负数）") -> str:
    """The amount, rounded HALF_UP to 0.01, in capitals: Decimal("10003.50") → 壹万零叁元伍角."""
    cents = int(abs(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    if cents == 0:
        return "零元整"
    yuan, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)
    text = integer_in_capitals(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        text += "整"
    else:
        if jiao:
            text += DIGITS[jiao] + "角"
        elif yuan:
            text += "零"
        if fen:
            text += DIGITS[fen] + "分"
    return negative_prefix + text if value < 0 else text
