"""票单云 sandbox: the tax-treatment fields of blueTicket, checked as the platform would.

Reading of ../shared/vendor-apis/piaodanyun-api.md (written independently of the client):
- per line `yhzcbs` 优惠政策标识 "0" 未使用 / "1" 使用 (empty = "0"); `lslbs` 零税率标识
  "0" 正常税率 (empty = not a zero rate), "1" 免税, "2" 不征税, "3" 普通零税率;
  `zzstsgl` 增值税特殊管理, the policy's name, required when yhzcbs is "1". The names
  accepted: 免税, 不征税, 按3%简易征收, 按5%简易征收, 简易征收, 按5%简易征收减按1.5%计征
  (出口零税/出口免税 are refused: the sandbox seller does not export).
- lslbs 1/2/3 need `sl` 0 and `se` 0; a line at 0% needs lslbs 1/2/3; 免税/不征税 need yhzcbs 1
  with the matching zzstsgl; a spbm starting with 6 is 不征税 only; 简易征收 names match the rate
  (3%/5%); 减按1.5% needs sl 0.015 and zsfs 1.
- `zsfs` 0 普通, 1 减按计征, 2 差额征税全额开具, 3 差额征税差额开具. 2/3 need exactly one line,
  fphxz 0, and `kce` with 0 ≤ kce ≤ 含税金额; the tax is checked against
  (含税金额 − kce) ÷ (1+sl) × sl (3) or 含税金额 ÷ (1+sl) × sl (2) within 0.06, and
  金额 = 含税金额 − 税额. Otherwise kce must be empty or 0.
- `slsm` 税率说明: empty, "2" or "3" ("1" is not in this document); it needs a line at 3%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

LINE_TAX_TOLERANCE = Decimal("0.06")
ZERO_FLAGS = {"1": "免税", "2": "不征税", "3": "普通零税率"}
POLICY_NAMES = frozenset(
    {"免税", "不征税", "按3%简易征收", "按5%简易征收", "简易征收", "按5%简易征收减按1.5%计征"}
)
SIMPLIFIED_RATES = {
    "按3%简易征收": {Decimal("0.03")},
    "按5%简易征收": {Decimal("0.05")},
    "简易征收": {Decimal("0.03"), Decimal("0.05")},
    "按5%简易征收减按1.5%计征": {Decimal("0.015")},
}


class TreatmentRefused(Exception):
    """A refusal with the platform's Chinese message (the caller answers 999)."""


