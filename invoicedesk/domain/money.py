"""Figures: the typed text to Decimal, and the line and invoice arithmetic of 数电票.

Rules (../shared/docs/domain-reference.md §2): amounts have at most 2 decimals, quantity and unit
price at most 13; money rounds HALF_UP to 0.01. The side the user entered (含税 or 不含税) is
authoritative and the other side is derived so that 金额 + 税额 = 含税金额 exactly:
- tax-inclusive entry: 税额 = round(含税金额 / (1+r) × r, 2), 金额 = 含税金额 − 税额;
- tax-exclusive entry: 税额 = round(金额 × r, 2), 含税金额 = 金额 + 税额.
差额征税 (draft-format.md § Tax treatments) computes its one tax-inclusive line from the 扣除额 K:
税额 = round((含税金额 − K) / (1+r) × r, 2) for "partial" (差额开具), round(含税金额 / (1+r) × r, 2)
for "full" (全额开具); 金额 = 含税金额 − 税额 either way.
Nothing here touches floats, the clock or files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from invoicedesk.domain.models import Deduction, Draft, Line

CENT = Decimal("0.01")
PRICE_QUANTUM = Decimal("1E-13")  # unit prices derived to 13 decimals (§2.1 import template)
AMOUNT_DECIMALS = 2
PRICE_DECIMALS = 13  # also quantities
RATE_DECIMALS = 6  # slv is number(16,6)
AMOUNT_MAX_INTEGER_DIGITS = 16  # je is number(18,2)
QUANTITY_MAX_CHARS = 25  # sl / dj are varchar(25)

# Plain decimal notation only: no exponent ("1e400"), no NaN/Infinity, no thousands separators.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class FigureError(ValueError):
    """A figure that cannot be used. `code` is stable English, `message` is for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalize_figure_text(text: str) -> str:
    """Full-width digits and signs typed through a Chinese IME become ASCII; spaces go."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()


def lookalike_digit(text: str) -> str | None:
    """The first superscript, subscript, circled or other special digit ("²", "①", "₃"):
    NFKC would turn it into a plain digit and `10²` would read as 102. Full-width digits (typed
    through a Chinese IME) are plain digits and pass."""
    for char in text:
        if char.isascii() or "\uff10" <= char <= "\uff19":
            continue
        if any(c.isdigit() for c in unicodedata.normalize("NFKC", char)):
            return char
    return None


def _parse(text: str, label: str, max_decimals: int, example: str = "100.00") -> Decimal:
    special = lookalike_digit(text)
    if special is not None:
        raise FigureError(
            "figure.special_digit",
            f"{label}中的“{special}”是上标、下标或带圈的数字，不能当作数字读取，"
            f"请只用普通数字 0～9 和小数点（例如 {example}）",
        )
    clean = normalize_figure_text(text)
    if not clean:
        raise FigureError("figure.empty", f"{label}未填写，请填写")
    if len(clean) > 40 or not _NUMBER.fullmatch(clean):
        raise FigureError(
            "figure.not_a_number",
            f"{label}“{text[:20]}”不是数字，请只填写数字和小数点（例如 {example}）",
        )
    try:
        value = Decimal(clean)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        raise FigureError("figure.not_a_number", f"{label}不是数字，请重新填写") from None
    if "." in clean and len(clean.split(".", 1)[1]) > max_decimals:
        raise FigureError(
            "figure.too_many_decimals",
            f"{label}最多保留 {max_decimals} 位小数，请修改",
        )
    return value + 0  # drops a "-0" sign


def parse_amount(text: str, label: str = "金额") -> Decimal:
    """A money figure: at most 2 decimals and 16 integer digits (number(18,2))."""
    value = _parse(text, label, AMOUNT_DECIMALS)
    if abs(value) >= Decimal(10) ** AMOUNT_MAX_INTEGER_DIGITS:
        raise FigureError("figure.too_large", f"{label}过大，请核对")
    return value.quantize(CENT)  # exact: at most 2 decimals were allowed


def parse_quantity(text: str, label: str = "数量") -> Decimal:
    """A quantity or unit price: at most 13 decimals, at most 25 characters (varchar(25))."""
    if len(normalize_figure_text(text)) > QUANTITY_MAX_CHARS:
        raise FigureError("figure.too_long", f"{label}最多 {QUANTITY_MAX_CHARS} 个字符，请修改")
    return _parse(text, label, PRICE_DECIMALS)


def parse_price(text: str, label: str = "单价") -> Decimal:
    return parse_quantity(text, label)


def parse_rate(text: str, label: str = "税率") -> Decimal:
    """A tax rate as a fraction ("0.06"); "6%" is accepted and means 0.06."""
    clean = normalize_figure_text(text)
    percent = clean.endswith("%")
    value = _parse(clean[:-1] if percent else clean, label, RATE_DECIMALS, "0.06")
    if percent:
        value = value / 100
    if value < 0 or value >= 1:
        raise FigureError("figure.rate_range", f"{label}应在 0 到 1 之间（例如 0.06 表示 6%）")
    if value.as_tuple().exponent < -RATE_DECIMALS:  # type: ignore[operator]
        raise FigureError("figure.too_many_decimals", f"{label}最多保留 6 位小数，请修改")
    return value.normalize() if value else Decimal(0)


def round_money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_price(value: Decimal) -> Decimal:
    return value.quantize(PRICE_QUANTUM, rounding=ROUND_HALF_UP)


def money_text(value: Decimal) -> str:
    """The wire/display form of an amount: plain notation, exactly two decimals."""
    return f"{round_money(value):.2f}"


def grouped_money_text(value: Decimal) -> str:
    """An amount for people to read: thousands separated, two decimals (17,076.41)."""
    return f"{round_money(value):,.2f}"


@dataclass(frozen=True)
class LineFigures:
    """One line's figures. `amount` is 金额 (tax-exclusive), `total` is 含税金额."""

    quantity: Decimal | None
    unit_price_excl: Decimal | None
    unit_price_incl: Decimal | None
    amount: Decimal
    tax: Decimal
    total: Decimal
    tax_rate: Decimal
    price_includes_tax: bool
    deduction: DeductionFigures | None = None  # 差额征税: the 扣除额 this line's tax allows for

    @property
    def exact_tax(self) -> Decimal:
        """The unrounded tax the platform checks 税额 against (§2.2 tolerances)."""
        if self.deduction is None:
            return self.amount * self.tax_rate
        base = self.total - self.deduction.amount if self.deduction.partial else self.total
        return base / (1 + self.tax_rate) * self.tax_rate


