"""ws-invoice's constants and readers: dates, amounts, QR images, query rows and items
(ws_invoice.py says what the client assumes where the document is silent)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from invoicedesk.vendors.base import (
    IssuedInvoice,
    IssuedLine,
    OutcomeUnknown,
    VendorKey,
)
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    as_decimal,
)

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
