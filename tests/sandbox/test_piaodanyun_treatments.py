"""piaodanyun simulator: the tax-treatment fields of blueTicket (yhzcbs/lslbs/zzstsgl, zsfs/kce,
slsm), checked over loopback with raw form posts as the platform would."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.test_piaodanyun import SELLER, Pdy, Q, blue_body


@pytest.fixture
def pdy(sandbox: Any) -> Pdy:
    return Pdy(sandbox)


def zero_line(lslbs: str, yhzcbs: str, zzstsgl: str, **over: str) -> dict[str, str]:
    return {
        "fyxm[0][sl]": "0",
        "fyxm[0][se]": "0",
        "fyxm[0][hsbz]": "0",
        "fyxm[0][je]": "1",
        "fyxm[0][dj]": "1",
        "hjje": "1",
        "hjse": "0",
        "jshj": "1",
        "fyxm[0][lslbs]": lslbs,
        "fyxm[0][yhzcbs]": yhzcbs,
        "fyxm[0][zzstsgl]": zzstsgl,
        **over,
    }


def deduction_body(zsfs: str, kce: str, se: str, je: str) -> dict[str, str]:
    return {
        "zsfs": zsfs,
        "kce": kce,
        "fyxm[0][spbm]": "3040803010000000000",
        "fyxm[0][spsl]": "",
        "fyxm[0][dj]": "",
        "fyxm[0][sl]": "0.06",
        "fyxm[0][hsbz]": "0",
        "fyxm[0][je]": je,
        "fyxm[0][se]": se,
        "hjje": je,
        "hjse": se,
        "jshj": "10600.00",
    }


def refusal(pdy: Pdy, **over: str) -> str:
    reply = pdy.post(f"{Q}/blueTicket", blue_body(**over))
    assert reply["code"] == 999, reply
    message: str = reply["msg"]
    return message


def test_exempt_non_taxable_and_zero_lines_are_issued(pdy: Pdy) -> None:
    pdy.issue("1", **zero_line("1", "1", "免税"))
    pdy.issue("2", **zero_line("2", "1", "不征税", **{"fyxm[0][spbm]": "6010000000000000000"}))
    pdy.issue("3", **zero_line("3", "0", ""))
    assert len(pdy.invoices()) == 3


@pytest.mark.parametrize(
    ("over", "words"),
    [
        (zero_line("", "0", ""), "零税率标识"),  # 0% without saying which zero
        (zero_line("1", "0", ""), "免税须填写"),  # 免税 without the policy
        (zero_line("1", "1", "不征税"), "免税须填写"),  # flag and name disagree
        (zero_line("1", "1", "免税", **{"fyxm[0][sl]": "0.06"}), "税率和税额必须为0"),
        (zero_line("3", "0", "", **{"fyxm[0][spbm]": "6010000000000000000"}), "6开头"),
        ({"fyxm[0][yhzcbs]": "1", "fyxm[0][zzstsgl]": "免税"}, "免税的税率必须为0"),
        ({"fyxm[0][yhzcbs]": "1"}, "增值税特殊管理不能为空"),
        ({"fyxm[0][yhzcbs]": "1", "fyxm[0][zzstsgl]": "按5%简易征收"}, "与税率"),
        ({"slsm": "3"}, "3%税率"),  # a 税率说明 on a 1% invoice
        ({"slsm": "1"}, "slsm只能为2或3"),
        ({"kce": "5"}, "扣除额kce应为空或0"),
        ({"zsfs": "9"}, "征收方式"),
    ],
)
def test_inconsistent_treatment_fields_are_refused(
    pdy: Pdy, over: dict[str, str], words: str
) -> None:
    assert words in refusal(pdy, **over)
    assert pdy.invoices() == []


def test_small_scale_3_percent_with_its_note(pdy: Pdy) -> None:
    over = {
        "slsm": "2",
        "fyxm[0][sl]": "0.03",
        "fyxm[0][je]": "100",
        "fyxm[0][dj]": "100",
        "fyxm[0][se]": "3",
        "fyxm[0][hsbz]": "0",
        "hjje": "100",
        "hjse": "3",
        "jshj": "103",
    }
    pdy.issue("1", **over)


@pytest.mark.parametrize(
    ("zsfs", "se", "je"), [("3", "300.00", "10300.00"), ("2", "600.00", "10000.00")]
)
def test_deduction_arithmetic_is_checked(pdy: Pdy, zsfs: str, se: str, je: str) -> None:
    pdy.issue("ok" + zsfs, **deduction_body(zsfs, "5300.00", se, je))
    # the other mode's figures do not fit this mode's formula
    wrong_se, wrong_je = ("600.00", "10000.00") if zsfs == "3" else ("300.00", "10300.00")
    message = refusal(pdy, **deduction_body(zsfs, "5300.00", wrong_se, wrong_je))
    assert "差额征税税额不正确" in message


def test_deduction_rules(pdy: Pdy) -> None:
    assert "kce" in refusal(pdy, **deduction_body("3", "10600.01", "0.00", "10600.00"))
    two = {**blue_body(), **deduction_body("3", "5300.00", "300.00", "10300.00")}
    for key in ("fphxz", "spmc", "je", "sl", "se", "hsbz", "spbm"):
        two[f"fyxm[1][{key}]"] = two[f"fyxm[0][{key}]"]
    assert "只能有一行" in refusal(pdy, **two)
    discounted = {**deduction_body("3", "5300.00", "300.00", "10300.00"), "fyxm[0][fphxz]": "2"}
    assert "折扣行" in refusal(pdy, **discounted)
    assert pdy.invoices() == []


def test_a_deduction_invoice_gets_only_a_full_red_form(pdy: Pdy) -> None:
    number = pdy.issue("ded", **deduction_body("3", "5300.00", "300.00", "10300.00"))
    form = {"username": "13800000000", "xhdwsbh": SELLER, "yfphm": number, "chyydm": "03"}
    partial = {**form, "sqyy": "2", "hzxxbcheck": "1", "mxzb[0][xh]": "1"}
    partial.update({"mxzb[0][je]": "-100.00", "mxzb[0][se]": "0.00"})
    reply = pdy.post(f"{Q}/hzxxbsq", partial)
    assert reply["code"] == 999 and "全额红冲" in reply["msg"]
    full = pdy.post(f"{Q}/hzxxbsq", {**form, "sqyy": "2", "hzxxbcheck": "1"})
    assert full["code"] == 200 and full["data"]["xxbztDm"] == "01"
