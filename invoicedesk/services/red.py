"""Red letters as async use cases over the store and the vendors (no Qt).

One red-letter case = one row of `red_forms` (store/red_forms.py) + the wizard's state machine
(domain/red.py). Every step is saved before the next begins, so a case reopened after the
program closed resumes where it stood (`open_case`).

Nothing is submitted twice (architecture.md "Issuing exactly once"): the form application and
the red invoice each get a serial that is written to the case AND to the journal (kinds
"red_form" and "red") before anything is sent. A retry, or a resume after a crash, sends the same
serial again: piaodanyun applies for a new form (hzxxbsq with hzxxbcheck=1) and, when an open
form already locks the blue invoice (our lost first attempt), returns that form instead; it
returns the red invoice already made for the fpqqlsh; FAW accepts an openApplyCode once. A new
serial only after the vendor said no (Rejected). The case keeps the form's number, uuid and
reason, and passes them to `red_status`, so a restarted program still reads the form's true
status (01–10, void included). `reconcile_all()` settles red journal rows left SENDING/UNKNOWN
on start-up (IssueService.reconcile_all leaves them alone).

Vendors: piaodanyun runs the three steps (retInviceMsg → hzxxbsq → hzfpkj); FAW has one red
order (no form step, no check call: the verdict comes from our own history); the others have no
red letters (`why_unsupported`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from invoicedesk.domain import red
from invoicedesk.domain.models import Buyer, Draft, Line, draft_from_json
from invoicedesk.domain.red import BlueInvoice, BlueLine, RedLine, RedPlan, Step, WizardState
from invoicedesk.services.convert import iso
from invoicedesk.services.issuing import new_serial
from invoicedesk.store.records import InvoiceRecord, LineRecord
from invoicedesk.vendors.base import (
    BaseVendor,
    Profile,
    RedForm,
    RedFormRequest,
    RedLineRequest,
    Rejected,
    VendorError,
    VendorKey,
)
from invoicedesk.vendors.transport import CHINA_TZ

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]
OPEN_STEPS = (Step.FORM.value, Step.PENDING.value, Step.ISSUE.value)
RED_VENDORS = (VendorKey.PIAODANYUN, VendorKey.FAW)
VENDOR_NAMES = {
    "open-api": "开放平台（open-api）",
    "ws-invoice": "WebSocket 开票（ws-invoice）",
    "signed-api": "发票管理接口（signed-api）",
}
# why a vendor whose `partial_red` is False offers 全额 only (shown by the wizard)
FULL_ONLY_WHY = {
    VendorKey.PIAODANYUN.value: (
        "票单云只支持全额红冲：它的红字信息表接口只有“销方全额红冲”和“购方全额红冲”两种申请类型。"
        "需要部分红冲时，请到电子税务局办理。"
    ),
}
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
    if vendor in (v.value for v in RED_VENDORS):
        return None
    name = VENDOR_NAMES.get(vendor, vendor)
    return f"{name}没有红字发票接口，请在票单云或一汽（faw）账户中红冲，或到电子税务局办理。"


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


def _treatment_of(blue_row: Any, index: int) -> str:
    """The tax treatment of the blue invoice's line `index` (1-based, as blue_from_row counts)."""
    lines = blue_row.lines if blue_row is not None else ()
    return lines[index - 1].tax_treatment if 0 < index <= len(lines) else ""


def _parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _iso(when: dt.datetime | None) -> str:
    """Our own timestamps (applied_at): local time, compared with the local clock."""
    if when is None:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat()


# ---- the service ------------------------------------------------------------------------------


