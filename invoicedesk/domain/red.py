"""The red-letter (红字) flow as plain data and pure functions: no Qt, no I/O, no clock.

Rules (../shared/docs/domain-reference.md §6, §4, §5):
- reasons 01 开票有误 (full only: price, amount and quantity equal the blue invoice), 02 销货退回
  (only the quantity changes; not for service codes 3…), 03 服务中止 (amount and quantity
  change, price does not; not for goods/劳务 codes 1…/2…), 04 销售折让 (amount only: no price,
  no quantity);
- several red invoices may reverse one blue invoice; per blue line the cumulative red figures
  may not exceed the blue line (what is left is "redeemable");
- a discount line is folded into the line it discounts ("将折扣金额、税额分摊反映在对应的项目
  名称行上"): red invoices have normal lines only;
- form status 01–10: a red invoice only from 01/04; 02/03 wait for the other party, at most
  72 hours; 05–10 are void.

The wizard's logic is `WizardState` plus the transition functions at the end: each returns a
new state or raises `IllegalStep`; the Qt pages only display the state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from invoicedesk.domain.money import (
    FigureError,
    parse_amount,
    parse_quantity,
    round_money,
    tax_from_exclusive,
)

Reason = Literal["01", "02", "03", "04"]
REASONS: dict[str, str] = {"01": "开票有误", "02": "销货退回", "03": "服务中止", "04": "销售折让"}
REASON_RULES: dict[str, str] = {
    "01": "只能全额红冲，单价、数量、金额与蓝字发票一致。",
    "02": "只改数量，不改单价；不能用于服务（编码3开头）。",
    "03": "可改金额和数量，不改单价；不能用于货物和劳务（编码1、2开头）。",
    "04": "只改金额，不填单价和数量。",
}

FORM_STATUS: dict[str, str] = {
    "01": "无需确认",
    "02": "销方录入待购方确认",
    "03": "购方录入待销方确认",
    "04": "购销双方已确认",
    "05": "作废（销方录入购方否认）",
    "06": "作废（购方录入销方否认）",
    "07": "作废（超72小时未确认）",
    "08": "作废（发起方撤销）",
    "09": "作废（确认后撤销）",
    "10": "作废（异常凭证）",
}
ISSUABLE = frozenset({"01", "04"})
PENDING = frozenset({"02", "03"})
VOID = frozenset({"05", "06", "07", "08", "09", "10"})
CONFIRM_HOURS = 72
CONFIRM_WINDOW = dt.timedelta(hours=CONFIRM_HOURS)
ZERO = Decimal("0")


class RedRuleError(ValueError):
    """A red-letter choice breaks a rule; the message is Chinese and names the field."""


# ---------------------------------------------------------------------------------------------
# The blue invoice and what is left of it
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlueLine:
    index: int  # 1-based 蓝字发票明细序号
    name: str
    tax_code: str
    amount: Decimal  # tax-exclusive, positive
    tax: Decimal
    tax_rate: Decimal
    quantity: Decimal | None = None
    unit_price: Decimal | None = None  # tax-exclusive
    spec: str = ""
    unit: str = ""
    kind: Literal["normal", "discount", "discounted"] = "normal"


@dataclass(frozen=True)
class BlueInvoice:
    number: str
    buyer_name: str
    amount: Decimal
    tax: Decimal
    lines: tuple[BlueLine, ...]
    issued_at: str = ""
    buyer_tax_id: str = ""
    invoice_type: str = ""
    deduction: bool = False  # 差额征税: red-lettered in full only (§6)

    @property
    def total(self) -> Decimal:
        return self.amount + self.tax


@dataclass(frozen=True)
class RedLine:
    """One reversed blue line; every figure a positive magnitude (the wire negates)."""

    blue_index: int
    amount: Decimal
    tax: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True)
class Redeemable:
    """A blue line (discount folded in) with what earlier red invoices have not reversed."""

    line: BlueLine  # the folded line: its amount/tax/quantity are the blue figures
    amount: Decimal
    tax: Decimal
    quantity: Decimal | None

    @property
    def index(self) -> int:
        return self.line.index

    @property
    def used(self) -> bool:
        return self.amount < self.line.amount

    @property
    def exhausted(self) -> bool:
        return self.amount <= ZERO


def fold_discounts(lines: Sequence[BlueLine]) -> list[BlueLine]:
    """Discount lines merged into the line they follow (§4); what remains are normal lines."""
    out: list[BlueLine] = []
    for line in lines:
        if line.kind == "discount" and out:
            prev = out[-1]
            out[-1] = replace(
                prev, amount=prev.amount - abs(line.amount), tax=prev.tax - abs(line.tax)
            )
        else:
            out.append(replace(line, kind="normal"))
    return out


def redeemable(blue: BlueInvoice, reds: Iterable[RedLine]) -> tuple[Redeemable, ...]:
    """Per folded blue line: the blue figures minus every earlier red line against it."""
    rows = {x.index: Redeemable(x, x.amount, x.tax, x.quantity) for x in fold_discounts(blue.lines)}
    for red in reds:
        row = rows.get(red.blue_index)
        if row is None:
            continue
        quantity = row.quantity
        if quantity is not None and red.quantity is not None:
            quantity -= abs(red.quantity)
        rows[red.blue_index] = replace(
            row, amount=row.amount - abs(red.amount), tax=row.tax - abs(red.tax), quantity=quantity
        )
    return tuple(rows.values())


def already_red(left: Sequence[Redeemable]) -> bool:
    return any(r.used for r in left)


def fully_red(left: Sequence[Redeemable]) -> bool:
    return all(r.exhausted for r in left)


# ---------------------------------------------------------------------------------------------
# Reasons
# ---------------------------------------------------------------------------------------------


def code_class(tax_code: str) -> Literal["goods", "service", "other"]:
    """§5: 1 货物 / 2 劳务 count as goods for the red reasons, 3 销售服务 as service."""
    head = tax_code[:1]
    if head in ("1", "2"):
        return "goods"
    if head == "3":
        return "service"
    return "other"


def why_disabled(reason: str, left: Sequence[Redeemable]) -> str | None:
    """None when `reason` may be chosen for this blue invoice; else one Chinese sentence."""
    if reason not in REASONS:
        return "红冲原因只能是 01、02、03 或 04。"
    if fully_red(left):
        return "该蓝字发票已全额红冲，没有可红冲的余额。"
    open_lines = [r for r in left if not r.exhausted]
    classes = {code_class(r.line.tax_code) for r in open_lines}
    if reason == "01" and already_red(left):
        return "开票有误只能全额红冲，且数量、金额须与原蓝票一致；本发票已部分红冲，不能再选。"
    if reason == "02" and classes == {"service"}:
        return "销货退回不能用于服务（税收编码3开头），本发票只有服务项目。"
    if reason == "03" and classes <= {"goods"} and classes:
        return "服务中止不能用于货物或劳务（税收编码1、2开头），本发票只有货物或劳务。"
    if reason == "02" and not any(r.quantity is not None and r.quantity > 0 for r in open_lines):
        return "销货退回只改数量，本发票没有带数量的明细行。"
    return None


def allowed_reasons(left: Sequence[Redeemable]) -> dict[str, str | None]:
    """Every reason with None (allowed) or the sentence saying why it is disabled."""
    return {code: why_disabled(code, left) for code in REASONS}


def partial_allowed(reason: str, blue: BlueInvoice | None = None) -> str | None:
    """None when a partial red is allowed for the reason (and blue invoice); else why not."""
    if reason == "01":
        return "开票有误只能全额红冲。"
    if blue is not None and blue.deduction:
        return "差额征税发票只能全额红冲。"
    return None


def line_disabled(reason: str, row: Redeemable) -> str | None:
    """Why this line cannot be part of a partial red with `reason` (None: it can)."""
    if row.exhausted:
        return "该行已全部红冲。"
    cls = code_class(row.line.tax_code)
    if reason == "02" and cls == "service":
        return "服务项目不能销货退回。"
    if reason == "03" and cls == "goods":
        return "货物或劳务不能服务中止。"
    if reason == "02" and (row.quantity is None or row.line.unit_price is None):
        return "该行没有数量和单价，不能按数量退回。"
    return None


def editable(reason: str) -> tuple[bool, bool]:
    """(quantity editable, amount editable) for a partial red line with `reason`."""
    return {"02": (True, False), "03": (True, True), "04": (False, True)}.get(
        reason, (False, False)
    )


# ---------------------------------------------------------------------------------------------
# The plan: what the red invoice reverses
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedPlan:
    reason: Reason
    full: bool
    lines: tuple[RedLine, ...]

    @property
    def amount(self) -> Decimal:
        return sum((x.amount for x in self.lines), ZERO)

    @property
    def tax(self) -> Decimal:
        return sum((x.tax for x in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.amount + self.tax


def full_plan(reason: str, left: Sequence[Redeemable]) -> RedPlan:
    """Everything still redeemable. 04 sends no quantity (§6.2: 单价 and 数量 empty)."""
    problem = why_disabled(reason, left)
    if problem:
        raise RedRuleError(problem)
    lines = tuple(
        RedLine(r.index, r.amount, r.tax, None if reason == "04" else r.quantity)
        for r in left
        if not r.exhausted
    )
    return RedPlan(reason, True, lines)  # type: ignore[arg-type]


def partial_line(
    reason: str, row: Redeemable, quantity_text: str, amount_text: str
) -> RedLine | None:
    """The red line for what the user typed on one blue line; None when both are empty.

    02: quantity only, amount = quantity × blue price; 03: amount (and optionally quantity);
    04: amount only. Tax = amount × rate, except that taking the whole remainder takes the
    remaining tax exactly (no cent left behind by rounding). RedRuleError names the line."""
    at = f"第{row.index}行"
    if not quantity_text.strip() and not amount_text.strip():
        return None
    problem = line_disabled(reason, row)
    if problem:
        raise RedRuleError(f"{at}：{problem}")
    can_qty, can_amount = editable(reason)
    try:
        quantity = parse_quantity(quantity_text, f"{at}红冲数量") if quantity_text.strip() else None
        amount = parse_amount(amount_text, f"{at}红冲金额") if amount_text.strip() else None
    except FigureError as exc:
        raise RedRuleError(str(exc)) from exc
    if quantity is not None and not can_qty:
        raise RedRuleError(f"{at}：{REASONS[reason]}不填数量。")
    if amount is not None and not can_amount:
        raise RedRuleError(f"{at}：{REASONS[reason]}只改数量，金额按单价计算。")
    if quantity is not None:
        quantity = abs(quantity)
        if quantity == 0:
            raise RedRuleError(f"{at}：红冲数量必须大于0。")
        if row.quantity is not None and quantity > row.quantity:
            raise RedRuleError(f"{at}：红冲数量 {quantity} 超过可红冲数量 {row.quantity}。")
    if reason == "02":
        assert quantity is not None and row.line.unit_price is not None
        amount = (
            row.amount if quantity == row.quantity else round_money(quantity * row.line.unit_price)
        )
    if amount is None:
        raise RedRuleError(f"{at}：请填写红冲金额。")
    amount = abs(amount)
    if amount == 0:
        raise RedRuleError(f"{at}：红冲金额必须大于0。")
    if amount > row.amount:
        raise RedRuleError(f"{at}：红冲金额 {amount} 超过可红冲金额 {row.amount}。")
    tax = (
        row.tax
        if amount == row.amount
        else min(tax_from_exclusive(amount, row.line.tax_rate), row.tax)
    )
    return RedLine(row.index, amount, tax, quantity)


def partial_plan(
    reason: str, left: Sequence[Redeemable], typed: dict[int, tuple[str, str]]
) -> RedPlan:
    """A partial plan from {blue index: (quantity text, amount text)}; RedRuleError if wrong."""
    for problem in (why_disabled(reason, left), partial_allowed(reason)):
        if problem:
            raise RedRuleError(problem)
    lines = []
    for row in left:
        qty, amt = typed.get(row.index, ("", ""))
        red = partial_line(reason, row, qty, amt)
        if red is not None:
            lines.append(red)
    if not lines:
        raise RedRuleError("部分红冲：请至少填写一行的红冲数量或金额。")
    return RedPlan(reason, False, tuple(lines))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# The form's status and its deadline
# ---------------------------------------------------------------------------------------------


def status_text(status: str) -> str:
    return FORM_STATUS.get(status, f"未知状态 {status}")


def explain_status(status: str) -> str:
    """What the status means for the bookkeeper and what comes next (Chinese)."""
    if status == "01":
        return "无需对方确认，可以直接开具红字发票。"
    if status == "04":
        return "购销双方已确认，可以开具红字发票。"
    if status == "02":
        return "购方已将该发票用于抵扣或入账，须由购方在72小时内确认；确认后才能开具红字发票。"
    if status == "03":
        return "购方发起了红字信息表，须由销方在72小时内确认。"
    reasons = {
        "05": "购方否认了这张红字信息表。",
        "06": "销方否认了购方发起的红字信息表。",
        "07": "对方72小时内未确认，信息表已自动作废。",
        "08": "发起方撤销了这张红字信息表。",
        "09": "确认后又被撤销。",
        "10": "蓝字发票为异常凭证，信息表作废。",
    }
    if status in reasons:
        return f"{reasons[status]}这张信息表不能再用于开具红字发票；如仍需红冲，请重新申请。"
    return "未知的信息表状态，请刷新后再试。"


def deadline(applied_at: dt.datetime) -> dt.datetime:
    return applied_at + CONFIRM_WINDOW


def time_left(applied_at: dt.datetime, now: dt.datetime) -> dt.timedelta:
    return max(deadline(applied_at) - now, dt.timedelta(0))


def expires_within(applied_at: dt.datetime, now: dt.datetime, hours: float = 24) -> bool:
    left = time_left(applied_at, now)
    return dt.timedelta(0) < left <= dt.timedelta(hours=hours)


def format_left(left: dt.timedelta) -> str:
    if left <= dt.timedelta(0):
        return "已超过72小时"
    minutes = int(left.total_seconds() // 60)
    return f"剩余 {minutes // 60} 小时 {minutes % 60} 分"


# ---------------------------------------------------------------------------------------------
# The wizard as a state machine
# ---------------------------------------------------------------------------------------------


class Step(StrEnum):
    BLUE = "blue"  # 1 the blue invoice and what was red-lettered already
    CHECK = "check"  # 2 the vendor's verdict
    SCOPE = "scope"  # 3 reason, full or partial
    FORM = "form"  # 4 the form applied for: number and status
    ISSUE = "issue"  # 5a the form allows issuing (01/04)
    PENDING = "pending"  # 5b waiting for the other party (02/03)
    VOID = "void"  # 5c the form is void (05–10): apply again or stop
    DONE = "done"  # 6 the red invoice exists


ALLOWED: dict[Step, frozenset[Step]] = {
    Step.BLUE: frozenset({Step.CHECK}),
    Step.CHECK: frozenset({Step.BLUE, Step.SCOPE}),
    Step.SCOPE: frozenset({Step.CHECK, Step.FORM, Step.DONE}),  # DONE: a FAW red order
    Step.FORM: frozenset({Step.ISSUE, Step.PENDING, Step.VOID}),
    Step.ISSUE: frozenset({Step.DONE}),
    Step.PENDING: frozenset({Step.ISSUE, Step.PENDING, Step.VOID}),
    Step.VOID: frozenset({Step.SCOPE}),
    Step.DONE: frozenset(),
}


class IllegalStep(RuntimeError):
    """A transition the state machine does not allow (a programming error, not user input)."""


@dataclass(frozen=True)
class WizardState:
    step: Step
    blue: BlueInvoice
    left: tuple[Redeemable, ...]
    needs_form: bool = True  # piaodanyun: three steps; FAW: one red order
    check_ok: bool | None = None
    check_message: str = ""
    plan: RedPlan | None = None
    form_no: str = ""
    form_status: str = ""
    applied_at: dt.datetime | None = None
    red_number: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def _go(state: WizardState, to: Step, **changes: object) -> WizardState:
    if to not in ALLOWED[state.step]:
        raise IllegalStep(f"{state.step} -> {to} is not allowed")
    return replace(state, step=to, **changes)  # type: ignore[arg-type]


def start(blue: BlueInvoice, reds: Iterable[RedLine], *, needs_form: bool = True) -> WizardState:
    return WizardState(Step.BLUE, blue, redeemable(blue, reds), needs_form=needs_form)


def checked(state: WizardState, ok: bool, message: str) -> WizardState:
    """BLUE → CHECK with the vendor's verdict (a fully red-lettered invoice is never ok)."""
    if ok and fully_red(state.left):
        ok, message = False, "该蓝字发票已全额红冲，没有可红冲的余额。"
    return _go(state, Step.CHECK, check_ok=ok, check_message=message)


