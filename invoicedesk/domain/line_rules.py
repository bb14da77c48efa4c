"""Draft validation of the lines: each line's name, tax code, figures, rate and sign, the
discount lines and the totals (domain-reference.md §3–§5); rules.validate runs them."""

from __future__ import annotations

from decimal import Decimal

from invoicedesk.domain.bounds import line_bound_problems, total_bound_problem
from invoicedesk.domain.catalog import ALL_RATES, TaxCatalog
from invoicedesk.domain.models import Line
from invoicedesk.domain.money import (
    DeductionFigures,
    FigureError,
    LineFigures,
    money_text,
    parse_amount,
    parse_price,
    parse_quantity,
    parse_rate,
    try_compute_line,
)
from invoicedesk.domain.rule_basics import (
    FIELD_LABELS,
    LINE_AMOUNT_TOLERANCE,
    LINE_TAX_TOLERANCE,
    LINES_MAX,
    LINES_RECOMMENDED_MAX,
    NAME_MAX,
    SHORT_NAME_MAX,
    SPEC_MAX,
    TAX_CODE_PATTERN,
    TOTAL_TAX_TOLERANCE,
    UNIT_MAX,
    Problem,
    error,
    percent,
    split_line_name,
    too_long,
    warning,
)


def check_lines(
    lines: list[Line], catalog: TaxCatalog, red: bool, deduction: DeductionFigures | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    if not lines:
        return [error("lines", "lines.empty", "发票没有明细，请至少添加一行")]
    if len(lines) > LINES_MAX:
        problems.append(
            error(
                "lines",
                "lines.too_many",
                f"明细有 {len(lines)} 行，超过 {LINES_MAX} 行无法上传，请拆分为多张发票",
            )
        )
    elif len(lines) > LINES_RECOMMENDED_MAX:
        problems.append(
            warning(
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
        p = too_long(f"{at}.{field}", f"{row}{FIELD_LABELS[field]}", getattr(line, field), limit)
        if p:
            problems.append(p)
    if red and line.kind != "normal":
        problems.append(
            error(f"{at}.kind", "line.red_kind", f"{row}：红字发票只能有正常行，请去掉折扣")
        )

    problems += _check_line_figures(at, row, line, catalog)
    fig = try_compute_line(line, deduction)
    if fig is None:  # a figure cannot be read: already reported above
        return problems, None
    problems += _check_line_signs(at, row, line, fig, red)
    for field, code, message in line_bound_problems(fig, amount_typed=bool(line.amount.strip())):
        problems.append(error(f"{at}.{field}", code, f"{row}：{message}"))
    # 差额征税 lines are checked against their own formula (fig.exact_tax, §2.2)
    if abs(fig.exact_tax - fig.tax) > LINE_TAX_TOLERANCE:  # cannot happen by design
        problems.append(
            error(
                f"{at}.amount",
                "line.tax_tolerance",
                f"{row}：税额与金额×税率相差超过 0.06，请核对金额和税率",
            )
        )
    return problems, fig


def _check_line_name(at: str, row: str, line: Line, catalog: TaxCatalog) -> list[Problem]:
    name = line.name
    if not name:
        return [error(f"{at}.name", "line.name_required", f"{row}项目名称未填写，请填写")]
    if len(name) > NAME_MAX:
        return [
            error(
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
                error(
                    f"{at}.name",
                    "line.name_format",
                    f"{row}项目名称应写成“*简称*名称”（如 *信息技术服务*软件开发服务），请修改",
                )
            ]
        if short:
            return [
                warning(
                    f"{at}.name",
                    "line.name_short_name_added",
                    f"{row}项目名称没有简称，开具时将写为“*{short}*{name[:40]}”，请确认",
                )
            ]
        return [
            warning(
                f"{at}.name",
                "line.name_without_short_name",
                f"{row}项目名称应写成“*简称*名称”（如 *信息技术服务*软件开发服务），请补上简称",
            )
        ]
    typed_short, _item = parts
    if len(typed_short) > SHORT_NAME_MAX:
        return [
            error(f"{at}.name", "field.too_long", f"{row}简称最多 {SHORT_NAME_MAX} 个字，请删减")
        ]
    if short and typed_short != short:
        return [
            warning(
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
            error(f"{at}.tax_code", "line.tax_code_required", f"{row}税收分类编码未填写，请选择")
        ]
    if not TAX_CODE_PATTERN.fullmatch(code):
        return [
            error(
                f"{at}.tax_code",
                "line.tax_code_format",
                f"{row}税收分类编码应为 19 位数字，请核对",
            )
        ]
    if catalog.by_code(code) is None:
        return [
            warning(
                f"{at}.tax_code",
                "line.tax_code_unknown",
                f"{row}税收分类编码 {code} 不在本机编码表中，请确认编码和税率无误",
            )
        ]
    return []


def _figure_error(field: str, row: str, exc: FigureError) -> Problem:
    return error(field, exc.code, f"{row}{exc.message}")


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
            error(
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
                    error(f"{at}.quantity", "line.quantity_zero", f"{row}数量不能为 0，请修改")
                )
    if has_p:
        try:
            price = parse_price(line.unit_price)
        except FigureError as exc:
            problems.append(_figure_error(f"{at}.unit_price", row, exc))
        else:
            if price < 0:
                problems.append(
                    error(
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
                        error(
                            f"{at}.amount",
                            "line.amount_mismatch",
                            f"{row}数量×单价为 {money_text(expected)}，与金额 {line.amount} "
                            "相差超过 0.01，请核对",
                        )
                    )
    elif not (has_q and has_p):
        problems.append(
            error(f"{at}.amount", "figure.empty", f"{row}金额未填写，请填写金额（或数量和单价）")
        )
    return problems


def _check_rate(at: str, row: str, code: str, rate: Decimal, catalog: TaxCatalog) -> list[Problem]:
    if rate not in ALL_RATES:
        return [
            error(
                f"{at}.tax_rate",
                "line.tax_rate_unknown",
                f"{row}税率 {percent(rate)} 不是可用的税率或征收率，请选择",
            )
        ]
    if code.startswith("6") and rate != 0:
        return [
            error(
                f"{at}.tax_rate",
                "line.tax_rate_not_allowed",
                f"{row}不征税项目（编码以 6 开头）的税率应为 0，请修改",
            )
        ]
    allowed = catalog.allowed_rates(code)
    if rate not in allowed:
        listed = "、".join(percent(r) for r in allowed)
        return [
            error(
                f"{at}.tax_rate",
                "line.tax_rate_not_allowed",
                f"{row}该税收分类编码不能使用 {percent(rate)}，可用：{listed}，请修改",
            )
        ]
    return []


def _check_line_signs(at: str, row: str, line: Line, fig: LineFigures, red: bool) -> list[Problem]:
    problems: list[Problem] = []
    if red:
        if fig.amount >= 0:
            problems.append(
                error(f"{at}.amount", "line.red_not_negative", f"{row}红字发票的金额应为负数")
            )
        return problems
    if line.kind == "discount":
        if fig.amount >= 0:
            problems.append(
                error(
                    f"{at}.amount",
                    "discount.not_negative",
                    f"{row}是折扣行，金额应为负数（如 -10.00），请修改",
                )
            )
        return problems
    if fig.quantity is not None and fig.quantity < 0:
        problems.append(
            error(
                f"{at}.quantity",
                "line.negative_quantity",
                f"{row}蓝字发票的数量不能为负数；如需冲减，请开红字发票或添加折扣行",
            )
        )
    if fig.amount <= 0:
        problems.append(
            error(
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
                    error(
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
                error(
                    f"{at}.kind",
                    "discount.position",
                    f"{row}是折扣行，必须紧跟在被折扣行之后，请调整顺序",
                )
            )
            continue
        for field in ("quantity", "unit_price", "spec", "unit"):
            if getattr(line, field):
                problems.append(
                    error(
                        f"{at}.{field}",
                        "discount.field_not_empty",
                        f"{row}是折扣行，{FIELD_LABELS[field]}应留空，请删除",
                    )
                )
        if line.tax_code != target.tax_code:
            problems.append(
                error(
                    f"{at}.tax_code",
                    "discount.tax_code_mismatch",
                    f"{row}折扣行的税收分类编码应与第 {index} 行相同，请修改",
                )
            )
        if line.name != target.name:
            problems.append(
                error(
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
                error(
                    f"{at}.tax_rate",
                    "discount.tax_rate_mismatch",
                    f"{row}折扣行的税率应与第 {index} 行相同，请修改",
                )
            )
        elif abs(fig.amount) > target_fig.amount or abs(fig.total) > target_fig.total:
            problems.append(
                error(
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
        problems.append(error("lines", too_large[1], too_large[2]))
    if abs(exact_tax - tax) > TOTAL_TAX_TOLERANCE:
        problems.append(
            error(
                "lines",
                "totals.tax_tolerance",
                f"合计税额与各行金额×税率之和相差 {money_text(abs(exact_tax - tax))}，超过 1.27，"
                "请拆分为多张发票",
            )
        )
    if red:
        if amount >= 0 or total >= 0:
            problems.append(
                error("lines", "totals.red_not_negative", "红字发票的合计金额应为负数，请核对")
            )
    elif amount <= 0 or total <= 0 or tax < 0:
        problems.append(
            error(
                "lines",
                "totals.not_positive",
                "蓝字发票的合计金额和价税合计应大于 0，请核对明细金额和折扣",
            )
        )
    return problems
