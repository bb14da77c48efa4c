"""The sandbox's basics: its seller, vendors and tolerances, refusals, Decimal JSON, the
settings and the clock (see core.py for what the sandbox decides where documents are silent)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from starlette.responses import Response

CENT = Decimal("0.01")

SELLER_NAME = "演示科技有限公司"
SELLER_TAX_ID = "91330106MA2H7Q3D1G"
SELLER_USER = "13800000000"
SECOND_BUYER_TAX_ID = "91110108MA01K2P4XY"

VENDORS = ("open-api", "ws-invoice", "piaodanyun", "signed-api", "faw")
# digit 5 of the 20-digit number: which channel issued it (a sandbox convention).
CHANNEL_DIGITS = {"open-api": "1", "ws-invoice": "2", "piaodanyun": "3", "signed-api": "4"}

FAULT_KINDS = frozenset(
    {
        "latency",
        "http_500",
        "timeout_before",
        "timeout_after",
        "drop_after",
        "malformed",
        "token_expired",
        "ws_close",
    }
)

LINE_TAX_TOLERANCE = Decimal("0.06")
TOTAL_TOLERANCE = Decimal("0.01")
TOTAL_TAX_TOLERANCE = Decimal("1.27")


class Refused(Exception):
    """A business refusal with a Chinese message; simulators turn it into their error envelope."""

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: Any) -> Decimal | None:
    """Decimal from a wire value (string or number); None when it is not a finite number.

    Floats are converted through their repr so that 100.1 stays 100.1.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


_DEC_MARK = "\u0000dec:"
_DEC_PATTERN = re.compile(r'"\\u0000dec:(-?[0-9]+(?:\.[0-9]+)?)"')


def json_body(obj: Any) -> bytes:
    """JSON with every Decimal written as a JSON number with its exact digits (never a float)."""

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_DEC_MARK}{value:f}"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(obj), ensure_ascii=False, separators=(",", ":"))
    return _DEC_PATTERN.sub(r"\1", text).encode("utf-8")


class DecimalJSONResponse(Response):
    """A JSON response where Decimal values become JSON numbers (see `json_body`)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json_body(content)


# ---------------------------------------------------------------------------------------------
# Settings and clock
# ---------------------------------------------------------------------------------------------


@dataclass
class SandboxSettings:
    token_ttl_s: int = 7200
    face_window_hours: Decimal = Decimal("24")
    open_api_processing_s: float = 0.3
    hang_s: float = 30.0
    credit_total: Decimal = Decimal("1000000.00")
    red_form_hours: int = 72
    signed_window_s: int = 300
    seller_name: str = SELLER_NAME
    seller_tax_id: str = SELLER_TAX_ID
    # ws-invoice readings the document leaves open (vendors/README.md): what 发票金额 in a
    # query_invoice condition bounds ("total" with tax, "amount" without), and whether the
    # undocumented item fields taxRate/taxClassificationCode are honoured or ignored
    ws_value_reading: str = "total"
    ws_item_tax: str = "honour"

    def update(self, values: dict[str, Any]) -> None:
        """Set the known fields from a JSON object (unknown keys are ignored); ValueError on bad."""
        for f in fields(self):
            if f.name not in values:
                continue
            current = getattr(self, f.name)
            raw = values[f.name]
            if isinstance(current, Decimal):
                number = to_decimal(raw)
                if number is None or number < 0:
                    raise ValueError(f"{f.name} must be a non-negative number")
                setattr(self, f.name, number)
            elif isinstance(current, bool | str):
                setattr(self, f.name, str(raw))
            else:
                number = to_decimal(raw)
                if number is None or number < 0:
                    raise ValueError(f"{f.name} must be a non-negative number")
                setattr(self, f.name, type(current)(number))

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Decimal) else value
        return out


# The platforms are in China: their times are Beijing time (UTC+8, no daylight saving), naive
# on the wire, whatever zone the computer running the sandbox is set to.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def beijing_now() -> datetime:
    """The true current Beijing time, naive, as the platforms write it."""
    return datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


class Clock:
    """Real Beijing time plus an offset moved by `advance`."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return beijing_now() + self.offset

    def advance(self, hours: float | Decimal | int) -> None:
        self.offset += timedelta(hours=float(hours))

    def reset(self) -> None:
        self.offset = timedelta()
