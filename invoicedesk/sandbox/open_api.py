"""Simulator of the `open-api` vendor (open-api-v1.json), mounted under /open-api.

Endpoints (fault `endpoint` names in brackets: the literal last path segment, or the alias):
  POST /api/open/v1/blue-invoices                     [blue-invoices]   single issue
  GET  /api/open/v1/blue-invoices/{serial}            [<serial>, query] poll by serial
  GET  /api/open/v1/blue-invoices/{serial}/sample     [sample]          PDF URL
  POST /api/open/v1/blue-invoices/batches             [batches]         batch issue
  GET  /api/open/v1/blue-invoices/batches/{batchNo}   [<batchNo>, batch-query]
  GET  /files/{serial}.pdf                            [files]           the PDF (no key: the URL
                                                                        is the capability)

Readings made where the document is silent:
- Envelope `{"code": "0", "message": "成功", "data": …}`; errors use the HTTP status as their
  code: "400" bad request (message names the field), "401" missing/wrong X-Api-Key (also the
  token_expired fault), "404" unknown serial/batch/path, "405" wrong method, "409" no sample
  yet (still PROCESSING or FAILED), "500" internal error. `data` is null on errors.
- Issuing: the request is validated at once (shape, types, lengths, 81/82, 19-digit tax code,
  tax rate in the 数电 list, quantity×price vs amount within 0.01, money ≤ 2 decimals, amounts
  > 0); the tax-bureau step then runs in the background for `open_api_processing_s` seconds:
  PROCESSING → SUCCESS (data.code "0000"), or FAILED (data.code "2001" with the refusal, e.g.
  the credit line is exhausted). The create answer is always PROCESSING (or, for a repeated
  invoiceReqSerialNo, the current state of the first request: dedupe, nothing issued twice).
- `includeTaxFlag` "1" (the default): invoiceAmount/unitPrice include tax, tax =
  round(incl ÷ (1+rate) × rate, 2) HALF_UP, amount = incl − tax. "0": amount = invoiceAmount,
  tax = round(amount × rate, 2).
- Limits: requestNo ≤ 64, invoiceReqSerialNo ≤ 40 ([A-Za-z0-9_-]), batchNo ≤ 64, buyerName
  ≤ 300, buyerTaxpayerNum ≤ 20 (required for 81), remark ≤ 450, goodsName ≤ 300, takerTel ≤ 60,
  takerEmail ≤ 100, itemList 1–2000 lines, a batch 1–100 items.
- invoiceNo is the last 8 digits of the 20-digit electronicInvoiceNo; invoiceCode is null.
- Batch: a bad batch envelope (batchNo, items) is refused with 400; an item that fails
  validation becomes FAILED with errorCode "400" and the message; a repeated batchNo returns
  the first batch. Batch status: PROCESSING while any item is, else SUCCESS / FAILED /
  PARTIAL_FAILED.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route

from invoicedesk.sandbox.core import (
    DecimalJSONResponse,
    Refused,
    SandboxState,
    SbLine,
    check_figures,
    http_with_faults,
    q2,
)
from invoicedesk.sandbox.wire import BadField, decimal_text, money_scale, read_json_object, text

VENDOR = "open-api"
API_KEY = "sandbox-api-key"
TAX_RATES = {Decimal(x) for x in ("0", "0.005", "0.01", "0.015", "0.03", "0.05", "0.06", "0.09")}
TAX_RATES |= {Decimal("0.13")}
SERIAL_RE = re.compile(r"^[A-Za-z0-9_-]+$")
MESSAGES = {400: "参数错误", 401: "未授权", 404: "不存在", 405: "请求方法不支持", 409: "状态冲突"}

log = logging.getLogger(__name__)


def envelope(code: int | str, message: str, data: Any = None, status: int = 200) -> Response:
    return DecimalJSONResponse({"code": str(code), "message": message, "data": data}, status)


def error(status: int, message: str) -> Response:
    return envelope(status, message, None, status)


def token_expired() -> Response:
    return error(401, "未授权：X-Api-Key 无效或已过期")


@dataclass
class OpenRequest:
    serial: str
    request_no: str
    fields: dict[str, Any]
    started: float
    status: str = "PROCESSING"
    number: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    batch_no: str | None = None


@dataclass
class Batch:
    batch_no: str
    items: list[tuple[str, str, OpenRequest | None, str | None]] = field(default_factory=list)
    # (requestNo, serial, request or None when refused, refusal message)


def _requests(state: SandboxState) -> dict[str, OpenRequest]:
    requests: dict[str, OpenRequest] = state.scratch(VENDOR).setdefault("requests", {})
    return requests


def _batches(state: SandboxState) -> dict[str, Batch]:
    batches: dict[str, Batch] = state.scratch(VENDOR).setdefault("batches", {})
    return batches


# ---- validation ------------------------------------------------------------------------------


def parse_invoice(body: dict[str, Any], prefix: str = "") -> tuple[str, str, dict[str, Any]]:
    """(requestNo, serial, issue fields) from one invoice request; BadField when invalid."""
    request_no = text(body, "requestNo", required=True, max_len=64, prefix=prefix)
    serial = text(body, "invoiceReqSerialNo", required=True, max_len=40, prefix=prefix)
    if not SERIAL_RE.match(serial):
        raise BadField(f"字段 {prefix}invoiceReqSerialNo 只能包含字母、数字、- 和 _")
    kind = text(body, "invoiceIssueKindCode", required=True, max_len=2, prefix=prefix)
    if kind not in ("81", "82"):
        raise BadField(f"字段 {prefix}invoiceIssueKindCode 必须是 81（专票）或 82（普票）")
    buyer_name = text(body, "buyerName", required=True, max_len=300, prefix=prefix)
    buyer_tax_id = text(body, "buyerTaxpayerNum", max_len=20, prefix=prefix, required=kind == "81")
    remark = text(body, "remark", max_len=450, prefix=prefix)
    text(body, "takerName", max_len=150, prefix=prefix)
    text(body, "takerTel", max_len=60, prefix=prefix)
    email = text(body, "takerEmail", max_len=100, prefix=prefix)
    items = body.get("itemList")
    if not isinstance(items, list) or not items:
        raise BadField(f"字段 {prefix}itemList 必须是非空数组")
    if len(items) > 2000:
        raise BadField(f"字段 {prefix}itemList 最多 2000 行")
    lines = [parse_line(item, i + 1, f"{prefix}itemList[{i}].") for i, item in enumerate(items)]
    problem = check_figures(lines)
    if problem:
        raise BadField(problem)
    fields = {
        "invoice_type": kind,
        "buyer_name": buyer_name,
        "buyer_tax_id": buyer_tax_id,
        "buyer_email": email,
        "remark": remark,
        "lines": lines,
    }
    return request_no, serial, fields


def parse_line(item: Any, index: int, prefix: str) -> SbLine:
    if not isinstance(item, dict):
        raise BadField(f"{prefix.rstrip('.')} 必须是对象")
    name = text(item, "goodsName", required=True, max_len=300, prefix=prefix)
    code = text(item, "taxClassificationCode", required=True, max_len=19, prefix=prefix)
    if not (len(code) == 19 and code.isdigit()):
        raise BadField(f"字段 {prefix}taxClassificationCode 必须是 19 位数字")
    flag = text(item, "includeTaxFlag", max_len=1, prefix=prefix) or "1"
    if flag not in ("0", "1"):
        raise BadField(f"字段 {prefix}includeTaxFlag 必须是 0 或 1")
    quantity = decimal_text(item, "quantity", prefix=prefix)
    price = decimal_text(item, "unitPrice", prefix=prefix)
    if (quantity is None) != (price is None):
        raise BadField(f"第{index}行：数量和单价必须同时填写或同时不填")
    entered = decimal_text(item, "invoiceAmount", required=True, prefix=prefix)
    rate = decimal_text(item, "taxRateValue", required=True, prefix=prefix)
    assert entered is not None and rate is not None
    money_scale(entered, f"{prefix}invoiceAmount")
    if entered <= 0:
        raise BadField(f"字段 {prefix}invoiceAmount 必须大于 0")
    if rate not in TAX_RATES:
        raise BadField(f"字段 {prefix}taxRateValue 不是可用税率：{rate}")
    if quantity is not None and price is not None:
        if quantity <= 0 or price <= 0:
            raise BadField(f"第{index}行：数量和单价必须大于 0")
        if abs(quantity * price - entered) > Decimal("0.01"):
            raise BadField(f"第{index}行：单价×数量与金额相差超过0.01")
    if flag == "1":
        tax = q2(entered / (1 + rate) * rate)
        amount = entered - tax
        unit_price = _plain(amount / quantity) if quantity else None
    else:
        amount = entered
        tax = q2(amount * rate)
        unit_price = price
    return SbLine(
        index=index,
        name=name,
        tax_code=code,
        spec=text(item, "specificationModel", max_len=150, prefix=prefix),
        unit=text(item, "unit", max_len=300, prefix=prefix),
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
        tax_rate=rate,
        tax=tax,
    )


def _plain(value: Decimal) -> Decimal:
    """At most 8 decimals, trailing zeros dropped, never in exponent form (5E+1)."""
    return Decimal(f"{value.quantize(Decimal('1e-8')).normalize():f}")


# ---- processing ------------------------------------------------------------------------------


def finish(state: SandboxState, record: OpenRequest) -> None:
    """The background tax-bureau step: issue (SUCCESS) or refuse (FAILED)."""
    if record.status != "PROCESSING" or _requests(state).get(record.serial) is not record:
        return  # already done, or the sandbox was reset meanwhile
    try:
        invoice = state.invoices.issue(VENDOR, record.serial, **dict(record.fields))
    except Refused as exc:
        record.status, record.error_code, record.error_message = "FAILED", "2001", exc.message
        return
    record.status, record.number = "SUCCESS", invoice.number


def settle(state: SandboxState, record: OpenRequest) -> None:
    if time.monotonic() - record.started >= state.settings.open_api_processing_s:
        finish(state, record)


def accept(
    state: SandboxState, request_no: str, serial: str, fields: dict[str, Any]
) -> OpenRequest:
    existing = _requests(state).get(serial)
    if existing is not None:
        settle(state, existing)
        return existing
    record = OpenRequest(serial, request_no, fields, time.monotonic())
    _requests(state)[serial] = record
    delay = state.settings.open_api_processing_s
    if delay <= 0:
        finish(state, record)
    else:
        asyncio.get_running_loop().call_later(delay, finish, state, record)
    return record


def result_json(state: SandboxState, record: OpenRequest, base: str) -> dict[str, Any]:
    settle(state, record)
    invoice = state.invoices.find_serial(VENDOR, record.serial)
    out: dict[str, Any] = {
        "invoiceReqSerialNo": record.serial,
        "status": record.status,
        "code": None,
        "message": "开票中",
        "invoiceCode": None,
        "invoiceNo": None,
        "electronicInvoiceNo": None,
        "invoiceDate": None,
        "buyerName": record.fields.get("buyer_name"),
        "totalAmount": None,
        "downloadUrl": None,
    }
    if record.status == "FAILED":
        out.update(code=record.error_code, message=record.error_message)
    elif record.status == "SUCCESS" and invoice is not None and invoice.number:
        out.update(
            code="0000",
            message="开票成功",
            invoiceNo=invoice.number[-8:],
            electronicInvoiceNo=invoice.number,
            invoiceDate=invoice.issued_at.strftime("%Y-%m-%d %H:%M:%S"),
            buyerName=invoice.buyer_name,
            totalAmount=str(invoice.total),
            downloadUrl=f"{base}/open-api/files/{record.serial}.pdf",
        )
    return out


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


# ---- endpoints -------------------------------------------------------------------------------

Inner = Callable[[Request], Awaitable[Response]]


def routes(state: SandboxState) -> list[BaseRoute]:
    def endpoint(name: str, inner: Inner, *aliases: str, auth: bool = True) -> Inner:
        async def act(request: Request) -> Response:
            try:
                if auth and request.headers.get("x-api-key") != API_KEY:
                    return error(401, "未授权：X-Api-Key 无效或缺失")
                return await inner(request)
            except BadField as exc:
                return error(400, f"参数错误：{exc.message}")
            except Refused as exc:
                return error(400, exc.message)
            except Exception:
                log.exception("open-api simulator failed")
                return error(500, "系统内部错误")

        async def run(request: Request) -> Response:
            segment = request.url.path.rstrip("/").rsplit("/", 1)[-1] if name == "" else name
            return await http_with_faults(
                state, VENDOR, segment, request, act, token_expired=token_expired, aliases=aliases
            )

        return run

    async def create(request: Request) -> Response:
        body = await read_json_object(request)
        request_no, serial, fields = parse_invoice(body)
        record = accept(state, request_no, serial, fields)
        data = {"requestNo": record.request_no, "invoiceReqSerialNo": serial}
        data["status"] = record.status
        return envelope("0", "成功", data)

    async def query(request: Request) -> Response:
        record = _requests(state).get(request.path_params["serial"])
        if record is None:
            return error(404, f"未找到开票请求 {request.path_params['serial'][:64]}")
        return envelope("0", "成功", result_json(state, record, _base(request)))

    async def sample(request: Request) -> Response:
        serial = request.path_params["serial"]
        record = _requests(state).get(serial)
        if record is None:
            return error(404, f"未找到开票请求 {serial[:64]}")
        settle(state, record)
        if record.status != "SUCCESS":
            return error(409, f"发票尚未开具成功（状态 {record.status}），暂无票样")
        url = f"{_base(request)}/open-api/files/{serial}.pdf"
        return envelope("0", "成功", {"invoiceReqSerialNo": serial, "downloadUrl": url})

    async def batch_create(request: Request) -> Response:
        body = await read_json_object(request)
        batch_no = text(body, "batchNo", required=True, max_len=64)
        items = body.get("items")
        existing = _batches(state).get(batch_no)
        if existing is not None:
            return envelope("0", "成功", batch_head(existing))
        if not isinstance(items, list) or not items:
            raise BadField("字段 items 必须是非空数组")
        if len(items) > 100:
            raise BadField("字段 items 最多 100 张发票")
        batch = Batch(batch_no)
        for i, item in enumerate(items):
            prefix = f"items[{i}]."
            if not isinstance(item, dict):
                batch.items.append(("", "", None, f"{prefix.rstrip('.')} 必须是对象"))
                continue
            try:
                request_no, serial, fields = parse_invoice(item, prefix)
            except BadField as exc:
                raw_no, raw_serial = item.get("requestNo"), item.get("invoiceReqSerialNo")
                request_no = raw_no[:64] if isinstance(raw_no, str) else ""
                serial = raw_serial[:64] if isinstance(raw_serial, str) else ""
                batch.items.append((request_no, serial, None, exc.message))
                continue
            record = accept(state, request_no, serial, fields)
            record.batch_no = record.batch_no or batch_no
            batch.items.append((request_no, serial, record, None))
        _batches(state)[batch_no] = batch
        return envelope("0", "成功", batch_head(batch))

    def batch_head(batch: Batch) -> dict[str, Any]:
        summary = batch_json(batch)
        return {"batchNo": batch.batch_no, "status": "PROCESSING", "total": summary["total"]}

    def batch_json(batch: Batch) -> dict[str, Any]:
        rows = []
        for request_no, serial, record, refusal in batch.items:
            if record is not None:
                settle(state, record)
                status, code, message = record.status, record.error_code, record.error_message
            else:
                status, code, message = "FAILED", "400", refusal
            rows.append(
                {
                    "requestNo": request_no,
                    "invoiceReqSerialNo": serial,
                    "status": status,
                    "errorCode": code,
                    "errorMessage": message,
                }
            )
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("SUCCESS", "FAILED")}
        processing = len(rows) - counts["SUCCESS"] - counts["FAILED"]
        if processing:
            status = "PROCESSING"
        elif counts["FAILED"] == 0:
            status = "SUCCESS"
        elif counts["SUCCESS"] == 0:
            status = "FAILED"
        else:
            status = "PARTIAL_FAILED"
        return {
            "batchNo": batch.batch_no,
            "status": status,
            "total": len(rows),
            "success": counts["SUCCESS"],
            "failed": counts["FAILED"],
            "processing": processing,
            "items": rows,
        }

    async def batch_query(request: Request) -> Response:
        batch = _batches(state).get(request.path_params["batch_no"])
        if batch is None:
            return error(404, f"未找到批次 {request.path_params['batch_no'][:64]}")
        return envelope("0", "成功", batch_json(batch))

    async def pdf(request: Request) -> Response:
        from invoicedesk.sandbox.files import pdf_bytes

        invoice = state.invoices.find_serial(VENDOR, request.path_params["serial"])
        if invoice is None:
            return error(404, "文件不存在")
        return Response(pdf_bytes(invoice), media_type="application/pdf")

    base = "/api/open/v1/blue-invoices"
    known: list[BaseRoute] = [
        Route(f"{base}/batches", endpoint("", batch_create, "batch-create"), methods=["POST"]),
        Route(
            base + "/batches/{batch_no}",
            endpoint("", batch_query, "batch-query"),
            methods=["GET"],
        ),
        Route(base, endpoint("", create), methods=["POST"]),
        Route(base + "/{serial}/sample", endpoint("", sample), methods=["GET"]),
        Route(base + "/{serial}", endpoint("", query, "query"), methods=["GET"]),
        Route("/files/{serial}.pdf", endpoint("", pdf, "files", auth=False), methods=["GET"]),
    ]

    async def fallback(request: Request) -> Response:
        for route in known:
            match, _ = route.matches(request.scope)
            if match == Match.PARTIAL:
                return error(405, f"请求方法 {request.method} 不支持")
        return error(404, f"接口不存在：{request.url.path[:200]}")

    any_method = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return [*known, Route("/{path:path}", fallback, methods=any_method)]
