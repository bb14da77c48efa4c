"""票单云's endpoints, codes and small readers: dates, amounts, the face state and an invoice's
detail (piaodanyun.py says what the client assumes where the document is silent)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import re
from decimal import Decimal
from typing import Any

from invoicedesk.vendors.base import (
    IssuedInvoice,
    IssuedLine,
    ProtocolError,
    Rejected,
    VendorError,
    VendorKey,
)
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    as_decimal,
)

log = logging.getLogger(__name__)


VENDOR = VendorKey.PIAODANYUN.value
# ghdwdzdh (购方地址电话) holds address and phone together; the platform caps it like an address
BUYER_ADDRESS_PHONE_MAX = 300

P_TOKEN = "/obtainToken"
P_FACE_IMG = "/qdjk/fullExteriorInvoke/getFaceImg"
P_FACE_STATE = "/qdjk/fullApplets/queryFaceAuthState"
P_BLUE = "/qdjk/fullExteriorInvoke/blueTicket"
P_FILES = "/qdjk/fullExteriorInvoke/getInvoicePdfOfd"
P_LOGIN = "/qdjk/fullExteriorInvoke/loginDppt"
P_QUERY = "/qdjk/fullExteriorInvoke/invoiceQueryMx"
P_CREDIT = "/qdjk/allElectricInvoice/getCreditLine"
P_RED_CHECK = "/qdjk/fullExteriorInvoke/retInviceMsg"
P_RED_APPLY = "/qdjk/fullExteriorInvoke/hzxxbsq"
P_RED_ISSUE = "/qdjk/fullExteriorInvoke/hzfpkj"

_KINDS = {"normal": "0", "discount": "1", "discounted": "2"}
_KIND_OF = {"0": "normal", "1": "discount", "2": "discounted"}
_DOWNFLAG = {"pdf": "1", "ofd": "2", "xml": "3"}
OPEN_FORM_STATUSES = frozenset({"01", "02", "03", "04"})
# hzxxbsq's refusal when an open form already locks the blue invoice
_LOCKED = re.compile(r"锁定")


# ---- small readers ----------------------------------------------------------------------------


def wire_decimal(value: Decimal) -> str:
    """A Decimal as plain text, never in exponent form."""
    return format(value, "f")


def _money(value: Any) -> Decimal:
    return as_decimal(value) or Decimal("0")


def parse_date(text: Any) -> dt.datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def decode_face_state(data: Any) -> dict[str, Any]:
    """queryFaceAuthState's `data`: base64 of a JSON object (a plain object is accepted too)."""
    if isinstance(data, dict):
        return data
    if not isinstance(data, str):
        raise ProtocolError(
            "人脸认证状态无法识别",
            code="bad_face_state",
            vendor=VENDOR,
            next_step="请稍后重试；如仍失败请联系票单云。",
        )
    try:
        decoded = json.loads(base64.b64decode(data + "=" * (-len(data) % 4)).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(
            "人脸认证状态无法识别",
            code="bad_face_state",
            vendor=VENDOR,
            next_step="请稍后重试；如仍失败请联系票单云。",
        ) from exc
    if not isinstance(decoded, dict):
        raise ProtocolError("人脸认证状态无法识别", code="bad_face_state", vendor=VENDOR)
    return decoded


def _ci_get(obj: dict[str, Any], *names: str) -> Any:
    """First present key, case-insensitively (the vendor mixes `Sfsl`, `sfsl`, `SFSL`)."""
    lowered = {k.lower(): v for k, v in obj.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def invoice_from_detail(data: dict[str, Any]) -> IssuedInvoice:
    """An invoiceQueryMx `data` object (also used for retInviceMsg's blue-invoice data)."""
    lines = []
    for row in data.get("zbmx") or data.get("mxzb") or []:
        if not isinstance(row, dict):
            continue
        kind = _KIND_OF.get(_text(row.get("fphxz")), "normal")
        lines.append(
            IssuedLine(
                name=_text(row.get("spmc")),
                tax_code=_text(row.get("spbm")),
                spec=_text(row.get("ggxh")),
                unit=_text(row.get("dw")),
                quantity=as_decimal(row.get("spsl")),
                unit_price=as_decimal(row.get("spdj")),
                amount=_money(row.get("je")),
                tax_rate=_money(row.get("sl")),
                tax=_money(row.get("se")),
                kind=kind,  # type: ignore[arg-type]
            )
        )
    amount = _money(data.get("hjje"))
    tax = _money(data.get("hjse") if data.get("hjse") not in (None, "") else data.get("se"))
    total = as_decimal(data.get("jshj"))
    if total is None:
        total = amount + tax
    blue = _text(data.get("yfphm")) or None
    color = "red" if (blue or total < 0) else "blue"
    return IssuedInvoice(
        number=_text(data.get("fphm")) or None,
        date=parse_date(data.get("kprq")),
        serial=_text(data.get("fpqqlsh")) or None,
        amount=amount,
        tax=tax,
        total=total,
        buyer_name=_text(data.get("ghdwmc")),
        buyer_tax_id=_text(data.get("ghdwsbh")) or _text(data.get("ghdwdm")),
        invoice_type=_text(data.get("fplxdm")),
        color=color,  # type: ignore[arg-type]
        blue_number=blue,
        status=_text(data.get("fpzt")),
        lines=tuple(lines),
    )


def _not_found(what: str) -> VendorError:
    return Rejected(  # same code as the vendor's own "未查询到…" (errors.py)
        f"票单云没有查到发票 {what}",
        code="not_found",
        vendor=VENDOR,
        next_step="请核对发票号码或流水号。",
    )