def _decimal(text: str, label: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise TreatmentRefused(f"{label} 不是合法的数字") from None
    if not value.is_finite():
        raise TreatmentRefused(f"{label} 不是合法的数字")
    return value


def check_line(item: dict[str, str], pos: int, zsfs: str) -> dict[str, str]:
    """One fyxm row's treatment fields; returns them as stored. Raises TreatmentRefused."""
    label = f"fyxm[{pos}]"
    yhzcbs = item.get("yhzcbs", "").strip() or "0"
    lslbs = item.get("lslbs", "").strip()
    zzstsgl = item.get("zzstsgl", "").strip()
    if yhzcbs not in ("0", "1"):
        raise TreatmentRefused(f"{label}[yhzcbs] 优惠政策标识只能是0或1")
    if lslbs not in ("", "0", "1", "2", "3"):
        raise TreatmentRefused(f"{label}[lslbs] 零税率标识只能是0、1、2或3")
    rate = _decimal(item.get("sl", ""), f"{label}[sl]")
    tax = _decimal(item.get("se", ""), f"{label}[se]")
    if yhzcbs == "1" and not zzstsgl:
        raise TreatmentRefused(f"{label}[zzstsgl] 使用优惠政策时增值税特殊管理不能为空")
    if yhzcbs == "0" and zzstsgl:
        raise TreatmentRefused(f"{label}[zzstsgl] 未使用优惠政策时增值税特殊管理应为空")
    if zzstsgl and zzstsgl not in POLICY_NAMES:
        raise TreatmentRefused(f"{label}[zzstsgl] 增值税特殊管理“{zzstsgl}”不可用")
    if lslbs in ZERO_FLAGS:
        if rate != 0 or tax != 0:
            raise TreatmentRefused(f"第{pos + 1}行:{ZERO_FLAGS[lslbs]}的税率和税额必须为0")
        if lslbs in ("1", "2") and (yhzcbs != "1" or zzstsgl != ZERO_FLAGS[lslbs]):
            raise TreatmentRefused(
                f"第{pos + 1}行:{ZERO_FLAGS[lslbs]}须填写优惠政策标识1和增值税特殊管理"
                f"“{ZERO_FLAGS[lslbs]}”"
            )
        if lslbs == "3" and yhzcbs != "0":
            raise TreatmentRefused(f"第{pos + 1}行:普通零税率不使用优惠政策,优惠政策标识应为0")
    elif rate == 0:
        raise TreatmentRefused(
            f"第{pos + 1}行:税率为0时必须填写零税率标识lslbs(1免税,2不征税,3普通零税率)"
        )
    elif zzstsgl in ("免税", "不征税"):
        raise TreatmentRefused(f"第{pos + 1}行:{zzstsgl}的税率必须为0并填写对应的零税率标识")
    if item.get("spbm", "").startswith("6") and lslbs != "2":
        raise TreatmentRefused(f"第{pos + 1}行:商品编码以6开头的不征税项目,零税率标识须为2(不征税)")
    allowed = SIMPLIFIED_RATES.get(zzstsgl)
    if allowed is not None and rate not in allowed:
        raise TreatmentRefused(f"第{pos + 1}行:“{zzstsgl}”与税率{rate:f}不符")
    reduced = zzstsgl == "按5%简易征收减按1.5%计征"
    if reduced != (zsfs == "1"):  # 减按 is not mixed with other lines
        raise TreatmentRefused("减按1.5%计征须同时填写征收方式zsfs=1和增值税特殊管理")
    return {"yhzcbs": yhzcbs, "lslbs": lslbs, "zzstsgl": zzstsgl}


def check_invoice(fields: dict[str, str], items: list[dict[str, str]]) -> dict[str, Any]:
    """zsfs/kce/slsm of one blueTicket and each line's treatment fields. Returns what to keep
    (`extra`) and, for 差额, True under "deduction" (the caller then skips the ordinary
    金额×税率 tolerance, which a 差额开具 line does not meet). Raises TreatmentRefused."""
    zsfs = fields.get("zsfs", "").strip() or "0"
    if zsfs not in ("0", "1", "2", "3"):
        raise TreatmentRefused("征收方式zsfs只能是0、1、2或3")
    per_line = [check_line(item, i, zsfs) for i, item in enumerate(items)]
    kce_text = str(fields.get("kce", "")).strip()
    kce = _decimal(kce_text, "扣除额kce") if kce_text else Decimal(0)
    deduction = zsfs in ("2", "3")
    if deduction:
        _check_deduction(items, kce, partial=zsfs == "3")
    elif kce != 0:
        raise TreatmentRefused("非差额征税发票的扣除额kce应为空或0")
    slsm = fields.get("slsm", "").strip()
    if slsm not in ("", "2", "3"):
        raise TreatmentRefused("税率说明slsm只能为2或3")
    if slsm and not any(_decimal(x.get("sl", ""), "sl") == Decimal("0.03") for x in items):
        raise TreatmentRefused("税率说明slsm仅用于小规模纳税人开具3%税率的发票")
    return {
        "deduction": deduction,
        "extra": {
            "zsfs": zsfs,
            "kce": f"{kce.quantize(Decimal('0.01')):f}" if deduction else "0",
            "slsm": slsm,
            "zzstsgl": [x["zzstsgl"] for x in per_line],
            "yhzcbs": [x["yhzcbs"] for x in per_line],
            "lslbs": [x["lslbs"] for x in per_line],
        },
    }


def _check_deduction(items: list[dict[str, str]], kce: Decimal, *, partial: bool) -> None:
    if len(items) != 1:
        raise TreatmentRefused("差额征税发票只能有一行明细")
    item = items[0]
    if item.get("fphxz", "0") != "0":
        raise TreatmentRefused("差额征税发票不能有折扣行")
    je = _decimal(item.get("je", ""), "fyxm[0][je]")
    se = _decimal(item.get("se", ""), "fyxm[0][se]")
    rate = _decimal(item.get("sl", ""), "fyxm[0][sl]")
    total = je if item.get("hsbz") == "1" else je + se  # 含税金额
    if kce < 0 or kce > total:
        raise TreatmentRefused("扣除额kce须大于等于0且不大于含税金额")
    base = total - kce if partial else total
    exact = base / (1 + rate) * rate
    if abs(exact - se) > LINE_TAX_TOLERANCE:
        expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        raise TreatmentRefused(f"差额征税税额不正确:应为{expected:f}(误差不能超过0.06),实为{se:f}")


def red_extra(blue: Any, form: Any) -> dict[str, Any]:
    """A red invoice keeps its blue invoice's treatment: 征收方式, 扣除额 (negative), 税率说明 and
    each line's flags (by the blue line it reverses)."""
    kce = _kce(blue.extra.get("kce"))
    extra: dict[str, Any] = {
        "zsfs": blue.extra.get("zsfs", "0"),
        "kce": f"{-kce:f}" if kce else "0",
        "slsm": blue.extra.get("slsm", ""),
    }
    positions = {x.index: pos for pos, x in enumerate(blue.lines)}
    flags = [line_flags(blue.extra, positions.get(x.blue_index or x.index, -1)) for x in form.lines]
    for name in ("yhzcbs", "lslbs", "zzstsgl"):
        extra[name] = [f[name] for f in flags]
    return extra


def line_flags(extra: dict[str, Any], pos: int) -> dict[str, str]:
    """A line's yhzcbs/lslbs/zzstsgl as stored with its invoice ("0"/""/"" when none)."""
    out = {"yhzcbs": "0", "lslbs": "", "zzstsgl": ""}
    for name in out:
        values = extra.get(name)
        if isinstance(values, list) and 0 <= pos < len(values):
            out[name] = values[pos] or out[name]
    return out


def _kce(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
