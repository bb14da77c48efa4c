"""The invoice draft, as ../shared/docs/draft-format.md describes it.

Every figure is kept as the text the user (or the file) gave: parsing to Decimal, and saying what
is wrong with a figure, is the job of `money` and `rules`, so that a bad figure becomes a Problem
naming its field instead of an exception. A JSON number is read from its own text, never through
a binary float (see `draft_from_json`).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    model_serializer,
)


class InvoiceType(StrEnum):
    SPECIAL = "81"  # 数电专票
    ORDINARY = "82"  # 数电普票


LineKind = Literal["normal", "discount", "discounted"]


class Buyer(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = ""
    tax_id: str = ""
    # Strict: pydantic would otherwise read "yes"/"1" in a draft file as true.
    natural_person: StrictBool = False
    address: str = ""
    phone: str = ""
    bank: str = ""
    bank_account: str = ""
    email: str = ""


class Line(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: LineKind = "normal"
    name: str = ""
    tax_code: str = ""
    spec: str = ""
    unit: str = ""
    quantity: str = ""
    unit_price: str = ""
    amount: str = ""
    tax_rate: str = ""
    price_includes_tax: StrictBool = True
    # draft-format.md § Tax treatments: "" ordinary, or a key of domain.treatments.TREATMENTS.
    # Plain text, not a Literal, so that an unknown value is a Problem naming the line.
    tax_treatment: str = ""

    @model_serializer(mode="wrap")
    def _leave_out_ordinary(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_defaults(handler(self), {"tax_treatment": ""})


class Deduction(BaseModel):
    """差额征税: `mode` "partial" (差额开具) or "full" (全额开具); `amount` is the 扣除额."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    mode: str = ""
    amount: str = ""


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    invoice_type: str = InvoiceType.ORDINARY.value
    buyer: Buyer = Field(default_factory=Buyer)
    lines: list[Line] = Field(default_factory=list)
    remark: str = ""
    serial_no: str | None = None
    # Tax treatments (draft-format.md): all optional, so older drafts read as ordinary invoices.
    seller_type: str = ""  # "" not known, "general" 一般纳税人, "small_scale" 小规模纳税人
    rate_note: str = ""  # 税率说明 of a small-scale 3% invoice: "", "2" or "3"
    deduction: Deduction | None = None

    # An ordinary draft is written (and hashed: services/issuing.content_hash) exactly as before
    # the tax-treatment fields existed, so a draft sent by an older version still resumes.
    @model_serializer(mode="wrap")
    def _leave_out_ordinary(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return _without_defaults(
            handler(self), {"seller_type": "", "rate_note": "", "deduction": None}
        )

    def to_json(self) -> str:
        """The draft file's text: UTF-8 JSON with every figure as a string."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2)


def _without_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    for name, default in defaults.items():
        if name in data and data[name] == default:
            del data[name]
    return data


def _keep_text(text: str) -> str:
    return text


def load_json_keeping_numbers(text: str | bytes) -> Any:
    """json.loads, but every number (and NaN/Infinity) stays the exact text it was written as."""
    return json.loads(text, parse_float=_keep_text, parse_int=_keep_text, parse_constant=_keep_text)


def draft_from_json(text: str | bytes) -> Draft:
    """Parse a draft file. Raises ValueError (json.JSONDecodeError) or pydantic.ValidationError."""
    return Draft.model_validate(load_json_keeping_numbers(text))
