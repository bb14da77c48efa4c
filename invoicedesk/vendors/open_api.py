"""open-api: the REST "open API" for blue invoices (../shared/vendor-apis/open-api-v1.json).

Auth: header `X-Api-Key` (secret "api_key"). Envelope: `{"code": "0", "message", "data"}`.
Issuing is asynchronous: POST /api/open/v1/blue-invoices answers PROCESSING; the client polls
GET /api/open/v1/blue-invoices/{invoiceReqSerialNo} until SUCCESS or FAILED, for at most
`poll_timeout` seconds, then returns a PROCESSING outcome (the services poll `query` later).

Readings where the document is silent:
- `requestNo` and `invoiceReqSerialNo` both carry our serial; the serial is the dedupe key.
- Line figures are sent on the side the user typed: `includeTaxFlag` "1" with the tax-inclusive
  unit price and amount, or "0" with the exclusive ones. All figures are decimal strings.
- The document has no discount lines (and amounts must be positive): a draft with a discount
  line is refused before sending with NotSupported naming the line.
- itemList carries only the document's item fields (goodsName, taxClassificationCode,
  includeTaxFlag, quantity, unitPrice, invoiceAmount, taxRateValue): a line's spec and unit
  have no field there and are not sent. The buyer's phone and e-mail go in
  `takerTel`/`takerEmail`.
- Only a documented final failure makes a draft REJECTED: `status` FAILED in the query (or a
  batch item's). Any other non-success while polling (a refused read, 4xx, 5xx, unreadable)
  is "still unknown": polling goes on, then PROCESSING → UNKNOWN with the serial, reconciled
  by `query(serial)`. A read refused with a code is a ProtocolError, never Rejected.
- A submit refused with a code (HTTP < 500; the document shows no failure reply) is confirmed
  before it counts: the serial is queried once; "not found" (nothing exists under it) or
  FAILED → Rejected, SUCCESS → ISSUED, anything else → OutcomeUnknown. A refused batch submit
  likewise: Rejected only when the batch query then says the platform has no such batch.
- A query for a serial the platform does not know answers HTTP 404 with a "未找到/不存在"
  message: `query` returns None (nothing was made for that serial). A 404 for an unknown path
  ("接口不存在", a wrong base URL) is an error, never "not found".
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Draft
from invoicedesk.domain.money import Totals, compute_line, compute_totals, money_text
from invoicedesk.domain.treatments import TreatmentSupport
from invoicedesk.vendors.base import (
    BatchItemStatus,
    Capability,
    FaceHandler,
    IssuedInvoice,
    IssueOutcome,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    Rejected,
    SecretGetter,
    VendorError,
    VendorKey,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.http_vendor import HttpVendor
from invoicedesk.vendors.transport import (
    HttpReply,
    OnCall,
    as_decimal,
    decimal_text,
    parse_vendor_datetime,
    register_secret,
)

API = "/api/open/v1/blue-invoices"
_NOT_FOUND_WORDS = ("不存在", "未找到", "not found", "not exist")


def draft_to_wire(draft: Draft, serial: str) -> dict[str, Any]:
    """The open-api request body for one draft (every figure a decimal string)."""
    items: list[dict[str, Any]] = []
    for index, line in enumerate(draft.lines):
        if line.kind == "discount":
            raise vendor_error("open-api", "discount_unsupported", fields=(f"lines[{index}].kind",))
        fig = compute_line(line)
        incl = fig.price_includes_tax
        item: dict[str, Any] = {
            "goodsName": line.name,
            "taxClassificationCode": line.tax_code,
            "includeTaxFlag": "1" if incl else "0",
            "invoiceAmount": money_text(fig.total if incl else fig.amount),
            "taxRateValue": decimal_text(fig.tax_rate),
        }
        price = fig.unit_price_incl if incl else fig.unit_price_excl
        if fig.quantity is not None and price is not None:
            item["quantity"] = decimal_text(fig.quantity)
            item["unitPrice"] = decimal_text(price)
        items.append(item)
    body: dict[str, Any] = {
        "requestNo": serial,
        "invoiceReqSerialNo": serial,
        "invoiceIssueKindCode": draft.invoice_type,
        "buyerName": draft.buyer.name,
        "remark": draft.remark,
        "itemList": items,
    }
    if draft.buyer.tax_id:
        body["buyerTaxpayerNum"] = draft.buyer.tax_id
    optional = {"takerTel": draft.buyer.phone, "takerEmail": draft.buyer.email}
    body.update({k: v for k, v in optional.items() if v})
    return body


def invoice_from_wire(data: dict[str, Any], totals: Totals | None = None) -> IssuedInvoice:
    """An IssuedInvoice from a SUCCESS query answer. The answer carries only `totalAmount`
    (价税合计); where it lacks amount/tax, the draft's own totals fill them in."""
    total = as_decimal(data.get("totalAmount"))
    amount = as_decimal(data.get("invoiceAmount") or data.get("amount"))
    tax = as_decimal(data.get("taxAmount") or data.get("tax"))
    if totals is not None:
        total = total if total is not None else totals.total
        amount = amount if amount is not None else totals.amount
        tax = tax if tax is not None else totals.tax
    total = total if total is not None else Decimal("0")
    if amount is None and tax is not None:
        amount = total - tax
    if tax is None and amount is not None:
        tax = total - amount
    files = {"pdf": str(data["downloadUrl"])} if data.get("downloadUrl") else {}
    return IssuedInvoice(
        number=str(data.get("electronicInvoiceNo") or data.get("invoiceNo") or "") or None,
        date=parse_vendor_datetime(data.get("invoiceDate")),
        serial=str(data.get("invoiceReqSerialNo") or "") or None,
        amount=amount if amount is not None else total,
        tax=tax if tax is not None else Decimal("0"),
        total=total,
        buyer_name=str(data.get("buyerName") or ""),
        buyer_tax_id=str(data.get("buyerTaxpayerNum") or ""),
        invoice_type=str(data.get("invoiceIssueKindCode") or ""),
        status=str(data.get("message") or data.get("status") or ""),
        files=files,
    )