@dataclass(frozen=True)
class DeductionFigures:
    """A draft's 差额征税 as figures: `partial` 差额开具 (扣除额 out of the tax) or 全额开具."""

    partial: bool
    amount: Decimal  # 扣除额


DEDUCTION_MODES = {"partial": "差额开具", "full": "全额开具"}


def deduction_figures(deduction: Deduction | None) -> DeductionFigures | None:
    """The draft's deduction as figures; None when there is none. Raises FigureError when its
    mode or amount cannot be read (rules report that with the field's path)."""
    if deduction is None:
        return None
    if deduction.mode not in DEDUCTION_MODES:
        raise FigureError(
            "deduction.mode_unknown",
            f"差额征税方式“{deduction.mode[:10]}”不正确，请选择差额开具（partial）或全额开具（full）",
        )
    return DeductionFigures(
        partial=deduction.mode == "partial", amount=parse_amount(deduction.amount, "扣除额")
    )


@dataclass(frozen=True)
class Totals:
    """合计金额, 合计税额, 价税合计, and each line's figures (None where a line cannot be read)."""

    amount: Decimal
    tax: Decimal
    total: Decimal
    lines: list[LineFigures | None]


def tax_from_inclusive(total: Decimal, rate: Decimal) -> Decimal:
    return round_money(total / (1 + rate) * rate)


