"""The batch sheet's columns: one table from each column's key (the draft field it fills,
draft-format.md) to the Chinese header the template writes, and the words a bookkeeper types
for coded values (发票类型 数电普票/数电专票, 行性质 正常/折扣行/被折扣行).

A sheet is read by either header: the Chinese one of this table, or the key itself (the first
templates had English keys such as `buyer.name`, and such sheets are still read). A column
without a Chinese header here is read and written by its key.
"""

from __future__ import annotations

from invoicedesk.domain.models import Buyer, Line

# key -> Chinese header, in the template's order of keys (batch_io.COLUMNS)
HEADERS: dict[str, str] = {
    "draft": "草稿编号",
    "invoice_type": "发票类型",
    "remark": "备注",
    "seller_type": "销售方类型",
    "rate_note": "税率说明",
    "deduction.mode": "差额征税",
    "deduction.amount": "扣除额",
    "buyer.name": "购买方名称",
    "buyer.tax_id": "购买方纳税人识别号",
    "buyer.natural_person": "购买方为自然人",
    "buyer.address": "购买方地址",
    "buyer.phone": "购买方电话",
    "buyer.bank": "购买方开户银行",
    "buyer.bank_account": "购买方银行账号",
    "buyer.email": "购买方电子邮箱",
    "lines.kind": "行性质",
    "lines.name": "项目名称",
    "lines.tax_code": "税收分类编码",
    "lines.spec": "规格型号",
    "lines.unit": "单位",
    "lines.quantity": "数量",
    "lines.unit_price": "单价",
    "lines.amount": "金额",
    "lines.tax_rate": "税率",
    "lines.price_includes_tax": "是否含税",
    "lines.tax_treatment": "税收优惠",
}
_KEYS_BY_HEADER = {header: key for key, header in HEADERS.items()}

# 发票类型 as typed -> the code (81 数电专票, 82 数电普票); the codes themselves are read too
INVOICE_TYPE_WORDS: dict[str, str] = {
    "数电普票": "82",
    "数电专票": "81",
    "普票": "82",
    "专票": "81",
    "电子发票（普通发票）": "82",
    "电子发票（增值税专用发票）": "81",
}
INVOICE_TYPE_NAMES = {"81": "数电专票", "82": "数电普票"}

# 行性质 as typed -> the draft's kind
KIND_WORDS: dict[str, str] = {
    "正常": "normal",
    "正常行": "normal",
    "折扣": "discount",
    "折扣行": "discount",
    "被折扣": "discounted",
    "被折扣行": "discounted",
}


def header_of(key: str) -> str:
    """The Chinese header of a column key (the key itself when it has none)."""
    return HEADERS.get(key, key)


def key_of(header: str, keys: frozenset[str] | set[str] | tuple[str, ...]) -> str | None:
    """The column key a header cell names (Chinese or the old English key), None if neither."""
    text = header.strip()
    if text in keys:
        return text
    key = _KEYS_BY_HEADER.get(text)
    return key if key is not None and key in keys else None


def invoice_type_code(text: str) -> str:
    """ "数电普票" → "82"; a code or anything else as typed (the rules name a bad one)."""
    return INVOICE_TYPE_WORDS.get(text.strip(), text.strip())


def kind_code(text: str) -> str:
    return KIND_WORDS.get(text.strip(), text.strip())


# The sheet's columns, keyed by the draft field each fills (draft-format.md).
DRAFT_COLUMN = "draft"  # the columns are keyed by field; the headers are above
DRAFT_FIELDS = ("invoice_type", "remark", "seller_type", "rate_note")
# 差额征税 (draft-format.md § Tax treatments): the draft's `deduction` object as two columns
DEDUCTION_FIELDS = ("deduction.mode", "deduction.amount")
BUYER_FIELDS = tuple(f"buyer.{name}" for name in Buyer.model_fields)
LINE_FIELDS = tuple(f"lines.{name}" for name in Line.model_fields)
COLUMNS: tuple[str, ...] = (
    DRAFT_COLUMN,
    *DRAFT_FIELDS,
    *DEDUCTION_FIELDS,
    *BUYER_FIELDS,
    *LINE_FIELDS,
)
