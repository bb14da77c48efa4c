"""The WebSocket invoice simulator's constants and sessions, its queries and its HTTP reads
(ws_invoice.py describes what it decides where the document is silent)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import qrcode
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from invoicedesk.sandbox.core import (
    BEIJING,
    DecimalJSONResponse,
    SandboxState,
    SbInvoice,
    json_body,
    to_decimal,
)
from invoicedesk.sandbox.files import file_bytes

log = logging.getLogger(__name__)


VENDOR = "ws-invoice"
USER_ID = "sandbox-user"
PHONE = "13800000000"
PASSWORD = "sandbox-password"
DEFAULT_RATE = Decimal("0.01")
DEFAULT_TAX_CODE = "3040201010000000000"
FACE_WAIT_S = 300.0
FILE_TYPES = ("pdf", "ofd", "xml")
CENT = Decimal("0.01")
TAX_RATES = {
    Decimal(x) for x in ("0", "0.005", "0.01", "0.015", "0.03", "0.05", "0.06", "0.09", "0.13")
}


Reply = tuple[str, Any, str]  # (reply type, data, msg); type "" = already answered


class Closed(Exception):
    """The socket was closed by a fault: stop the session."""


class Bad(Exception):
    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


@dataclass
class Session:
    user_id: str
    logged_in: bool = False
    zip_events: set[str] = field(default_factory=set)
    # frames read off the socket by the reader task; None = the client has gone
    inbox: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    gone: asyncio.Event = field(default_factory=asyncio.Event)  # the client closed the socket


def basic_id(number: str) -> int:
    return int(number[2:])


def fmt_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


def qr_data_url(text: str) -> str:
    image = qrcode.make(text)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


class WsInvoiceBase:
    """The shared state, the queries (query_invoice, the zip push and its retry) and the HTTP
    reads (items, file lists, files)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def send(
        self, ws: WebSocket, session: Session, kind: str, data: Any, msg: str = ""
    ) -> None:
        frame: dict[str, Any] = {"type": kind, "sendToId": session.user_id, "data": data}
        if msg:
            # the document has no field for a reason: it stays in the sandbox's log
            log.info("ws-invoice %s %s: %s", kind, _text(data)[:20], msg)
        await ws.send_text(json_body(frame).decode("utf-8"))

    def check_login(self, data: Any) -> str:
        """'' when the credentials are the sandbox's, else the reason."""
        if not isinstance(data, dict):
            return "登录数据必须是 JSON 对象"
        for key in ("companyCode", "phone", "password", "area", "role"):
            if not _text(data.get(key)).strip():
                return f"缺少登录字段 {key}"
        if data["companyCode"] != self.state.settings.seller_tax_id:
            return "纳税人识别号不正确"
        if data["phone"] != PHONE or data["password"] != PASSWORD:
            return "账号或密码错误"
        return ""

    # ---- queries -----------------------------------------------------------------------------

    async def query(self, ws: _FaultedSocket, session: Session, data: Any) -> Reply:
        if not isinstance(data, dict):
            return "query_invoice", "0", "查询数据必须是 JSON 对象"
        problem = self.check_login(data.get("login"))
        if problem:
            return "query_invoice", "0", problem
        try:
            page = self.find(data.get("condition"), data.get("page"))
        except Bad as exc:
            return "query_invoice", "0", exc.msg
        await ws.before_act()
        return "query_invoice", page, ""

    def find(self, condition: Any, page: Any) -> dict[str, Any]:
        if not isinstance(condition, dict):
            raise Bad("缺少查询条件 condition")
        if not isinstance(page, dict):
            raise Bad("缺少分页参数 page")
        try:
            start = datetime.strptime(_text(condition.get("startInvoiceDate")), "%Y-%m-%d")
            end = datetime.strptime(_text(condition.get("endInvoiceDate")), "%Y-%m-%d")
        except ValueError:
            raise Bad("开票日期起止 startInvoiceDate/endInvoiceDate 必须是 yyyy-MM-dd") from None
        size = to_decimal(page.get("pageSize"))
        number = to_decimal(page.get("pageNumber"))
        if size is None or not 1 <= size <= 1000 or size != size.to_integral_value():
            raise Bad("pageSize 必须是 1 到 1000 的整数")
        if number is None or number < 1 or number != number.to_integral_value():
            raise Bad("pageNumber 必须是大于等于 1 的整数")
        rows = [x for x in self.state.invoices.all() if x.number and self._match(x, condition)]
        rows = [x for x in rows if start.date() <= x.issued_at.date() <= end.date()]
        if _text(condition.get("queryType")) == "1":
            rows = []
        rows.sort(key=lambda x: (x.issued_at, x.number or ""))
        per, current = int(size), int(number)
        pages = (len(rows) + per - 1) // per
        chunk = rows[(current - 1) * per : current * per]
        return {
            "data": [self.row(x) for x in chunk],
            "total": len(rows),
            "currentPage": current,
            "totalPage": pages,
            "hasNext": current < pages,
        }

    def _match(self, invoice: SbInvoice, condition: dict[str, Any]) -> bool:
        if invoice.seller_tax_id != self.state.settings.seller_tax_id:
            return False
        wanted = _text(condition.get("countETicketNumbers") or condition.get("invoiceNumber"))
        if wanted and invoice.number != wanted:
            return False
        buyer_id = _text(condition.get("buyerIdentificationNumber"))
        if buyer_id and invoice.buyer_tax_id != buyer_id:
            return False
        buyer_name = _text(condition.get("buyerName"))
        if buyer_name and buyer_name not in invoice.buyer_name:
            return False
        positive = _text(condition.get("isInvoicePositive"))
        if positive:
            want_blue = positive in ("是", "1", "Y", "y", "true")
            if want_blue != (invoice.color == "blue"):
                return False
        low = to_decimal(condition.get("startInvoiceValue"))
        high = to_decimal(condition.get("endInvoiceValue"))
        # 发票金额: with tax, or (settings.ws_value_reading "amount") without
        by_amount = self.state.settings.ws_value_reading == "amount"
        value = invoice.amount if by_amount else invoice.total
        if low is not None and value < low:
            return False
        return high is None or value <= high

    def row(self, invoice: SbInvoice) -> dict[str, Any]:
        number = invoice.number or ""
        return {
            "specificBusinessType": "",
            "id": basic_id(number),
            "countETicketNumbers": number,
            "sellerIdentificationNumber": invoice.seller_tax_id,
            "sellerName": invoice.seller_name,
            "buyerIdentificationNumber": invoice.buyer_tax_id,
            "buyerName": invoice.buyer_name,
            "invoiceDate": int(invoice.issued_at.replace(tzinfo=BEIJING).timestamp() * 1000),
            "totalAmount": invoice.amount,
            "totalTax": invoice.tax,
            "totalPriceAndTax": invoice.total,
            "invoiceSource": "电子发票服务平台",
            "invoiceType": "数电票(增值税专用发票)"
            if invoice.invoice_type == "81"
            else "数电票(普通发票)",
            "invoiceStatus": {"red_partly": "部分红冲", "red_fully": "已红冲"}.get(
                invoice.status, "正常"
            ),
            "isInvoicePositive": "是" if invoice.color == "blue" else "否",
            "invoiceRiskLevel": "正常",
            "drawer": "",
            "note": invoice.remark,
            "vipId": USER_ID,
            "queryType": 0,
        }

    async def push_zip(self, ws: WebSocket, session: Session) -> None:
        draw = self.state.faults.draw(VENDOR, "query_invoice_download_zip")
        if draw.kinds:
            event = self.new_event(session)
            await self.send(ws, session, "query_invoice_download_zip", event, "文件下载失败")
        else:
            await self.send(ws, session, "query_invoice_download_zip", "1")

    def new_event(self, session: Session) -> str:
        when = self.state.clock.now()
        event = fmt_time(when)
        step = 0
        while event in session.zip_events:  # unique per socket: step a second on
            step += 1
            event = fmt_time(when + timedelta(seconds=step))
        session.zip_events.add(event)
        return event

    async def zip_retry(self, ws: _FaultedSocket, session: Session, data: Any) -> Reply:
        event = _text(data)
        if event not in session.zip_events:
            return "query_invoice_download_zip", "0", "没有这次失败的下载记录"
        await ws.before_act()
        if self.state.faults.draw(VENDOR, "query_invoice_download_zip").kinds:
            return "query_invoice_download_zip", event, "文件下载失败"
        session.zip_events.discard(event)
        return "query_invoice_download_zip", "1", ""

    # ---- HTTP reads --------------------------------------------------------------------------

    def by_id(self, raw: str) -> SbInvoice | None:
        if not raw.isdigit():
            return None
        for invoice in self.state.invoices.all():
            if invoice.number and basic_id(invoice.number) == int(raw):
                return invoice
        return None

    async def items(self, request: Request) -> Response:
        invoice = self.by_id(request.path_params["invoice_id"])
        if invoice is None:
            return DecimalJSONResponse({"code": 500, "msg": "发票不存在", "data": []})
        number = invoice.number or ""
        rows = [
            {
                "id": int(number[5:]) * 10000 + line.index,
                "invoiceBasicInfoId": basic_id(number),
                "countETicketNumbers": number,
                "taxClassificationCode": line.tax_code,
                "specificBusinessType": "",
                "itemName": line.name,
                "spec": line.spec,
                "unit": line.unit,
                "quantity": line.quantity,
                "unitPrice": line.unit_price,
                "amount": line.amount,
                "taxRate": f"{line.tax_rate:f}",
                "tax": line.tax,
                "totalPriceAndTax": line.amount + line.tax,
            }
            for line in invoice.lines
        ]
        return DecimalJSONResponse({"code": 0, "msg": "", "data": rows})

    async def file_list(self, request: Request) -> Response:
        ids = _list_param(request, "invoiceIdList")
        types = _list_param(request, "typeList")
        if request.method == "POST" or not ids:
            body = await request.body()
            if body.strip():
                try:
                    obj = json.loads(body)
                except ValueError:
                    obj = {}
                if isinstance(obj, dict):
                    ids = ids or [str(x) for x in obj.get("invoiceIdList") or []]
                    types = types or [str(x) for x in obj.get("typeList") or []]
        if not ids:
            return DecimalJSONResponse({"code": 400, "msg": "缺少 invoiceIdList", "data": []})
        types = [t.lower() for t in types] or list(FILE_TYPES)
        bad = [t for t in types if t not in FILE_TYPES]
        if bad:
            return DecimalJSONResponse(
                {"code": 400, "msg": f"不支持的文件类型 {bad[0]}", "data": []}
            )
        base = f"{request.url.scheme}://{request.url.netloc}/ws-invoice/files"
        rows = []
        for raw in ids:
            invoice = self.by_id(raw)
            if invoice is None or not invoice.number:
                continue
            for position, kind in enumerate(types):
                rows.append(
                    {
                        "id": basic_id(invoice.number) * 10 + position,
                        "invoiceBasicInfoId": basic_id(invoice.number),
                        "countETicketNumbers": invoice.number,
                        "url": f"{base}/{invoice.number}.{kind}",
                        "type": kind,
                    }
                )
        return DecimalJSONResponse({"code": 0, "msg": "", "data": rows})

    async def file(self, request: Request) -> Response:
        invoice = self.state.invoices.get(request.path_params["number"])
        if invoice is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        try:
            content, media = file_bytes(invoice, request.path_params["ext"])
        except ValueError:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return Response(content, media_type=media)


def _list_param(request: Request, name: str) -> list[str]:
    values = request.query_params.getlist(name) + request.query_params.getlist(f"{name}[]")
    out: list[str] = []
    for value in values:
        out.extend(x.strip() for x in value.split(",") if x.strip())
    return out


class _FaultedSocket:
    """The socket plus the hook that a ws_close fault fires right before the action commits."""

    def __init__(
        self, ws: WebSocket, close_before: Callable[[WebSocket], Awaitable[None]] | None
    ) -> None:
        self.ws = ws
        self.close_before = close_before

    async def before_act(self) -> None:
        if self.close_before is not None:
            await self.close_before(self.ws)
