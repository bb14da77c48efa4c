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

Platforms, by their flows (services/vendor_facts.py): a 红字信息表 platform (piaodanyun) runs the
three steps (retInviceMsg → hzxxbsq → hzfpkj); a red-order platform (FAW) has one red order (no
form step, no check call: the verdict comes from our own history); the others have no red
letters (`why_unsupported`).

Modules: red_case.py (the case, its stored lines, the shared base: reading, saving, journal and
audit), red_send.py (the form and the red invoice sent), this one (opening and stepping a case,
the 红字发票 page).
"""

from __future__ import annotations

import datetime as dt

from invoicedesk.domain import red
from invoicedesk.domain.red import RedPlan, Step
from invoicedesk.services.red_case import (
    OPEN_STEPS,
    RED_STATUS_FULLY,
    RED_STATUS_PARTLY,
    RED_STATUS_PENDING,
    RedCase,
    RedError,
    VendorGetter,
    blue_from_row,
    lines_from_json,
    lines_to_json,
    parse_time,
    why_unsupported,
)
from invoicedesk.services.red_send import RedSending
from invoicedesk.services.vendor_facts import facts, flows
from invoicedesk.store.records import InvoiceRecord
from invoicedesk.vendors.base import VendorError
from invoicedesk.vendors.transport import CHINA_TZ

__all__ = [
    "OPEN_STEPS",
    "RED_STATUS_FULLY",
    "RED_STATUS_PARTLY",
    "RED_STATUS_PENDING",
    "RedCase",
    "RedError",
    "RedService",
    "VendorGetter",
    "blue_from_row",
    "lines_from_json",
    "lines_to_json",
    "why_unsupported",
]


class RedService(RedSending):
    """The red-letter use cases the wizard and the 红字发票 page call (RedCases: reading and
    saving; RedSending: the form and the red invoice)."""

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
        accepted = parse_time(row.issued_at) or parse_time(row.created_at)
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
        if flows(case.vendor).red_form:
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
        why = facts(vendor.key).full_red_only_why
        return why or "该开票平台只支持全额红冲；部分红冲请到电子税务局办理。"

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
