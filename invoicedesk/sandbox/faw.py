"""Simulator of the `faw` vendor (faw-invoice-order-api.md), mounted under /faw.

One endpoint: POST /extInvoiceOrder/receiveInvoiceOrder [fault endpoint: receiveInvoiceOrder].
Envelope `{"success": bool, "code": int, "message": str, "data": null}`.

Readings made where the document is silent or contradicts itself:
- Auth: `Authorization: Bearer sandbox-token` is required (HTTP 401, code 401 otherwise; also
  the token_expired fault). `U_ID` is optional as documented; when present it must be
  `sandbox` (else 401).
- Errors: bad JSON / shape / type / length / figures → HTTP 200, success false, code 400, the
  message naming the field; unknown path 404; wrong method 405; internal 500.
- The same openApplyCode again: HTTP 200, success true, code 200, message
  "开票申请单号 … 已存在，订单已接收" (README: accepted once; the second answer says it exists).
- Enumerations printed as run-together digits (businessTypeCode, invoiceType, invoiceSource)
  are checked loosely: businessTypeCode is one of the 3-digit codes the list splits into;
  invoiceType is 2–4 digits; invoiceSource is digits. bukrs: 1–10 characters (the example
  sends VB5 though the enum lists only W92). purchaserTaxpayerNo: ≤ 30 characters (the
  example sends a placeholder).
- openInvoiceType: "0" blue, "1" red, "2" (作废) is refused: 数电票 cannot be voided.
- Money fields shown as numbers must be JSON numbers (a string is a type error), at most two
  decimals. Line amounts `amtInclTax` include tax (amtInclTaxSign is recorded, not used);
  line tax = round(amtInclTax ÷ (1+taxrate) × taxrate, 2). Checks: Σ amtInclTax =
  invoiceAmtInclTax (±0.01), invoiceAmt + invoiceTax = invoiceAmtInclTax exactly, |Σ line
  tax − invoiceTax| ≤ 1.27, price × quantity vs amtInclTax ±0.01 with signs (see red lines).
  invoiceLineNature 0 normal, 1 discount (negative, follows its line), 2 discounted.
- Red line signs (the document prints none for red orders; read as the red 数电票 itself and
  as piaodanyun's retInviceMsg example: spsl "-1", spdj positive, je negative): `quantity`
  and `amtInclTax` negative, `price` positive (never negative), so quantity × price =
  amtInclTax holds with its sign; order totals (invoiceAmt, invoiceTax, invoiceAmtInclTax)
  negative; redVatInvoiceInfoLog totals are compared by absolute value. A red quantity may not
  exceed what is left of its blue line.
- Blue orders are stored with number None (no number comes back, and the control API lists
  them so). The platform issues the invoice on its own: the sandbox gives each accepted blue
  order the invoice number it would carry (`extra["invoice_number"]`, logged, never sent), so a
  red order can name it, as a bookkeeper types it from the tax bureau's copy. Red orders
  (openInvoiceType 1) need redVatInvoiceInfoLog with blueInvoiceNumber of a blue invoice the
  sandbox knows (issued through any vendor), negative lines and totals within what is still
  redeemable; red lines map to blue lines by `originRowNo` (0-based) when it fits, else by
  goodsName. When invoiceOrder.redInvoiceInfoNo names a sandbox red form, that form must be
  01/04 and is marked used.
- redVatInvoiceInfoLogSub: the document names the array ("object {12}") but not its fields.
  It is optional; when sent it must be an array of objects, and when its rows carry
  `amtInclTax` their sum must match the order's (by absolute value, ±0.01).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route

from invoicedesk.sandbox.core import (
    CENT,
    DecimalJSONResponse,
    Refused,
    SandboxState,
    SbInvoice,
    SbLine,
    http_with_faults,
    q2,
)
from invoicedesk.sandbox.wire import BadField, json_number, money_scale, read_json_object, text

VENDOR = "faw"
TOKEN = "sandbox-token"
USER = "sandbox"
BUSINESS_TYPES = {
    "021009006003020005002001023018099011025008007022098019010004017013014015016024012026027"
    "028029030036"[i : i + 3]
    for i in range(0, 99, 3)
}
KINDS = {"0": "normal", "1": "discount", "2": "discounted"}
TAX_RATES = {Decimal(x) for x in ("0", "0.01", "0.015", "0.03", "0.05", "0.06", "0.09", "0.13")}

log = logging.getLogger(__name__)


def answer(success: bool, code: int, message: str, status: int = 200) -> Response:
    body = {"success": success, "code": code, "message": message, "data": None}
    return DecimalJSONResponse(body, status)


def unauthorized() -> Response:
    return answer(False, 401, "未授权：Token 无效或已过期", 401)


def parse_lines(order: dict[str, Any]) -> list[SbLine]:
    items = order.get("invoiceOrderSub")
    if not isinstance(items, list) or not items:
        raise BadField("invoiceOrder.invoiceOrderSub 必须是非空数组")
    if len(items) > 2000:
        raise BadField("invoiceOrder.invoiceOrderSub 最多 2000 行")
    lines = []
    for i, item in enumerate(items):
        prefix = f"invoiceOrder.invoiceOrderSub[{i}]."
        if not isinstance(item, dict):
            raise BadField(f"{prefix.rstrip('.')} 必须是对象")
        name = text(item, "goodsName", required=True, max_len=300, prefix=prefix)
        code = text(item, "taxonomyCode", required=True, max_len=19, prefix=prefix)
        if not (len(code) == 19 and code.isdigit()):
            raise BadField(f"字段 {prefix}taxonomyCode 必须是 19 位数字")
        rate = json_number(item, "taxrate", required=True, prefix=prefix)
        incl = json_number(item, "amtInclTax", required=True, prefix=prefix)
        assert rate is not None and incl is not None
        if rate not in TAX_RATES:
            raise BadField(f"字段 {prefix}taxrate 不是可用税率：{rate}")
        money_scale(incl, f"{prefix}amtInclTax")
        quantity = json_number(item, "quantity", prefix=prefix)
        price = json_number(item, "price", prefix=prefix)
        nature = text(item, "invoiceLineNature", max_len=1, prefix=prefix, allow_number=True)
        kind = KINDS.get(nature or "0")
        if kind is None:
            raise BadField(f"字段 {prefix}invoiceLineNature 必须是 0、1 或 2")
        if price is not None and price < 0:
            raise BadField(f"字段 {prefix}price 不能为负数（红字发票的数量和金额为负，单价为正）")
        # signed: a red line's negative quantity × its positive price = its negative amount
        if quantity is not None and price is not None and abs(quantity * price - incl) > CENT:
            raise BadField(f"第{i + 1}行：单价×数量与含税金额相差超过0.01")
        tax = q2(incl / (1 + rate) * rate)
        lines.append(
            SbLine(
                index=i + 1,
                name=name,
                tax_code=code,
                spec=text(item, "model", max_len=150, prefix=prefix),
                unit=text(item, "unit", max_len=300, prefix=prefix),
                quantity=quantity,
                unit_price=q2(price / (1 + rate)) if price is not None else None,
                amount=incl - tax,
                tax_rate=rate,
                tax=tax,
                kind=kind,
                blue_index=_row_no(item),
            )
        )
    return lines


def _row_no(item: dict[str, Any]) -> int | None:
    raw = item.get("originRowNo")
    try:
        return int(str(raw)) + 1 if raw not in (None, "") else None
    except ValueError:
        return None


def parse_order(order: dict[str, Any]) -> dict[str, Any]:
    """Validate the order; the fields to record (BadField / Refused when it is refused)."""
    p = "invoiceOrder."
    business = text(order, "businessTypeCode", required=True, max_len=3, prefix=p)
    if business not in BUSINESS_TYPES:
        raise BadField(f"字段 {p}businessTypeCode 不是有效的开票业务类型编码：{business}")
    text(order, "businessTypeName", max_len=100, prefix=p)
    text(order, "bukrs", max_len=10, prefix=p)
    kind = text(order, "openInvoiceType", max_len=1, prefix=p, allow_number=True) or "0"
    if kind not in ("0", "1", "2"):
        raise BadField(f"字段 {p}openInvoiceType 必须是 0（蓝票）、1（红票）或 2")
    if kind == "2":
        raise BadField("数电发票不能作废（openInvoiceType=2），请开具红字发票")
    invoice_type = text(order, "invoiceType", required=True, max_len=4, prefix=p)
    if not (2 <= len(invoice_type) <= 4 and invoice_type.isdigit()):
        raise BadField(f"字段 {p}invoiceType 必须是 2–4 位数字编码")
    source = text(order, "invoiceSource", max_len=2, prefix=p, allow_number=True)
    if source and not source.isdigit():
        raise BadField(f"字段 {p}invoiceSource 必须是数字编码")
    for key, limit in (
        ("billDate", 19),
        ("applyDate", 19),
        ("purchaserEmail", 100),
        ("purchaserCellphone", 20),
        ("purchaserTaxpayerCode", 50),
        ("purchaserAddress", 300),
        ("purchaserPhone", 60),
        ("purchaserBank", 120),
        ("purchaserBankNo", 50),
        ("contractNumber", 100),
        ("createUser", 100),
        ("emailCarbonCopy", 300),
        ("redInvoiceInfoNo", 20),
        ("redConfirmUuid", 32),
        ("blueInvoiceNumber", 20),
        ("blueInvoiceCode", 12),
    ):
        text(order, key, max_len=limit, prefix=p)
    name = text(order, "purchaserTaxpayerName", required=True, max_len=300, prefix=p)
    tax_id = text(order, "purchaserTaxpayerNo", max_len=30, prefix=p)
    remark = text(order, "remark", max_len=382 if kind == "1" else 450, prefix=p)
    text(order, "amtInclTaxSign", max_len=1, prefix=p, allow_number=True)
    incl = json_number(order, "invoiceAmtInclTax", required=True, prefix=p)
    amount = json_number(order, "invoiceAmt", required=True, prefix=p)
    tax = json_number(order, "invoiceTax", required=True, prefix=p)
    assert incl is not None and amount is not None and tax is not None
    for value, key in ((incl, "invoiceAmtInclTax"), (amount, "invoiceAmt"), (tax, "invoiceTax")):
        money_scale(value, p + key)
    lines = parse_lines(order)
    if amount + tax != incl:
        raise BadField("发票金额（不含税）加发票税额不等于发票金额（含税）")
    if abs(sum((x.total for x in lines), Decimal(0)) - incl) > Decimal("0.01"):
        raise BadField("明细含税金额之和与发票金额（含税）相差超过0.01")
    if abs(sum((x.tax for x in lines), Decimal(0)) - tax) > Decimal("1.27"):
        raise BadField("发票总税额误差不能超过1.27")
    if kind == "0":
        if incl <= 0 or amount <= 0 or tax < 0:
            raise BadField("蓝字发票的金额必须大于 0")
        previous: SbLine | None = None
        for line in lines:
            if line.kind == "discount":
                if line.total >= 0:
                    raise BadField(f"第{line.index}行：折扣行金额必须为负数")
                if previous is None or previous.kind != "discounted":
                    raise BadField(f"第{line.index}行：折扣行必须紧跟在被折扣行之后")
            elif line.total <= 0:
                raise BadField(f"第{line.index}行：金额必须大于 0")
            previous = line
    fields: dict[str, Any] = {
        "number": None,
        "invoice_type": invoice_type,
        "buyer_name": name,
        "buyer_tax_id": tax_id,
        "buyer_address": text(order, "purchaserAddress", max_len=300),
        "buyer_phone": text(order, "purchaserPhone", max_len=60),
        "buyer_bank": text(order, "purchaserBank", max_len=120),
        "buyer_account": text(order, "purchaserBankNo", max_len=50),
        "buyer_email": text(order, "purchaserEmail", max_len=100),
        "remark": remark,
        "lines": lines,
        "amount": amount,
        "tax": tax,
        "total": incl,
        "extra": {"businessTypeCode": business, "openInvoiceType": kind},
    }
    if kind == "1":
        fields.update(red_fields(order, lines, incl))
    return fields


def red_fields(order: dict[str, Any], lines: list[SbLine], incl: Decimal) -> dict[str, Any]:
    log_ = order.get("redVatInvoiceInfoLog")
    if not isinstance(log_, dict):
        raise BadField("红票订单必须带 invoiceOrder.redVatInvoiceInfoLog 对象")
    p = "invoiceOrder.redVatInvoiceInfoLog."
    blue_number = text(log_, "blueInvoiceNumber", max_len=20, prefix=p) or text(
        order, "blueInvoiceNumber", max_len=20
    )
    if not blue_number:
        raise BadField(f"缺少必填字段 {p}blueInvoiceNumber")
    text(log_, "applyRedReasons", max_len=200, prefix=p)
    text(log_, "reason", max_len=200, prefix=p)
    total = json_number(log_, "totalAmtInclTax", prefix=p)
    if total is not None and abs(abs(total) - abs(incl)) > Decimal("0.01"):
        raise BadField(f"{p}totalAmtInclTax 与 invoiceOrder.invoiceAmtInclTax 不一致")
    subs = log_.get("redVatInvoiceInfoLogSub")
    if subs is not None:
        if not isinstance(subs, list) or not all(isinstance(x, dict) for x in subs):
            raise BadField(f"{p}redVatInvoiceInfoLogSub 必须是对象数组")
        sums = [json_number(x, "amtInclTax", prefix=f"{p}redVatInvoiceInfoLogSub[].") for x in subs]
        known = [x for x in sums if x is not None]
        if known and abs(abs(sum(known, Decimal(0))) - abs(incl)) > Decimal("0.01"):
            raise BadField(f"{p}redVatInvoiceInfoLogSub 的含税金额之和与订单不一致")
    if text(order, "applyCancelReason", max_len=200):
        raise BadField(
            "红票订单不能填写 applyCancelReason（申请作废说明），红冲原因请填 applyRedReasons"
        )
    if incl >= 0 or any(x.total > 0 for x in lines):
        raise BadField("红字发票的金额和明细金额必须为负数")
    if any(x.quantity is not None and x.quantity >= 0 for x in lines):
        raise BadField("红字发票明细的数量必须为负数")
    return {"color": "red", "blue_number": blue_number}


def routes(state: SandboxState) -> list[BaseRoute]:
    async def act(request: Request) -> Response:
        try:
            auth = request.headers.get("authorization", "")
            user = request.headers.get("u_id")
            if auth != f"Bearer {TOKEN}" or (user is not None and user != USER):
                return unauthorized()
            body = await read_json_object(request)
            order = body.get("invoiceOrder")
            if not isinstance(order, dict):
                raise BadField("缺少 invoiceOrder 对象")
            code = text(order, "openApplyCode", required=True, max_len=100, prefix="invoiceOrder.")
            if state.invoices.find_serial(VENDOR, code) is not None:
                return answer(True, 200, f"开票申请单号 {code} 已存在，订单已接收")
            fields = parse_order(order)
            if fields.get("color") == "red":
                record_red(state, code, order, fields)
            else:
                issued = state.invoices.issue(VENDOR, code, **fields)
                give_invoice_number(state, issued)
            return answer(True, 200, "接收订单成功！")
        except BadField as exc:
            return answer(False, 400, f"参数错误：{exc.message}")
        except Refused as exc:
            return answer(False, 400, exc.message)
        except Exception:
            log.exception("faw simulator failed")
            return answer(False, 500, "系统内部错误", 500)

    async def receive(request: Request) -> Response:
        return await http_with_faults(
            state, VENDOR, "receiveInvoiceOrder", request, act, token_expired=unauthorized
        )

    known: list[BaseRoute] = [
        Route("/extInvoiceOrder/receiveInvoiceOrder", receive, methods=["POST"])
    ]

    async def fallback(request: Request) -> Response:
        for route in known:
            if route.matches(request.scope)[0] == Match.PARTIAL:
                return answer(False, 405, f"请求方法 {request.method} 不支持", 405)
        return answer(False, 404, f"接口不存在：{request.url.path[:200]}", 404)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return [*known, Route("/{path:path}", fallback, methods=methods)]


def give_invoice_number(state: SandboxState, order: SbInvoice) -> None:
    """The invoice the platform issues for an accepted blue order: its number stays on the
    platform side (FAW answers none); red orders may name it."""
    number = state.invoices.next_number(VENDOR, order.issued_at)
    order.extra["invoice_number"] = number
    state.invoices.by_number[number] = order
    log.info("faw order %s issued as invoice %s", order.serial, number)


def record_red(
    state: SandboxState, code: str, order: dict[str, Any], fields: dict[str, Any]
) -> None:
    blue = state.invoices.get(fields["blue_number"])
    if blue is None or blue.color != "blue":
        raise Refused(f"对应蓝字发票号码 {fields['blue_number']} 不存在")
    blue_number = fields["blue_number"]
    left = {r.index: r for r in state.invoices.redeemable(blue_number)}
    names = {x.name: x.index for x in blue.lines if x.kind != "discount"}
    for line in fields["lines"]:
        if line.blue_index not in left:
            line.blue_index = names.get(line.name)
        row = left.get(line.blue_index or -1)
        if row is None:
            raise Refused(f"第{line.index}行：在蓝字发票中找不到对应的明细行")
        if abs(line.amount) > row.amount + Decimal("0.01") or abs(line.tax) > row.tax + Decimal(
            "0.06"
        ):
            raise Refused(f"第{line.index}行：红冲金额超过蓝字发票该行剩余可红冲金额")
        if (
            line.quantity is not None
            and row.quantity is not None
            and abs(line.quantity) > row.quantity
        ):
            raise Refused(f"第{line.index}行：红冲数量超过蓝字发票该行剩余数量")
    form_no = order.get("redInvoiceInfoNo")
    if isinstance(form_no, str) and form_no and state.red.get(form_no) is not None:
        state.red.use(form_no)
        fields["red_form_no"] = form_no
    state.invoices.issue(VENDOR, code, **fields)
    after = state.invoices.redeemable(blue_number)
    blue.status = "red_fully" if all(r.amount <= 0 for r in after) else "red_partly"
