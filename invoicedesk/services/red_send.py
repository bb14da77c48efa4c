"""Sending a red-letter case (no Qt): the form application and the red invoice, each journaled
under its own serial before anything is sent (kinds "red_form" and "red"), their status reads,
and `reconcile_all` for rows left SENDING/UNKNOWN. Decided by the platform's flows
(services/vendor_facts.py): a 红字信息表 (check → form → red invoice, piaodanyun) or one red
order (FAW).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from invoicedesk.domain import red
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.red import RedPlan, Step, WizardState
from invoicedesk.services.convert import iso
from invoicedesk.services.issuing import new_serial
from invoicedesk.services.red_case import (
    RedCase,
    RedCases,
    RedError,
    lines_to_json,
    parse_time,
)
from invoicedesk.services.vendor_facts import flows
from invoicedesk.store.records import InvoiceRecord, LineRecord
from invoicedesk.vendors.base import (
    BaseVendor,
    RedForm,
    RedFormRequest,
    RedLineRequest,
    Rejected,
    VendorError,
)


class RedSending(RedCases):
    """The steps that send: the form (a 红字信息表) and the red invoice."""

    # ---- the form ----

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
            if case.step is Step.SCOPE and form_row and flows(case.vendor).red_form:
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
            order = flows(case.vendor).red_order  # one red order, no form (FAW)
            if case.step is Step.DONE or case.step is not (Step.SCOPE if order else Step.ISSUE):
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
                if order:
                    outcome = await vendor.red_order(  # type: ignore[attr-defined]
                        self._red_draft(case.state, plan),
                        serial,
                        blue_number=case.state.blue.number,
                        blue_date=(parse_time(case.state.blue.issued_at) or self.clock()).date(),
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


def _treatment_of(blue_row: Any, index: int) -> str:
    """The tax treatment of the blue invoice's line `index` (1-based, as blue_from_row counts)."""
    lines = blue_row.lines if blue_row is not None else ()
    return str(lines[index - 1].tax_treatment) if 0 < index <= len(lines) else ""
