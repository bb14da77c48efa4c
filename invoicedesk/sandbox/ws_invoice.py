"""Simulator of the WebSocket invoice API (websocket-invoice-api.md), mounted under /ws-invoice.

  WS   /invoice?userId=…            login, invoice_info → [invoice_qrcode] → invoice_pdf
  WS   /web/invoice?userId=…        query_invoice (+ query_invoice_download_zip), retry zip
  GET  /web/invoice/item/{id}       line items of one invoice        (fault endpoint "item")
  GET  /web/invoice/file            file URLs (invoiceIdList, typeList) (fault endpoint "file")
  GET  /files/{number}.{pdf|ofd|xml} the files behind those URLs      (fault endpoint "files")

Readings made where the document is silent:
- Plain JSON frames (the README). Every reply carries `sendToId` = the userId. A userId other
  than `sandbox-user` is refused at the handshake (HTTP 403). Both socket paths accept every
  message type (the document splits issuing and querying over two paths).
- Failures are `data: "0"` as documented, and nothing else: no reason travels on the wire (the
  document has no field for one; the reason is only logged here). A frame that is not a JSON
  object with a `type` gets `{"type": "error", "data": "0"}`; an unknown type gets its own type
  back with data "0".
- login: companyCode must be the sandbox seller's tax ID, phone 13800000000, password
  sandbox-password; area and role must be non-empty. The login holds for that socket only.
  invoice_info before a successful login on the socket → invoice_pdf "0".
- invoice_info: sellerIndentification / sellerLoginAccount / sellerLoginPassword must be the
  seller's tax ID, 13800000000 and sandbox-password. buyerName, sellerName and at least one item
  are required; buyerInvoiceType 1 (专票) needs buyerIndentification. Items: `name`, `quantity`,
  `unitPrice` required (numbers or decimal strings, > 0); the document has no tax rate, so an
  item may carry `taxRate` (decimal, default 0.01 — the rate behind the document's -500/-4.95
  example) and `taxClassificationCode` (default 3040201010000000000). That is an EXTENSION
  (vendors/README.md): with settings.ws_item_tax = "ignore" the sandbox reads only the
  documented item fields and issues every line at the default rate. unitPrice includes tax:
  line total = round(quantity × unitPrice, 2), tax = round(total ÷ (1+rate) × rate, 2) HALF_UP,
  amount = total − tax.
- Face: when face auth is needed the server pushes invoice_qrcode with a PNG data URL and waits
  (up to FACE_WAIT_S seconds) for the control-API scan. ok → the flow continues to invoice_pdf;
  a failed scan or the wait running out → invoice_qrcode "0" and nothing more (the client sends
  invoice_info again, which pushes a fresh QR). The document prints no failure wording and the
  sandbox sends none: a failed scan and a scan that never came both answer just "0".
  A client that closes the socket during the face wait abandons that invoice: the wait ends and
  a later scan issues nothing (a reader task sees the close while the request is pending).
- invoice_pdf carries exactly the documented success fields: the request echoed as strings
  (sellerLoginPassword too, as documented), invoiceItems as a JSON string, vipId = the userId,
  isDrafts "0", invoiceUrl = the PDF under /ws-invoice/files, sellerAddress/sellerPhone "".
  No number, date, id or totals: the client finds those through query_invoice.
- No request serial exists: each invoice is stored with a synthetic serial "ws-<hex>" so the
  control API's list shows it; a repeated invoice_info issues a new invoice (no dedupe).
- query_invoice: the reply type is query_invoice; `data` = {data: [...], total, currentPage,
  totalPage, hasNext} (the field table; the example's extra nesting is a typo). queryType 0 lists
  every numbered invoice the seller issued through any vendor (the tax bureau's view); 1 (received
  invoices) is empty. Dates yyyy-MM-dd inclusive (required); invoiceDate is epoch milliseconds;
  startInvoiceValue/endInvoiceValue (发票金额, which the document does not say is with or
  without tax) bound totalPriceAndTax, or totalAmount when settings.ws_value_reading is
  "amount"; the client must work under both readings. isInvoicePositive 是/否; buyerName is a
  substring match; order is issue order. pageSize 1–1000. The login block is checked like login.
- After each query_invoice reply the server pushes query_invoice_download_zip "1", or, when a
  fault is drawn for endpoint query_invoice_download_zip, a failure event "yyyy-MM-dd HH:mm:ss"
  (unique per socket). Sending {"type": "query_invoice_download_zip", "data": <event>} retries:
  "1" on success (the event is spent), the same event again while faults still fire, "0" for an
  unknown event. Any fault kind drawn for query_invoice_download_zip means "the download failed"
  (the push and the retry alike); the socket-level fault handling below does not apply to it.
- invoiceBasicInfoId = the 20-digit number without its 2-digit year (18 digits, fits int64);
  item ids = that id's sequence part × 10000 + line number. HTTP reads answer
  {"code": 0, "msg": "", "data": [...]}; an unknown or non-numeric invoice id →
  {"code": 500, "msg": "发票不存在", "data": []}; unknown ids in invoiceIdList are skipped.
  typeList defaults to pdf, ofd and xml. taxRate is a decimal fraction string ("0.01").
  The HTTP reads need no credentials (the document names none).
- Faults on the sockets: draw("ws-invoice", <message type>). latency delays the reply; http_500 and
  token_expired answer "0" without acting (token_expired also ends the socket's login);
  timeout_before hangs settings.hang_s then closes, nothing done; ws_close closes the socket
  (code 1011) before acting — for invoice_info after the face step; drop_after acts then closes
  without a reply; timeout_after acts, hangs, closes; malformed acts then sends a broken frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import uuid
from collections.abc import Awaitable, Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from invoicedesk.sandbox.core import (
    FaultDraw,
    Refused,
    SandboxState,
    SbInvoice,
    SbLine,
    check_figures,
    http_with_faults,
    json_body,
    malformed_body,
    to_decimal,
)
from invoicedesk.sandbox.ws_invoice_base import (
    CENT,
    DEFAULT_RATE,
    DEFAULT_TAX_CODE,
    FACE_WAIT_S,
    PASSWORD,
    PHONE,
    TAX_RATES,
    USER_ID,
    VENDOR,
    Bad,
    Closed,
    Reply,
    Session,
    WsInvoiceBase,
    _FaultedSocket,
    _text,
    qr_data_url,
)


def routes(state: SandboxState) -> list[BaseRoute]:
    sim = WsInvoice(state)

    def http(endpoint: str, handler: Callable[[Request], Awaitable[Response]]) -> Any:
        async def run(request: Request) -> Response:
            return await http_with_faults(state, VENDOR, endpoint, request, handler)

        return run

    return [
        WebSocketRoute("/invoice", sim.socket),
        WebSocketRoute("/web/invoice", sim.socket),
        Route("/web/invoice/item/{invoice_id}", http("item", sim.items), methods=["GET"]),
        Route("/web/invoice/file", http("file", sim.file_list), methods=["GET", "POST"]),
        Route("/files/{number}.{ext}", http("files", sim.file), methods=["GET"]),
    ]


class WsInvoice(WsInvoiceBase):
    # ---- the socket --------------------------------------------------------------------------

    async def socket(self, ws: WebSocket) -> None:
        user_id = ws.query_params.get("userId", "")
        if user_id != USER_ID:
            await ws.close(code=1008)  # before accept: the handshake is refused with 403
            return
        await ws.accept()
        self.state.sockets.add(ws)
        session = Session(user_id)
        # A reader of its own, so a close is seen even while a request is being handled (the
        # face wait): the platform then stops waiting and drops that invoice.
        reader = asyncio.ensure_future(self.read(ws, session))
        try:
            while True:
                raw = await session.inbox.get()
                if raw is None:
                    return
                await self.handle(ws, session, raw)
        except (WebSocketDisconnect, Closed):
            return
        except (RuntimeError, OSError):  # sending on a socket the client already closed
            return
        finally:
            self.state.sockets.discard(ws)
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def read(self, ws: WebSocket, session: Session) -> None:
        try:
            while True:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                raw = message.get("text")
                if raw is None:  # a binary frame: read it as UTF-8 text
                    raw = (message.get("bytes") or b"").decode("utf-8", errors="replace")
                session.inbox.put_nowait(raw)
        except (WebSocketDisconnect, RuntimeError, OSError):
            return
        finally:
            session.gone.set()
            session.inbox.put_nowait(None)

    async def close(self, ws: WebSocket) -> None:
        with contextlib.suppress(RuntimeError):
            await ws.close(code=1011)
        raise Closed

    async def handle(self, ws: WebSocket, session: Session, raw: str) -> None:
        try:
            message = json.loads(raw, parse_float=Decimal)
        except ValueError:
            await self.send(ws, session, "error", "0", "请求不是合法的 JSON")
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send(ws, session, "error", "0", "请求必须是带 type 的 JSON 对象")
            return
        kind: str = message["type"]
        data = message.get("data")
        actions: dict[str, Callable[[_FaultedSocket, Session, Any], Awaitable[Reply]]]
        actions = {
            "login": self.login,
            "invoice_info": self.invoice_info,
            "query_invoice": self.query,
            "query_invoice_download_zip": self.zip_retry,
        }
        action = actions.get(kind)
        if action is None:
            await self.send(ws, session, kind, "0", f"不支持的请求类型 {kind}")
            return
        reply_type = "invoice_pdf" if kind == "invoice_info" else kind
        # the zip retry draws its own faults: a fault there means "the download failed again"
        draw = FaultDraw() if action == self.zip_retry else self.state.faults.draw(VENDOR, kind)
        if draw.latency_ms:
            await asyncio.sleep(draw.latency_ms / 1000)
        if "http_500" in draw or "token_expired" in draw:
            if "token_expired" in draw:
                session.logged_in = False
            await self.send(ws, session, reply_type, "0", "服务繁忙或登录已失效,请稍后重试")
            return
        if "timeout_before" in draw:
            await asyncio.sleep(self.state.settings.hang_s)
            await self.close(ws)
        before_act = None
        if "ws_close" in draw:
            before_act = self.close
        session_ws = _FaultedSocket(ws, before_act)
        out_type, out_data, msg = await action(session_ws, session, data)
        if not out_type:
            return  # the action already answered (a failed face scan)
        if "drop_after" in draw:
            await self.close(ws)
        if "timeout_after" in draw:
            await asyncio.sleep(self.state.settings.hang_s)
            await self.close(ws)
        if "malformed" in draw:
            frame = json_body({"type": out_type, "sendToId": session.user_id, "data": out_data})
            await ws.send_text(malformed_body(frame).decode("utf-8", errors="replace"))
            return
        await self.send(ws, session, out_type, out_data, msg)
        if kind == "query_invoice" and out_data != "0":
            await self.push_zip(ws, session)

    # ---- login -------------------------------------------------------------------------------

    async def login(self, ws: _FaultedSocket, session: Session, data: Any) -> Reply:
        problem = self.check_login(data)
        await ws.before_act()
        session.logged_in = not problem
        return "login", "0" if problem else "1", problem

    # ---- issuing -----------------------------------------------------------------------------

    async def invoice_info(self, ws: _FaultedSocket, session: Session, data: Any) -> Reply:
        if not session.logged_in:
            return "invoice_pdf", "0", "请先登录税务局(login)"
        try:
            fields = self.parse_invoice(data)
        except Bad as exc:
            return "invoice_pdf", "0", exc.msg
        tax_id = self.state.settings.seller_tax_id
        if self.state.face.needed(VENDOR, tax_id):
            waiting = asyncio.ensure_future(self.state.face.wait_scan(VENDOR, tax_id, FACE_WAIT_S))
            await asyncio.sleep(0)  # let the waiter register before the QR goes out
            text = f"https://etax.sandbox.invalid/face?nsrsbh={tax_id}&id={secrets.token_hex(12)}"
            await self.send(ws.ws, session, "invoice_qrcode", qr_data_url(text))
            ok = await self.face_wait(session, waiting)
            if not ok:
                reason = "人脸识别失败" if ok is False else "人脸识别超时"
                await self.send(ws.ws, session, "invoice_qrcode", "0", reason)
                return "", None, ""
        await ws.before_act()
        serial = f"ws-{uuid.uuid4().hex[:20]}"
        try:
            invoice = self.state.invoices.issue(VENDOR, serial, **fields)
        except Refused as exc:
            return "invoice_pdf", "0", exc.message
        return "invoice_pdf", self.pdf_data(ws.ws, session, data, invoice), ""

    @staticmethod
    async def face_wait(session: Session, waiting: asyncio.Future[bool | None]) -> bool | None:
        """The scan's outcome; Closed when the client left first (the invoice is abandoned:
        a later scan makes nothing)."""
        gone = asyncio.ensure_future(session.gone.wait())
        either: set[asyncio.Future[Any]] = {waiting, gone}
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.sleep(0)  # a close that came with the scan still counts as leaving
        finally:
            gone.cancel()
            if not waiting.done():
                waiting.cancel()
        if session.gone.is_set():
            raise Closed
        return waiting.result()

    def parse_invoice(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise Bad("开票数据必须是 JSON 对象")
        for key in ("buyerName", "sellerName", "sellerIndentification"):
            if not _text(data.get(key)).strip():
                raise Bad(f"缺少必填字段 {key}")
        if data["sellerIndentification"] != self.state.settings.seller_tax_id:
            raise Bad("销售方统一信用代码与登录企业不一致")
        if data.get("sellerLoginAccount") != PHONE or data.get("sellerLoginPassword") != PASSWORD:
            raise Bad("销售方税务局登录帐号或密码错误")
        kind = _text(data.get("buyerInvoiceType") or "0")
        if kind not in ("0", "1"):
            raise Bad("buyerInvoiceType 只能是 0(普通票) 或 1(专票)")
        if kind == "1" and not _text(data.get("buyerIndentification")).strip():
            raise Bad("开具专票必须填写购买方统一信用代码 buyerIndentification")
        if len(_text(data.get("remark"))) > 450:
            raise Bad("备注 remark 最多 450 个字符")
        items = data.get("invoiceItems")
        if isinstance(items, str):
            try:
                items = json.loads(items, parse_float=Decimal)
            except ValueError:
                raise Bad("invoiceItems 不是合法的 JSON") from None
        if not isinstance(items, list) or not items:
            raise Bad("invoiceItems 至少需要一条商品")
        lines = [self.parse_item(item, i + 1) for i, item in enumerate(items)]
        problem = check_figures(lines)
        if problem:
            raise Bad(problem)
        return {
            "invoice_type": "81" if kind == "1" else "82",
            "seller_name": _text(data["sellerName"]),
            "buyer_name": _text(data["buyerName"]),
            "buyer_tax_id": _text(data.get("buyerIndentification")),
            "buyer_address": _text(data.get("buyerAddress")),
            "buyer_phone": _text(data.get("buyerPhone")),
            "buyer_bank": _text(data.get("buyerBank")),
            "buyer_account": _text(data.get("buyerBankAccount")),
            "buyer_email": _text(data.get("buyerEmail")),
            "remark": _text(data.get("remark")),
            "lines": lines,
        }

    def parse_item(self, item: Any, index: int) -> SbLine:
        if not isinstance(item, dict):
            raise Bad(f"第{index}个商品必须是 JSON 对象")
        name = _text(item.get("name")).strip()
        if not name:
            raise Bad(f"第{index}个商品缺少名称 name")
        quantity = to_decimal(item.get("quantity"))
        price = to_decimal(item.get("unitPrice"))
        if quantity is None or quantity <= 0:
            raise Bad(f"第{index}个商品的数量 quantity 必须是大于0的数字")
        if price is None or price <= 0:
            raise Bad(f"第{index}个商品的单价 unitPrice 必须是大于0的数字")
        if self.state.settings.ws_item_tax == "ignore":
            # only the documented item fields: the platform applies its own rate and code
            item = {k: v for k, v in item.items() if k not in ("taxRate", "taxClassificationCode")}
        raw_rate = item.get("taxRate")
        rate = DEFAULT_RATE if raw_rate in (None, "") else to_decimal(raw_rate)
        if rate is None or rate not in TAX_RATES:
            raise Bad(f"第{index}个商品的税率 taxRate 不在可用税率列表中")
        code = _text(item.get("taxClassificationCode")) or DEFAULT_TAX_CODE
        if len(code) != 19 or not code.isdigit():
            raise Bad(f"第{index}个商品的税收分类编码必须是19位数字")
        total = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
        tax = (total / (1 + rate) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        amount = total - tax
        return SbLine(
            index=index,
            name=name,
            tax_code=code,
            spec=_text(item.get("spec")),
            unit=_text(item.get("unit")),
            quantity=quantity,
            unit_price=(amount / quantity).quantize(Decimal("1e-12")).normalize(),
            amount=amount,
            tax_rate=rate,
            tax=tax,
        )

    def pdf_data(
        self, ws: WebSocket, session: Session, data: dict[str, Any], invoice: SbInvoice
    ) -> dict[str, Any]:
        items = data.get("invoiceItems")
        items_text = items if isinstance(items, str) else json_body(items).decode("utf-8")
        number = invoice.number or ""
        keys = [
            "buyerName",
            "buyerIndentification",
            "buyerAddress",
            "buyerPhone",
            "buyerInvoiceType",
            "buyerType",
            "buyerEmail",
            "buyerBank",
            "buyerBankAccount",
            "buyerBankShow",
            "sellerBankShow",
        ]
        out: dict[str, Any] = {key: _text(data.get(key)) for key in keys}
        out.update(
            {
                "vipId": session.user_id,
                "isDrafts": "0",
                "invoiceItems": items_text,
                "sellerName": _text(data.get("sellerName")),
                "sellerIndentification": _text(data.get("sellerIndentification")),
                "sellerBank": _text(data.get("sellerBank")),
                "sellerBankAccount": _text(data.get("sellerBankAccount")),
                "sellerLoginAccount": _text(data.get("sellerLoginAccount")),
                "sellerLoginPassword": _text(data.get("sellerLoginPassword")),
                "invoiceUrl": f"{self.http_base(ws)}/ws-invoice/files/{number}.pdf",
                "sellerAddress": _text(data.get("sellerAddress")),
                "sellerPhone": _text(data.get("sellerPhone")),
                "remark": _text(data.get("remark")),
            }
        )
        return out

    def http_base(self, ws: WebSocket) -> str:
        if self.state.base_http:
            return self.state.base_http
        return f"http://{ws.url.netloc}"
