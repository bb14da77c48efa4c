"""The vocabulary of draft checks: a Problem and its severity, the limits and labels of the
fields, and the `*简称*名称` form of a line name; rules.py and line_rules.py build on it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Literal

from invoicedesk.domain.catalog import TaxCatalog, default_catalog
from invoicedesk.domain.models import Line

Severity = Literal["error", "warning"]

ISSUABLE_TYPES = {"81": "数电专票", "82": "数电普票"}
NAME_MAX = 300
SHORT_NAME_MAX = 120
SPEC_MAX = 150
UNIT_MAX = 300
REMARK_MAX_BLUE = 450
REMARK_MAX_RED = 382
LINES_RECOMMENDED_MAX = 2000
LINES_MAX = 5000
LINE_AMOUNT_TOLERANCE = Decimal("0.01")
LINE_TAX_TOLERANCE = Decimal("0.06")
TOTAL_TAX_TOLERANCE = Decimal("1.27")
BUYER_LIMITS = {"address": 300, "phone": 60, "bank": 120, "bank_account": 50}
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
_NAME_FORM = re.compile(r"\*([^*]+)\*([^*].*)", re.DOTALL)
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
EMAIL_SEPARATORS = re.compile(r"[,;，；\s]+")
TAX_CODE_PATTERN = re.compile(r"[0-9]{19}")
PERSON_SUFFIXES = ("（个人）", "(个人)")


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
    """A problem that blocks issuing."""
    return Problem(field, code, "error", message)


def warning(field: str, code: str, message: str) -> Problem:
    """A problem worth a look that does not block issuing."""
    return Problem(field, code, "warning", message)


def percent(rate: Decimal) -> str:
    """0.06 → "6%", as the messages show a rate."""
    return f"{(rate * 100).normalize():f}%"


def split_line_name(name: str) -> tuple[str, str] | None:
    """("信息技术服务", "软件开发服务") for "*信息技术服务*软件开发服务"; None if no prefix."""
    match = _NAME_FORM.fullmatch(name)
    return (match.group(1), match.group(2)) if match else None


def full_line_name(line: Line, catalog: TaxCatalog | None = None) -> str:
    """The name to send: as typed when it has the `*简称*` form, else `*简称*name` with the
    catalog's 简称 for the line's tax code (the plain name when the code is unknown)."""
    if split_line_name(line.name):
        return line.name
    catalog = catalog or default_catalog()
    short = catalog.short_name(line.tax_code)
    return f"*{short}*{line.name}" if short else line.name


def too_long(field: str, label: str, text: str, limit: int) -> Problem | None:
    """The error for a text over its limit of characters; None when it fits."""
    if len(text) <= limit:
        return None
    return error(field, "field.too_long", f"{label}最多 {limit} 个字，现有 {len(text)} 个，请删减")
