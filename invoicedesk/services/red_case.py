"""A red-letter case and what every step of it shares (no Qt): the case as the wizard sees it
(`RedCase`), its lines as stored, and `RedCases`, the base of services/red.py's RedService:
reading and saving a case, the journal and audit rows of what is sent, the blue invoice's red
status. services/red_send.py sends (the form, the red invoice); services/red.py opens and steps.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from invoicedesk.domain import red
from invoicedesk.domain.models import draft_from_json
from invoicedesk.domain.red import BlueInvoice, BlueLine, RedLine, RedPlan, Step, WizardState
from invoicedesk.services.vendor_facts import flows, red_letter_vendors, vendor_name
from invoicedesk.vendors.base import BaseVendor, Profile

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]
OPEN_STEPS = (Step.FORM.value, Step.PENDING.value, Step.ISSUE.value)
RED_STATUS_PARTLY = "部分红冲"
RED_STATUS_FULLY = "已红冲"
RED_STATUS_PENDING = "红字信息表待确认"


class RedError(Exception):
    """A red-letter step cannot go on; `message` is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def why_unsupported(vendor: str) -> str | None:
    """None when the vendor can red-letter; else one Chinese sentence saying why not."""
    if flows(vendor).red_letter:
        return None
    others = "、".join(vendor_name(key) for key in red_letter_vendors())
    return (
        f"{vendor_name(vendor)}（{vendor}）没有红字发票接口，请在{others}账户中红冲，"
        "或到电子税务局办理。"
    )


@dataclass(frozen=True)
class RedCase:
    id: int
    profile: str
    vendor: str
    state: WizardState
    form_serial: str = ""
    issue_serial: str = ""
    form_uuid: str = ""
    message: str = ""  # the last failure or notice, for the page to show

    @property
    def step(self) -> Step:
        return self.state.step


# ---- conversions ------------------------------------------------------------------------------


def lines_to_json(lines: tuple[RedLine, ...]) -> str:
    return json.dumps(
        [
            {
                "i": x.blue_index,
                "amount": str(x.amount),
                "tax": str(x.tax),
                "qty": None if x.quantity is None else str(x.quantity),
            }
            for x in lines
        ]
    )


def lines_from_json(text: str) -> tuple[RedLine, ...]:
    return tuple(
        RedLine(
            int(x["i"]),
            Decimal(x["amount"]),
            Decimal(x["tax"]),
            None if x.get("qty") is None else Decimal(x["qty"]),
        )
        for x in json.loads(text or "[]")
    )


def blue_from_row(row: Any, deduction: bool = False) -> BlueInvoice:
    return BlueInvoice(
        deduction=deduction,
        number=row.number or "",
        buyer_name=row.buyer_name,
        buyer_tax_id=row.buyer_tax_id,
        invoice_type=row.invoice_type,
        issued_at=row.issued_at,
        amount=row.amount,
        tax=row.tax,
        lines=tuple(
            BlueLine(
                index=n,
                name=x.name,
                tax_code=x.tax_code,
                spec=x.spec,
                unit=x.unit,
                quantity=x.quantity,
                unit_price=x.unit_price,
                amount=x.amount,
                tax_rate=x.tax_rate,
                tax=x.tax,
                kind=x.kind if x.kind in ("normal", "discount", "discounted") else "normal",
            )
            for n, x in enumerate(row.lines, 1)
        ),
    )


def parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def local_iso(when: dt.datetime | None) -> str:
    """Our own timestamps (applied_at): local time, compared with the local clock."""
    if when is None:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat()


# ---- the base of the service -------------------------------------------------------------------


