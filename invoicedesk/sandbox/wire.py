"""Request-reading helpers shared by the HTTP simulators: JSON bodies and field checks.

Every check raises `BadField` with a Chinese message naming the field; each simulator turns it
into its own error envelope.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from invoicedesk.sandbox.core import to_decimal


class BadField(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


async def read_json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        raise BadField("请求体为空，需要 JSON 对象")
    try:
        value = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadField(f"请求体不是合法的 JSON：{exc.__class__.__name__}") from None
    if not isinstance(value, dict):
        raise BadField("请求体必须是 JSON 对象")
    return value


def text(
    obj: dict[str, Any],
    key: str,
    *,
    required: bool = False,
    max_len: int = 300,
    prefix: str = "",
    allow_number: bool = False,
) -> str:
    """A string field ('' when absent and optional)."""
    name = f"{prefix}{key}"
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise BadField(f"缺少必填字段 {name}", name)
        return ""
    if allow_number and isinstance(value, int | Decimal) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadField(f"字段 {name} 必须是字符串", name)
    if len(value) > max_len:
        raise BadField(f"字段 {name} 超长：最多 {max_len} 个字符，实际 {len(value)} 个", name)
    return value


def decimal_text(
    obj: dict[str, Any], key: str, *, required: bool = False, prefix: str = ""
) -> Decimal | None:
    """A number written as a decimal string (numbers accepted too); None when absent."""
    name = f"{prefix}{key}"
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise BadField(f"缺少必填字段 {name}", name)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise BadField(f"字段 {name} 必须是数字字符串", name)
    if isinstance(value, str) and len(value) > 25:
        raise BadField(f"字段 {name} 超长：最多 25 个字符", name)
    number = to_decimal(value)
    if number is None:
        raise BadField(f"字段 {name} 不是合法的数字：{str(value)[:30]}", name)
    return number


def json_number(
    obj: dict[str, Any], key: str, *, required: bool = False, prefix: str = ""
) -> Decimal | None:
    """A field the document shows as a JSON number: strings are a type error."""
    name = f"{prefix}{key}"
    value = obj.get(key)
    if value is None:
        if required:
            raise BadField(f"缺少必填字段 {name}", name)
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise BadField(f"字段 {name} 必须是数字", name)
    number = to_decimal(value)
    if number is None:
        raise BadField(f"字段 {name} 不是合法的数字", name)
    return number


def money_scale(value: Decimal, name: str) -> Decimal:
    """Money has at most two decimals on the wire."""
    if value != value.quantize(Decimal("0.01")):  # 5327.440 is fine, 5327.444 is not
        raise BadField(f"字段 {name} 最多两位小数", name)
    return value
