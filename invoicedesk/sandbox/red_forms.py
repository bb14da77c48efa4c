"""Red forms (红字确认单): raising, confirming, revoking and using them, with the 72-hour
window (domain-reference §6)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invoicedesk.sandbox.basics import (
    Refused,
    to_decimal,
)
from invoicedesk.sandbox.invoices import (
    SbLine,
    unique_sequence,
)

if TYPE_CHECKING:
    from invoicedesk.sandbox.core import SandboxState


# ---------------------------------------------------------------------------------------------
# Red forms (红字确认单)
# ---------------------------------------------------------------------------------------------

OPEN_FORM_STATUSES = frozenset({"01", "02", "03", "04"})
RED_REASONS = {"01": "开票有误", "02": "销货退回", "03": "服务中止", "04": "销售折让"}


@dataclass
class RedForm:
    form_no: str
    uuid: str
    blue_number: str
    reason: str
    initiator: str  # seller / buyer
    status: str
    created_at: datetime
    lines: list[SbLine]  # negative figures, blue_index set
    amount: Decimal
    tax: Decimal
    total: Decimal
    full: bool
    used: bool = False
    red_number: str | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_FORM_STATUSES and not self.used


class RedForms:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.forms: dict[str, RedForm] = {}
        self.sequence = 0

    def _expire(self, form: RedForm) -> RedForm:
        if form.status in ("02", "03"):
            limit = form.created_at + timedelta(hours=self.state.settings.red_form_hours)
            if self.state.clock.now() > limit:
                form.status = "07"
        return form

    def for_blue(self, blue_number: str) -> list[RedForm]:
        return [self._expire(f) for f in self.forms.values() if f.blue_number == blue_number]

    def apply(
        self,
        blue_number: str,
        reason: str,
        lines: list[dict[str, Any]] | None = None,
        initiator: str = "seller",
    ) -> RedForm:
        """Raise a red form. `lines` (None = full) are dicts with `index` (blue line, 1-based),
        `amount` and `tax` (magnitudes; the sign is ignored) and optional `quantity`."""
        blue = self.state.invoices.get(blue_number)
        if blue is None or blue.color != "blue":
            raise Refused(f"蓝字发票 {blue_number} 不存在", "no_blue")
        if reason not in RED_REASONS:
            raise Refused("红冲原因必须是 01/02/03/04 之一", "reason")
        if initiator not in ("seller", "buyer"):
            raise Refused("发起方必须是销方或购方", "initiator")
        if any(f.open for f in self.for_blue(blue_number)):
            raise Refused("该蓝字发票已有未完成的红字确认单，蓝票已锁定", "locked")
        if not blue.used and initiator == "buyer":
            raise Refused("购方未用途确认或入账的发票只能由销方发起红冲", "initiator")
        left = {r.index: r for r in self.state.invoices.redeemable(blue_number)}
        if all(r.amount <= 0 for r in left.values()):
            raise Refused("该蓝字发票已全额红冲", "fully_red")
        red_lines: list[SbLine] = []
        by_index = {x.index: x for x in blue.lines}
        if lines is None:
            for pos, r in enumerate(x for x in left.values() if x.amount > 0):
                src = by_index[r.index]
                red_lines.append(_red_line(pos + 1, src, r.quantity, r.amount, r.tax))
            full = True
        else:
            if reason == "01":
                raise Refused("开票有误（01）只能全额红冲", "reason")
            if not lines:
                raise Refused("部分红冲必须给出明细", "lines")
            for pos, item in enumerate(lines):
                index = item.get("index")
                amount = to_decimal(item.get("amount"))
                tax = to_decimal(item.get("tax"))
                quantity = to_decimal(item.get("quantity"))
                if not isinstance(index, int) or index not in left:
                    raise Refused(f"第{pos + 1}行：蓝字发票没有第{index}行明细", "lines")
                if amount is None or tax is None:
                    raise Refused(f"第{pos + 1}行：金额和税额必须是数字", "lines")
                r = left[index]
                if abs(amount) > r.amount or abs(tax) > r.tax:
                    raise Refused(
                        f"第{pos + 1}行：红冲金额或税额超过蓝票该行剩余可红冲数", "exceeds"
                    )
                if quantity is not None and r.quantity is not None and abs(quantity) > r.quantity:
                    raise Refused(f"第{pos + 1}行：红冲数量超过蓝票该行剩余数量", "exceeds")
                red_lines.append(
                    _red_line(pos + 1, by_index[index], quantity, abs(amount), abs(tax))
                )
            full = False
        self.sequence = unique_sequence(self.sequence)
        now = self.state.clock.now()
        status = "01" if not blue.used else ("02" if initiator == "seller" else "03")
        amount = sum((x.amount for x in red_lines), Decimal(0))
        tax = sum((x.tax for x in red_lines), Decimal(0))
        form = RedForm(
            form_no=f"{now:%y}33{self.sequence:016d}",
            uuid=uuid.uuid4().hex,
            blue_number=blue_number,
            reason=reason,
            initiator=initiator,
            status=status,
            created_at=now,
            lines=red_lines,
            amount=amount,
            tax=tax,
            total=amount + tax,
            full=full,
        )
        self.forms[form.form_no] = form
        return form

    def get(self, form_no: str) -> RedForm | None:
        form = self.forms.get(form_no)
        if form is None:
            for candidate in self.forms.values():
                if candidate.uuid == form_no:
                    form = candidate
        return self._expire(form) if form is not None else None

    def all(self) -> list[RedForm]:
        return [self._expire(f) for f in self.forms.values()]

    def confirm(self, form_no: str, accept: bool) -> RedForm:
        """The other party agrees (04) or refuses (05 seller-raised / 06 buyer-raised)."""
        form = self.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        if form.status not in ("02", "03"):
            raise Refused(f"红字确认单状态为 {form.status}，无需或不能确认", "status")
        if accept:
            form.status = "04"
        else:
            form.status = "05" if form.status == "02" else "06"
        return form

    def revoke(self, form_no: str) -> RedForm:
        form = self.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        if not form.open:
            raise Refused("红字确认单已使用或已作废，不能撤销", "status")
        form.status = "08"
        return form

    def use(self, form_no: str) -> RedForm:
        """Mark the form used by a red invoice; only 01/04, only once."""
        form = self.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        if form.used:
            raise Refused("红字确认单已使用，不允许开具", "used")
        if form.status not in ("01", "04"):
            raise Refused(f"红字确认单状态为 {form.status}，不能开具红字发票", "status")
        form.used = True
        return form


def _red_line(
    index: int, src: SbLine, quantity: Decimal | None, amount: Decimal, tax: Decimal
) -> SbLine:
    return replace(
        src,
        index=index,
        quantity=-abs(quantity) if quantity is not None else None,
        amount=-abs(amount),
        tax=-abs(tax),
        kind="normal",
        blue_index=src.index,
    )
