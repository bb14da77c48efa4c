"""票单云 blueTicket: how the tax treatments go on the wire (decisions in vendors/README.md).

Per line `yhzcbs` (0 未使用 / 1 使用), `lslbs` ("" 非零税率, 1 免税, 2 不征税, 3 普通零税率; "0" is
never sent: the document reads it as 正常税率, the 税控 convention as 出口零税率) and `zzstsgl`
(the policy's name). Per invoice `zsfs` (0 普通, 1 减按计征, 2 差额全额开具, 3 差额差额开具), `kce`
(扣除额, only with 差额) and `slsm` (税率说明 2/3). 出口零税率 has no value in this document: the
client's `treatments` leaves it out, so it is refused before sending.
"""

from __future__ import annotations

from decimal import Decimal

from invoicedesk.domain.models import Draft, Line
from invoicedesk.domain.money import DeductionFigures, money_text
from invoicedesk.domain.treatments import TreatmentSupport
from invoicedesk.vendors.base import Rejected, TreatmentNotCarried

VENDOR = "piaodanyun"
SUPPORT = TreatmentSupport(
    treatments=frozenset({"", "exempt", "non_taxable", "zero", "simplified", "reduced_1_5"}),
    rate_note=True,
    deduction_modes=frozenset({"partial", "full"}),
    why="其零税率标识 lslbs 没有出口零税率的取值",
)
# tax_treatment -> (yhzcbs, lslbs, zzstsgl); simplified's zzstsgl names its rate (below)
LINE_WIRE = {
    "": ("0", "", ""),
    "exempt": ("1", "1", "免税"),
    "non_taxable": ("1", "2", "不征税"),
    "zero": ("0", "3", ""),
    "simplified": ("1", "", "简易征收"),
    "reduced_1_5": ("1", "", "按5%简易征收减按1.5%计征"),
}
SIMPLIFIED_NAMES = {Decimal("0.03"): "按3%简易征收", Decimal("0.05"): "按5%简易征收"}
ZSFS_ORDINARY, ZSFS_REDUCED, ZSFS_FULL, ZSFS_PARTIAL = "0", "1", "2", "3"


def invoice_fields(draft: Draft, deduction: DeductionFigures | None) -> dict[str, str]:
    """`zsfs`, and `kce` / `slsm` where the draft has them. TreatmentNotCarried for 减按1.5%
    together with 差额 (one `zsfs` cannot say both)."""
    reduced = any(line.tax_treatment == "reduced_1_5" for line in draft.lines)
    if draft.deduction is not None and reduced:
        raise TreatmentNotCarried(
            "票单云的征收方式（zsfs）只能填一种：减按1.5%计征和差额征税不能同开，未开票",
            code="treatment_not_carried",
            vendor=VENDOR,
            fields=("deduction", "lines[0].tax_treatment"),
            next_step="请去掉差额征税或减按1.5%计征中的一项。",
        )
    fields = {"zsfs": ZSFS_REDUCED if reduced else ZSFS_ORDINARY}
    if draft.deduction is not None:
        fields["zsfs"] = ZSFS_PARTIAL if draft.deduction.mode == "partial" else ZSFS_FULL
    if deduction is not None:
        fields["kce"] = money_text(deduction.amount)
    if draft.rate_note:
        fields["slsm"] = draft.rate_note
    return fields


def line_fields(index: int, line: Line, rate: Decimal) -> dict[str, str]:
    """`yhzcbs`, `lslbs`, `zzstsgl` of one line (keys without the `fyxm[i]` prefix)."""
    wire = LINE_WIRE.get(line.tax_treatment)
    if wire is None:  # rules refuse such a draft before it gets here
        raise Rejected(
            f"第{index + 1}行的税收优惠无法识别，未开票",
            code="bad_line",
            vendor=VENDOR,
            fields=(f"lines[{index}].tax_treatment",),
            next_step="请在草稿中改正该行后再开票。",
        )
    yhzcbs, lslbs, zzstsgl = wire
    if line.tax_treatment == "simplified":
        zzstsgl = SIMPLIFIED_NAMES.get(rate, zzstsgl)
    return {"yhzcbs": yhzcbs, "lslbs": lslbs, "zzstsgl": zzstsgl}
