"""faw: invoice-order transfer to FAW's tax middle platform (../shared/vendor-apis/
faw-invoice-order-api.md): POST /extInvoiceOrder/receiveInvoiceOrder with
`Authorization: Bearer <token>` (SecretStore "token") and header `U_ID` (profile.user_name, or
profile.options["u_id"]).

The platform takes an order and issues later on its own: `issue` returns ACCEPTED (no invoice
number). Our serial is the `openApplyCode`; the same code sent twice is accepted once and the
second answer says the order exists, which this client reads as ACCEPTED too (so reconciling an
unknown outcome = sending the same order again).

Readings where the document is silent (recorded here and in the sandbox's module):
- figures are JSON numbers where the document shows numbers (`invoiceAmt`, `invoiceAmtInclTax`,
  `invoiceTax`, line `amtInclTax`, `price`, `quantity`, `taxrate`), written from Decimal
  digits, never through float; `amtInclTaxSign` "1": line amounts and prices include tax;
- lines carry `invoiceLineNature` "0" normal, "1" discount, "2" discounted (as in the
  document's example), `originRowNo` the 0-based line index; a discount line has no quantity,
  price or unit;
- `openInvoiceType` "0" blue, "1" red. The account's settings (profile options, chosen in the
  account dialog): `invoiceType` for our 81/82 from options "invoice_type_81"/"invoice_type_82"
  (defaults "01"/"02"), `businessTypeCode`/`businessTypeName` from "business_type_code"/
  "business_type_name" (defaults "099"/"其他"), `bukrs` from "bukrs" (default "W92", the
  enumeration's only value). The choices come from the document's enumerations
  (BUSINESS_TYPE_CODES, BUKRS_CHOICES, `invoice_type_valid`).
- success is `success: true` (code 200). A refusal counts as "the order exists" (README
  decision: the same openApplyCode is accepted once) only when its message names THIS
  `openApplyCode` and says it exists (已存在/存在/exists): "行号重复" or any other refusal that
  merely contains 重复 stays a refusal.
- red orders: `red_order(draft, serial, blue_number=..., blue_date=..., reason=...)` sends
  openInvoiceType "1" with the draft's (negative) lines, the blue invoice's number and date,
  and a `redVatInvoiceInfoLog` carrying the totals, the reason (`applyRedReasons`, `reason`)
  and one `redVatInvoiceInfoLogSub` row per red line. The document names that sub-table
  ("array [object {12}]") without its fields: each row repeats the line's own
  `invoiceOrderSub` names (openApplyCode, originRowNo, goodsName, taxonomyCode, model, unit,
  quantity, price, amtInclTax, amt, tax, taxrate — twelve). `applyCancelReason`
  (申请作废说明) is not sent: a red letter is not a void. `red_issue` is not used for FAW (it
  has no red form step).
  Red line signs (the document prints none for red orders; read as on the red 数电票 itself):
  `quantity` and `amtInclTax` negative, `price` positive, so quantity × price = amtInclTax
  with its sign; the order totals and the redVatInvoiceInfoLog totals are negative too
  (`totalAmt` as a string). A line without quantity and price (折让, amount-only) sends neither.
- there is no read endpoint: `check_connection` posts an empty order, which any platform must
  refuse as incomplete; an auth failure shows as HTTP 401, anything else means we got in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from invoicedesk.domain.models import Draft
from invoicedesk.domain.money import compute_line, compute_totals, round_money
from invoicedesk.domain.treatments import TreatmentSupport
from invoicedesk.vendors.base import (
    Capability,
    FaceHandler,
    IssueOutcome,
    Profile,
    SecretGetter,
    VendorError,
    VendorKey,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.http_vendor import HttpVendor
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    HttpReply,
    OnCall,
    decimal_text,
    register_secret,
)

PATH = "/extInvoiceOrder/receiveInvoiceOrder"
_LINE_NATURE = {"normal": "0", "discount": "1", "discounted": "2"}
# "the order <openApplyCode> exists": the code itself plus one of these words
_EXISTS_WORDS = ("已存在", "存在", "already exist", "exists")
# the document's enumerations (printed as run-together digits: businessTypeCode splits into
# 3-digit codes; bukrs lists only W92, though the example sends VB5)
BUSINESS_TYPE_CODES = tuple(
    "021009006003020005002001023018099011025008007022098019010004017013014015016024012026027"
    "028029030036"[i : i + 3]
    for i in range(0, 99, 3)
)
BUSINESS_TYPE_NAMES = {"098": "整车销售", "099": "其他"}  # 098 from the example; 099 ours
BUKRS_CHOICES = ("W92",)
# invoiceType's enumeration printed run together; 2–4 digit codes cannot be split unambiguously
INVOICE_TYPE_ENUM = (
    "0203004020104028020280402036090070261040040250101010301011060102605010270302027030201106"
    "02026050103609010280401120102915"
)
DEFAULTS = {
    "business_type_code": "099",
    "business_type_name": "其他",
    "bukrs": "W92",
    "invoice_type_81": "01",
    "invoice_type_82": "02",
}


def invoice_type_valid(code: str) -> bool:
    """A 2–4 digit code that occurs in the document's run-together invoiceType enumeration."""
    return code.isdigit() and 2 <= len(code) <= 4 and code in INVOICE_TYPE_ENUM


