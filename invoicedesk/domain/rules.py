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

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Literal

from invoicedesk.domain import treatments
from invoicedesk.domain.bounds import line_bound_problems, total_bound_problem
from invoicedesk.domain.catalog import ALL_RATES, TaxCatalog
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.money import (
    DeductionFigures,
    FigureError,
    LineFigures,
    draft_deduction,
    money_text,
    parse_amount,
    parse_price,
    parse_quantity,
    parse_rate,
    try_compute_line,
)
from invoicedesk.domain.taxid import check_tax_id
from invoicedesk.domain.taxid import describe as describe_tax_id

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
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_EMAIL_SEPARATORS = re.compile(r"[,;，；\s]+")
_TAX_CODE = re.compile(r"[0-9]{19}")
_PERSON_SUFFIXES = ("（个人）", "(个人)")


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


def _error(field: str, code: str, message: str) -> Problem:
    return Problem(field, code, "error", message)


def _warning(field: str, code: str, message: str) -> Problem:
    return Problem(field, code, "warning", message)


def _percent(rate: Decimal) -> str:
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
    catalog = catalog or _default_catalog()
    short = catalog.short_name(line.tax_code)
    return f"*{short}*{line.name}" if short else line.name


def _default_catalog() -> TaxCatalog:
    from invoicedesk.domain.catalog import default_catalog

    return default_catalog()


