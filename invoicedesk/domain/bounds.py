"""Size limits of derived figures (issue 19 item 2; domain-reference.md §2.1).

The platforms take 金额, 税额, 含税金额 and 价税合计 as number(18,2) — at most 16 integer digits —
and 数量 / 单价 as varchar(25). A typed figure is bounded when it is parsed (money.py); these
checks bound what is *derived*: 金额 from 数量 × 单价, 含税金额 from 金额 + 税额, the other side's
unit price (13 decimals, sent as plain text), and the invoice's 价税合计. The vendor documents
are silent on sizes, so the official field formats apply to all five.
"""

from __future__ import annotations

from decimal import Decimal

from invoicedesk.domain.money import (
    AMOUNT_MAX_INTEGER_DIGITS,
    QUANTITY_MAX_CHARS,
    LineFigures,
    money_text,
)

AMOUNT_LIMIT = Decimal(10) ** AMOUNT_MAX_INTEGER_DIGITS

# (field name under the line, stable code, Chinese message without the row prefix)
BoundProblem = tuple[str, str, str]


def _digits(value: Decimal) -> int:
    """Integer digits of an amount, for the message."""
    return len(str(int(abs(value))))


def _too_big(value: Decimal) -> bool:
    return abs(value) >= AMOUNT_LIMIT


def price_text(value: Decimal) -> str:
    """A derived unit price as the clients send it: plain notation, 13 decimals."""
    return format(value, "f")


def line_bound_problems(fig: LineFigures, *, amount_typed: bool) -> list[BoundProblem]:
    """Derived figures of one line that the platforms cannot take."""
    problems: list[BoundProblem] = []
    limit = f"最多 {AMOUNT_MAX_INTEGER_DIGITS} 位整数"
    entered = fig.total if fig.price_includes_tax else fig.amount
    if not amount_typed and _too_big(entered):
        problems.append(
            (
                "amount",
                "figure.amount_too_large",
                f"数量 × 单价算出的金额有 {_digits(entered)} 位整数，开票平台{limit}，"
                "请核对数量和单价，或拆分为多行",
            )
        )
    elif _too_big(fig.total):
        problems.append(
            (
                "amount",
                "figure.total_too_large",
                f"含税金额 {money_text(fig.total)} 有 {_digits(fig.total)} 位整数，"
                f"开票平台{limit}，请减小金额或拆分为多行",
            )
        )
    derived = fig.unit_price_excl if fig.price_includes_tax else fig.unit_price_incl
    if derived is not None:
        text = price_text(derived)
        if len(text) > QUANTITY_MAX_CHARS:
            side = "不含税单价" if fig.price_includes_tax else "含税单价"
            problems.append(
                (
                    "unit_price",
                    "figure.derived_price_too_long",
                    f"换算出的{side} {text[:30]} 有 {len(text)} 个字符，开票平台最多 "
                    f"{QUANTITY_MAX_CHARS} 个，请减少单价的整数位数（或改填数量 1 和金额）",
                )
            )
    return problems


def total_bound_problem(total: Decimal) -> BoundProblem | None:
    """价税合计 of the invoice against number(18,2)."""
    if not _too_big(total):
        return None
    return (
        "",
        "totals.too_large",
        f"价税合计 {money_text(total)} 有 {_digits(total)} 位整数，开票平台最多 "
        f"{AMOUNT_MAX_INTEGER_DIGITS} 位，请拆分为多张发票",
    )