def says_order_exists(message: str, serial: str) -> bool:
    """The reply says that the order with this openApplyCode exists (and nothing less)."""
    if not serial or serial not in message:
        return False
    rest = message.replace(serial, " ").lower()
    return any(word in rest for word in _EXISTS_WORDS) and "不存在" not in rest


def _option(options: dict[str, str], key: str) -> str:
    return (options.get(key) or "").strip() or DEFAULTS[key]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def order_to_wire(
    draft: Draft,
    serial: str,
    *,
    now: dt.datetime,
    u_id: str,
    options: dict[str, str],
    red: bool = False,
) -> dict[str, Any]:
    """The `invoiceOrder` object for one draft. Figures are Decimals (JSON numbers on the wire)."""
    stamp = now.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")
    totals = compute_totals(draft)
    subs: list[dict[str, Any]] = []
    for index, line in enumerate(draft.lines):
        fig = compute_line(line)  # a FigureError here is raised before anything is sent
        sub: dict[str, Any] = {
            "openApplyCode": serial,
            "originRowNo": str(index),
            "goodsName": line.name,
            "taxonomyCode": line.tax_code,
            "invoiceLineNature": _LINE_NATURE[line.kind],
            "amtInclTax": round_money(fig.total),
            "taxrate": fig.tax_rate,
        }
        if line.kind != "discount":
            if fig.quantity is not None and fig.unit_price_incl is not None:
                # red: negative quantity, positive price (quantity × price = amtInclTax)
                sub["quantity"] = -abs(fig.quantity) if red else fig.quantity
                sub["price"] = abs(fig.unit_price_incl) if red else fig.unit_price_incl
            if line.unit:
                sub["unit"] = line.unit
            if line.spec:
                sub["model"] = line.spec
        subs.append(sub)
    type_key = f"invoice_type_{draft.invoice_type}"
    type_code = _option(options, type_key) if type_key in DEFAULTS else draft.invoice_type
    buyer = draft.buyer
    order: dict[str, Any] = {
        "openApplyCode": serial,
        "businessTypeCode": _option(options, "business_type_code"),
        "businessTypeName": _option(options, "business_type_name"),
        "billDate": stamp,
        "applyDate": stamp,
        "bukrs": _option(options, "bukrs"),
        "openInvoiceType": "1" if red else "0",
        "invoiceType": type_code,
        "purchaserTaxpayerNo": buyer.tax_id,
        "purchaserTaxpayerName": buyer.name,
        "receivePurchaserInfo": "1",
        "invoiceAmtInclTax": totals.total,
        "invoiceAmt": totals.amount,
        "invoiceTax": totals.tax,
        "remark": draft.remark,
        "invoiceSource": "1",
        "createUser": u_id,
        "amtInclTaxSign": "1",
        "invoiceOrderSub": subs,
    }
    optional = {
        "purchaserEmail": buyer.email,
        "purchaserPhone": buyer.phone,
        "purchaserAddress": buyer.address,
        "purchaserBank": buyer.bank,
        "purchaserBankNo": buyer.bank_account,
    }
    order.update({k: v for k, v in optional.items() if v})
    return order