def validate(
    draft: Draft, *, catalog: TaxCatalog | None = None, red: bool = False
) -> list[Problem]:
    """All problems of the draft. `red` checks it as a red invoice (negative figures)."""
    catalog = catalog or _default_catalog()
    problems: list[Problem] = []
    if draft.invoice_type not in ISSUABLE_TYPES:
        problems.append(
            _error(
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
            _error(
                "remark",
                "remark.too_long",
                f"备注最多 {limit} 个字，现有 {len(draft.remark)} 个，请删减",
            )
        )
    problems += _check_lines(draft.lines, catalog, red, draft_deduction(draft))
    problems += [_error(p.field, p.code, p.message) for p in treatments.check(draft, red=red)]
    return problems


def _too_long(field: str, label: str, text: str, limit: int) -> Problem | None:
    if len(text) <= limit:
        return None
    return _error(field, "field.too_long", f"{label}最多 {limit} 个字，现有 {len(text)} 个，请删减")


def _check_buyer(buyer: Buyer, invoice_type: str) -> list[Problem]:
    problems: list[Problem] = []
    name = buyer.name
    if not name:
        problems.append(_error("buyer.name", "buyer.name_required", "购买方名称未填写，请填写"))
    elif p := _too_long("buyer.name", "购买方名称", name, NAME_MAX):
        problems.append(p)
    core = name
    for suffix in _PERSON_SUFFIXES:
        core = core.removesuffix(suffix)
    if buyer.natural_person and name and len(core) <= 1:
        problems.append(
            _error(
                "buyer.name",
                "buyer.natural_person_name",
                "开给自然人时，购买方名称应多于 1 个字（可写“张先生”或全名），请修改",
            )
        )
    if not buyer.natural_person and name and len(name) <= 4:
        problems.append(
            _warning(
                "buyer.name",
                "buyer.maybe_natural_person",
                "购买方名称较短，请检查填写的名称，确认是否开票给自然人（如是，请勾选“开给自然人”）",
            )
        )

    check = check_tax_id(buyer.tax_id, natural_person=buyer.natural_person)
    if check.kind == "empty":
        if invoice_type == "81":
            problems.append(
                _error(
                    "buyer.tax_id",
                    "buyer.tax_id_required",
                    "开具专票必须填写购买方纳税人识别号，请填写",
                )
            )
    elif check.kind == "invalid":
        code = "tax_id.invalid" if check.reason == "shape" else f"tax_id.{check.reason}"
        problems.append(_error("buyer.tax_id", code, describe_tax_id(check)))
    elif check.reason == "id_birth_date":
        problems.append(_error("buyer.tax_id", "tax_id.id_birth_date", describe_tax_id(check)))
    elif not check.ok:  # a wrong check character: real codes exist that fail it (§1.2)
        code = "tax_id.checksum" if check.kind == "uscc" else "tax_id.id_checksum"
        problems.append(_warning("buyer.tax_id", code, describe_tax_id(check)))
    elif check.kind == "legacy" and len(check.normalized) in (16, 19):
        problems.append(
            _warning(
                "buyer.tax_id",
                "tax_id.unusual_length",
                f"纳税人识别号为 {len(check.normalized)} 位，通常为 15、17、18 或 20 位，请核对",
            )
        )

    for field, limit in BUYER_LIMITS.items():
        p = _too_long(f"buyer.{field}", FIELD_LABELS[field], getattr(buyer, field), limit)
        if p:
            problems.append(p)
    if buyer.email:
        if len(buyer.email) > 300:
            problems.append(_error("buyer.email", "field.too_long", "电子邮箱过长，请核对"))
        else:
            addresses = [a for a in _EMAIL_SEPARATORS.split(buyer.email) if a]
            bad = [a for a in addresses if not _EMAIL.fullmatch(a)]
            if bad:
                problems.append(
                    _error(
                        "buyer.email",
                        "buyer.email_invalid",
                        f"电子邮箱“{bad[0][:60]}”格式不正确，请填写如 name@example.com 的地址",
                    )
                )
    return problems


def _check_lines(
    lines: list[Line], catalog: TaxCatalog, red: bool, deduction: DeductionFigures | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    if not lines:
        return [_error("lines", "lines.empty", "发票没有明细，请至少添加一行")]
    if len(lines) > LINES_MAX:
        problems.append(
            _error(
                "lines",
                "lines.too_many",
                f"明细有 {len(lines)} 行，超过 {LINES_MAX} 行无法上传，请拆分为多张发票",
            )
        )
    elif len(lines) > LINES_RECOMMENDED_MAX:
        problems.append(
            _warning(
                "lines",
                "lines.many",
                f"明细有 {len(lines)} 行，建议不超过 {LINES_RECOMMENDED_MAX} 行，可拆分为多张发票",
            )
        )
    figures: list[LineFigures | None] = []
    for index, line in enumerate(lines):
        line_problems, fig = _check_line(index, line, catalog, red, deduction)
        problems += line_problems
        figures.append(fig)
    problems += _check_discounts(lines, figures)
    if all(f is not None for f in figures):
        problems += _check_totals([f for f in figures if f is not None], red)
    return problems


def _check_line(
    index: int, line: Line, catalog: TaxCatalog, red: bool, deduction: DeductionFigures | None
) -> tuple[list[Problem], LineFigures | None]:
    at = f"lines[{index}]"
    row = f"第 {index + 1} 行"
    problems: list[Problem] = []
    problems += _check_line_name(at, row, line, catalog)
    problems += _check_tax_code(at, row, line, catalog)
    for field, limit in (("spec", SPEC_MAX), ("unit", UNIT_MAX)):
        p = _too_long(f"{at}.{field}", f"{row}{FIELD_LABELS[field]}", getattr(line, field), limit)
        if p:
            problems.append(p)
    if red and line.kind != "normal":
        problems.append(
            _error(f"{at}.kind", "line.red_kind", f"{row}：红字发票只能有正常行，请去掉折扣")
        )

    problems += _check_line_figures(at, row, line, catalog)
    fig = try_compute_line(line, deduction)
    if fig is None:  # a figure cannot be read: already reported above
        return problems, None
    problems += _check_line_signs(at, row, line, fig, red)
    for field, code, message in line_bound_problems(fig, amount_typed=bool(line.amount.strip())):
        problems.append(_error(f"{at}.{field}", code, f"{row}：{message}"))
    # 差额征税 lines are checked against their own formula (fig.exact_tax, §2.2)
    if abs(fig.exact_tax - fig.tax) > LINE_TAX_TOLERANCE:  # cannot happen by design
        problems.append(
            _error(
                f"{at}.amount",
                "line.tax_tolerance",
                f"{row}：税额与金额×税率相差超过 0.06，请核对金额和税率",
            )
        )
    return problems, fig


def _check_line_name(at: str, row: str, line: Line, catalog: TaxCatalog) -> list[Problem]:
    name = line.name
    if not name:
        return [_error(f"{at}.name", "line.name_required", f"{row}项目名称未填写，请填写")]
    if len(name) > NAME_MAX:
        return [
            _error(
                f"{at}.name",
                "field.too_long",
                f"{row}项目名称（含简称）最多 {NAME_MAX} 个字，现有 {len(name)} 个，请删减",
            )
        ]
    short = catalog.short_name(line.tax_code)
    parts = split_line_name(name)
    if parts is None:
        if name.startswith("*"):
            return [
                _error(
                    f"{at}.name",
                    "line.name_format",
                    f"{row}项目名称应写成“*简称*名称”（如 *信息技术服务*软件开发服务），请修改",
                )
            ]
        if short:
            return [
                _warning(
                    f"{at}.name",
                    "line.name_short_name_added",
                    f"{row}项目名称没有简称，开具时将写为“*{short}*{name[:40]}”，请确认",
                )
            ]
        return [
            _warning(
                f"{at}.name",
                "line.name_without_short_name",
                f"{row}项目名称应写成“*简称*名称”（如 *信息技术服务*软件开发服务），请补上简称",
            )
        ]
    typed_short, _item = parts
    if len(typed_short) > SHORT_NAME_MAX:
        return [
            _error(f"{at}.name", "field.too_long", f"{row}简称最多 {SHORT_NAME_MAX} 个字，请删减")
        ]
    if short and typed_short != short:
        return [
            _warning(
                f"{at}.name",
                "line.short_name_mismatch",
                f"{row}简称“{typed_short[:40]}”与税收分类编码的简称“{short}”不一致，请核对",
            )
        ]
    return []


def _check_tax_code(at: str, row: str, line: Line, catalog: TaxCatalog) -> list[Problem]:
    code = line.tax_code
    if not code:
        return [
            _error(f"{at}.tax_code", "line.tax_code_required", f"{row}税收分类编码未填写，请选择")
        ]
    if not _TAX_CODE.fullmatch(code):
        return [
            _error(
                f"{at}.tax_code",
                "line.tax_code_format",
                f"{row}税收分类编码应为 19 位数字，请核对",
            )
        ]
    if catalog.by_code(code) is None:
        return [
            _warning(
                f"{at}.tax_code",
                "line.tax_code_unknown",
                f"{row}税收分类编码 {code} 不在本机编码表中，请确认编码和税率无误",
            )
        ]
    return []


def _figure_error(field: str, row: str, exc: FigureError) -> Problem:
    return _error(field, exc.code, f"{row}{exc.message}")


def _check_line_figures(at: str, row: str, line: Line, catalog: TaxCatalog) -> list[Problem]:
    """Problems with the figures as typed: format, pairing, 数量×单价 against 金额, rate."""
    problems: list[Problem] = []
    try:
        rate = parse_rate(line.tax_rate)
    except FigureError as exc:
        problems.append(_figure_error(f"{at}.tax_rate", row, exc))
    else:
        problems += _check_rate(at, row, line.tax_code, rate, catalog)

    quantity = price = None
    has_q, has_p = bool(line.quantity), bool(line.unit_price)
    if has_q != has_p:
        missing = "unit_price" if has_q else "quantity"
        problems.append(
            _error(
                f"{at}.{missing}",
                "line.quantity_price_pair",
                f"{row}数量和单价应同时填写或同时留空，请补上{FIELD_LABELS[missing]}",
            )
        )
    if has_q:
        try:
            quantity = parse_quantity(line.quantity)
        except FigureError as exc:
            problems.append(_figure_error(f"{at}.quantity", row, exc))
        else:
            if quantity == 0:
                problems.append(
                    _error(f"{at}.quantity", "line.quantity_zero", f"{row}数量不能为 0，请修改")
                )
    if has_p:
        try:
            price = parse_price(line.unit_price)
        except FigureError as exc:
            problems.append(_figure_error(f"{at}.unit_price", row, exc))
        else:
            if price < 0:
                problems.append(
                    _error(
                        f"{at}.unit_price",
                        "line.negative_price",
                        f"{row}单价不能为负数，请修改（冲减请开红字发票）",
                    )
                )
    if line.amount:
        try:
            amount = parse_amount(line.amount)
        except FigureError as exc:
            problems.append(_figure_error(f"{at}.amount", row, exc))
        else:
            if quantity is not None and price is not None:
                expected = quantity * price
                if abs(expected - amount) > LINE_AMOUNT_TOLERANCE:
                    problems.append(
                        _error(
                            f"{at}.amount",
                            "line.amount_mismatch",
                            f"{row}数量×单价为 {money_text(expected)}，与金额 {line.amount} "
                            "相差超过 0.01，请核对",
                        )
                    )
    elif not (has_q and has_p):
        problems.append(
            _error(f"{at}.amount", "figure.empty", f"{row}金额未填写，请填写金额（或数量和单价）")
        )
    return problems


def _check_rate(at: str, row: str, code: str, rate: Decimal, catalog: TaxCatalog) -> list[Problem]:
    if rate not in ALL_RATES:
        return [
            _error(
                f"{at}.tax_rate",
                "line.tax_rate_unknown",
                f"{row}税率 {_percent(rate)} 不是可用的税率或征收率，请选择",
            )
        ]
    if code.startswith("6") and rate != 0:
        return [
            _error(
                f"{at}.tax_rate",
                "line.tax_rate_not_allowed",
                f"{row}不征税项目（编码以 6 开头）的税率应为 0，请修改",
            )
        ]
    allowed = catalog.allowed_rates(code)
    if rate not in allowed:
        listed = "、".join(_percent(r) for r in allowed)
        return [
            _error(
                f"{at}.tax_rate",
                "line.tax_rate_not_allowed",
                f"{row}该税收分类编码不能使用 {_percent(rate)}，可用：{listed}，请修改",
            )
        ]
    return []


def _check_line_signs(at: str, row: str, line: Line, fig: LineFigures, red: bool) -> list[Problem]:
    problems: list[Problem] = []
    if red:
        if fig.amount >= 0:
            problems.append(
                _error(f"{at}.amount", "line.red_not_negative", f"{row}红字发票的金额应为负数")
            )
        return problems
    if line.kind == "discount":
        if fig.amount >= 0:
            problems.append(
                _error(
                    f"{at}.amount",
                    "discount.not_negative",
                    f"{row}是折扣行，金额应为负数（如 -10.00），请修改",
                )
            )
        return problems
    if fig.quantity is not None and fig.quantity < 0:
        problems.append(
            _error(
                f"{at}.quantity",
                "line.negative_quantity",
                f"{row}蓝字发票的数量不能为负数；如需冲减，请开红字发票或添加折扣行",
            )
        )
    if fig.amount <= 0:
        problems.append(
            _error(
                f"{at}.amount",
                "line.amount_not_positive",
                f"{row}蓝字发票的金额应大于 0；如需冲减，请开红字发票或添加折扣行",
            )
        )
    return problems


def _check_discounts(lines: list[Line], figures: list[LineFigures | None]) -> list[Problem]:
    problems: list[Problem] = []
    for index, line in enumerate(lines):
        at = f"lines[{index}]"
        row = f"第 {index + 1} 行"
        if line.kind == "discounted":
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is None or following.kind != "discount":
                problems.append(
                    _error(
                        f"{at}.kind",
                        "discount.missing",
                        f"{row}是被折扣行，下一行应为它的折扣行，请添加折扣行或改为正常行",
                    )
                )
            continue
        if line.kind != "discount":
            continue
        target = lines[index - 1] if index > 0 else None
        if target is None or target.kind != "discounted":
            problems.append(
                _error(
                    f"{at}.kind",
                    "discount.position",
                    f"{row}是折扣行，必须紧跟在被折扣行之后，请调整顺序",
                )
            )
            continue
        for field in ("quantity", "unit_price", "spec", "unit"):
            if getattr(line, field):
                problems.append(
                    _error(
                        f"{at}.{field}",
                        "discount.field_not_empty",
                        f"{row}是折扣行，{FIELD_LABELS[field]}应留空，请删除",
                    )
                )
        if line.tax_code != target.tax_code:
            problems.append(
                _error(
                    f"{at}.tax_code",
                    "discount.tax_code_mismatch",
                    f"{row}折扣行的税收分类编码应与第 {index} 行相同，请修改",
                )
            )
        if line.name != target.name:
            problems.append(
                _error(
                    f"{at}.name",
                    "discount.name_mismatch",
                    f"{row}折扣行的项目名称应与第 {index} 行相同，请修改",
                )
            )
        fig, target_fig = figures[index], figures[index - 1]
        if fig is None or target_fig is None:
            continue
        if fig.tax_rate != target_fig.tax_rate:
            problems.append(
                _error(
                    f"{at}.tax_rate",
                    "discount.tax_rate_mismatch",
                    f"{row}折扣行的税率应与第 {index} 行相同，请修改",
                )
            )
        elif abs(fig.amount) > target_fig.amount or abs(fig.total) > target_fig.total:
            problems.append(
                _error(
                    f"{at}.amount",
                    "discount.too_large",
                    f"{row}折扣金额超过第 {index} 行的金额，请修改",
                )
            )
    return problems


def _check_totals(figures: list[LineFigures], red: bool) -> list[Problem]:
    problems: list[Problem] = []
    amount = sum((f.amount for f in figures), Decimal(0))
    tax = sum((f.tax for f in figures), Decimal(0))
    total = sum((f.total for f in figures), Decimal(0))
    exact_tax = sum((f.exact_tax for f in figures), Decimal(0))
    if too_large := total_bound_problem(total):
        problems.append(_error("lines", too_large[1], too_large[2]))
    if abs(exact_tax - tax) > TOTAL_TAX_TOLERANCE:
        problems.append(
            _error(
                "lines",
                "totals.tax_tolerance",
                f"合计税额与各行金额×税率之和相差 {money_text(abs(exact_tax - tax))}，超过 1.27，"
                "请拆分为多张发票",
            )
        )
    if red:
        if amount >= 0 or total >= 0:
            problems.append(
                _error("lines", "totals.red_not_negative", "红字发票的合计金额应为负数，请核对")
            )
    elif amount <= 0 or total <= 0 or tax < 0:
        problems.append(
            _error(
                "lines",
                "totals.not_positive",
                "蓝字发票的合计金额和价税合计应大于 0，请核对明细金额和折扣",
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
            _error(path, f"format.{kind}", f"{label}（{path or '文件'}）{hint}，请修改草稿文件")
        )
    return problems
