"""Tax treatments: 免税, 不征税, 零税率, 简易征收, 小规模 3% and 差额征税.

The rules of draft-format.md § Tax treatments (domain-reference.md §2.2, §3):
- a line's `tax_treatment`: "" ordinary; "exempt", "non_taxable", "zero", "export_zero" need
  rate 0, and a line at rate 0 needs one of them; a tax code starting with 6 is "non_taxable"
  and nothing else; "simplified" needs 3% or 5%, "reduced_1_5" needs 1.5%;
- the draft's `seller_type` ("" not known: the checks needing it are skipped), `rate_note`
  (税率说明 "2"/"3": required on a small-scale draft with a 3% line, an error anywhere else);
- the draft's `deduction` (差额征税): exactly one line, tax-inclusive, no discount, and
  0 ≤ 扣除额 ≤ 含税金额 (the arithmetic is in domain.money).

`TreatmentSupport` is the vendor fact of what a platform's document can carry; `uncarried`
says, per field, what a draft needs that a platform cannot carry. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.domain.money import (
    DEDUCTION_MODES,
    FigureError,
    deduction_figures,
    parse_rate,
    try_compute_line,
)

# key -> the Chinese name the form, the preview and the messages use
TREATMENTS: dict[str, str] = {
    "": "无",
    "exempt": "免税",
    "non_taxable": "不征税",
    "zero": "普通零税率",
    "export_zero": "出口零税率",
    "simplified": "简易征收",
    "reduced_1_5": "按5%简易征收减按1.5%计征",
}
ZERO_RATE_TREATMENTS = frozenset({"exempt", "non_taxable", "zero", "export_zero"})
RATES_OF: dict[str, frozenset[Decimal]] = {
    "simplified": frozenset({Decimal("0.03"), Decimal("0.05")}),
    "reduced_1_5": frozenset({Decimal("0.015")}),
}
SELLER_TYPES: dict[str, str] = {
    "": "未指定",
    "general": "一般纳税人",
    "small_scale": "小规模纳税人",
}
RATE_NOTES: dict[str, str] = {
    "": "无",
    "2": "前期已开具发票，发生销售折让、中止或者退回等情形需要开具红字发票，"
    "或者开票有误需要重新开具",
    "3": "因为实际经营业务需要，放弃享受减按1%征收率",
}
SMALL_SCALE_NOTE_RATE = Decimal("0.03")
NON_TAXABLE_CODE_PREFIX = "6"


@dataclass(frozen=True)
class Problem:
    """Same shape as rules.Problem (rules turns these into its own)."""

    field: str
    code: str
    message: str


def treatments_for(tax_code: str, rate: Decimal | None) -> list[str]:
    """The treatments that fit a line's code and rate (the form offers only these)."""
    if tax_code.startswith(NON_TAXABLE_CODE_PREFIX):
        return ["non_taxable"]
    if rate is None:
        return list(TREATMENTS)
    if rate == 0:
        return ["exempt", "non_taxable", "zero", "export_zero"]
    fitting = [""]
    fitting += [key for key, rates in RATES_OF.items() if rate in rates]
    return fitting


def treatment_rate(treatment: str) -> Decimal | None:
    """The rate a treatment fixes (0 for the zero-rate ones, 1.5% for reduced_1_5), else None."""
    if treatment in ZERO_RATE_TREATMENTS:
        return Decimal(0)
    rates = RATES_OF.get(treatment)
    return next(iter(rates)) if rates and len(rates) == 1 else None


def _rate_or_none(text: str) -> Decimal | None:
    try:
        return parse_rate(text)
    except FigureError:
        return None  # rules report the figure itself


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def check(draft: Draft, *, red: bool = False) -> list[Problem]:
    """Every broken tax-treatment rule of the draft (errors only; see the module docstring)."""
    problems: list[Problem] = []
    rates: list[Decimal | None] = []
    for index, line in enumerate(draft.lines):
        rate = _rate_or_none(line.tax_rate)
        rates.append(rate)
        problems += _check_line(index, line.tax_treatment, line.tax_code, rate)
    problems += _check_non_taxable_mix(draft)
    problems += _check_seller(draft, rates)
    problems += _check_deduction(draft, red)
    return problems


