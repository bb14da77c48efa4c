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
- `openInvoiceType` "0" blue, "1" red; `invoiceType` from our 81/82 through
  profile.options["invoice_type_81"/"invoice_type_82"] (defaults "01"/"02");
  `businessTypeCode`/`businessTypeName`/`bukrs` from profile.options (defaults "099"/"其他"/"W92");
- success is `success: true` (code 200); "order exists" is recognised by its message
  ("已存在"/"重复"/"exists") or code "order_exists";
- red orders: `red_order(draft, serial, blue_number=..., blue_date=..., reason=...)` sends
  openInvoiceType "1" with the draft's (negative) lines and a `redVatInvoiceInfoLog` carrying
  the totals and the blue invoice; `red_issue` is not used for FAW (it has no red form step).
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
_EXISTS_WORDS = ("已存在", "重复", "already exist", "exists")


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
    type_code = options.get(f"invoice_type_{draft.invoice_type}") or {"81": "01", "82": "02"}.get(
        draft.invoice_type, draft.invoice_type
    )
    buyer = draft.buyer
    order: dict[str, Any] = {
        "openApplyCode": serial,
        "businessTypeCode": options.get("business_type_code", "099"),
        "businessTypeName": options.get("business_type_name", "其他"),
        "billDate": stamp,
        "applyDate": stamp,
        "bukrs": options.get("bukrs", "W92"),
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


class FawVendor(HttpVendor):
    key = VendorKey.FAW
    capabilities = Capability.ISSUE | Capability.RED_LETTER
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
        if code == "order_exists" or any(word in message.lower() for word in _EXISTS_WORDS):
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
                "applyCancelReason": reason,
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
        }
        return self._outcome(await self._post(order, endpoint="receiveInvoiceOrder(red)"), serial)
