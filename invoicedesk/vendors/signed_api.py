"""signed-api: invoice management with flag + sign (../shared/vendor-apis/
signed-invoice-management-api.md), read-only apart from paper print info.

Every call is a POST to the base URL itself with a JSON body holding the system parameters
(`flag`, `method`, `ver` 1, `charset` utf-8, `type` json, `timestamp` yyyyMMddHHmmss,
`sign`) and the method's parameters. `sign` follows ../shared/docs/domain-reference.md §10
(ShopEx): drop `sign`, sort keys as byte strings, join key+value with no separator (null skipped,
booleans 1/0, nested objects recursed), then UPPER(MD5(UPPER(MD5(s)) + secret)). The secret
(SecretStore "secret") is never sent; the flag is `profile.user_name`.

Readings where the document is silent:
- replies: the document's examples are bare objects (getInvoice: the invoice; getInvoiceList:
  `{"count", "lists"}`); the README decides an envelope `{"code": 0, "message": "成功",
  "data": ...}`. Both are read: a JSON object with a `code` and a `data`, `message` or `msg`
  is the envelope (code "0" success, else the document's error codes); any other object is
  the bare reply itself (then an HTTP status ≥ 400 is the error).
- getResultList (the document names only the method) is read like getInvoiceList; a row with
  no `invoice_bn` (an order not issued yet) is skipped, unless it carries a `serial`;
- `timestamp` is Beijing time (the document names no zone; the platform is in China), taken
  from the computer's true clock, so it is right whatever time zone the computer is set to.
  The sandbox reads it the same way.
- a request is valid for 5 minutes (error 1002). For 1002 the client compares its clock with
  the reply's HTTP `Date` header and says by how much the computer's clock is off;
- history = every page of invoice.getInvoiceList, then every page of invoice.getResultList;
  the cursor is "<method>:<next page_no>"; page_size 100 (the document caps it there);
- `company_name`/`tax_no` of an invoice are read as the buyer's.
- list rows carry only 价税合计 (`total_amount`): every listed invoice is read again with
  invoice.getInvoice, whose `amount`, `tax_amount`, `total_amount`, `tax_no`, `company_name`,
  `issue_date` and items are what history stores (a list row alone would say tax 0.00).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from invoicedesk.vendors.base import (
    Capability,
    HistoryPage,
    IssuedInvoice,
    IssuedLine,
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
    as_decimal,
    parse_vendor_datetime,
    register_secret,
)

PAGE_SIZE = 100
HISTORY_METHODS = ("invoice.getInvoiceList", "invoice.getResultList")


def assemble(params: Mapping[str, Any]) -> str:
    """The ShopEx string to sign: keys sorted as byte strings, key+value, recursive."""
    parts: list[str] = []
    for key in sorted(params, key=lambda k: str(k).encode("utf-8")):
        value = params[key]
        if value is None:
            continue
        parts.append(str(key))
        parts.append(_value_text(value))
    return "".join(parts)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Mapping):
        return assemble(value)
    if isinstance(value, list | tuple):
        return assemble({str(i): v for i, v in enumerate(value)})
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("binary float in signed parameters")
    return str(value)


def sign(params: Mapping[str, Any], secret: str) -> str:
    """UPPER(MD5(UPPER(MD5(assembled)) + secret)), `sign` itself left out."""
    text = assemble({k: v for k, v in params.items() if k != "sign"})
    inner = hashlib.md5(text.encode("utf-8")).hexdigest().upper()
    return hashlib.md5((inner + secret).encode("utf-8")).hexdigest().upper()


def timestamp_text(now: dt.datetime) -> str:
    """yyyyMMddHHmmss in Beijing time (`now` aware, or naive local)."""
    return now.astimezone(CHINA_TZ).strftime("%Y%m%d%H%M%S")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def describe_skew(ours: dt.datetime, server_date_header: str | None) -> str:
    """ "这台电脑的时间比开票平台快约 12 分钟" from our clock and the reply's Date header."""
    if not server_date_header:
        return ""
    try:
        theirs = email.utils.parsedate_to_datetime(server_date_header)
    except (TypeError, ValueError):
        return ""
    if theirs.tzinfo is None:
        theirs = theirs.replace(tzinfo=dt.UTC)
    seconds = (ours - theirs).total_seconds()
    if abs(seconds) < 60:
        return ""
    way = "快" if seconds > 0 else "慢"
    minutes = round(abs(seconds) / 60)
    amount = f"{minutes} 分钟" if minutes < 120 else f"{minutes / 60:.1f} 小时"
    return f"这台电脑的时间比开票平台{way}约 {amount}"


