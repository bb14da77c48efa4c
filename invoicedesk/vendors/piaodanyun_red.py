"""票单云's red letters (全额 only; see piaodanyun.py)."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from invoicedesk.vendors.base import (
    BlueCheck,
    IssuedInvoice,
    IssueOutcome,
    OutcomeUnknown,
    ProtocolError,
    RedForm,
    RedFormRequest,
    Rejected,
)
from invoicedesk.vendors.piaodanyun_session import PiaodanyunSession
from invoicedesk.vendors.piaodanyun_wire import (
    _LOCKED,
    OPEN_FORM_STATUSES,
    P_RED_APPLY,
    P_RED_CHECK,
    P_RED_ISSUE,
    VENDOR,
    _money,
    _text,
    invoice_from_detail,
    parse_date,
)
from invoicedesk.vendors.transport import (
    as_decimal,
)

log = logging.getLogger(__name__)


class PiaodanyunRed(PiaodanyunSession):
    """Red letters, 全额 only: the blue invoice's details, the red form, its status, the red
    invoice (retInviceMsg, hzxxbsq, hzfpkj)."""

    # ---- red letters ------------------------------------------------------------------------

    async def _blue_info(self, blue_number: str) -> dict[str, Any]:
        form = {
            "username": self._username,
            "nsrsbh": self._tax_id,
            "fphm": blue_number,
            "sqyy": "2",
        }
        data = await self._call(P_RED_CHECK, form, idempotent=True)
        if not isinstance(data, dict):
            raise ProtocolError("票单云未返回蓝字发票信息", code="no_blue", vendor=VENDOR)
        return data

    async def red_check(self, blue_number: str) -> BlueCheck:
        try:
            data = await self._blue_info(blue_number)
        except Rejected as exc:
            return BlueCheck(number=blue_number, ok=False, message=exc.message)
        invoice = invoice_from_detail({**data, "fphm": data.get("fphm") or blue_number})
        return BlueCheck(
            number=blue_number,
            ok=True,
            message=_text(data.get("message")),
            invoice=invoice,
        )

    def _form_fields(self, blue_number: str, reason: str) -> dict[str, str]:
        return {
            "username": self._username,
            "xhdwsbh": self._tax_id,
            "yfphm": blue_number,
            "chyydm": reason,
            "sqyy": "2",
        }

    async def red_apply(self, request: RedFormRequest) -> RedForm:
        """hzxxbsq as 销方 (sqyy 2) with hzxxbcheck=1: a NEW form at the tax bureau (a blue
        invoice may carry several partial reds, one form each). The bureau refuses a second
        form while an open one locks the blue invoice ("…锁定"); that refusal is answered by
        reading the blue invoice's current form (hzxxbsq without hzxxbcheck) and returning it
        when it is open (01–04): a retry after a lost answer thus gets the form its first
        attempt made, never a second one. Only full forms: the document's `sqyy` has no
        partial value."""
        if not request.full:
            raise Rejected(
                "票单云只支持全额红冲（申请类型 sqyy 只有 2 销方全额红冲、3 购方全额红冲）",
                code="partial_red_unsupported",
                vendor=VENDOR,
                next_step="请选择全额红冲，或到电子税务局办理部分红冲。",
            )
        amount, tax = await self._red_figures(request)
        form = self._form_fields(request.blue_number, request.reason)
        try:
            data = await self._call(P_RED_APPLY, {**form, "hzxxbcheck": "1"}, idempotent=False)
        except Rejected as exc:
            if not _LOCKED.search(exc.message):
                raise
            current = self._form_fields(request.blue_number, request.reason)
            data = await self._call(P_RED_APPLY, current, idempotent=True)
            red = self._red_form(data, request.blue_number, amount, tax, request.reason)
            if red.status not in OPEN_FORM_STATUSES:
                raise
        red = self._red_form(data, request.blue_number, amount, tax, request.reason)
        self._forms[red.form_no] = red
        return red

    async def _red_figures(self, request: RedFormRequest) -> tuple[Decimal, Decimal]:
        """The full form's (negative) amount and tax: what retInviceMsg says is still
        red-letterable, or (when the blue invoice is already locked by a form) the blue
        invoice's own totals."""
        try:
            blue = await self._blue_info(request.blue_number)
            return -abs(_money(blue.get("hjje"))), -abs(_money(blue.get("hjse")))
        except Rejected:
            invoice = await self.get_invoice(request.blue_number)
            return -abs(invoice.amount), -abs(invoice.tax)

    async def red_status(self, form_no: str, known: RedForm | None = None) -> RedForm:
        """The form as it is now (01–10, void ones included). The document has no status call:
        hzxxbsq without hzxxbcheck returns the form already applied for the blue invoice. It
        needs the blue number and reason the form was applied with: from `known` (the caller
        keeps them, e.g. in its store, so this works after a restart) or from this client's
        own memory of red_apply. `xxbbh` names the form we mean (an extension: a vendor that
        ignores it answers the blue invoice's latest form); an answer about another form is
        refused (code "form_replaced") rather than misread as ours."""
        if known is None or not known.blue_number or not known.reason:
            known = self._forms.get(form_no) or known
        if known is None or not known.blue_number or not known.reason:
            raise Rejected(
                f"不知道红字信息表 {form_no} 对应的蓝字发票",
                code="unknown_form",
                vendor=VENDOR,
                next_step="请从红字发票页面打开该红冲记录后再刷新。",
            )
        form = {**self._form_fields(known.blue_number, known.reason), "xxbbh": form_no}
        # Without hzxxbcheck this only reads the existing form (it never makes a second one).
        data = await self._call(P_RED_APPLY, form, idempotent=True)
        red = self._red_form(data, known.blue_number, known.amount, known.tax, known.reason)
        if red.form_no != form_no or (known.uuid and red.uuid and red.uuid != known.uuid):
            raise Rejected(
                f"红字信息表 {form_no} 已不是该蓝字发票的当前信息表，平台返回了 {red.form_no}",
                code="form_replaced",
                vendor=VENDOR,
                next_step="请到电子税务局核对该信息表的状态。",
            )
        self._forms[form_no] = red
        return red

    def _red_form(
        self, data: Any, blue_number: str, amount: Decimal, tax: Decimal, reason: str
    ) -> RedForm:
        if not isinstance(data, dict) or not _text(data.get("xxbbh")):
            raise OutcomeUnknown(
                "票单云未返回红字信息表编号，无法确定是否已申请",
                code="no_form",
                vendor=VENDOR,
                next_step="请稍后再次申请（蓝票被未完成的信息表锁定时，会返回该信息表）。",
            )
        return RedForm(
            form_no=_text(data.get("xxbbh")),
            status=_text(data.get("xxbztDm")),
            blue_number=_text(data.get("yfphm")) or blue_number,
            amount=amount,
            tax=tax,
            created_at=parse_date(data.get("sqsj")),
            uuid=_text(data.get("uuid")),
            reason=reason,
        )

    async def red_issue(self, form: RedForm, serial: str) -> IssueOutcome:
        body = {
            "username": self._username,
            "fpqqlsh": serial,
            "xhdwsbh": self._tax_id,
            "tzdbh": form.form_no,
            "yfphm": form.blue_number,
        }
        data = await self._call(P_RED_ISSUE, body, idempotent=False)
        number = _text(data.get("fphm")) if isinstance(data, dict) else ""
        if not number:
            raise OutcomeUnknown(
                "票单云回复成功但没有红字发票号码，无法确定是否已开具",
                code="no_number",
                vendor=VENDOR,
                next_step="请先按流水号查询结果，确认后再决定是否重开。",
            )
        total = as_decimal(data.get("jshj"))
        invoice = IssuedInvoice(
            number=number,
            date=parse_date(data.get("kprq")),
            serial=serial,
            amount=form.amount,
            tax=form.tax,
            total=total if total is not None else form.amount + form.tax,
            buyer_name=_text(data.get("ghdwmc")),
            buyer_tax_id=_text(data.get("ghdwsbh")),
            color="red",
            blue_number=form.blue_number,
        )
        return IssueOutcome(state="ISSUED", serial=serial, invoice=invoice)