class OpenApiVendor(HttpVendor):
    key = VendorKey.OPEN_API
    capabilities = (
        Capability.ISSUE | Capability.BATCH_ISSUE | Capability.QUERY_ONE | Capability.FILES
    )
    # itemList has a rate (taxRateValue) and nothing else: a plain 0% is 普通零税率 (vendors/README)
    treatments = TreatmentSupport(
        treatments=frozenset({"", "zero"}),
        why="其接口的明细只有税率，没有免税、不征税、简易征收等标识，也没有税率说明和扣除额",
    )

    def __init__(
        self,
        profile: Profile,
        secrets: SecretGetter,
        *,
        on_call: OnCall | None = None,
        timeout: float | None = None,
        poll_timeout: float = 20,
        poll_interval: float = 0.5,
    ) -> None:
        super().__init__(profile, secrets, on_call=on_call, timeout=timeout)
        self.poll_timeout = poll_timeout
        self.poll_interval = poll_interval

    # ---- plumbing -------------------------------------------------------------------------

    async def _headers(self) -> dict[str, str]:
        api_key = await self.secrets("api_key")
        register_secret(api_key)
        return {"X-Api-Key": api_key}

    async def _call(
        self, method: str, path: str, *, idempotent: bool, json: Any = None, endpoint: str
    ) -> Any:
        reply = await self.http.request(
            method,
            path,
            json=json,
            headers=await self._headers(),
            idempotent=idempotent,
            endpoint=endpoint,
        )
        return self._data(reply, issuing=not idempotent)

    def _data(self, reply: HttpReply, *, issuing: bool) -> Any:
        """The envelope's `data`, or the typed error its code stands for."""
        vendor = self.key.value
        if reply.status in (401, 403):
            raise vendor_error(vendor, f"http_{reply.status}")
        try:
            body = reply.json()
        except VendorError:
            if reply.status >= 400:
                raise vendor_error(vendor, f"http_{reply.status}") from None
            raise
        if not isinstance(body, dict):
            raise vendor_error(vendor, "malformed" if issuing else "read_malformed")
        code = str(body.get("code", ""))
        message = str(body.get("message") or body.get("msg") or "")
        if _is_not_found(code or str(reply.status), message):
            raise _NotFound(message)
        if reply.status >= 400 or code != "0":
            raise vendor_error(vendor, code or f"http_{reply.status}", message)
        return body.get("data")

    # ---- the capabilities -----------------------------------------------------------------

    async def check_connection(self) -> None:
        # The cheapest authenticated read: a serial nobody uses. Not found is a good answer.
        await self.query("INVOICEDESK-CONNECTION-CHECK")

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        self.refuse_uncarried(draft)  # TreatmentNotCarried, before anything is sent
        body = draft_to_wire(draft, serial)  # a FigureError here is raised before sending
        totals = compute_totals(draft)
        try:
            await self._call("POST", API, json=body, idempotent=False, endpoint="blue-invoices")
        except _NotFound as exc:  # a "not found" to a submit is no acknowledgement at all
            raise vendor_error(
                self.key.value, "malformed", exc.message, cls=OutcomeUnknown
            ) from None
        except Rejected as refusal:
            found = await self._confirm_refusal(serial, refusal)
            return IssueOutcome("ISSUED", serial, found)
        # The platform has acknowledged the request: from here the answer is ISSUED, Rejected
        # (FAILED), or PROCESSING when the time is up; a failed poll just means "poll again".
        deadline = time.monotonic() + self.poll_timeout
        while True:
            try:
                invoice = await self._query(serial, totals)
            except Rejected:
                raise  # status FAILED: the documented final failure
            except VendorError:
                invoice = None  # not an answer about the invoice: poll again
            if invoice is not None:
                return IssueOutcome("ISSUED", serial, invoice)
            if time.monotonic() >= deadline:
                return IssueOutcome("PROCESSING", serial)
            await asyncio.sleep(self.poll_interval)

    async def _confirm_refusal(self, serial: str, refusal: Rejected) -> IssuedInvoice:
        """A submit answered with a refusal code: Rejected only when the platform then has
        nothing under the serial (or says FAILED); the invoice when it has one after all."""
        try:
            invoice = await self.query(serial)
        except Rejected:
            raise refusal from None
        except VendorError as exc:
            raise OutcomeUnknown(
                refusal.message,
                code=refusal.code,
                vendor=self.key.value,
                fields=refusal.fields,
                next_step="请稍后点击“核对”，按原流水号查询结果。",
            ) from exc
        if invoice is None:
            raise refusal
        return invoice

    async def query(self, serial: str) -> IssuedInvoice | None:
        """The invoice for this serial; None when the platform has no such request.
        PROCESSING raises OutcomeUnknown; FAILED raises Rejected."""
        try:
            invoice = await self._query(serial, None)
        except _NotFound:
            return None
        if invoice is None:
            raise vendor_error(self.key.value, "still_processing")
        return invoice

    async def _query(self, serial: str, totals: Totals | None) -> IssuedInvoice | None:
        """None while PROCESSING. _NotFound when unknown (only from `query`'s point of view)."""
        try:
            data = await self._call(
                "GET", f"{API}/{serial}", idempotent=True, endpoint="blue-invoices/{serial}"
            )
        except _NotFound:
            if totals is not None:  # just submitted: not visible yet means still processing
                return None
            raise
        except Rejected as exc:
            # a read refused with a code says nothing about the invoice: never REJECTED
            raise ProtocolError(
                exc.message, code=exc.code, vendor=self.key.value, next_step="请稍后重试。"
            ) from None
        if not isinstance(data, dict):
            raise vendor_error(self.key.value, "read_malformed")
        status = str(data.get("status", "")).upper()
        if status == "SUCCESS":
            return invoice_from_wire(data, totals)
        if status == "FAILED":
            raise vendor_error(
                self.key.value,
                str(data.get("code") or "status_failed"),
                str(data.get("message") or ""),
                cls=Rejected,
            )
        return None

    async def download(self, invoice: IssuedInvoice, kind: str) -> bytes:
        if kind != "pdf":
            raise self._unsupported(f"下载{kind.upper()}文件")
        url = invoice.files.get("pdf")
        if not url:
            if not invoice.serial:
                raise self._unsupported("按发票号码下载文件")
            data = await self._call(
                "GET",
                f"{API}/{invoice.serial}/sample",
                idempotent=True,
                endpoint="blue-invoices/{serial}/sample",
            )
            url = str((data or {}).get("downloadUrl") or "")
            if not url:
                raise vendor_error(self.key.value, "read_malformed", "没有返回文件地址")
        # The API key goes only to the platform itself, never to a third-party file host.
        headers = await self._headers() if url.startswith(self.http.base_url) else {}
        reply = await self.http.request(
            "GET", url, headers=headers, idempotent=True, endpoint="download"
        )
        if reply.status >= 400:
            raise vendor_error(self.key.value, f"http_{reply.status}")
        return reply.body

    async def batch_submit(self, batch_no: str, drafts: list[tuple[Draft, str]]) -> None:
        for draft, _serial in drafts:
            self.refuse_uncarried(draft)
        body = {
            "batchNo": batch_no,
            "items": [draft_to_wire(draft, serial) for draft, serial in drafts],
        }
        try:
            await self._call(
                "POST", f"{API}/batches", json=body, idempotent=False, endpoint="batches"
            )
        except _NotFound as exc:
            raise vendor_error(
                self.key.value, "malformed", exc.message, cls=OutcomeUnknown
            ) from None
        except Rejected as refusal:
            try:
                known = await self.batch_status(batch_no)
            except VendorError as exc:
                raise OutcomeUnknown(
                    refusal.message, code=refusal.code, vendor=self.key.value
                ) from exc
            if known:
                raise OutcomeUnknown(
                    refusal.message, code=refusal.code, vendor=self.key.value
                ) from None
            raise

    async def batch_status(self, batch_no: str) -> list[BatchItemStatus]:
        try:
            data = await self._call(
                "GET", f"{API}/batches/{batch_no}", idempotent=True, endpoint="batches/{batchNo}"
            )
        except _NotFound:
            return []  # the platform never saw this batch: nothing in it was issued
        items = (data or {}).get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise vendor_error(self.key.value, "read_malformed")
        result: list[BatchItemStatus] = []
        for item in items:
            serial = str(item.get("invoiceReqSerialNo") or "")
            status = str(item.get("status", "")).upper()
            if status == "SUCCESS":
                invoice = await self.query(serial)
                result.append(BatchItemStatus(serial, "ISSUED", invoice))
            elif status == "FAILED":
                error = vendor_error(
                    self.key.value,
                    str(item.get("errorCode") or "batch_failed"),
                    str(item.get("errorMessage") or ""),
                    cls=Rejected,
                )
                result.append(BatchItemStatus(serial, "REJECTED", error=error))
            else:
                result.append(BatchItemStatus(serial, "PROCESSING"))
        return result


class _NotFound(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_not_found(code: str, message: str) -> bool:
    if "接口不存在" in message:  # a wrong path or base URL, not an unknown serial
        return False
    lowered = message.lower()
    return code in ("404", "NOT_FOUND") or any(word in lowered for word in _NOT_FOUND_WORDS)