class RedCases:
    def __init__(
        self,
        store: Any,
        vendors: VendorGetter,
        audit: Any = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.store = store
        self.vendors = vendors
        self.audit = audit
        self.clock = clock
        self._locks: dict[int, asyncio.Lock] = {}

    # ---- reading ----

    async def _run(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kw)

    async def blue_row(self, profile: str, number: str) -> Any:
        row = await self._run(self.store.invoice_by_number, number.strip(), profile)
        if row is None:
            raise RedError(f"历史记录中没有发票号码 {number.strip()}，请先同步或核对号码。")
        if row.color != "blue":
            raise RedError(f"发票 {row.number} 是红字发票，不能再红冲。")
        if not row.lines:
            raise RedError(f"发票 {row.number} 没有明细，请先在历史记录中同步明细后再红冲。")
        return row

    async def reds_of(self, profile: str, number: str) -> list[RedLine]:
        """Every line reversed by a red invoice already made against this blue invoice."""
        rows = await self._run(self.store.red_forms_of, profile, number)
        out: list[RedLine] = []
        for r in rows:
            if r.step == Step.DONE.value:
                out.extend(lines_from_json(r.lines_json))
        return out

    async def redeemable(self, profile: str, number: str) -> tuple[red.Redeemable, ...]:
        row = await self.blue_row(profile, number)
        return red.redeemable(blue_from_row(row), await self.reds_of(profile, number))

    async def _is_deduction(self, profile: str, row: Any) -> bool:
        """Whether the blue invoice was issued 差额征税: the history says so since schema v10;
        a row it could not fill (the journal's draft is what was sent) is asked the journal."""
        if getattr(row, "deduction_mode", ""):
            return True
        if not row.serial:
            return False
        sent = await self._run(self.store.journal_by_serial, profile, row.serial)
        if sent is None:
            return False
        try:
            return draft_from_json(sent.draft_json).deduction is not None
        except ValueError:
            return False

    async def _case(self, red_id: int, message: str = "") -> RedCase:
        r = await self._run(self.store.get_red_form, red_id)
        if r is None:
            raise RedError(f"没有红冲记录 {red_id}")
        blue_row = await self._run(self.store.invoice_by_number, r.blue_number, r.profile)
        if blue_row is None:
            raise RedError(f"历史记录中没有发票号码 {r.blue_number}")
        blue = blue_from_row(blue_row, await self._is_deduction(r.profile, blue_row))
        # only finished cases count: a DONE case shows what is left after its own red invoice
        reds = await self.reds_of(r.profile, r.blue_number)
        plan = RedPlan(r.reason, r.full, lines_from_json(r.lines_json)) if r.reason else None
        state = WizardState(
            step=Step(r.step),
            blue=blue,
            left=red.redeemable(blue, reds),
            needs_form=flows(r.vendor).red_form,
            check_ok=r.check_ok,
            check_message=r.check_message,
            plan=plan,
            form_no=r.form_no,
            form_status=r.form_status,
            applied_at=parse_time(r.applied_at),
            red_number=r.red_number,
        )
        return RedCase(
            r.id, r.profile, r.vendor, state, r.form_serial, r.issue_serial, r.form_uuid, message
        )

    async def _save(
        self, case: RedCase, state: WizardState, message: str = "", **extra: Any
    ) -> RedCase:
        plan = state.plan
        await self._run(
            self.store.update_red_form,
            case.id,
            step=state.step.value,
            check_ok=state.check_ok,
            check_message=state.check_message,
            reason=plan.reason if plan else "",
            full=plan.full if plan else True,
            lines_json=lines_to_json(plan.lines) if plan else "[]",
            form_no=state.form_no,
            form_status=state.form_status,
            applied_at=local_iso(state.applied_at),
            red_number=state.red_number,
            **extra,
        )
        return await self._case(case.id, message)

    # ---- what is sent: journal and audit ----

    def _lock(self, case: RedCase) -> asyncio.Lock:
        return self._locks.setdefault(case.id, asyncio.Lock())

    async def _journal(self, case: RedCase, serial: str, kind: str, payload: str) -> int:
        row = await self._run(self.store.journal_by_serial, case.profile, serial)
        if row is not None:
            return int(row.id)
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        jid = await self._run(
            self.store.begin_send,
            draft_id=None,
            profile=case.profile,
            serial=serial,
            content_hash=digest,
            draft_json=payload,
            kind=kind,
        )
        await self._audit(case, serial, "SENDING", kind)
        return int(jid)

    async def _audit(self, case: RedCase, serial: str, state: str, detail: str) -> None:
        if self.audit is not None:
            await self.audit.transition(
                profile=case.profile, vendor=case.vendor, serial=serial, state=state, detail=detail
            )

    async def _mark(self, jid: int, state: str, **kw: Any) -> None:
        row = await self._run(self.store.journal_row, jid)
        if row is not None and row.state in ("SENDING", "UNKNOWN"):
            await self._run(self.store.mark, jid, state, **kw)

    def _scrub(self, text: str) -> str:
        return self.audit.scrub(text) if self.audit is not None else text

    async def _blue_status(self, case: RedCase) -> None:
        """The blue invoice's red status in the history: pending / partly / fully red."""
        row = await self._run(self.store.invoice_by_number, case.state.blue.number, case.profile)
        if row is None:
            return
        left = red.redeemable(blue_from_row(row), await self.reds_of(case.profile, row.number))
        if red.fully_red(left):
            status = RED_STATUS_FULLY
        elif red.already_red(left):
            status = RED_STATUS_PARTLY
        elif case.step is Step.PENDING:
            status = RED_STATUS_PENDING
        else:
            status = row.red_status if row.red_status != RED_STATUS_PENDING else ""
        if status == row.red_status:
            return
        await self._run(self.store.set_red_status, row.id, status)