def _check_line(index: int, treatment: str, code: str, rate: Decimal | None) -> list[Problem]:
    at = f"lines[{index}]"
    row = f"第 {index + 1} 行"
    if treatment not in TREATMENTS:
        return [
            Problem(
                f"{at}.tax_treatment",
                "line.tax_treatment_unknown",
                f"{row}税收优惠“{treatment[:20]}”无法识别，请选择"
                "免税、不征税、普通零税率、出口零税率、简易征收或减按1.5%计征（或留空）",
            )
        ]
    name = TREATMENTS[treatment]
    if code.startswith(NON_TAXABLE_CODE_PREFIX) and treatment != "non_taxable":
        return [
            Problem(
                f"{at}.tax_treatment",
                "line.non_taxable_code",
                f"{row}税收分类编码以 6 开头，是不征税项目，"
                "税收优惠只能选“不征税”（税率 0），请修改",
            )
        ]
    if rate is None:
        return []
    if treatment in ZERO_RATE_TREATMENTS and rate != 0:
        return [
            Problem(
                f"{at}.tax_rate",
                "line.treatment_rate",
                f"{row}选择了{name}，税率应为 0（现为 {_percent(rate)}），请改为 0 或更换税收优惠",
            )
        ]
    if rate == 0 and treatment not in ZERO_RATE_TREATMENTS:
        return [
            Problem(
                f"{at}.tax_treatment",
                "line.zero_rate_treatment",
                f"{row}税率为 0，请在税收优惠中选择免税、不征税、普通零税率或出口零税率",
            )
        ]
    allowed = RATES_OF.get(treatment)
    if allowed is not None and rate not in allowed:
        listed = "或".join(_percent(r) for r in sorted(allowed))
        return [
            Problem(
                f"{at}.tax_rate",
                "line.treatment_rate",
                f"{row}选择了{name}，税率应为 {listed}（现为 {_percent(rate)}），请修改",
            )
        ]
    return []


# domain-reference §3 (yhzcbs 04): a 不征税 line cannot share an invoice with other lines,
# except 不征税自来水 (6110…), which mixes with anything, and 代收民航发展基金 (6130…),
# which mixes with the air-passenger transport codes.
_MIXES_WITH_ANYTHING = "6110"
_AIR_FUND = "6130"
_AIR_PASSENGER = frozenset(f"3010301010{k}00000000" for k in "123")


def _check_non_taxable_mix(draft: Draft) -> list[Problem]:
    lines = [
        (i, line)
        for i, line in enumerate(draft.lines)
        if not line.tax_code.startswith(_MIXES_WITH_ANYTHING)
    ]
    non_taxable = [i for i, line in lines if line.tax_treatment == "non_taxable"]
    if not non_taxable:
        return []
    air_fund_only = all(draft.lines[i].tax_code.startswith(_AIR_FUND) for i in non_taxable)
    others = [
        i
        for i, line in lines
        if line.tax_treatment != "non_taxable"
        and not (air_fund_only and line.tax_code in _AIR_PASSENGER)
    ]
    if not others:
        return []
    first, other = non_taxable[0], others[0]
    return [
        Problem(
            f"lines[{other}].tax_treatment",
            "lines.non_taxable_mixed",
            f"第 {first + 1} 行是不征税项目，"
            f"不能与其他项目（如第 {other + 1} 行）开在同一张发票上："
            "请把不征税项目单独开一张发票（不征税自来水、代收民航发展基金与旅客运输服务除外）",
        )
    ]


def _check_seller(draft: Draft, rates: list[Decimal | None]) -> list[Problem]:
    problems: list[Problem] = []
    if draft.seller_type not in SELLER_TYPES:
        problems.append(
            Problem(
                "seller_type",
                "seller_type.unknown",
                f"销售方类型“{draft.seller_type[:20]}”无法识别，请填写 general（一般纳税人）"
                "或 small_scale（小规模纳税人），或留空",
            )
        )
        return problems
    if draft.rate_note not in RATE_NOTES:
        return [
            Problem(
                "rate_note",
                "rate_note.unknown",
                f"税率说明“{draft.rate_note[:20]}”无法识别，请填写 2 或 3，或留空",
            )
        ]
    at_three = [i for i, r in enumerate(rates) if r == SMALL_SCALE_NOTE_RATE]
    small = draft.seller_type == "small_scale"
    if small and at_three and not draft.rate_note:
        problems.append(
            Problem(
                "rate_note",
                "rate_note.required",
                f"小规模纳税人第 {at_three[0] + 1} 行按 3% 开具，请选择税率说明："
                "2（前期已开具发票，需开红字或重开）或 3（因实际经营需要，放弃减按1%征收率）",
            )
        )
    if draft.rate_note and not (small and at_three):
        if not at_three:
            why = "本发票没有 3% 的明细行"
        elif draft.seller_type == "general":
            why = "销售方是一般纳税人"
        else:
            why = ""  # seller not known: the note may be right, the check needs the seller
        if why:
            problems.append(
                Problem(
                    "rate_note",
                    "rate_note.not_allowed",
                    f"税率说明只用于小规模纳税人按 3% 开具的发票，{why}，请删除税率说明",
                )
            )
    return problems


