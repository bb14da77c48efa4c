"""ws-invoice client: tax-bureau login and issuing over one WebSocket, history over a second
WebSocket, line items and files over HTTP.

Wire reading (../shared/vendor-apis/websocket-invoice-api.md and README decisions):
- profile.base_url is `ws://host:port/ws-invoice`. Issuing talks to `{base}/invoice?userId=…`,
  history to `{base}/web/invoice?userId=…` (userId = profile.options["userId"]); the HTTP reads
  are `GET {http base}/web/invoice/item/{id}` and `GET {http base}/web/invoice/file` with
  `invoiceIdList` and `typeList` as repeated query parameters.
- Plain JSON; `data` "1" is success and "0" failure. Login: companyCode = seller tax ID, phone =
  profile.user_name, password = secret "tax_password", area/role = profile.options.
- One issuing socket per profile, logged in once and reused; websockets' own pings keep it alive.
  Before an issue the socket is pinged; a dead socket is replaced (nothing was sent on it yet).
- invoice_info carries the password (read at send time); the echo in invoice_pdf is dropped on
  arrival, before anything else looks at the reply. Items: name, quantity, spec, unit, unitPrice
  (the documented fields; the tax-inclusive unit price) plus taxRate, taxClassificationCode,
  amount, tax and totalPriceAndTax as decimal numbers so the vendor need not guess.
- After invoice_info the server may push invoice_qrcode (a PNG data URL): it goes to the
  FaceHandler and we keep waiting for the scan; "0" means the scan failed and nothing was issued:
  `face.result("failed")` → True sends invoice_info again (the failure was definite). The document
  prints no wording for a scan that never came and has no reason field: a top-level `msg` saying
  超时, when a platform sends one, is passed on as `face.result("expired")`; without it a "0" that
  comes after `face_expiry_s` of waiting is "expired" (a QR nobody scanned), a quicker one
  "failed" (a scan that did not pass) — both offer a fresh QR. An invoice_pdf that follows a QR
  calls `face.result("ok")` before the invoice is returned (the dialog closes as the invoice
  arrives). Without a handler the socket is closed (the vendor drops the pending request) and
  FaceAuthRequired leaves. When the issuing task is cancelled while the platform waits for the
  scan, the socket is closed at once: that is how the platform learns to stop waiting and drop the
  request (nothing is issued by a later scan).
- invoice_pdf "0" is a definite refusal (Rejected: nothing was issued). The document gives no
  reason field, so a lapsed login cannot be told from other refusals: the FIRST "0" of an issue
  is answered by logging in again on a fresh socket and sending invoice_info once more (safe:
  "0" issued nothing); a second "0" is the refusal. (A `msg`, when a platform sends one, only
  words the error.) Any failure in the middle of an issue drops the socket; timeouts/closed
  socket/unreadable frame after invoice_info → OutcomeUnknown, never re-sent.
- A documented invoice_pdf success IS the invoice: the outcome is ISSUED at once, with the PDF
  from `invoiceUrl` and the figures we sent. The document's success data has no number, date
  or totals; when a platform adds countETicketNumbers/invoiceNumber, invoiceDate, id or
  totalAmount/totalTax/totalPriceAndTax they are used, never required. Without a number the
  services find it afterwards with `find_issued` (the invoice stays ISSUED, 号码待查, and
  invoice_info is never sent again for it).
- No request serial exists: `query(serial)` is NotSupported. `find_issued(buyer_tax_id, total,
  since, until)` (reconciling an unknown outcome, and finding the number of an issued one):
  paged query_invoice by buyerIdentificationNumber over [since−1 day, until+1 day] WITHOUT the
  发票金额 bounds (the document does not say whether 发票金额 includes tax); the amount is
  matched here on totalPriceAndTax (价税合计, unambiguous in the reply), then the exact time
  window (naive since/until = this computer's local time).
- query_invoice replies come with type query_invoice or login; the page object may be nested one
  level deeper (the document's example) and is unwrapped. The query_invoice_download_zip push
  after each reply is read; a failure event is retried ONCE with that event; a second failure is
  only logged (and counted in `zip_failures`): the list is valid and files come over HTTP.
- history(cursor): oldest first; cursor "<start date>|<page>", the range always ends tomorrow,
  so a stored cursor resumes and picks up what was issued since. First sync starts
  profile.options["history_since"] (ISO date) or 366 days back.
- Invoice IDs (needed by the HTTP reads) are remembered from query results; an unknown number
  is looked up by query_invoice first. HTTP reads answer {"code": 0, "data": [...]}; another
  code is a vendor refusal (errors.py default). Dates without a zone are China time (+08:00);
  invoiceDate may be epoch milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Draft
from invoicedesk.domain.money import compute_line
from invoicedesk.domain.treatments import TreatmentSupport
from invoicedesk.vendors.base import (
    Capability,
    FaceAuthRequired,
    FaceChallenge,
    FaceHandler,
    FaceResult,
    IssuedInvoice,
    IssuedLine,
    IssueOutcome,
    Rejected,
    VendorKey,
    expected_invoice,
    issued_line,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.transport import (
    WsSession,
    as_decimal,
)
from invoicedesk.vendors.ws_invoice_history import WsInvoiceHistory
from invoicedesk.vendors.ws_invoice_wire import (  # noqa: F401 - re-exported
    ECHOED_SECRET,
    FACE_TIMED_OUT,
    HISTORY_DAYS,
    PAGE_SIZE,
    VENDOR,
    _text,
    china_time,
    decode_png,
    invoice_from_row,
    line_from_item,
    parse_date,
    unwrap_page,
)

log = logging.getLogger(__name__)


class WsInvoiceVendor(WsInvoiceHistory):
    key = VendorKey.WS_INVOICE
    capabilities = (
        Capability.ISSUE
        | Capability.FIND_ISSUED
        | Capability.TAX_LOGIN
        | Capability.FACE_IN_ISSUE
        | Capability.SYNC_HISTORY
        | Capability.LINE_ITEMS
        | Capability.FILES
    )
    discount_lines = False  # every line is a plain item (see _invoice_info)
    # invoiceItems carry no treatment field (the rate itself is our extension): a plain 0% is
    # 普通零税率; nothing else can be said on this platform
    treatments = TreatmentSupport(
        treatments=frozenset({"", "zero"}),
        why="其接口的商品列表没有免税、不征税、简易征收等标识，也没有税率说明和扣除额",
    )

    # ---- login ------------------------------------------------------------------------------

    async def check_connection(self) -> None:
        async with self._get_lock():
            await self._drop_session()
            await self._session()

    async def tax_login(self) -> None:
        await self.check_connection()

    # ---- issuing ----------------------------------------------------------------------------

    def _invoice_info(self, draft: Draft) -> tuple[dict[str, Any], IssuedInvoice]:
        buyer = draft.buyer
        opts = self.profile.options
        items: list[dict[str, Any]] = []
        lines: list[IssuedLine] = []
        amount = tax = Decimal("0")
        for i, line in enumerate(draft.lines):
            if line.kind != "normal":
                raise Rejected(
                    f"第{i + 1}行：该开票平台不支持折扣行",
                    code="no_discount_lines",
                    vendor=VENDOR,
                    fields=(f"lines[{i}]",),
                    next_step="请把折扣直接计入商品金额，或换用支持折扣行的开票账户。",
                )
            try:
                fig = compute_line(line)
            except (ValueError, ArithmeticError) as exc:
                raise Rejected(
                    f"第{i + 1}行的数量、单价、金额或税率有误，未开票",
                    code="bad_line",
                    vendor=VENDOR,
                    fields=(f"lines[{i}]",),
                    next_step="请在草稿中改正该行后再开票。",
                ) from exc
            quantity = fig.quantity if fig.quantity is not None else Decimal(1)
            if quantity != quantity.to_integral_value():
                raise Rejected(
                    f"第{i + 1}行：该开票平台的数量只能是整数",
                    code="quantity_integer",
                    vendor=VENDOR,
                    fields=(f"lines[{i}].quantity",),
                    next_step="请把数量改为整数（可调整单价），或换用其他开票账户。",
                )
            price = fig.unit_price_incl if fig.unit_price_incl is not None else fig.total
            items.append(
                {
                    "name": line.name,
                    "quantity": int(quantity),
                    "spec": line.spec,
                    "unit": line.unit,
                    "unitPrice": price,
                    "taxRate": fig.tax_rate,
                    "taxClassificationCode": line.tax_code,
                    "amount": fig.amount,
                    "tax": fig.tax,
                    "totalPriceAndTax": fig.total,
                }
            )
            lines.append(issued_line(line, fig, fig.quantity, fig.unit_price_excl))
            amount += fig.amount
            tax += fig.tax
        data: dict[str, Any] = {
            "buyerAddress": buyer.address,
            "buyerBank": buyer.bank,
            "buyerBankAccount": buyer.bank_account,
            "buyerEmail": buyer.email,
            "buyerIndentification": buyer.tax_id,
            "buyerName": buyer.name,
            "buyerPhone": buyer.phone,
            "buyerInvoiceType": 1 if draft.invoice_type == "81" else 0,
            "buyerBankShow": 1 if buyer.bank_account else 0,
            "buyerType": 1 if buyer.natural_person else 0,
            "invoiceItems": items,
            "remark": draft.remark,
            "sellerBank": opts.get("seller_bank", ""),
            "sellerBankAccount": opts.get("seller_bank_account", ""),
            "sellerIndentification": self.profile.seller.tax_id,
            "sellerLoginAccount": self.profile.user_name,
            "sellerName": self.profile.seller.name,
            "sellerBankShow": 1 if opts.get("seller_bank_account") else 0,
        }
        expected = expected_invoice(draft, None, lines)
        return data, expected

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        """Issue over the socket. `serial` is ours only (the vendor has none): reconcile an
        OutcomeUnknown with find_issued(buyer tax ID, total, time window)."""
        self.refuse_uncarried(draft)  # TreatmentNotCarried, before anything is sent
        data, expected = self._invoice_info(draft)
        async with self._get_lock():
            relogged = False
            ws = await self._session()
            try:
                while True:
                    data["sellerLoginPassword"] = await self._password()
                    await ws.send_json({"type": "invoice_info", "data": data})
                    try:
                        result = await self._await_invoice(ws, face)
                    except Rejected as exc:
                        # A definite "0": nothing was issued. The document has no reason
                        # field, so a lapsed login looks like any refusal: log in again on a
                        # fresh socket and send once more; a second "0" is the answer.
                        if relogged or not exc.code.startswith("invoice_pdf"):
                            raise
                        relogged = True
                        await self._drop_session()
                        ws = await self._session()
                        continue
                    if result is not None:
                        invoice = self._issued(result, expected)
                        return IssueOutcome(state="ISSUED", serial=serial, invoice=invoice)
                    # The scan failed (definitely not issued) and the user wants to try again.
            except BaseException:
                # A socket in an unknown state must not carry the next conversation.
                await self._drop_session()
                raise

    async def _await_invoice(
        self, ws: WsSession, face: FaceHandler | None
    ) -> dict[str, Any] | None:
        """The invoice_pdf data; None when a failed scan should be retried."""
        timeout = self.reply_timeout_s
        scanning = False  # a QR was shown and the platform waits for the scan
        loop = asyncio.get_running_loop()
        shown_at = 0.0
        while True:
            message = await ws.recv_json(timeout, idempotent=False)
            kind = message.get("type")
            payload = message.get("data")
            if isinstance(payload, dict):
                payload.pop(ECHOED_SECRET, None)  # never keep or log the echoed password
            said = _text(message.get("msg"))  # undocumented: wording only, when present
            if kind == "invoice_pdf":
                if isinstance(payload, dict):
                    if scanning and face is not None:
                        await face.result("ok")  # the scan went through: the dialog closes
                    return payload
                raise vendor_error(VENDOR, "invoice_pdf:0", said)
            if kind != "invoice_qrcode":
                continue  # e.g. a late login echo
            if _text(payload) == "0":
                waited_out = scanning and loop.time() - shown_at >= self.face_expiry_s
                scanning = False
                expired = FACE_TIMED_OUT in said or waited_out
                verdict: FaceResult = "expired" if expired else "failed"
                if face is not None and await face.result(verdict):
                    return None
                raise vendor_error(VENDOR, "invoice_qrcode:0", said)
            if face is None:
                # Nobody can scan: leave the socket so the pending request is dropped.
                await self._drop_session()
                raise FaceAuthRequired(
                    "开票前需要人脸识别，发票未开具",
                    code="face_required",
                    vendor=VENDOR,
                    next_step="请在开票时用税务App扫描弹出的二维码完成人脸识别。",
                )
            await face.show(FaceChallenge(png=decode_png(_text(payload)), app=1))
            scanning = True
            shown_at = loop.time()
            timeout = self.face_timeout_s

    def _issued(self, data: dict[str, Any], expected: IssuedInvoice) -> IssuedInvoice:
        """The documented success: issued. Number, date, id and totals are not in the
        document's reply; used when a platform sends them, else the number stays None (the
        services look it up) and the figures are those we sent."""
        number = (
            _text(data.get("invoiceNumber"))
            or _text(data.get("countETicketNumbers"))
            or _text(data.get("number"))
        )
        files = {}
        for kind, key in (
            ("pdf", "invoiceUrl"),
            ("pdf", "pdfUrl"),
            ("ofd", "ofdUrl"),
            ("xml", "xmlUrl"),
        ):
            if _text(data.get(key)) and kind not in files:
                files[kind] = _text(data[key])
        invoice_id = _text(data.get("id")) or _text(data.get("invoiceId"))
        if invoice_id and number:
            self._ids[number] = invoice_id
        total = as_decimal(data.get("totalPriceAndTax"))
        return IssuedInvoice(
            number=number or None,
            date=parse_date(data.get("invoiceDate") or data.get("date")),
            serial=None,
            amount=as_decimal(data.get("totalAmount")) or expected.amount,
            tax=as_decimal(data.get("totalTax")) or expected.tax,
            total=total if total is not None else expected.total,
            buyer_name=_text(data.get("buyerName")) or expected.buyer_name,
            buyer_tax_id=_text(data.get("buyerIndentification")) or expected.buyer_tax_id,
            invoice_type=expected.invoice_type,
            files=files,
            lines=expected.lines,
        )
