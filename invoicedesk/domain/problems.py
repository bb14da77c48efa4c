"""A problem the rules find in a draft: a field path, a stable code, a severity and a Chinese
message saying what is wrong and what to do; and the problems of a draft file pydantic cannot
read (domain/rules.py checks the drafts it can)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

FIELD_LABELS = {
    "invoice_type": "发票类型",
    "buyer": "购买方",
    "name": "名称",
    "tax_id": "纳税人识别号",
    "natural_person": "是否开给自然人",
    "address": "地址",
    "phone": "电话",
    "bank": "开户银行",
    "bank_account": "银行账号",
    "email": "电子邮箱",
    "lines": "明细",
    "kind": "行性质",
    "tax_code": "税收分类编码",
    "spec": "规格型号",
    "unit": "单位",
    "quantity": "数量",
    "unit_price": "单价",
    "amount": "金额",
    "tax_rate": "税率",
    "price_includes_tax": "是否含税",
    "remark": "备注",
    "serial_no": "流水号",
    "tax_treatment": "税收优惠",
    "seller_type": "销售方类型",
    "rate_note": "税率说明",
    "deduction": "差额征税",
    "mode": "差额征税方式",
}


@dataclass(frozen=True)
class Problem:
    field: str  # a path into the draft: "buyer.tax_id", "lines[0].tax_rate", "" for the file
    code: str  # stable English: "tax_id.checksum"
    severity: Severity
    message: str  # Chinese: what is wrong and what to do

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def error(field: str, code: str, message: str) -> Problem:
    """A problem that keeps the draft from being issued."""
    return Problem(field, code, "error", message)


def warning(field: str, code: str, message: str) -> Problem:
    """A problem the user confirms before issuing."""
    return Problem(field, code, "warning", message)


def too_long(field: str, label: str, text: str, limit: int) -> Problem | None:
    """An error when `text` has more than `limit` characters, else None."""
    if len(text) <= limit:
        return None
    return error(field, "field.too_long", f"{label}最多 {limit} 个字，现有 {len(text)} 个，请删减")


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_TYPE_HINTS = {
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字（用引号括起来）",
    "list_type": "应为列表（[...]）",
    "model_type": "应为对象（{...}）",
    "model_attributes_type": "应为对象（{...}）",
    "dict_type": "应为对象（{...}）",
    "literal_error": "应为 normal、discount 或 discounted 之一",
}


def problems_from_validation_error(exc: Any) -> list[Problem]:
    """A pydantic.ValidationError from reading a draft as Problems with paths and Chinese text."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err.get("loc", ()))
        path = _path(loc)
        names = [p for p in loc if isinstance(p, str)]
        label = FIELD_LABELS.get(names[-1], names[-1]) if names else "草稿"
        kind = str(err.get("type", "invalid"))
        hint = _TYPE_HINTS.get(kind, "格式不正确")
        problems.append(
            error(path, f"format.{kind}", f"{label}（{path or '文件'}）{hint}，请修改草稿文件")
        )
    return problems