class SignedApiVendor(HttpVendor):
    key = VendorKey.SIGNED_API
    capabilities = (
        Capability.GET_INVOICE
        | Capability.SYNC_HISTORY
        | Capability.LINE_ITEMS
        | Capability.PRINT_INFO
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
        self.clock = clock  # injectable: tests run a client whose clock is off

    async def _call(self, method: str, params: Mapping[str, Any]) -> Any:
        secret = await self.secrets("secret")
        register_secret(secret)
        now = self.clock()
        body: dict[str, Any] = {
            "flag": self.profile.user_name,
            "method": method,
            "ver": 1,
            "charset": "utf-8",
            "type": "json",
            "timestamp": timestamp_text(now),
            **params,
        }
        body["sign"] = sign(body, secret)
        # Every method is a read or an idempotent update, so the transport may retry.
        reply = await self.http.request("POST", "", json=body, idempotent=True, endpoint=method)
        return self._data(reply, now)

    def _data(self, reply: HttpReply, sent_at: dt.datetime) -> Any:
        vendor = self.key.value
        try:
            body = reply.json()
        except VendorError:
            if reply.status >= 400:
                raise vendor_error(vendor, f"http_{reply.status}") from None
            raise
        if not isinstance(body, dict):
            raise vendor_error(vendor, "read_malformed")
        if not _is_envelope(body):
            # the document's own replies: the bare object
            if reply.status >= 400:
                raise vendor_error(vendor, f"http_{reply.status}")
            return body
        code = str(body.get("code"))
        message = str(body.get("message") or body.get("msg") or "")
        if code in ("1002", "e000008"):
            skew = describe_skew(sent_at, reply.headers.get("date"))
            raise vendor_error(vendor, code, detail=skew)
        if code != "0":
            raise vendor_error(vendor, code, message)
        if reply.status >= 400:
            raise vendor_error(vendor, f"http_{reply.status}")
        return body.get("data")

    # ---- the capabilities -----------------------------------------------------------------

    async def check_connection(self) -> None:
        await self._call("invoice.getInvoiceList", {"page_no": 1, "page_size": 1})

    async def get_invoice(self, number: str) -> IssuedInvoice:
        data = await self._call("invoice.getInvoice", {"invoice_bn": number})
        if not isinstance(data, dict) or not data:
            raise vendor_error(self.key.value, "not_found")
        return invoice_from_wire(data)

    async def line_items(self, number: str) -> list[IssuedLine]:
        return list((await self.get_invoice(number)).lines)

    async def history(self, cursor: str | None) -> AsyncIterator[HistoryPage]:
        """Every page of both lists; each listed invoice is read in full (getInvoice)."""
        method, page = _parse_cursor(cursor)
        while method is not None:
            data = await self._call(method, {"page_no": page, "page_size": PAGE_SIZE})
            rows = data.get("lists") if isinstance(data, dict) else None
            if not isinstance(rows, list):
                raise vendor_error(self.key.value, "read_malformed")
            count = as_decimal(data.get("count"))
            last_page = not rows or (count is not None and page * PAGE_SIZE >= count)
            if last_page:
                method, page = _next_method(method), 1
            else:
                page += 1
            next_cursor = f"{method}:{page}" if method else None
            invoices = []
            for row in rows:
                if not isinstance(row, dict):
                    continue
                listed = invoice_from_wire(row)
                if listed.number is None:
                    if listed.serial is not None:
                        invoices.append(listed)  # an order without a number yet
                    continue
                invoices.append(await self._full(listed))
            yield HistoryPage(tuple(invoices), next_cursor)

    async def _full(self, listed: IssuedInvoice) -> IssuedInvoice:
        """The listed invoice as getInvoice tells it (amount, tax, buyer, date, lines); what
        getInvoice leaves out is kept from the list row."""
        assert listed.number is not None
        full = await self.get_invoice(listed.number)
        return replace(
            full,
            date=full.date or listed.date,
            serial=full.serial or listed.serial,
            buyer_name=full.buyer_name or listed.buyer_name,
            invoice_type=full.invoice_type or listed.invoice_type,
            status=full.status or listed.status,
        )

    async def update_print_info(self, number: str, info: dict[str, str]) -> None:
        await self._call("invoice.update", {**info, "invoice_bn": number})


def _is_envelope(body: Mapping[str, Any]) -> bool:
    return "code" in body and any(key in body for key in ("data", "message", "msg"))


def _parse_cursor(cursor: str | None) -> tuple[str | None, int]:
    if not cursor:
        return HISTORY_METHODS[0], 1
    method, _, page = cursor.rpartition(":")
    if method not in HISTORY_METHODS or not page.isdigit():
        return HISTORY_METHODS[0], 1
    return method, max(1, int(page))


def _next_method(method: str) -> str | None:
    index = HISTORY_METHODS.index(method) + 1
    return HISTORY_METHODS[index] if index < len(HISTORY_METHODS) else None


def invoice_from_wire(data: Mapping[str, Any]) -> IssuedInvoice:
    total = as_decimal(data.get("total_amount")) or Decimal("0")
    amount = as_decimal(data.get("amount"))
    tax = as_decimal(data.get("tax_amount"))
    if amount is None and tax is not None:
        amount = total - tax
    if tax is None and amount is not None:
        tax = total - amount
    lines = tuple(
        line_from_wire(item) for item in data.get("items") or () if isinstance(item, dict)
    )
    status = str(data.get("invoice_status") or "")
    return IssuedInvoice(
        number=str(data.get("invoice_bn") or "") or None,
        date=parse_vendor_datetime(data.get("issue_date")),
        serial=str(data.get("serial") or "") or None,  # getResultList rows carry it
        amount=amount if amount is not None else total,
        tax=tax if tax is not None else Decimal("0"),
        total=total,
        buyer_name=str(data.get("company_name") or ""),
        buyer_tax_id=str(data.get("tax_no") or ""),
        invoice_type=str(data.get("invoice_type") or ""),
        color="red" if total < 0 or "红" in str(data.get("invoice_type") or "") else "blue",
        status=status,
        lines=lines,
    )


def line_from_wire(item: Mapping[str, Any]) -> IssuedLine:
    amount = as_decimal(item.get("amount")) or Decimal("0")
    rate = as_decimal(item.get("tax_rate"))
    tax = as_decimal(item.get("tax_amount") or item.get("tax"))
    return IssuedLine(
        name=str(item.get("item_name") or ""),
        tax_code=str(item.get("tax_code") or ""),
        spec=str(item.get("spec") or ""),
        unit=str(item.get("unit") or ""),
        quantity=as_decimal(item.get("quantity")),
        unit_price=as_decimal(item.get("price")),
        amount=amount,
        tax_rate=rate if rate is not None else Decimal("0"),
        tax=tax if tax is not None else Decimal("0"),
    )
