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
import base64
import binascii
import datetime as dt
import logging
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from invoicedesk.domain.models import Draft
from invoicedesk.domain.money import compute_line
from invoicedesk.domain.treatments import TreatmentSupport
from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    FaceAuthRequired,
    FaceChallenge,
    FaceHandler,
    FaceResult,
    HistoryPage,
    IssuedInvoice,
    IssuedLine,
    IssueOutcome,
    NotSent,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    Rejected,
    SecretGetter,
    VendorKey,
    expected_invoice,
    issued_line,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    HttpTransport,
    OnCall,
    WsSession,
    as_decimal,
    register_secret,
)

log = logging.getLogger(__name__)

VENDOR = VendorKey.WS_INVOICE.value
PAGE_SIZE = 50
HISTORY_DAYS = 366
ECHOED_SECRET = "sellerLoginPassword"
FACE_TIMED_OUT = "超时"  # an undocumented msg some platforms add to invoice_qrcode "0"


def _money(value: Any) -> Decimal:
    return as_decimal(value) or Decimal("0")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def china_time(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=CHINA_TZ) if value.tzinfo is None else value


def parse_date(value: Any) -> dt.datetime | None:
    """invoiceDate is epoch milliseconds or a date(-time) string."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if not isinstance(value, str) or value.strip().isdigit():
        number = as_decimal(value)
        if number is None:
            return None
        return dt.datetime.fromtimestamp(float(number / 1000), CHINA_TZ)
    text = value.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y%m%d%H%M%S"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    try:
        return china_time(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


def decode_png(data_url: str) -> bytes:
    _, _, payload = data_url.partition("base64,")
    try:
        return base64.b64decode(payload or data_url, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise OutcomeUnknown(
            "人脸二维码无法识别",
            code="bad_qr",
            vendor=VENDOR,
            next_step="请按购买方和金额查询是否已开出，再决定是否重开。",
        ) from exc


def unwrap_page(data: Any) -> dict[str, Any] | None:
    """The page object {data: [...], total, hasNext, …}, however deep the vendor nests it."""
    while isinstance(data, dict):
        inner = data.get("data")
        if isinstance(inner, list):
            return data
        data = inner
    return None


def invoice_from_row(row: dict[str, Any]) -> IssuedInvoice:
    total = as_decimal(row.get("totalPriceAndTax"))
    amount = _money(row.get("totalAmount"))
    tax = _money(row.get("totalTax"))
    positive = _text(row.get("isInvoicePositive"))
    red = positive in ("否", "N", "0", "false") or (total is not None and total < 0)
    return IssuedInvoice(
        number=_text(row.get("countETicketNumbers")) or _text(row.get("invoiceNumber")) or None,
        date=parse_date(row.get("invoiceDate")),
        serial=None,
        amount=amount,
        tax=tax,
        total=total if total is not None else amount + tax,
        buyer_name=_text(row.get("buyerName")),
        buyer_tax_id=_text(row.get("buyerIdentificationNumber")),
        invoice_type=_text(row.get("invoiceType")),
        color="red" if red else "blue",
        status=_text(row.get("invoiceStatus")),
    )


def line_from_item(item: dict[str, Any]) -> IssuedLine:
    rate_text = _text(item.get("taxRate")).rstrip("%")
    rate = as_decimal(rate_text) or Decimal("0")
    if "%" in _text(item.get("taxRate")):
        rate = rate / 100
    return IssuedLine(
        name=_text(item.get("itemName")),
        tax_code=_text(item.get("taxClassificationCode")),
        spec=_text(item.get("spec")),
        unit=_text(item.get("unit")),
        quantity=as_decimal(item.get("quantity")),
        unit_price=as_decimal(item.get("unitPrice")),
        amount=_money(item.get("amount")),
        tax_rate=rate,
        tax=_money(item.get("tax")),
    )


class WsInvoiceVendor(BaseVendor):
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
    # invoiceItems carry no treatment field (the rate itself is our extension): a plain 0% is
    # 普通零税率; nothing else can be said on this platform
    treatments = TreatmentSupport(
        treatments=frozenset({"", "zero"}),
        why="其接口的商品列表没有免税、不征税、简易征收等标识，也没有税率说明和扣除额",
    )
    reply_timeout_s: float = 30
    face_timeout_s: float = 300  # the user is scanning with a phone
    # a scan "0" after this long reads as "the QR ran out" (the document gives no reason)
    face_expiry_s: float = 120
    http_timeout_s: float = 15
    page_size: int = PAGE_SIZE
    zip_timeout_s: float = 5

    def __init__(
        self, profile: Profile, secrets: SecretGetter, *, on_call: OnCall | None = None
    ) -> None:
        super().__init__(profile, secrets)
        self.on_call = on_call  # each HTTP call / WebSocket message, for the audit log
        self._ws: WsSession | None = None
        self._lock: asyncio.Lock | None = None
        self._http: HttpTransport | None = None
        self._files: dict[str, HttpTransport] = {}
        self._ids: dict[str, str] = {}  # invoice number -> vendor invoice id
        self.zip_failures = 0  # file packages that failed even after the one retry

    # ---- plumbing ---------------------------------------------------------------------------

    def _base(self) -> str:
        return self.profile.base_url.rstrip("/")

    def _ws_url(self, path: str) -> str:
        user = quote(self.profile.options.get("userId", ""), safe="")
        return f"{self._base()}{path}?userId={user}"

    def _http_base(self) -> str:
        base = self._base()
        if base.startswith("wss://"):
            return "https://" + base[len("wss://") :]
        if base.startswith("ws://"):
            return "http://" + base[len("ws://") :]
        return base

    def _transport(self) -> HttpTransport:
        if self._http is None:
            self._http = HttpTransport(
                self._http_base(),
                vendor=VENDOR,
                timeout=self.http_timeout_s,
                on_call=self.on_call,
            )
        return self._http

    async def _password(self) -> str:
        password = await self.secrets("tax_password")
        register_secret(password)
        return password

    async def _login_data(self) -> dict[str, str]:
        opts = self.profile.options
        return {
            "companyCode": self.profile.seller.tax_id,
            "phone": self.profile.user_name,
            "password": await self._password(),
            "area": opts.get("area", ""),
            "role": opts.get("role", ""),
        }

    async def _login(self, ws: WsSession) -> None:
        await ws.send_json({"type": "login", "data": await self._login_data()})
        while True:
            reply = await self._recv(ws, self.reply_timeout_s, idempotent=True)
            if reply.get("type") == "login":
                break
        if _text(reply.get("data")) != "1":
            raise vendor_error(VENDOR, "login:0", _text(reply.get("msg")))

    async def _recv(self, ws: WsSession, timeout: float, *, idempotent: bool) -> dict[str, Any]:
        try:
            return await ws.recv_json(timeout, idempotent=idempotent)
        except OutcomeUnknown as exc:
            if not idempotent:
                raise
            # Nothing was issued by a login or a query: the answer is merely missing.
            raise ProtocolError(
                exc.message, code=exc.code, vendor=VENDOR, next_step="请稍后重试。"
            ) from None

    async def _session(self) -> WsSession:
        """The logged-in issuing socket; a new one when there is none or it has died."""
        if self._ws is not None and not self._ws.closed:
            try:
                await self._ws.ping()
                return self._ws
            except NotSent:
                pass
        await self._drop_session()
        ws = await WsSession.connect(self._ws_url("/invoice"), vendor=VENDOR, on_call=self.on_call)
        try:
            await self._login(ws)
        except BaseException:
            await ws.close()
            raise
        self._ws = ws
        return ws

    async def _drop_session(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def close(self) -> None:
        await self._drop_session()
        http, self._http = self._http, None
        if http is not None:
            await http.close()
        files, self._files = self._files, {}
        for transport in files.values():
            await transport.close()

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

    # ---- history and reconciliation ---------------------------------------------------------

    async def _query_pages(
        self, condition: dict[str, Any], first_page: int = 1
    ) -> AsyncIterator[tuple[list[dict[str, Any]], bool, int]]:
        """(rows, has_next, page number) per page of query_invoice on one query socket."""
        login = await self._login_data()
        login["companyName"] = self.profile.seller.name
        ws = await WsSession.connect(
            self._ws_url("/web/invoice"), vendor=VENDOR, on_call=self.on_call
        )
        try:
            page = first_page
            while True:
                await ws.send_json(
                    {
                        "type": "query_invoice",
                        "data": {
                            "login": login,
                            "condition": condition,
                            "page": {"pageSize": self.page_size, "pageNumber": page},
                        },
                    }
                )
                rows, has_next = await self._read_page(ws)
                yield rows, has_next, page
                if not has_next:
                    return
                page += 1
        finally:
            await ws.close()

    async def _read_page(self, ws: WsSession) -> tuple[list[dict[str, Any]], bool]:
        while True:
            message = await self._recv(ws, self.reply_timeout_s, idempotent=True)
            if message.get("type") in ("query_invoice", "login"):
                break
        payload = message.get("data")
        if _text(payload) == "0":
            raise vendor_error(VENDOR, "query_invoice:0", _text(message.get("msg")))
        page = unwrap_page(payload)
        if page is None:
            raise ProtocolError(
                "开票平台返回的发票列表无法识别",
                code="bad_page",
                vendor=VENDOR,
                next_step="请稍后重试。",
            )
        rows = [r for r in page.get("data", []) if isinstance(r, dict)]
        for row in rows:
            number = _text(row.get("countETicketNumbers")) or _text(row.get("invoiceNumber"))
            if number and _text(row.get("id")):
                self._ids[number] = _text(row.get("id"))
        has_next = page.get("hasNext") is True or _text(page.get("hasNext")).lower() == "true"
        await self._zip_status(ws)
        return rows, has_next

    async def _zip_status(self, ws: WsSession) -> None:
        """The file package the server pushes after each query reply. A failure names an event
        (a time); it is retried ONCE with that event. The list itself stays valid either way,
        and files are read over HTTP, so a package that still fails is only logged."""
        try:
            message = await self._recv(ws, self.zip_timeout_s, idempotent=True)
            if message.get("type") != "query_invoice_download_zip":
                return
            event = _text(message.get("data"))
            if event == "1":
                return
            await ws.send_json({"type": "query_invoice_download_zip", "data": event})
            while True:
                again = await self._recv(ws, self.zip_timeout_s, idempotent=True)
                if again.get("type") == "query_invoice_download_zip":
                    break
            if _text(again.get("data")) == "1":
                return
            self.zip_failures += 1
            log.warning("ws-invoice: the invoice file package failed twice (event %s)", event)
        except ProtocolError:
            log.warning("ws-invoice: no answer about the invoice file package")

    def _condition(self, start: dt.date, end: dt.date, **extra: Any) -> dict[str, Any]:
        condition: dict[str, Any] = {
            "queryType": 0,
            "invoiceSource": None,
            "invoiceType": None,
            "isInvoicePositive": None,
            "countETicketNumbers": "",
            "invoiceCode": None,
            "invoiceNumber": None,
            "startInvoiceValue": None,
            "endInvoiceValue": None,
            "startInvoiceDate": start.isoformat(),
            "endInvoiceDate": end.isoformat(),
        }
        condition.update(extra)
        return condition

    async def find_issued(
        self, buyer_tax_id: str, total: Decimal, since: dt.datetime, until: dt.datetime
    ) -> list[IssuedInvoice]:
        """Invoices to this buyer whose 价税合计 (`totalPriceAndTax`) is `total`, issued in
        [since, until]. A naive time is this computer's local time (what the
        services pass). The day range asked for is one day wider on each side (the vendor's
        days may be another zone's); 发票金额 is not sent (the document does not say whether it
        includes tax): amount and exact window are matched here."""
        since, until = since.astimezone(), until.astimezone()
        start = since.astimezone(CHINA_TZ).date() - dt.timedelta(days=1)
        end = until.astimezone(CHINA_TZ).date() + dt.timedelta(days=1)
        condition = self._condition(start, end, buyerIdentificationNumber=buyer_tax_id)
        found = []
        async for rows, _, _ in self._query_pages(condition):
            for row in rows:
                invoice = invoice_from_row(row)
                if invoice.buyer_tax_id != buyer_tax_id or invoice.color != "blue":
                    continue
                if invoice.total != total:
                    continue
                if invoice.date is not None and not since <= invoice.date <= until:
                    continue
                found.append(invoice)
        return found

    async def history(self, cursor: str | None) -> AsyncIterator[HistoryPage]:
        """Pages of issued invoices, oldest first. The cursor is "<start date>|<page>": the
        vendor lists in issue order, so pages stay put as invoices are added, and the end of
        the date range is always tomorrow. A stored cursor thus resumes at its page and goes
        on to whatever was issued since (that page is read again; rows are upserted)."""
        today = dt.datetime.now(CHINA_TZ).date()
        end = today + dt.timedelta(days=1)
        start, first = self._parse_cursor(cursor, today)
        async for rows, has_next, page in self._query_pages(self._condition(start, end), first):
            next_cursor = f"{start.isoformat()}|{page + 1}" if has_next else None
            yield HistoryPage(tuple(invoice_from_row(r) for r in rows), next_cursor)

    def _parse_cursor(self, cursor: str | None, today: dt.date) -> tuple[dt.date, int]:
        if cursor:
            try:
                parts = cursor.split("|")
                return dt.date.fromisoformat(parts[0]), max(1, int(parts[-1]))
            except (ValueError, IndexError):
                log.warning("ws-invoice: unreadable history cursor, starting over")
        since = self.profile.options.get("history_since", "")
        try:
            start = dt.date.fromisoformat(since) if since else None
        except ValueError:
            start = None
        return start or today - dt.timedelta(days=HISTORY_DAYS), 1

    async def _invoice_id(self, number: str) -> str:
        if number in self._ids:
            return self._ids[number]
        end = dt.datetime.now(CHINA_TZ).date() + dt.timedelta(days=1)
        condition = self._condition(
            end - dt.timedelta(days=HISTORY_DAYS * 3), end, countETicketNumbers=number
        )
        async for _, _, _ in self._query_pages(condition):
            if number in self._ids:
                return self._ids[number]
        raise Rejected(
            f"开票平台没有查到发票 {number}",
            code="not_found",
            vendor=VENDOR,
            next_step="请先同步发票历史，或核对发票号码。",
        )

    # ---- line items and files ---------------------------------------------------------------

    async def _get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        reply = await self._transport().request("GET", path, params=params, idempotent=True)
        if reply.status in (401, 403):
            raise vendor_error(VENDOR, f"http_{reply.status}")
        body = reply.json()
        if not isinstance(body, dict) or "code" not in body:
            raise ProtocolError(
                "开票平台返回的内容无法识别。",
                code="malformed",
                vendor=VENDOR,
                next_step="请稍后重试。",
            )
        code = _text(body.get("code"))
        if code not in ("0", "200"):
            # A structured "no" (e.g. 500 发票不存在): the vendor's refusal, with its words.
            raise vendor_error(VENDOR, code, _text(body.get("msg")))
        return body.get("data")

    async def line_items(self, number: str) -> list[IssuedLine]:
        invoice_id = await self._invoice_id(number)
        data = await self._get_json(f"/web/invoice/item/{quote(invoice_id, safe='')}")
        return [line_from_item(item) for item in data or [] if isinstance(item, dict)]

    async def _file_url(self, invoice_id: str, kind: str) -> str | None:
        data = await self._get_json(
            "/web/invoice/file", params={"invoiceIdList": [invoice_id], "typeList": [kind]}
        )
        for item in data or []:
            if isinstance(item, dict) and _text(item.get("type")).lower() == kind:
                url = _text(item.get("url"))
                if url:
                    return url
        return None

    async def download(self, invoice: IssuedInvoice, kind: str) -> bytes:
        kind = kind.lower()
        if kind not in ("pdf", "ofd", "xml"):
            raise self._unsupported(f"{kind} 格式文件")
        url = invoice.files.get(kind)  # the PDF of a fresh issue: invoice_pdf's invoiceUrl
        if not url:
            if not invoice.number:
                raise Rejected(
                    "这张发票的号码还在查询中，暂时无法下载文件",
                    code="no_number",
                    vendor=VENDOR,
                    next_step="请稍后同步发票历史，号码补上后即可下载。",
                )
            url = await self._file_url(await self._invoice_id(invoice.number), kind)
        if not url:
            raise ProtocolError(
                f"开票平台没有这张发票的 {kind.upper()} 文件",
                code="no_file",
                vendor=VENDOR,
                next_step="请稍后重试下载。",
            )
        return await self._fetch(url)

    async def _fetch(self, url: str) -> bytes:
        parts = urlsplit(url)
        if not parts.scheme:
            reply = await self._transport().request("GET", url, idempotent=True)
        else:
            origin = f"{parts.scheme}://{parts.netloc}"
            transport = self._files.get(origin)
            if transport is None:
                transport = self._files[origin] = HttpTransport(
                    origin, vendor=VENDOR, timeout=self.http_timeout_s, on_call=self.on_call
                )
            reply = await transport.request("GET", url, idempotent=True)
        if reply.status != 200 or not reply.body:
            raise ProtocolError(
                f"下载发票文件失败（HTTP {reply.status}）",
                code=f"http_{reply.status}",
                vendor=VENDOR,
                next_step="请稍后重试下载。",
            )
        return reply.body
