"""Draft validation: every rule of domain-reference.md §1–§5, §9 that a draft can break.

`validate(draft)` returns Problems; it never raises on bad input. Severity "error" means the
draft cannot be issued; "warning" asks the user to confirm. Decisions where the sources are silent:
- A line name without the `*简称*` prefix is a warning, not an error: `full_line_name()` adds the
  catalog's 简称 when the draft is sent (vendors that compose the name themselves ignore it).
- A wrong USCC check character is a warning naming the expected character (§1.2: real codes
  exist that fail it). Tax codes missing from our (partial) catalog are warnings too.
- A rate outside the code's catalog rates is an error; codes starting with 6 need rate 0.
"""

from __future__ import annotations

from typing import Any

from invoicedesk.domain import treatments
from invoicedesk.domain.catalog import TaxCatalog, default_catalog
from invoicedesk.domain.line_rules import (
    check_lines,
)
from invoicedesk.domain.models import Buyer, Draft
from invoicedesk.domain.money import (
    draft_deduction,
)
from invoicedesk.domain.rule_basics import (
    BUYER_LIMITS,
    EMAIL_PATTERN,
    EMAIL_SEPARATORS,
    FIELD_LABELS,
    ISSUABLE_TYPES,
    LINE_AMOUNT_TOLERANCE,
    LINE_TAX_TOLERANCE,
    LINES_MAX,
    LINES_RECOMMENDED_MAX,
    NAME_MAX,
    PERSON_SUFFIXES,
    REMARK_MAX_BLUE,
    REMARK_MAX_RED,
    SHORT_NAME_MAX,
    SPEC_MAX,
    TOTAL_TAX_TOLERANCE,
    UNIT_MAX,
    Problem,
    Severity,
    error,
    full_line_name,
    has_errors,
    split_line_name,
    too_long,
    warning,
)
from invoicedesk.domain.taxid import check_tax_id
from invoicedesk.domain.taxid import describe as describe_tax_id

# what callers import from here; the vocabulary lives in rule_basics, the line checks in line_rules
__all__ = [
    "BUYER_LIMITS",
    "FIELD_LABELS",
    "ISSUABLE_TYPES",
    "LINES_MAX",
    "LINES_RECOMMENDED_MAX",
    "LINE_AMOUNT_TOLERANCE",
    "LINE_TAX_TOLERANCE",
    "NAME_MAX",
    "REMARK_MAX_BLUE",
    "REMARK_MAX_RED",
    "SHORT_NAME_MAX",
    "SPEC_MAX",
    "TOTAL_TAX_TOLERANCE",
    "UNIT_MAX",
    "Problem",
    "Severity",
    "full_line_name",
    "has_errors",
    "problems_from_validation_error",
    "split_line_name",
    "validate",
]


def validate(
    draft: Draft, *, catalog: TaxCatalog | None = None, red: bool = False
) -> list[Problem]:
    """All problems of the draft. `red` checks it as a red invoice (negative figures)."""
    catalog = catalog or default_catalog()
    problems: list[Problem] = []
    if draft.invoice_type not in ISSUABLE_TYPES:
        problems.append(
            error(
                "invoice_type",
                "invoice_type.unknown",
                f"发票类型“{draft.invoice_type[:10]}”不支持，"
                "请选择 81（数电专票）或 82（数电普票）",
            )
        )
    problems += _check_buyer(draft.buyer, draft.invoice_type)
    limit = REMARK_MAX_RED if red else REMARK_MAX_BLUE
    if len(draft.remark) > limit:
        problems.append(
            error(
                "remark",
                "remark.too_long",
                f"备注最多 {limit} 个字，现有 {len(draft.remark)} 个，请删减",
            )
        )
    problems += check_lines(draft.lines, catalog, red, draft_deduction(draft))
    problems += [error(p.field, p.code, p.message) for p in treatments.check(draft, red=red)]
    return problems


def _check_buyer(buyer: Buyer, invoice_type: str) -> list[Problem]:
    problems: list[Problem] = []
    name = buyer.name
    if not name:
        problems.append(error("buyer.name", "buyer.name_required", "购买方名称未填写，请填写"))
    elif p := too_long("buyer.name", "购买方名称", name, NAME_MAX):
        problems.append(p)
    core = name
    for suffix in PERSON_SUFFIXES:
        core = core.removesuffix(suffix)
    if buyer.natural_person and name and len(core) <= 1:
        problems.append(
            error(
                "buyer.name",
                "buyer.natural_person_name",
                "开给自然人时，购买方名称应多于 1 个字（可写“张先生”或全名），请修改",
            )
        )
    if not buyer.natural_person and name and len(name) <= 4:
        problems.append(
            warning(
                "buyer.name",
                "buyer.maybe_natural_person",
                "购买方名称较短，请检查填写的名称，确认是否开票给自然人（如是，请勾选“购买方为自然人（个人）”）",
            )
        )

    check = check_tax_id(buyer.tax_id, natural_person=buyer.natural_person)
    if check.kind == "empty":
        if invoice_type == "81":
            problems.append(
                error(
                    "buyer.tax_id",
                    "buyer.tax_id_required",
                    "开具专票必须填写购买方纳税人识别号，请填写",
                )
            )
    elif check.kind == "invalid":
        code = "tax_id.invalid" if check.reason == "shape" else f"tax_id.{check.reason}"
        problems.append(error("buyer.tax_id", code, describe_tax_id(check)))
    elif check.reason == "id_birth_date":
        problems.append(error("buyer.tax_id", "tax_id.id_birth_date", describe_tax_id(check)))
    elif not check.ok:  # a wrong check character: real codes exist that fail it (§1.2)
        code = "tax_id.checksum" if check.kind == "uscc" else "tax_id.id_checksum"
        problems.append(warning("buyer.tax_id", code, describe_tax_id(check)))
    elif check.kind == "legacy" and len(check.normalized) in (16, 19):
        problems.append(
            warning(
                "buyer.tax_id",
                "tax_id.unusual_length",
                f"纳税人识别号为 {len(check.normalized)} 位，通常为 15、17、18 或 20 位，请核对",
            )
        )

    for field, limit in BUYER_LIMITS.items():
        p = too_long(f"buyer.{field}", FIELD_LABELS[field], getattr(buyer, field), limit)
        if p:
            problems.append(p)
    if buyer.email:
        if len(buyer.email) > 300:
            problems.append(error("buyer.email", "field.too_long", "电子邮箱过长，请核对"))
        else:
            addresses = [a for a in EMAIL_SEPARATORS.split(buyer.email) if a]
            bad = [a for a in addresses if not EMAIL_PATTERN.fullmatch(a)]
            if bad:
                problems.append(
                    error(
                        "buyer.email",
                        "buyer.email_invalid",
                        f"电子邮箱“{bad[0][:60]}”格式不正确，请填写如 name@example.com 的地址",
                    )
                )
    return problems


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
