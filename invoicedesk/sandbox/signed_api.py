"""Simulator of the `signed-api` vendor (signed-invoice-management-api.md), POSTed to /signed-api.

A JSON body carries the system parameters (flag, method, ver, charset, type, timestamp, sign)
and the method's parameters side by side. Reply envelope `{"code": 0, "message": "成功",
"data": …}` with HTTP 200; errors carry the document's codes and `data: null`.
Fault `endpoint` names: the method (`invoice.getInvoiceList`, …) or `signed-api`.

Readings made where the document is silent (README decisions first):
- `sign` is the ShopEx algorithm (domain-reference §10): drop `sign`, sort keys as byte
  strings, concatenate key+value recursively without separators (None skipped, booleans 1/0,
  objects and arrays recurse with their keys / indexes, integral numbers without a fraction),
  `UPPER(MD5(UPPER(MD5(s)) + secret))`.
- Check order: missing flag/method/timestamp/sign → 2001; wrong flag → 1001; type other than
  json → 1004; ver other than 1 or charset other than utf-8 → 2002; timestamp not
  yyyyMMddHHmmss or more than 5 minutes from the server's real Beijing time (not the sandbox
  clock, which only moves business time) → 1002; wrong sign → 1003; unknown method → 2003; method
  parameters missing → 2001, invalid → 2002. Not JSON / not an object → 400. The
  token_expired fault answers 401 未授权访问. Unknown paths under /signed-api → 2003.
- signed-api issues nothing: it lists the sandbox seller's invoices issued through ANY vendor
  (shared state). `invoice_bn` is the 20-digit number; FAW orders (no number) appear only in
  getResultList. `tax_no`/`company_name` are the BUYER's (the caller is the seller).
- `invoice_type` is the name (电子发票（普通发票）/ 电子发票（增值税专用发票）) and the filter
  accepts the name or the code 81/82; `invoice_status`: 已开票, 部分红冲, 已红冲 (blue) or
  红字发票 (red). Money fields are JSON numbers with exactly two decimals.
- getInvoiceList: page_no ≥ 1 (default 1); page_size default 50; values above 100 are
  clamped to 100 (the notes), whatever the table's 1000 says; below 1 → 2002. Rows are ordered
  by issue time then number. start_date/end_date (yyyy-MM-dd) filter inclusively.
- invoice.update params: `invoice_bn` (required) and at least one of `print_status` ("0"/"1"),
  `print_time` (yyyy-MM-dd HH:mm:ss), `print_count` (integer ≥ 0), `paper_invoice_no`
  (≤ 20). Stored on the invoice. The document shows no reply: success is the envelope with
  `data: null` (its most literal reading).
- invoice.getResultList: the document names the method and nothing else (no parameters, no
  reply). Most literal reading: a list like getInvoiceList's — the same paging and date range
  and the same `{"count", "lists"}` with the same documented row fields — of every issuing
  result of the seller, FAW orders (no number yet) included with `invoice_bn` null.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from invoicedesk.sandbox.core import (
    DecimalJSONResponse,
    SandboxState,
    SbInvoice,
    beijing_now,
    http_with_faults,
)
from invoicedesk.sandbox.wire import BadField, read_json_object

VENDOR = "signed-api"
FLAG = "sandbox-flag"
SECRET = "sandbox-secret"
SYSTEM_PARAMS = ("flag", "method", "ver", "charset", "type", "timestamp", "sign")
TYPE_NAMES = {"81": "电子发票（增值税专用发票）", "82": "电子发票（普通发票）"}
MESSAGES = {
    0: "成功",
    1: "参数错误",
    400: "参数错误",
    401: "未授权访问",
    403: "禁止访问",
    500: "服务器内部错误",
    1001: "非法的flag",
    1002: "请求已过期",
    1003: "签名错误",
    1004: "不支持的type格式",
    2001: "缺少必要的参数",
    2002: "非法的请求参数",
    2003: "接口不存在",
}

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, code: int, detail: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def reply(code: int, data: Any = None, detail: str = "") -> Response:
    message = MESSAGES.get(code, "错误")
    if detail:
        message = f"{message}：{detail}"
    return DecimalJSONResponse({"code": code, "message": message, "data": data})


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def assemble(params: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in sorted(params, key=lambda k: str(k).encode("utf-8")):
        value = params[key]
        if value is None:
            continue
        if isinstance(value, dict):
            parts.append(f"{key}{assemble(value)}")
        elif isinstance(value, list):
            parts.append(f"{key}{assemble({str(i): v for i, v in enumerate(value)})}")
        else:
            parts.append(f"{key}{_scalar(value)}")
    return "".join(parts)


def sign(params: dict[str, Any], secret: str) -> str:
    body = {k: v for k, v in params.items() if k != "sign"}
    inner = hashlib.md5(assemble(body).encode("utf-8")).hexdigest().upper()
    return hashlib.md5((inner + secret).encode("utf-8")).hexdigest().upper()


# ---- checks ----------------------------------------------------------------------------------


def check_system(body: dict[str, Any], now: datetime, window_s: int = 300) -> str:
    """The method name once the system parameters pass; ApiError otherwise."""
    missing = [k for k in ("flag", "method", "timestamp", "sign") if body.get(k) in (None, "")]
    if missing:
        raise ApiError(2001, "缺少系统参数 " + "、".join(missing))
    if body["flag"] != FLAG:
        raise ApiError(1001)
    if str(body.get("type", "json")) != "json":
        raise ApiError(1004)
    if _scalar(body.get("ver", 1)) != "1":
        raise ApiError(2002, "ver 固定为 1")
    if str(body.get("charset", "utf-8")).lower() != "utf-8":
        raise ApiError(2002, "charset 固定为 utf-8")
    stamp = body["timestamp"]
    try:
        when = datetime.strptime(str(stamp), "%Y%m%d%H%M%S")
    except ValueError:
        raise ApiError(1002, "timestamp 格式应为 yyyyMMddHHmmss") from None
    if len(str(stamp)) != 14 or abs((now - when).total_seconds()) > window_s:
        raise ApiError(1002)
    if not isinstance(body["sign"], str) or body["sign"].upper() != sign(body, SECRET):
        raise ApiError(1003)
    method = body["method"]
    if not isinstance(method, str):
        raise ApiError(2003)
    return method


def _str(body: dict[str, Any], key: str, *, required: bool = False, max_len: int = 64) -> str:
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise ApiError(2001, f"缺少参数 {key}")
        return ""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        value = _scalar(value)
    if not isinstance(value, str):
        raise ApiError(2002, f"{key} 必须是字符串")
    if len(value) > max_len:
        raise ApiError(2002, f"{key} 超长（最多 {max_len} 个字符）")
    return value


def _int(body: dict[str, Any], key: str, default: int) -> int:
    value = body.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ApiError(2002, f"{key} 必须是整数")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ApiError(2002, f"{key} 必须是整数") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ApiError(2002, f"{key} 必须是整数")
    return int(number)


def _date(body: dict[str, Any], key: str) -> date | None:
    value = _str(body, key, max_len=10)
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ApiError(2002, f"{key} 日期格式必须为 yyyy-MM-dd") from None


def _paging(body: dict[str, Any]) -> tuple[int, int]:
    page_no = _int(body, "page_no", 1)
    page_size = _int(body, "page_size", 50)
    if page_no < 1:
        raise ApiError(2002, "page_no 必须大于等于 1")
    if page_size < 1:
        raise ApiError(2002, "page_size 必须大于等于 1")
    return page_no, min(page_size, 100)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def status_name(invoice: SbInvoice) -> str:
    if invoice.color == "red":
        return "红字发票"
    return {"red_fully": "已红冲", "red_partly": "部分红冲"}.get(invoice.status, "已开票")


# ---- methods ---------------------------------------------------------------------------------


def seller_invoices(state: SandboxState, *, numbered: bool = True) -> list[SbInvoice]:
    rows = [
        x
        for x in state.invoices.all()
        if x.seller_tax_id == state.settings.seller_tax_id and (x.number or not numbered)
    ]
    rows.sort(key=lambda x: (x.issued_at, x.number or "", x.serial))
    return rows


def in_range(invoice: SbInvoice, start: date | None, end: date | None) -> bool:
    day = invoice.issued_at.date()
    return (start is None or day >= start) and (end is None or day <= end)


def get_invoice(state: SandboxState, body: dict[str, Any]) -> Any:
    number = _str(body, "invoice_bn", required=True)
    invoice = state.invoices.get(number)
    if invoice is None or invoice.seller_tax_id != state.settings.seller_tax_id:
        raise ApiError(2002, f"发票 {number} 不存在")
    return {
        "invoice_bn": invoice.number,
        "invoice_type": TYPE_NAMES.get(invoice.invoice_type, invoice.invoice_type),
        "invoice_status": status_name(invoice),
        "tax_no": invoice.buyer_tax_id,
        "company_name": invoice.buyer_name,
        "amount": _money(invoice.amount),
        "tax_amount": _money(invoice.tax),
        "total_amount": _money(invoice.total),
        "issue_date": invoice.issued_at.strftime("%Y-%m-%d"),
        "items": [
            {
                "item_name": line.name,
                "spec": line.spec,
                "unit": line.unit,
                "quantity": line.quantity,
                "price": line.unit_price,
                "amount": _money(line.amount),
            }
            for line in invoice.lines
        ],
    }


def get_invoice_list(state: SandboxState, body: dict[str, Any]) -> Any:
    start, end = _date(body, "start_date"), _date(body, "end_date")
    kind = _str(body, "invoice_type")
    status = _str(body, "invoice_status")
    page_no, page_size = _paging(body)
    rows = [
        x
        for x in seller_invoices(state)
        if in_range(x, start, end)
        and (not kind or kind in (x.invoice_type, TYPE_NAMES.get(x.invoice_type)))
        and (not status or status == status_name(x))
    ]
    page = rows[(page_no - 1) * page_size : page_no * page_size]
    return {
        "count": len(rows),
        "lists": [
            {
                "invoice_bn": x.number,
                "invoice_type": TYPE_NAMES.get(x.invoice_type, x.invoice_type),
                "invoice_status": status_name(x),
                "company_name": x.buyer_name,
                "total_amount": _money(x.total),
                "issue_date": x.issued_at.strftime("%Y-%m-%d"),
            }
            for x in page
        ],
    }


def update(state: SandboxState, body: dict[str, Any]) -> Any:
    number = _str(body, "invoice_bn", required=True)
    invoice = state.invoices.get(number)
    if invoice is None or invoice.seller_tax_id != state.settings.seller_tax_id:
        raise ApiError(2002, f"发票 {number} 不存在")
    changes: dict[str, Any] = {}
    if body.get("print_status") not in (None, ""):
        value = _str(body, "print_status", max_len=1)
        if value not in ("0", "1"):
            raise ApiError(2002, "print_status 必须是 0 或 1")
        changes["print_status"] = value
    if body.get("print_time") not in (None, ""):
        value = _str(body, "print_time", max_len=19)
        try:
            datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise ApiError(2002, "print_time 格式必须为 yyyy-MM-dd HH:mm:ss") from None
        changes["print_time"] = value
    if body.get("print_count") not in (None, ""):
        count = _int(body, "print_count", 0)
        if count < 0:
            raise ApiError(2002, "print_count 不能小于 0")
        changes["print_count"] = count
    if body.get("paper_invoice_no") not in (None, ""):
        changes["paper_invoice_no"] = _str(body, "paper_invoice_no", max_len=20)
    if not changes:
        raise ApiError(
            2001, "至少需要 print_status、print_time、print_count、paper_invoice_no 之一"
        )
    invoice.extra.setdefault("print", {}).update(changes)
    return None


def get_result_list(state: SandboxState, body: dict[str, Any]) -> Any:
    start, end = _date(body, "start_date"), _date(body, "end_date")
    page_no, page_size = _paging(body)
    rows = [x for x in seller_invoices(state, numbered=False) if in_range(x, start, end)]
    page = rows[(page_no - 1) * page_size : page_no * page_size]
    return {
        "count": len(rows),
        "lists": [
            {
                "invoice_bn": x.number,
                "invoice_type": TYPE_NAMES.get(x.invoice_type, x.invoice_type),
                "invoice_status": status_name(x),
                "company_name": x.buyer_name,
                "total_amount": _money(x.total),
                "issue_date": x.issued_at.strftime("%Y-%m-%d"),
            }
            for x in page
        ],
    }


METHODS = {
    "invoice.getInvoice": get_invoice,
    "invoice.getInvoiceList": get_invoice_list,
    "invoice.update": update,
    "invoice.getResultList": get_result_list,
}


async def _method_name(request: Request) -> str:
    try:
        body = await read_json_object(request)
    except BadField:
        return VENDOR
    method = body.get("method")
    return method if isinstance(method, str) and len(method) < 64 else VENDOR


def handler(state: SandboxState) -> Any:
    async def act(request: Request) -> Response:
        try:
            if request.method != "POST":
                return reply(400, None, "请使用 POST")
            try:
                body = await read_json_object(request)
            except BadField as exc:
                return reply(400, None, exc.message)
            method = check_system(body, beijing_now(), state.settings.signed_window_s)
            run = METHODS.get(method)
            if run is None:
                raise ApiError(2003, method[:64])
            return reply(0, run(state, body))
        except ApiError as exc:
            return reply(exc.code, None, exc.detail)
        except Exception:
            log.exception("signed-api simulator failed")
            return reply(500)

    async def endpoint(request: Request) -> Response:
        method = await _method_name(request)
        return await http_with_faults(
            state,
            VENDOR,
            method,
            request,
            act,
            token_expired=lambda: reply(401, None, "签名凭据已过期"),
            aliases=(VENDOR,),
        )

    return endpoint


def routes(state: SandboxState) -> list[BaseRoute]:
    """Mounted at /signed-api; the server also routes the bare /signed-api here."""
    run = handler(state)

    async def unknown(request: Request) -> Response:
        return reply(2003, None, f"路径 {request.url.path[:200]} 不存在，请 POST 到基础地址")

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return [Route("/", run, methods=methods), Route("/{path:path}", unknown, methods=methods)]