def red_log_lines(draft: Draft, subs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One `redVatInvoiceInfoLogSub` row per red line (our reading of the unnamed 12 fields):
    the line's own invoiceOrderSub fields plus its tax-exclusive amount and tax."""
    rows = []
    for line, sub in zip(draft.lines, subs, strict=True):
        fig = compute_line(line)
        row: dict[str, Any] = {
            key: sub[key]
            for key in (
                "openApplyCode",
                "originRowNo",
                "goodsName",
                "taxonomyCode",
                "model",
                "unit",
                "quantity",
                "price",
                "amtInclTax",
                "taxrate",
            )
            if key in sub
        }
        row.update({"amt": round_money(fig.amount), "tax": round_money(fig.tax)})
        rows.append(row)
    return rows


class FawVendor(HttpVendor):
    key = VendorKey.FAW
    capabilities = Capability.ISSUE | Capability.RED_LETTER
    partial_red = True  # "红票支持:全额红冲及部分红冲"
    # invoiceOrderSub has a rate (taxrate) and nothing else: a plain 0% is 普通零税率
    treatments = TreatmentSupport(
        treatments=frozenset({"", "zero"}),
        why="其开票订单的明细只有税率，没有免税、不征税、简易征收等标识，也没有税率说明和扣除额",
    )

    def __init__(
        self,
        profile: Profile,
        secrets: SecretGetter,
        *,
        on_call: OnCall | None = None,
        timeout: float | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(profile, secrets, on_call=on_call, timeout=timeout)
        self.clock = clock

    @property
    def u_id(self) -> str:
        return self.profile.options.get("u_id") or self.profile.user_name

    async def _post(self, order: dict[str, Any], *, endpoint: str) -> HttpReply:
        token = await self.secrets("token")
        register_secret(token)
        headers = {"Authorization": f"Bearer {token}", "U_ID": self.u_id}
        return await self.http.request(
            "POST",
            PATH,
            json={"invoiceOrder": order},
            headers=headers,
            idempotent=False,  # never retried: the services resend the same openApplyCode
            endpoint=endpoint,
        )

    def _outcome(self, reply: HttpReply, serial: str) -> IssueOutcome:
        """ACCEPTED for a taken (or already existing) order; otherwise the typed error."""
        vendor = self.key.value
        try:
            body = reply.json()  # unreadable → OutcomeUnknown (not idempotent)
        except VendorError:
            if reply.status in (401, 403):
                raise vendor_error(vendor, f"http_{reply.status}") from None
            raise
        if not isinstance(body, dict):
            raise vendor_error(vendor, "malformed")
        code = str(body.get("code", ""))
        message = str(body.get("message") or body.get("msg") or "")
        if reply.status in (401, 403) or code in ("401", "403"):
            forbidden = reply.status == 403 or code == "403"
            raise vendor_error(vendor, "http_403" if forbidden else "http_401", message)
        if body.get("success") is True and reply.status < 400:
            return IssueOutcome("ACCEPTED", serial)
        if says_order_exists(message, serial):
            return IssueOutcome("ACCEPTED", serial)
        raise vendor_error(vendor, code or f"http_{reply.status}", message)

    # ---- the capabilities -----------------------------------------------------------------

    async def check_connection(self) -> None:
        reply = await self._post({}, endpoint="receiveInvoiceOrder(check)")
        try:
            self._outcome(reply, "")
        except VendorError as exc:
            if exc.code in ("http_401", "http_403"):
                raise
            # Any other refusal of an empty order means the token was accepted.

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        self.refuse_uncarried(draft)  # TreatmentNotCarried, before anything is sent
        order = order_to_wire(
            draft, serial, now=self.clock(), u_id=self.u_id, options=self.profile.options
        )
        return self._outcome(await self._post(order, endpoint="receiveInvoiceOrder"), serial)

    async def red_order(
        self,
        draft: Draft,
        serial: str,
        *,
        blue_number: str,
        blue_date: dt.date | None = None,
        reason: str = "",
        red_info_no: str = "",
        red_confirm_uuid: str = "",
    ) -> IssueOutcome:
        """A red order for `blue_number`: the draft holds the red (negative) lines."""
        order = order_to_wire(
            draft,
            serial,
            now=self.clock(),
            u_id=self.u_id,
            options=self.profile.options,
            red=True,
        )
        blue_day = blue_date.strftime("%Y-%m-%d") if blue_date else ""
        order.update(
            {
                "blueInvoiceNumber": blue_number,
                "originInvoiceDate": blue_day,
                "applicantType": "2",  # the seller starts the red letter
            }
        )
        if red_info_no:
            order["redInvoiceInfoNo"] = red_info_no
        if red_confirm_uuid:
            order["redConfirmUuid"] = red_confirm_uuid
        order["redVatInvoiceInfoLog"] = {
            "openApplyCode": serial,
            "bukrs": order["bukrs"],
            "purchaserTaxpayerNo": draft.buyer.tax_id,
            "purchaserTaxpayerName": draft.buyer.name,
            "totalAmt": decimal_text(order["invoiceAmt"]),  # a string in the document
            "totalAmtInclTax": order["invoiceAmtInclTax"],
            "totalTax": order["invoiceTax"],
            "applyRedReasons": reason,
            "blueInvoiceNumber": blue_number,
            "originInvoiceDate": blue_day,
            "applyDate": order["applyDate"],
            "reason": reason,
            "invoiceSource": "1",
            "redVatInvoiceInfoLogSub": red_log_lines(draft, order["invoiceOrderSub"]),
        }
        return self._outcome(await self._post(order, endpoint="receiveInvoiceOrder(red)"), serial)