def _check_deduction(draft: Draft, red: bool) -> list[Problem]:
    deduction = draft.deduction
    if deduction is None:
        return []
    try:
        figures = deduction_figures(deduction)
    except FigureError as exc:
        field = "deduction.mode" if exc.code == "deduction.mode_unknown" else "deduction.amount"
        return [Problem(field, exc.code, exc.message)]
    assert figures is not None
    problems: list[Problem] = []
    if len(draft.lines) != 1:
        problems.append(
            Problem(
                "lines",
                "deduction.one_line",
                f"差额征税发票只能有一行明细（现有 {len(draft.lines)} 行），"
                "请把其他项目另开一张发票",
            )
        )
        return problems
    line = draft.lines[0]
    if line.kind != "normal":
        problems.append(
            Problem(
                "lines[0].kind",
                "deduction.discount",
                "差额征税发票不能有折扣行，请把折扣直接计入含税金额",
            )
        )
    if not line.price_includes_tax:
        problems.append(
            Problem(
                "lines[0].price_includes_tax",
                "deduction.tax_inclusive",
                "差额征税发票的明细应按含税金额填写，请勾选“含税”并填写含税金额",
            )
        )
        return problems
    fig = try_compute_line(line, figures)
    if fig is None:
        return problems  # the line's figures are reported by rules
    total = abs(fig.total) if red else fig.total
    if figures.amount < 0 or figures.amount > total:
        problems.append(
            Problem(
                "deduction.amount",
                "deduction.amount_range",
                f"扣除额应在 0 到含税金额 {total:.2f} 之间（现为 {figures.amount:.2f}），请修改",
            )
        )
    return problems


# ---- what a platform can carry ----------------------------------------------------------------


@dataclass(frozen=True)
class TreatmentSupport:
    """What a vendor's document can carry: line treatments ("" is always carried), the 税率说明,
    and the 差额征税 modes. `why` says, for the messages, what the document lacks."""

    treatments: frozenset[str] = frozenset({""})
    rate_note: bool = False
    deduction_modes: frozenset[str] = frozenset()
    why: str = "该开票平台的接口没有传递该项的字段"


ORDINARY_ONLY = TreatmentSupport()


def uncarried(draft: Draft, support: TreatmentSupport, platform: str) -> list[Problem]:
    """What the draft needs that the platform cannot carry: one Problem per field, naming the
    platform, so that nothing is sent that it would read as an ordinary invoice."""
    problems: list[Problem] = []
    for index, line in enumerate(draft.lines):
        treatment = line.tax_treatment
        if treatment and treatment in TREATMENTS and treatment not in support.treatments:
            problems.append(
                Problem(
                    f"lines[{index}].tax_treatment",
                    "treatment.not_carried",
                    f"第 {index + 1} 行是{TREATMENTS[treatment]}，{platform}无法开具"
                    f"（{support.why}），请换用支持该税收优惠的开票账户",
                )
            )
    if draft.rate_note and not support.rate_note:
        problems.append(
            Problem(
                "rate_note",
                "treatment.not_carried",
                f"{platform}无法传递税率说明（{support.why}），"
                "小规模纳税人按 3% 开具请换用支持税率说明的开票账户",
            )
        )
    deduction = draft.deduction
    if (
        deduction is not None
        and deduction.mode in DEDUCTION_MODES
        and deduction.mode not in support.deduction_modes
    ):
        problems.append(
            Problem(
                "deduction",
                "treatment.not_carried",
                f"{platform}无法开具差额征税（{DEDUCTION_MODES[deduction.mode]}）发票"
                f"（{support.why}），请换用支持差额征税的开票账户",
            )
        )
    return problems


def uncarried_summary(
    drafts: Iterable[tuple[str, str]], support: TreatmentSupport, platform: str, limit: int = 10
) -> list[str]:
    """For a batch of (label, draft JSON): one sentence per draft the platform cannot carry
    (such drafts are refused before sending), at most `limit` and a count of the rest."""
    out: list[str] = []
    for label, text in drafts:
        try:
            found = uncarried(draft_from_json(text), support, platform)
        except ValueError:
            continue  # an unreadable draft is reported by the dry run itself
        if found:
            out.append(f"草稿 {label}：{found[0].message}（不会发送）")
    if len(out) > limit:
        out = [*out[:limit], f"……另有 {len(out) - limit} 张草稿同样无法在该平台开具。"]
    return out


def face_cells(treatment: str, rate: Decimal, tax: Decimal) -> tuple[str, str]:
    """The 税率 and 税额 cells of a line as the official layout prints them (domain reference
    §3, [LQ-XML] TaxRate/ComTaxAm): 免税 → ("免税", "***"), 不征税 → ("不征税", ""), any other
    line its rate in percent and its tax ("0%", "0.00" for a zero rate)."""
    if treatment == "exempt":
        return "免税", "***"
    if treatment == "non_taxable":
        return "不征税", ""
    return _percent(rate), f"{tax:.2f}"
