"""Problems in the English window: English text for the domain's Chinese messages, by code.

The domain speaks Chinese by design (it knows no Qt and no language setting; its messages are
also what the command line prints). The English window translates at the UI: each stable
problem code (`Problem.code`, "line.quantity_zero") has a pattern that reads the figures out
of the Chinese message (row, limit, value) and an English template that puts them back. A
message no pattern matches (a code added since, a reworded message) is shown in Chinese as
it is, never blank or half-translated. tests/ui/test_problem_text.py checks that every code
the domain can produce has an entry here.

Decided for issue 19 item 8. Vendor error messages (vendors/errors.py, "vendor.rejected"
here) are not translated: they quote or paraphrase the platforms, whose answers are Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol


class Problem(Protocol):
    """What a translation needs of a problem: the domain's `Problem` and the batch sheet's
    `RowProblem` both have it."""

    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...


ROW = r"(?:第 (?P<row>\d+) 行：?)?"
LABEL = r"(?P<label>[^“”，（]+?)"

# the domain's field names (rules.FIELD_LABELS and money's labels) in English
LABELS: Mapping[str, str] = {
    "发票类型": "Invoice type",
    "购买方": "Buyer",
    "购买方名称": "Buyer name",
    "名称": "Name",
    "纳税人识别号": "Taxpayer ID",
    "是否开给自然人": "Natural person",
    "地址": "Address",
    "电话": "Phone",
    "开户银行": "Bank",
    "银行账号": "Bank account",
    "电子邮箱": "E-mail",
    "明细": "Lines",
    "行性质": "Line kind",
    "税收分类编码": "Tax code",
    "规格型号": "Spec",
    "单位": "Unit",
    "数量": "Quantity",
    "单价": "Unit price",
    "金额": "Amount",
    "税率": "Tax rate",
    "是否含税": "Tax included",
    "备注": "Remark",
    "流水号": "Serial number",
    "项目名称": "Item name",
    "简称": "Short name",
    "含税金额": "Gross amount",
    "价税合计": "Total incl. tax",
    "不含税单价": "Net unit price",
    "草稿": "Draft",
}

# code -> [(pattern over the Chinese message, English template)]; {row} becomes "Line N: "
TABLE: Mapping[str, list[tuple[str, str]]] = {
    "invoice_type.unknown": [
        (
            r"发票类型“(?P<q>.*)”不支持.*",
            'Invoice type "{q}" is not supported; choose 81 '
            "(special VAT e-invoice) or 82 (ordinary VAT e-invoice)",
        ),
    ],
    "remark.too_long": [
        (
            r"备注最多 (?P<n>\d+) 个字，现有 (?P<m>\d+) 个.*",
            "The remark takes at most {n} characters, it has {m}; shorten it",
        ),
    ],
    "field.too_long": [
        (
            ROW + r"项目名称（含简称）最多 (?P<n>\d+) 个字，现有 (?P<m>\d+) 个.*",
            "{row}the item name (with its short name) takes at most {n} characters, it has {m}; "
            "shorten it",
        ),
        (
            ROW + r"简称最多 (?P<n>\d+) 个字.*",
            "{row}the short name takes at most {n} characters; shorten it",
        ),
        (r"电子邮箱过长.*", "The e-mail address is too long; check it"),
        (
            LABEL + r"最多 (?P<n>\d+) 个字，现有 (?P<m>\d+) 个.*",
            "{label} takes at most {n} characters, it has {m}; shorten it",
        ),
    ],
    "buyer.name_required": [(r"购买方名称未填写.*", "Fill in the buyer's name")],
    "buyer.natural_person_name": [
        (
            r"开给自然人时.*",
            "For a natural person the buyer name needs more than one character "
            '(e.g. "张先生" or the full name)',
        ),
    ],
    "buyer.maybe_natural_person": [
        (
            r"购买方名称较短.*",
            "The buyer name is short: check it, and whether the invoice is for a natural person "
            '(if so, tick "Buyer is a natural person")',
        ),
    ],
    "buyer.tax_id_required": [
        (r"开具专票必须填写.*", "A special VAT invoice needs the buyer's taxpayer ID; fill it in"),
    ],
    "tax_id.invalid": [
        (
            r"纳税人识别号应为 15～20 位.*",
            "The taxpayer ID should be 15 to 20 digits or capital letters; check it",
        ),
    ],
    "tax_id.checksum": [
        (
            r"纳税人识别号校验位不正确（应为 (?P<x>[^）]+)）.*",
            "The taxpayer ID's check character is wrong (it should be {x}); check the ID",
        ),
    ],
    "tax_id.unusual_length": [
        (
            r"纳税人识别号为 (?P<n>\d+) 位.*",
            "The taxpayer ID has {n} characters; it usually has 15, 17, 18 or 20; check it",
        ),
    ],
    "buyer.email_invalid": [
        (
            r"电子邮箱“(?P<q>.*)”格式不正确.*",
            'The e-mail address "{q}" is not valid; write an address like name@example.com',
        ),
    ],
    "lines.empty": [(r"发票没有明细.*", "The invoice has no lines; add at least one")],
    "lines.too_many": [
        (
            r"明细有 (?P<n>\d+) 行，超过 (?P<m>\d+) 行.*",
            "The invoice has {n} lines; more than {m} cannot be sent: split it into several "
            "invoices",
        ),
    ],
    "lines.many": [
        (
            r"明细有 (?P<n>\d+) 行，建议不超过 (?P<m>\d+) 行.*",
            "The invoice has {n} lines; at most {m} are recommended: consider splitting it",
        ),
    ],
    "line.red_kind": [
        (
            ROW + r"红字发票只能有正常行.*",
            "{row}a red-letter invoice has normal lines only; remove the discount",
        ),
    ],
    "line.tax_tolerance": [
        (
            ROW + r"税额与金额×税率相差超过 0.06.*",
            "{row}the tax differs from amount × rate by more than 0.06; check amount and rate",
        ),
    ],
    "line.name_required": [(ROW + r"项目名称未填写.*", "{row}fill in the item name")],
    "line.name_format": [
        (
            ROW + r"项目名称应写成“\*简称\*名称”.*请修改",
            '{row}write the item name as "*short name*name" (e.g. *信息技术服务*软件开发服务)',
        ),
    ],
    "line.name_without_short_name": [
        (
            ROW + r"项目名称应写成“\*简称\*名称”.*",
            '{row}write the item name as "*short name*name"; add the short name',
        ),
    ],
    "line.name_short_name_added": [
        (
            ROW + r"项目名称没有简称，开具时将写为“(?P<q>.*)”.*",
            '{row}the item name has no short name; it will be issued as "{q}": check it',
        ),
    ],
    "line.short_name_mismatch": [
        (
            ROW + r"简称“(?P<q>.*)”与税收分类编码的简称“(?P<x>.*)”不一致.*",
            '{row}the short name "{q}" differs from the tax code\'s short name "{x}"; check it',
        ),
    ],
    "line.tax_code_required": [(ROW + r"税收分类编码未填写.*", "{row}choose a tax code")],
    "line.tax_code_format": [
        (ROW + r"税收分类编码应为 19 位数字.*", "{row}the tax code should be 19 digits"),
    ],
    "line.tax_code_unknown": [
        (
            ROW + r"税收分类编码 (?P<x>\S+) 不在本机编码表中.*",
            "{row}tax code {x} is not in the local catalog; make sure code and rate are right",
        ),
    ],
    "line.tax_rate_not_allowed": [
        (
            ROW + r"不征税项目.*",
            "{row}a non-taxable item (code starting with 6) takes the rate 0; change it",
        ),
        (
            ROW + r"该税收分类编码不能使用 (?P<x>\S+)，可用：(?P<q>[^，]+)，.*",
            "{row}this tax code cannot use {x}; allowed: {q}",
        ),
    ],
    "line.tax_rate_unknown": [
        (
            ROW + r"税率 (?P<x>\S+) 不是可用的税率或征收率.*",
            "{row}{x} is not an available tax or levy rate; choose one",
        ),
    ],
    "line.quantity_price_pair": [
        (
            ROW + r"数量和单价应同时填写或同时留空，请补上(?P<label>.+)",
            "{row}fill in both quantity and unit price, or neither: add the {label_lower}",
        ),
    ],
    "line.quantity_zero": [(ROW + r"数量不能为 0.*", "{row}the quantity cannot be 0")],
    "line.negative_price": [
        (
            ROW + r"单价不能为负数.*",
            "{row}the unit price cannot be negative (issue a red-letter invoice to reduce)",
        ),
    ],
    "line.negative_quantity": [
        (
            ROW + r"蓝字发票的数量不能为负数.*",
            "{row}a blue invoice cannot have a negative quantity; to reduce, issue a red-letter "
            "invoice or add a discount line",
        ),
    ],
    "line.amount_not_positive": [
        (
            ROW + r"蓝字发票的金额应大于 0.*",
            "{row}a blue invoice's amount must be above 0; to reduce, issue a red-letter invoice "
            "or add a discount line",
        ),
    ],
    "line.red_not_negative": [
        (ROW + r"红字发票的金额应为负数.*", "{row}a red-letter invoice's amount must be negative"),
    ],
    "line.amount_mismatch": [
        (
            ROW + r"数量×单价为 (?P<x>\S+)，与金额 (?P<q>\S+) 相差超过 0.01.*",
            "{row}quantity × unit price is {x}, more than 0.01 away from the amount {q}; check",
        ),
    ],
    "discount.field_not_empty": [
        (
            ROW + r"是折扣行，(?P<label>.+)应留空.*",
            "{row}is a discount line: leave the {label_lower} empty",
        ),
    ],
    "discount.missing": [
        (
            ROW + r"是被折扣行.*",
            "{row}is a discounted line: the next line should be its discount; add it or make the "
            "line normal",
        ),
    ],
    "discount.name_mismatch": [
        (
            ROW + r"折扣行的项目名称应与第 (?P<n>\d+) 行相同.*",
            "{row}a discount line's item name must be line {n}'s",
        ),
    ],
    "discount.tax_code_mismatch": [
        (
            ROW + r"折扣行的税收分类编码应与第 (?P<n>\d+) 行相同.*",
            "{row}a discount line's tax code must be line {n}'s",
        ),
    ],
    "discount.tax_rate_mismatch": [
        (
            ROW + r"折扣行的税率应与第 (?P<n>\d+) 行相同.*",
            "{row}a discount line's tax rate must be line {n}'s",
        ),
    ],
    "discount.not_negative": [
        (
            ROW + r"是折扣行，金额应为负数.*",
            "{row}is a discount line: its amount must be negative (e.g. -10.00)",
        ),
    ],
    "discount.position": [
        (
            ROW + r"是折扣行，必须紧跟在被折扣行之后.*",
            "{row}is a discount line: it must follow the line it discounts",
        ),
    ],
    "discount.too_large": [
        (
            ROW + r"折扣金额超过第 (?P<n>\d+) 行的金额.*",
            "{row}the discount is larger than line {n}'s amount",
        ),
    ],
    "totals.tax_tolerance": [
        (
            r"合计税额与各行金额×税率之和相差 (?P<x>\S+)，超过 1.27.*",
            "The total tax differs from the sum of amount × rate by {x}, more than 1.27: split "
            "the invoice",
        ),
    ],
    "totals.red_not_negative": [
        (r"红字发票的合计金额应为负数.*", "A red-letter invoice's total must be negative"),
    ],
    "totals.not_positive": [
        (
            r"蓝字发票的合计金额和价税合计应大于 0.*",
            "A blue invoice's amount and total must be above 0; check the line amounts and "
            "discounts",
        ),
    ],
    # taxid.describe (rules: tax_id.<reason>)
    "tax_id.bad_char": [
        (
            r"纳税人识别号第 (?P<n>\d+) 位的 (?P<x>\S) 不是统一社会信用代码使用的字符，"
            r"是否应为数字 (?P<m>\d)？",
            "Character {n} of the taxpayer ID, {x}, is not used in unified social credit codes: "
            "should it be the digit {m}?",
        ),
        (
            r"纳税人识别号第 (?P<n>\d+) 位的 (?P<x>\S) 不是统一社会信用代码使用的字符.*",
            "Character {n} of the taxpayer ID, {x}, is not used in unified social credit codes; "
            "check it",
        ),
    ],
    "tax_id.not_digit": [
        (
            r"纳税人识别号第 (?P<n>\d+) 位的 (?P<x>\S) 应为数字.*",
            "Character {n} of the taxpayer ID, {x}, should be a digit (characters 3 to 8 are "
            "the registering authority's region code); check it",
        ),
    ],
    "tax_id.id_checksum": [
        (
            r"身份证号码校验位不正确（按身份证号码规则应为 (?P<x>[^）]+)）.*",
            "The ID card number's check character is wrong (by the ID card rule it should be "
            "{x}); check it",
        ),
    ],
    "tax_id.id_birth_date": [
        (
            r"身份证号码中的出生日期 (?P<x>\S+) 不存在.*",
            "The birth date {x} in the ID card number does not exist; check characters 7 to 14",
        ),
    ],
    # treatments.py and the deduction (差额征税) checks of money.py
    "figure.special_digit": [
        (
            ROW + LABEL + r"中的“(?P<q>.*)”是上标、下标或带圈的数字.*",
            '{row}{label}: "{q}" is a superscript, subscript or circled digit and is not read '
            "as a number; use the plain digits 0-9 and a decimal point",
        ),
    ],
    "deduction.mode_unknown": [
        (
            r"差额征税方式“(?P<q>.*)”不正确.*",
            'The margin-taxation mode "{q}" is not valid; choose partial or full',
        ),
    ],
    "deduction.one_line": [
        (
            r"差额征税发票只能有一行明细（现有 (?P<n>\d+) 行）.*",
            "A margin-taxation invoice has exactly one line (it has {n}); issue the other items "
            "on another invoice",
        ),
    ],
    "deduction.discount": [
        (
            r"差额征税发票不能有折扣行.*",
            "A margin-taxation invoice cannot have a discount line; put the discount into the "
            "gross amount",
        ),
    ],
    "deduction.tax_inclusive": [
        (
            r"差额征税发票的明细应按含税金额填写.*",
            'A margin-taxation invoice\'s line is typed as a gross amount: tick "Gross" and type '
            "the gross amount",
        ),
    ],
    "deduction.amount_range": [
        (
            r"扣除额应在 0 到含税金额 (?P<x>\S+) 之间（现为 (?P<q>[^）]+)）.*",
            "The deduction must be between 0 and the gross amount {x} (it is {q})",
        ),
    ],
    "line.tax_treatment_unknown": [
        (
            ROW + r"税收优惠“(?P<q>.*)”无法识别.*",
            '{row}the tax relief "{q}" is not known; choose exempt, non-taxable, zero rate, '
            "export zero rate, simplified levy or reduced 1.5% (or none)",
        ),
    ],
    "line.non_taxable_code": [
        (
            ROW + r"税收分类编码以 6 开头.*",
            "{row}a tax code starting with 6 is non-taxable: the only tax relief is "
            '"non-taxable" (rate 0)',
        ),
    ],
    "lines.non_taxable_mixed": [
        (
            r"第 (?P<a>\d+) 行是不征税项目，不能与其他项目（如第 (?P<b>\d+) 行）开在同一张发票上.*",
            "row {a} is non-taxable and cannot share an invoice with other items (such as row "
            "{b}): issue the non-taxable items on an invoice of their own (non-taxable tap "
            "water, and the civil aviation fund with air passenger transport, excepted)",
        ),
    ],
    "line.treatment_rate": [
        (
            ROW + r"选择了(?P<q>.+?)，税率应为 0（现为 (?P<x>[^）]+)）.*",
            "{row}with {q} the rate must be 0 (it is {x})",
        ),
        (
            ROW + r"选择了(?P<q>.+?)，税率应为 (?P<m>.+?)（现为 (?P<x>[^）]+)）.*",
            "{row}with {q} the rate must be {m} (it is {x})",
        ),
    ],
    "line.zero_rate_treatment": [
        (
            ROW + r"税率为 0，请在税收优惠中选择.*",
            "{row}the rate is 0: choose exempt, non-taxable, zero rate or export zero rate as "
            "the tax relief",
        ),
    ],
    "seller_type.unknown": [
        (
            r"销售方类型“(?P<q>.*)”无法识别.*",
            'The seller type "{q}" is not known; write general or small_scale, or leave it empty',
        ),
    ],
    "rate_note.unknown": [
        (
            r"税率说明“(?P<q>.*)”无法识别.*",
            'The rate note "{q}" is not known; write 2 or 3, or leave it empty',
        ),
    ],
    "rate_note.required": [
        (
            r"小规模纳税人第 (?P<n>\d+) 行按 3% 开具，请选择税率说明.*",
            "Line {n} of a small-scale taxpayer's invoice is at 3%: choose a rate note, 2 "
            "(invoices issued earlier need a red letter or reissuing) or 3 (waiving the reduced "
            "1% levy rate)",
        ),
    ],
    "rate_note.not_allowed": [
        (
            r"税率说明只用于小规模纳税人按 3% 开具的发票.*",
            "A rate note is only for a small-scale taxpayer's invoice at 3%; remove it",
        ),
    ],
    "treatment.not_carried": [
        (
            r"(?P<q>.+?)无法传递税率说明.*",
            "{q} cannot carry the rate note: use an account whose platform supports it",
        ),
        (
            r"(?P<q>.+?)无法开具差额征税.*",
            "{q} cannot issue margin-taxation invoices: use an account whose platform "
            "supports them",
        ),
        (
            r"第 (?P<n>\d+) 行是(?P<x>.+?)，(?P<q>.+?)无法开具.*",
            "Line {n} is {x}, which {q} cannot issue: use an account whose platform supports "
            "that tax relief",
        ),
    ],
    # money.py's FigureError codes, with the row in front (line_rules._figure_error)
    "figure.empty": [
        (
            ROW + r"金额未填写，请填写金额（或数量和单价）",
            "{row}fill in the amount (or quantity and unit price)",
        ),
        (ROW + LABEL + r"未填写.*", "{row}fill in the {label_lower}"),
    ],
    "figure.not_a_number": [
        (
            ROW + LABEL + r"“(?P<q>.*)”不是数字.*",
            '{row}{label} "{q}" is not a number: type digits and a decimal point only',
        ),
        (ROW + LABEL + r"不是数字.*", "{row}{label} is not a number; type it again"),
    ],
    "figure.too_many_decimals": [
        (ROW + LABEL + r"最多保留 (?P<n>\d+) 位小数.*", "{row}{label} takes at most {n} decimals"),
    ],
    "figure.too_large": [(ROW + LABEL + r"过大.*", "{row}{label} is too large; check it")],
    "figure.too_long": [
        (ROW + LABEL + r"最多 (?P<n>\d+) 个字符.*", "{row}{label} takes at most {n} characters"),
    ],
    "figure.rate_range": [
        (
            ROW + LABEL + r"应在 0 到 1 之间.*",
            "{row}{label} should be between 0 and 1 (0.06 means 6%)",
        ),
    ],
    # a draft file that does not read (rules.problems_from_validation_error)
    "format.*": [
        (
            LABEL + r"（(?P<q>[^）]*)）.*",
            "{label} ({q}) has the wrong format; correct the draft file",
        ),
    ],
}

_COMPILED = {
    code: [(re.compile(pattern, re.DOTALL), english) for pattern, english in entries]
    for code, entries in TABLE.items()
}


def english(problem: Problem) -> str | None:
    """The problem's message in English, or None when no pattern of its code fits."""
    code = "format.*" if problem.code.startswith("format.") else problem.code
    for pattern, template in _COMPILED.get(code, []):
        found = pattern.fullmatch(problem.message)
        if found is None:
            continue
        values = {k: v or "" for k, v in found.groupdict().items()}
        row = values.pop("row", "")
        label = LABELS.get(values.get("label", ""), values.get("label", ""))
        values["label"] = label
        values["label_lower"] = label[:1].lower() + label[1:] if label else ""
        text = template.format(row=f"Line {row}: " if row else "", **values)
        return text[:1].upper() + text[1:]
    return None


def problem_text(problem: Problem, in_english: bool) -> str:
    """What the window shows for a problem: English when the window is English and the code
    is known; the domain's Chinese otherwise."""
    if in_english:
        translated = english(problem)
        if translated is not None:
            return translated
    return problem.message


def shown(problem: Problem) -> str:
    """problem_text() in the window's language."""
    from invoicedesk.ui.i18n import is_english

    return problem_text(problem, is_english())