def tax_from_exclusive(amount: Decimal, rate: Decimal) -> Decimal:
    return round_money(amount * rate)


def compute_line(line: Line, deduction: DeductionFigures | None = None) -> LineFigures:
    """A line's figures. Raises FigureError (naming the figure) when one cannot be read.

    `deduction` is the draft's 差额征税 (for its one line): the tax then follows the 差额
    formula of the module docstring. It applies to a tax-inclusive line only; rules report a
    tax-exclusive one, which is computed here as an ordinary line.

    The amount may be left empty when quantity and unit price are both given: it is then
    round(quantity × unit price, 2). Derived unit prices divide the derived amount by the quantity
    (13 decimals) so that |单价 × 数量 − 金额| stays far below 0.01 on both sides.
    """
    rate = parse_rate(line.tax_rate)
    has_quantity = bool(line.quantity.strip())
    has_price = bool(line.unit_price.strip())
    quantity = parse_quantity(line.quantity) if has_quantity else None
    price = parse_price(line.unit_price) if has_price else None
    if line.amount.strip():
        entered = parse_amount(line.amount)
    elif quantity is not None and price is not None:
        entered = round_money(quantity * price)
    else:
        raise FigureError("figure.empty", "金额未填写，请填写金额（或数量和单价）")

    if deduction is not None and not line.price_includes_tax:
        deduction = None
    if deduction is not None:
        total = entered
        base = total - deduction.amount if deduction.partial else total
        tax = tax_from_inclusive(base, rate)
        amount = total - tax
    elif line.price_includes_tax:
        total = entered
        tax = tax_from_inclusive(total, rate)
        amount = total - tax
    else:
        amount = entered
        tax = tax_from_exclusive(amount, rate)
        total = amount + tax

    price_excl: Decimal | None = None
    price_incl: Decimal | None = None
    if quantity is not None and price is not None:
        if line.price_includes_tax:
            price_incl = price
            price_excl = round_price(amount / quantity) if quantity else None
        else:
            price_excl = price
            price_incl = round_price(total / quantity) if quantity else None
    return LineFigures(
        quantity=quantity,
        unit_price_excl=price_excl,
        unit_price_incl=price_incl,
        amount=amount,
        tax=tax,
        total=total,
        tax_rate=rate,
        price_includes_tax=line.price_includes_tax,
        deduction=deduction,
    )


def try_compute_line(line: Line, deduction: DeductionFigures | None = None) -> LineFigures | None:
    """compute_line, or None when a figure cannot be read (the UI calls this per keystroke)."""
    try:
        return compute_line(line, deduction)
    except (FigureError, ArithmeticError):
        return None


def draft_deduction(draft: Draft) -> DeductionFigures | None:
    """The deduction that applies to the draft's line figures: only a readable one, and only on
    a one-line draft (rules report every other case; its line is then computed as ordinary)."""
    if draft.deduction is None or len(draft.lines) != 1:
        return None
    try:
        return deduction_figures(draft.deduction)
    except FigureError:
        return None


def compute_draft_lines(draft: Draft) -> list[LineFigures]:
    """Every line's figures, with the draft's 差额征税. Raises FigureError like compute_line."""
    deduction = draft_deduction(draft)
    return [compute_line(line, deduction) for line in draft.lines]


def compute_totals(draft: Draft) -> Totals:
    """The invoice totals over the lines that can be read. Never raises.

    价税合计 = Σ 含税金额, 合计税额 = Σ 税额, 合计金额 = Σ 金额; since each line has
    金额 + 税额 = 含税金额 exactly, 合计金额 + 合计税额 = 价税合计 exactly.
    """
    deduction = draft_deduction(draft)
    figures = [try_compute_line(line, deduction) for line in draft.lines]
    amount = tax = total = Decimal("0.00")
    for fig in figures:
        if fig is not None:
            amount += fig.amount
            tax += fig.tax
            total += fig.total
    return Totals(
        amount=round_money(amount), tax=round_money(tax), total=round_money(total), lines=figures
    )