class RedService:
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
            needs_form=r.vendor != VendorKey.FAW.value,
            check_ok=r.check_ok,
            check_message=r.check_message,
            plan=plan,
            form_no=r.form_no,
            form_status=r.form_status,
            applied_at=_parse_time(r.applied_at),
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
            applied_at=_iso(state.applied_at),
            red_number=state.red_number,
            **extra,
        )
        return await self._case(case.id, message)

    # ---- opening and the first steps ----

    async def open_case(self, profile: str, number: str) -> RedCase:
        """The unfinished case of this blue invoice (resumed where it stood), or a new one."""
        prof, _ = await self.vendors(profile)
        why = why_unsupported(prof.vendor.value)
        if why:
            raise RedError(why)
        row = await self.blue_row(profile, number)
        cases = await self._run(self.store.red_forms_of, profile, row.number)
        for c in reversed(cases):
            if c.step != Step.DONE.value:
                return await self._case(c.id)
        red_id = await self._run(
            self.store.add_red_form, profile, prof.vendor.value, row.number, Step.BLUE.value
        )
        return await self._case(red_id)

    async def case(self, red_id: int) -> RedCase:
        return await self._case(red_id)

    async def name_blue_invoice(
        self, profile: str, invoice_id: int, number: str, day_text: str
    ) -> str:
        """An accepted order without a number (FAW answers none) gets the number and date the
        user typed from the issued invoice, so that it can be red-lettered. Returns the number;
        raises RedError naming the field when the input is wrong."""
        row = await self._run(self.store.get_invoice, invoice_id)
        if row is None or row.profile != profile:
            raise RedError("历史记录中没有这张订单，请刷新后重试。")
        if row.number:
            return str(row.number)
        number = number.strip()
        if not (len(number) == 20 and number.isdigit()):
            raise RedError("蓝字发票号码应为 20 位数字（数电发票号码），请按发票上的号码填写。")
        try:
            day = dt.date.fromisoformat(day_text.strip())
        except ValueError:
            raise RedError("蓝字发票开票日期无效：请按 年-月-日 填写，如 2026-05-20。") from None
        now = self.clock()
        today = (now if now.tzinfo else now.astimezone()).astimezone(CHINA_TZ).date()
        # an order's history row has no issue date (FAW sends none); it was made when accepted
        accepted = _parse_time(row.issued_at) or _parse_time(row.created_at)
        if day > today:
            raise RedError("蓝字发票开票日期不能晚于今天，请核对发票上的开票日期。")
        if accepted is not None and day < accepted.date():
            raise RedError(
                f"蓝字发票开票日期不能早于订单提交日期 {accepted.date().isoformat()}，请核对。"
            )
        taken = await self._run(self.store.invoice_by_number, number, profile)
        if taken is not None and taken.id != row.id:
            raise RedError(f"发票号码 {number} 已属于历史记录中的另一张发票，请核对。")
        await self._run(
            self.store.upsert_invoice,
            InvoiceRecord(
                profile=row.profile,
                vendor=row.vendor,
                number=number,
                serial=row.serial,
                issued_at=f"{day.isoformat()}T00:00:00",
                amount=row.amount,
                tax=row.tax,
                total=row.total,
                color="blue",
                invoice_type=row.invoice_type,
                buyer_name=row.buyer_name,
                buyer_tax_id=row.buyer_tax_id,
                status=row.status,
                red_status=row.red_status,
                draft_id=row.draft_id,
                lines=row.lines,
                source="synced" if row.source == "synced" else "issued",
            ),
        )
        return number

    async def check(self, case: RedCase) -> RedCase:
        """BLUE → CHECK: piaodanyun asks retInviceMsg; FAW has no such call (our history
        decides). A vendor failure leaves the case at BLUE with the message."""
        if case.step is not Step.BLUE:
            return case
        number = case.state.blue.number
        if case.vendor == VendorKey.PIAODANYUN.value:
            _, vendor = await self.vendors(case.profile)
            try:
                verdict = await vendor.red_check(number)
            except VendorError as exc:
                return await self._case(case.id, f"{exc.message} {exc.next_step}".strip())
            ok, message = verdict.ok, verdict.message or ("可以红冲" if verdict.ok else "不可红冲")
        else:
            ok, message = True, "该平台没有查蓝票接口，按本机历史记录核对：可以红冲。"
        if ok and await self._open_elsewhere(case):
            ok, message = False, "该蓝字发票已有未完成的红字信息表，蓝票已锁定。"
        return await self._save(case, red.checked(case.state, ok, message))

    async def _open_elsewhere(self, case: RedCase) -> bool:
        rows = await self._run(self.store.red_forms_of, case.profile, case.state.blue.number)
        return any(r.id != case.id and r.step in OPEN_STEPS for r in rows)

    async def to_scope(self, case: RedCase) -> RedCase:
        if case.step is Step.SCOPE:
            return case
        return await self._save(case, red.to_scope(case.state))

    async def back(self, case: RedCase) -> RedCase:
        return await self._save(case, red.back(case.state))

    async def why_full_only(self, profile: str) -> str | None:
        """None when the account's vendor takes partial red letters; else why not (Chinese)."""
        _, vendor = await self.vendors(profile)
        if vendor.partial_red:
            return None
        name = FULL_ONLY_WHY.get(vendor.key.value)
        return name or "该开票平台只支持全额红冲；部分红冲请到电子税务局办理。"

    async def choose(self, case: RedCase, plan: RedPlan) -> RedCase:
        state = red.chose(case.state, plan)  # the tax rules first (RedRuleError)
        if not plan.full:
            why = await self.why_full_only(case.profile)
            if why:
                raise RedError(why)
        return await self._save(case, state)

    async def reapply(self, case: RedCase) -> RedCase:
        """VOID → SCOPE: the void form is dropped; the next application makes a new form."""
        case = await self._case(case.id)
        if case.step is not Step.VOID:
            return case
        await self._run(self.store.update_red_form, case.id, form_serial="", form_uuid="")
        case = await self._save(case, red.reapply(case.state))
        await self._blue_status(case)
        return case

    async def abandon(self, case: RedCase) -> None:
        """Forget a case that sent nothing yet (BLUE/CHECK/SCOPE without a serial)."""
        if case.step in (Step.BLUE, Step.CHECK, Step.SCOPE) and not case.form_serial:
            await self._run(self.store.update_red_form, case.id, step="abandoned")

    # ---- the form (piaodanyun) ----

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

    async def apply_form(self, case: RedCase) -> RedCase:
        """SCOPE → FORM → ISSUE / PENDING / VOID, journaled (kind "red_form")."""
        async with self._lock(case):
            case = await self._case(case.id)
            if case.step is not Step.SCOPE:
                return case
            plan = case.state.plan
            if plan is None:
                raise RedError("请先选择红冲原因和范围。")
            profile, vendor = await self.vendors(case.profile)
            serial = case.form_serial
            if not serial:
                serial = new_serial(profile, self.clock())
                await self._run(self.store.update_red_form, case.id, form_serial=serial)
            request = RedFormRequest(
                blue_number=case.state.blue.number,
                reason=plan.reason,
                full=plan.full,
                lines=tuple(
                    RedLineRequest(
                        x.blue_index,
                        None if x.quantity is None else -x.quantity,
                        -x.amount,
                        -x.tax,
                    )
                    for x in plan.lines
                ),
                serial=serial,
            )
            jid = await self._journal(case, serial, "red_form", lines_to_json(plan.lines))
            try:
                form = await vendor.red_apply(request)
            except Rejected as exc:
                text = self._scrub(f"{exc.message} {exc.next_step}".strip())
                await self._mark(jid, "REJECTED", error_code=exc.code, error_message=text)
                await self._audit(case, serial, "REJECTED", text)
                await self._run(self.store.update_red_form, case.id, form_serial="")
                return await self._case(case.id, text)
            except VendorError as exc:
                text = self._scrub(f"{exc.message} {exc.next_step}".strip())
                await self._mark(jid, "UNKNOWN", error_code=exc.code, error_message=text)
                return await self._case(case.id, f"{text}（再次提交会沿用同一申请，不会重复申请）")
            used = await self._run(self.store.red_forms_of, case.profile, request.blue_number)
            if any(r.form_no == form.form_no and r.step == Step.DONE.value for r in used):
                # the vendor answered with the form an earlier red invoice already used (it
                # returns the blue invoice's last form): no new form exists, nothing to issue
                text = "开票平台返回的是已用于红字发票的旧信息表，未生成新的信息表。"
                await self._mark(jid, "REJECTED", error_code="form_reused", error_message=text)
                await self._run(self.store.update_red_form, case.id, form_serial="")
                return await self._case(case.id, text + "请到电子税务局申请，或联系平台。")
            await self._mark(jid, "ISSUED", invoice_number=form.form_no)
            await self._audit(case, serial, "ISSUED", f"form={form.form_no} status={form.status}")
            # the 72 hours are counted from our own clock at the answer: the vendor's sqsj has
            # no time zone (read as China time), and a few seconds early is the safe side
            state = red.form_applied(case.state, form.form_no, form.status, self.clock())
            case = await self._save(case, state, form_uuid=form.uuid)
            return await self._advance(case)

    async def _advance(self, case: RedCase, status: str | None = None) -> RedCase:
        state = red.after_form(case.state, status)
        case = await self._save(case, state)
        await self._blue_status(case)
        return case

    async def refresh(self, case: RedCase) -> RedCase:
        """Ask the vendor for the form's status now (PENDING, ISSUE or FORM)."""
        case = await self._case(case.id)
        if case.step not in (Step.FORM, Step.PENDING, Step.ISSUE) or not case.state.form_no:
            return case
        _, vendor = await self.vendors(case.profile)
        try:
            form = await self._read_form(case, vendor)
        except VendorError as exc:
            return await self._case(case.id, f"{exc.message} {exc.next_step}".strip())
        if form.status == case.state.form_status and case.step is not Step.FORM:
            return case
        if case.step is Step.ISSUE and form.status in red.ISSUABLE:
            return case
        if case.step is Step.ISSUE:  # 04 revoked afterwards: follow the vendor
            case = await self._save(case, replace(case.state, step=Step.PENDING))
        return await self._advance(case, form.status)

    def _stored_form(self, case: RedCase) -> RedForm:
        """The form as this case keeps it (number, uuid, blue invoice, reason, figures)."""
        plan = case.state.plan
        return RedForm(
            form_no=case.state.form_no,
            status=case.state.form_status,
            blue_number=case.state.blue.number,
            amount=-plan.amount if plan else Decimal("0"),
            tax=-plan.tax if plan else Decimal("0"),
            uuid=case.form_uuid,
            reason=plan.reason if plan else "",
        )

    async def _read_form(self, case: RedCase, vendor: BaseVendor) -> RedForm:
        # The stored identity goes along: a fresh client (after a restart) has no memory of
        # the form, and once the blue invoice is unlocked (used or void) nothing else leads
        # back to it.
        return await vendor.red_status(case.state.form_no, self._stored_form(case))

    async def reconcile_all(
        self, profile: str | None = None, *, resend: bool = True
    ) -> list[RedCase]:
        """Settle every case whose form application or red invoice was left SENDING or UNKNOWN
        in the journal, by sending it again with the SAME serial (the vendor returns the open
        form that locks the blue invoice, or the red invoice already made for that serial:
        nothing is made twice). Cases without such a row are left alone.

        resend=False (program start-up, like IssueService.reconcile_all): only look; the
        unsettled cases are returned unchanged and nothing is sent (the user resubmits from
        the wizard, which reuses the serial)."""
        steps = (Step.SCOPE.value, Step.FORM.value, Step.ISSUE.value)
        out: list[RedCase] = []
        for r in await self._run(self.store.red_forms_in, steps):
            if profile is not None and r.profile != profile:
                continue
            case = await self._case(r.id)
            form_row = await self._unsettled(case.profile, case.form_serial)
            issue_row = await self._unsettled(case.profile, case.issue_serial)
            if case.step is Step.SCOPE and form_row and case.vendor != VendorKey.FAW.value:
                out.append(await self.apply_form(case) if resend else case)
            elif issue_row and case.step in (Step.ISSUE, Step.SCOPE):
                out.append(await self.issue(case) if resend else case)
        return out

    async def _unsettled(self, profile: str, serial: str) -> bool:
        if not serial:
            return False
        row = await self._run(self.store.journal_by_serial, profile, serial)
        return row is not None and row.state in ("SENDING", "UNKNOWN")

    # ---- the red invoice ----

    async def issue(self, case: RedCase) -> RedCase:
        """ISSUE → DONE (piaodanyun hzfpkj), or SCOPE → DONE (FAW red order); journaled."""
        async with self._lock(case):
            case = await self._case(case.id)
            faw = case.vendor == VendorKey.FAW.value
            if case.step is Step.DONE or case.step is not (Step.SCOPE if faw else Step.ISSUE):
                return case
            plan = case.state.plan
            if plan is None:
                raise RedError("请先选择红冲原因和范围。")
            profile, vendor = await self.vendors(case.profile)
            serial = case.issue_serial
            if not serial:
                serial = new_serial(profile, self.clock())
                await self._run(self.store.update_red_form, case.id, issue_serial=serial)
            jid = await self._journal(case, serial, "red", lines_to_json(plan.lines))
            try:
                if faw:
                    outcome = await vendor.red_order(  # type: ignore[attr-defined]
                        self._red_draft(case.state, plan),
                        serial,
                        blue_number=case.state.blue.number,
                        blue_date=(_parse_time(case.state.blue.issued_at) or self.clock()).date(),
                        reason=red.REASONS[plan.reason],
                    )
                else:
                    form = RedForm(
                        form_no=case.state.form_no,
                        status=case.state.form_status,
                        blue_number=case.state.blue.number,
                        amount=-plan.amount,
                        tax=-plan.tax,
                        uuid=case.form_uuid,
                        reason=plan.reason,
                    )
                    outcome = await vendor.red_issue(form, serial)
            except Rejected as exc:
                text = self._scrub(f"{exc.message} {exc.next_step}".strip())
                await self._mark(jid, "REJECTED", error_code=exc.code, error_message=text)
                await self._audit(case, serial, "REJECTED", text)
                await self._run(self.store.update_red_form, case.id, issue_serial="")
                return await self._case(case.id, text)
            except VendorError as exc:
                text = self._scrub(f"{exc.message} {exc.next_step}".strip())
                await self._mark(jid, "UNKNOWN", error_code=exc.code, error_message=text)
                return await self._case(
                    case.id, f"{text}（再次开具会沿用同一流水号，不会重复开票）"
                )
            number = outcome.invoice.number if outcome.invoice and outcome.invoice.number else None
            date = outcome.invoice.date if outcome.invoice else None
            await self._record_red(case, plan, serial, number, date)
            await self._mark(
                jid,
                "ISSUED" if number else "ACCEPTED",
                invoice_number=number,
                invoice_date=iso(date) or None,
            )
            await self._audit(
                case, serial, "ISSUED" if number else "ACCEPTED", f"number={number or ''}"
            )
            case = await self._save(case, red.issued(case.state, number or ""))
            await self._blue_status(case)
            return case

    def _red_draft(self, state: WizardState, plan: RedPlan) -> Draft:
        """The red order's draft for FAW: negative, tax-exclusive lines copied from the blue."""
        by_index = {x.index: x for x in red.fold_discounts(state.blue.lines)}
        lines = []
        for x in plan.lines:
            src = by_index[x.blue_index]
            # a quantity red (02/03) sends its negative quantity and the blue's positive price
            # (the FAW client's reading: quantity × price = the negative amount)
            with_qty = x.quantity is not None and src.unit_price is not None
            lines.append(
                Line(
                    name=src.name,
                    tax_code=src.tax_code,
                    spec=src.spec,
                    unit=src.unit,
                    quantity=str(-x.quantity) if with_qty and x.quantity is not None else "",
                    unit_price=str(src.unit_price) if with_qty else "",
                    amount=str(-x.amount),
                    tax_rate=str(src.tax_rate),
                    price_includes_tax=False,
                )
            )
        buyer = Buyer(name=state.blue.buyer_name, tax_id=state.blue.buyer_tax_id)
        return Draft(invoice_type=state.blue.invoice_type or "82", buyer=buyer, lines=lines)

    async def _record_red(
        self,
        case: RedCase,
        plan: RedPlan,
        serial: str,
        number: str | None,
        date: dt.datetime | None,
    ) -> None:
        blue = case.state.blue
        # the red invoice belongs to the blue one's seller (its identity: seller + number)
        blue_row = await self._run(self.store.invoice_by_number, blue.number, case.profile)
        by_index = {x.index: x for x in red.fold_discounts(blue.lines)}
        lines = tuple(
            LineRecord(
                name=by_index[x.blue_index].name,
                tax_code=by_index[x.blue_index].tax_code,
                spec=by_index[x.blue_index].spec,
                unit=by_index[x.blue_index].unit,
                quantity=None if x.quantity is None else -x.quantity,
                unit_price=by_index[x.blue_index].unit_price if x.quantity is not None else None,
                amount=-x.amount,
                tax_rate=by_index[x.blue_index].tax_rate,
                tax=-x.tax,
                tax_treatment=_treatment_of(blue_row, x.blue_index),
            )
            for x in plan.lines
        )
        await self._run(
            self.store.upsert_invoice,
            InvoiceRecord(
                profile=case.profile,
                vendor=case.vendor,
                number=number,
                serial=serial,
                issued_at=iso(date or self.clock()),  # an invoice date: Beijing time
                amount=-plan.amount,
                tax=-plan.tax,
                total=-plan.total,
                color="red",
                blue_number=blue.number,
                invoice_type=blue.invoice_type,
                buyer_name=blue.buyer_name,
                buyer_tax_id=blue.buyer_tax_id,
                status="正常" if number else "已提交",
                lines=lines,
                seller_tax_id=blue_row.seller_tax_id if blue_row is not None else "",
                # a red letter keeps the blue invoice's treatments (a 差额 one is red in full)
                seller_type=blue_row.seller_type if blue_row is not None else "",
                rate_note=blue_row.rate_note if blue_row is not None else "",
                deduction_mode=blue_row.deduction_mode if blue_row is not None else "",
                deduction=(
                    -blue_row.deduction
                    if blue_row is not None and blue_row.deduction is not None
                    else None
                ),
            ),
        )

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

    # ---- the 红字发票 page ----

    async def open_cases(self) -> list[RedCase]:
        """Cases with a form applied and no red invoice yet (pending, issuable), oldest first."""
        rows = await self._run(self.store.red_forms_in, OPEN_STEPS)
        return [await self._case(r.id) for r in rows]

    async def refresh_open(self) -> list[RedCase]:
        out = []
        for c in await self.open_cases():
            out.append(await self.refresh(c))
        return out

    def expiring(self, cases: list[RedCase], hours: float = 24) -> list[RedCase]:
        """Pending cases whose 72-hour window ends within `hours`."""
        now = self.clock()
        return [
            c
            for c in cases
            if c.step is Step.PENDING
            and c.state.applied_at is not None
            and red.expires_within(c.state.applied_at, now, hours)
        ]

    def time_left(self, case: RedCase) -> dt.timedelta | None:
        if case.state.applied_at is None:
            return None
        return red.time_left(case.state.applied_at, self.clock())
