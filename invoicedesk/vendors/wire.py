"""What the vendor clients share on the wire besides the network: JSON that keeps Decimal
digits and refuses floats, and small value readers (Decimal text, Beijing dates)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def dump_json(obj: Any) -> bytes:
    """UTF-8 JSON where a Decimal is written as a number from its own digits (never a float).

    Binary floats are refused: money must not pass through them on its way to the wire.
    """
    parts: list[str] = []
    _dump(obj, parts)
    return "".join(parts).encode("utf-8")


def _dump(obj: Any, out: list[str]) -> None:
    if obj is None or isinstance(obj, bool | str):
        out.append(json.dumps(obj, ensure_ascii=False))
    elif isinstance(obj, int):
        out.append(str(obj))
    elif isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"not a finite number: {obj}")
        out.append(format(obj, "f"))
    elif isinstance(obj, float):
        raise TypeError("binary float in a wire body; use Decimal or a decimal string")
    elif isinstance(obj, Mapping):
        out.append("{")
        for i, (key, value) in enumerate(obj.items()):
            if i:
                out.append(",")
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(":")
            _dump(value, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, value in enumerate(obj):
            if i:
                out.append(",")
            _dump(value, out)
        out.append("]")
    else:
        raise TypeError(f"cannot write {type(obj).__name__} as JSON")


_FORM_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote_plus leaves as it is


@functools.lru_cache(maxsize=4096)
def _form_key(key: str) -> str:
    return quote_plus(key)


def form_body(form: Mapping[str, str]) -> bytes:
    """An application/x-www-form-urlencoded body, byte for byte what `urlencode` (and so httpx)
    writes. Quoting costs a function call per character: the keys (the same few dozen on every
    issuing request, "fyxm[0][spmc]"…) are quoted once, and plain ASCII values not at all."""
    parts = []
    for key, value in form.items():
        parts.append(
            f"{_form_key(key)}={value if _FORM_SAFE.fullmatch(value) else quote_plus(value)}"
        )
    return "&".join(parts).encode("ascii")


def load_json(data: str | bytes) -> Any:
    """json.loads with exact decimals (parse_float=Decimal). Raises ValueError on bad JSON."""
    return json.loads(data, parse_float=Decimal)


# ---------------------------------------------------------------------------------------------
# Small wire helpers shared by the vendor clients (a vendor module never imports another)
# ---------------------------------------------------------------------------------------------

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def decimal_text(value: Decimal) -> str:
    """A Decimal in plain notation, as typed digits allow ("1", "0.06", "100.00"): no exponent."""
    return format(value + 0, "f")


def as_decimal(value: Any) -> Decimal | None:
    """A vendor's figure (Decimal from load_json, int, or text) as Decimal; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        try:
            result = Decimal(str(value).strip())
        except ArithmeticError:
            return None
        return result if result.is_finite() else None
    return None


def parse_vendor_datetime(value: Any) -> dt.datetime | None:
    """Vendor dates: "2026-05-20 10:00:00", "2026-05-20", ISO text or epoch milliseconds.
    Naive texts are Beijing time; the result is timezone-aware."""
    if value is None or value == "":
        return None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        seconds = Decimal(value)
        if seconds > 10**11:  # epoch milliseconds
            seconds = seconds / 1000
        return dt.datetime.fromtimestamp(float(seconds), tz=CHINA_TZ)
    text = str(value).strip()
    if text.isdigit():
        return parse_vendor_datetime(int(text))
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y%m%d%H%M%S", "%Y/%m/%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)