def to_scope(state: WizardState) -> WizardState:
    if state.step is Step.CHECK and not state.check_ok:
        raise IllegalStep("the vendor refused this blue invoice")
    return _go(state, Step.SCOPE)


def back(state: WizardState) -> WizardState:
    """One step back, only before anything was sent (CHECK → BLUE, SCOPE → CHECK)."""
    if state.step is Step.CHECK:
        return _go(state, Step.BLUE, check_ok=None, check_message="")
    if state.step is Step.SCOPE:
        return _go(state, Step.CHECK)
    raise IllegalStep(f"no way back from {state.step}")


def chose(state: WizardState, plan: RedPlan) -> WizardState:
    """Record the plan on the SCOPE step (re-checked against the rules)."""
    if state.step is not Step.SCOPE:
        raise IllegalStep(f"choosing the scope at {state.step}")
    problem = why_disabled(plan.reason, state.left) or (
        None if plan.full else partial_allowed(plan.reason, state.blue)
    )
    if problem:
        raise RedRuleError(problem)
    return replace(state, plan=plan)


def form_applied(
    state: WizardState, form_no: str, status: str, applied_at: dt.datetime | None
) -> WizardState:
    if state.plan is None:
        raise IllegalStep("a form needs a plan")
    if not state.needs_form:
        raise IllegalStep("this vendor has no red form step")
    return _go(state, Step.FORM, form_no=form_no, form_status=status, applied_at=applied_at)


def after_form(state: WizardState, status: str | None = None) -> WizardState:
    """FORM or PENDING → ISSUE (01/04), PENDING (02/03) or VOID (05–10) by the form's status."""
    status = status or state.form_status
    if status in ISSUABLE:
        to = Step.ISSUE
    elif status in PENDING:
        to = Step.PENDING
    elif status in VOID:
        to = Step.VOID
    else:
        raise IllegalStep(f"unknown form status {status!r}")
    return _go(state, to, form_status=status)


def reapply(state: WizardState) -> WizardState:
    """VOID → SCOPE: the void form is dropped; a new form may be applied for."""
    return _go(state, Step.SCOPE, form_no="", form_status="", applied_at=None)


def issued(state: WizardState, red_number: str) -> WizardState:
    """ISSUE → DONE, or SCOPE → DONE for a vendor without forms (the FAW red order)."""
    if state.step is Step.SCOPE and state.needs_form:
        raise IllegalStep("a red invoice needs its form first")
    if state.plan is None:
        raise IllegalStep("nothing was planned")
    return _go(state, Step.DONE, red_number=red_number)


def can_issue(status: str) -> bool:
    return status in ISSUABLE
