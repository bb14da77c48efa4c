"""Tax treatments (draft-format.md § Tax treatments): one test per rule, the 差额 arithmetic, and
properties: the 差额 tax stays within its tolerance and 金额 + 税额 = 价税合计."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.domain.money import compute_totals
from invoicedesk.domain.rules import has_errors, validate
from invoicedesk.domain.treatments import (
    TreatmentSupport,
    treatments_for,
    uncarried,
)
from tests.domain.test_rules import codes, make_draft, make_line

NON_TAXABLE = {
    "name": "*未发生销售行为的不征税项目*预付卡充值",
    "tax_code": "6010000000000000000",
    "tax_rate": "0",
    "tax_treatment": "non_taxable",
}
LABOUR = "3040803010000000000"  # 人力资源服务 (劳务派遣: a usual 差额 invoice)


def deduction_draft(mode: str, deduction: str, total: str = "10600.00", **line: Any) -> Draft:
    one = make_line(
        name="*人力资源服务*劳务派遣服务",
        tax_code=LABOUR,
        quantity="",
        unit_price="",
        amount=total,
        **line,
    )
    return make_draft([one], deduction={"mode": mode, "amount": deduction})


# ---- older drafts -------------------------------------------------------------------------------


def test_an_older_draft_reads_as_ordinary_and_is_written_as_before() -> None:
    text = make_draft().to_json()
    for name in ("tax_treatment", "seller_type", "rate_note", "deduction"):
        assert name not in text  # an ordinary draft's file and content hash are unchanged
    draft = draft_from_json(text)
    assert draft.lines[0].tax_treatment == "" and draft.deduction is None
    assert validate(draft) == []


def test_new_fields_survive_the_file() -> None:
    draft = deduction_draft("partial", "5300.00")
    draft.seller_type = "general"
    again = draft_from_json(draft.to_json())
    assert again == draft
    assert json.loads(draft.to_json())["deduction"] == {"mode": "partial", "amount": "5300.00"}


# ---- line treatments ----------------------------------------------------------------------------


@pytest.mark.parametrize("treatment", ["exempt", "non_taxable", "zero", "export_zero"])
def test_zero_rate_treatments_need_rate_zero(treatment: str) -> None:
    ok = make_draft([make_line(tax_rate="0", tax_treatment=treatment)])
    assert validate(ok) == []
    totals = compute_totals(ok)
    assert (totals.amount, totals.tax, totals.total) == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )  # the tax is 0 and 金额 is the 含税金额
    bad = make_draft([make_line(tax_rate="0.06", tax_treatment=treatment)])
    assert codes(validate(bad))["line.treatment_rate"] == ("lines[0].tax_rate", "error")


def test_a_zero_rate_line_needs_a_treatment() -> None:
    problems = validate(make_draft([make_line(tax_rate="0")]))
    assert codes(problems)["line.zero_rate_treatment"] == ("lines[0].tax_treatment", "error")
    message = next(p.message for p in problems if p.code == "line.zero_rate_treatment")
    assert "免税" in message and "不征税" in message and "第 1 行" in message


def test_a_code_starting_with_6_is_non_taxable_and_nothing_else() -> None:
    assert validate(make_draft([make_line(**NON_TAXABLE)])) == []
    for other in ("exempt", "zero", ""):
        draft = make_draft([make_line(**{**NON_TAXABLE, "tax_treatment": other})])
        assert codes(validate(draft))["line.non_taxable_code"] == (
            "lines[0].tax_treatment",
            "error",
        )


def test_a_non_taxable_line_stands_alone_but_for_the_two_exceptions() -> None:
    exempt = make_line(tax_rate="0", tax_treatment="exempt")
    taxed = make_line()
    for other in (exempt, taxed):
        mixed = validate(make_draft([make_line(**NON_TAXABLE), other]))
        assert codes(mixed)["lines.non_taxable_mixed"] == ("lines[1].tax_treatment", "error")
        assert "第 1 行是不征税项目" in next(
            p.message for p in mixed if p.field == "lines[1].tax_treatment"
        )
    two = make_line(**{**NON_TAXABLE, "name": "*未发生销售行为的不征税项目*预付卡销售"})
    assert validate(make_draft([make_line(**NON_TAXABLE), two])) == []
    # 不征税自来水 mixes with anything
    water = make_line(
        name="*未发生销售行为的不征税项目*代收水资源费",
        tax_code="6110000000000000000",
        tax_rate="0",
        tax_treatment="non_taxable",
    )
    assert "lines.non_taxable_mixed" not in codes(validate(make_draft([water, taxed])))
    # 代收民航发展基金 mixes with air-passenger transport, not with other lines
    fund = make_line(
        name="*未发生销售行为的不征税项目*代收民航发展基金",
        tax_code="6130000000000000000",
        tax_rate="0",
        tax_treatment="non_taxable",
    )
    flight = make_line(
        name="*运输服务*国内航空旅客运输服务",
        tax_code="3010301010100000000",
        tax_rate="0.09",
    )
    assert "lines.non_taxable_mixed" not in codes(validate(make_draft([fund, flight])))
    assert "lines.non_taxable_mixed" in codes(validate(make_draft([fund, flight, taxed])))


@pytest.mark.parametrize(
    ("treatment", "good", "bad"),
    [
        ("simplified", "0.03", "0.06"),
        ("simplified", "0.05", "0.01"),
        ("reduced_1_5", "0.015", "0.03"),
    ],
)
def test_simplified_and_reduced_rates(treatment: str, good: str, bad: str) -> None:
    code = "1090101010000000000"  # not in the catalog: every rate of §3 is allowed
    line = {"name": "*测试*商品", "tax_code": code}
    ok = make_draft([make_line(**line, tax_rate=good, tax_treatment=treatment)])
    assert not has_errors(validate(ok))
    wrong = make_draft([make_line(**line, tax_rate=bad, tax_treatment=treatment)])
    assert codes(validate(wrong))["line.treatment_rate"] == ("lines[0].tax_rate", "error")


def test_unknown_treatment_names_the_line() -> None:
    problems = validate(make_draft([make_line(), make_line(tax_treatment="free")]))
    assert codes(problems)["line.tax_treatment_unknown"] == ("lines[1].tax_treatment", "error")


def test_the_form_offers_only_what_fits_code_and_rate() -> None:
    assert treatments_for("6010000000000000000", Decimal(0)) == ["non_taxable"]
    assert treatments_for(LABOUR, Decimal(0)) == ["exempt", "non_taxable", "zero", "export_zero"]
    assert treatments_for(LABOUR, Decimal("0.03")) == ["", "simplified"]
    assert treatments_for(LABOUR, Decimal("0.015")) == ["", "reduced_1_5"]
    assert treatments_for(LABOUR, Decimal("0.06")) == [""]


# ---- seller type and 税率说明 ------------------------------------------------------------------


def small_scale(rate: str = "0.03", **kw: Any) -> Draft:
    return make_draft([make_line(tax_rate=rate)], seller_type="small_scale", **kw)


def test_small_scale_at_3_percent_needs_a_rate_note() -> None:
    problems = validate(small_scale())
    assert codes(problems)["rate_note.required"] == ("rate_note", "error")
    assert "税率说明" in problems[0].message
    assert validate(small_scale(rate_note="2")) == []
    assert validate(small_scale(rate_note="3")) == []
    assert validate(small_scale(rate="0.01")) == []


@pytest.mark.parametrize(
    "draft_kw",
    [
        {"seller_type": "general", "rate_note": "3"},  # a general taxpayer
        {"seller_type": "small_scale", "rate_note": "3", "rate": "0.01"},  # no 3% line
        {"seller_type": "", "rate_note": "2", "rate": "0.06"},  # no 3% line, seller unknown
    ],
)
def test_a_rate_note_elsewhere_is_an_error(draft_kw: dict[str, str]) -> None:
    rate = draft_kw.pop("rate", "0.03")
    draft = make_draft([make_line(tax_rate=rate)], **draft_kw)
    assert codes(validate(draft))["rate_note.not_allowed"] == ("rate_note", "error")


def test_unknown_seller_skips_the_checks_that_need_it() -> None:
    assert validate(make_draft([make_line(tax_rate="0.03")])) == []
    assert validate(make_draft([make_line(tax_rate="0.03")], rate_note="3")) == []


def test_unknown_seller_type_and_rate_note_values() -> None:
    assert codes(validate(make_draft(seller_type="big")))["seller_type.unknown"][0] == (
        "seller_type"
    )
    assert codes(validate(small_scale(rate_note="1")))["rate_note.unknown"][0] == "rate_note"


# ---- 差额征税 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "amount", "tax"),
    [("partial", "10300.00", "300.00"), ("full", "10000.00", "600.00")],
)
def test_the_issue_example(mode: str, amount: str, tax: str) -> None:
    draft = deduction_draft(mode, "5300.00")
    assert validate(draft) == []
    totals = compute_totals(draft)
    assert (totals.amount, totals.tax, totals.total) == (
        Decimal(amount),
        Decimal(tax),
        Decimal("10600.00"),
    )


def test_deduction_has_exactly_one_line() -> None:
    draft = deduction_draft("partial", "100.00")
    draft.lines.append(draft.lines[0].model_copy())
    problems = validate(draft)
    assert codes(problems)["deduction.one_line"] == ("lines", "error")
    assert "一行" in next(p.message for p in problems if p.code == "deduction.one_line")


def test_deduction_line_is_tax_inclusive() -> None:
    draft = deduction_draft("partial", "100.00", price_includes_tax=False)
    assert codes(validate(draft))["deduction.tax_inclusive"] == (
        "lines[0].price_includes_tax",
        "error",
    )


def test_deduction_without_discount() -> None:
    draft = deduction_draft("partial", "100.00", kind="discounted")
    assert codes(validate(draft))["deduction.discount"] == ("lines[0].kind", "error")


@pytest.mark.parametrize("amount", ["-0.01", "10600.01"])
def test_deduction_between_zero_and_the_tax_inclusive_amount(amount: str) -> None:
    problems = validate(deduction_draft("full", amount))
    assert codes(problems)["deduction.amount_range"] == ("deduction.amount", "error")


@pytest.mark.parametrize("amount", ["0", "0.00", "10600.00"])
def test_deduction_bounds_are_allowed(amount: str) -> None:
    assert validate(deduction_draft("partial", amount)) == []


def test_deduction_mode_and_amount_must_be_readable() -> None:
    assert codes(validate(deduction_draft("half", "1")))["deduction.mode_unknown"] == (
        "deduction.mode",
        "error",
    )
    assert codes(validate(deduction_draft("full", "abc")))["figure.not_a_number"] == (
        "deduction.amount",
        "error",
    )


# ---- what a platform cannot carry -------------------------------------------------------------


def test_uncarried_names_each_field_and_the_platform() -> None:
    draft = make_draft(
        [make_line(tax_rate="0", tax_treatment="exempt")],
        seller_type="small_scale",
        rate_note="3",
        deduction={"mode": "full", "amount": "1"},
    )
    found = uncarried(draft, TreatmentSupport(why="文档没有该字段"), "开放API")
    assert [p.field for p in found] == ["lines[0].tax_treatment", "rate_note", "deduction"]
    assert all(p.code == "treatment.not_carried" and "开放API" in p.message for p in found)
    assert "免税" in found[0].message
    every = TreatmentSupport(
        treatments=frozenset({"", "exempt"}),
        rate_note=True,
        deduction_modes=frozenset({"full", "partial"}),
    )
    assert uncarried(draft, every, "票单云") == []
    assert uncarried(make_draft(), TreatmentSupport(), "开放API") == []


# ---- properties -------------------------------------------------------------------------------

RATES = ("0.13", "0.09", "0.06", "0.05", "0.03", "0.015", "0.01")


@st.composite
def deduction_drafts(draw: st.DrawFn) -> Draft:
    cents = draw(st.integers(min_value=1, max_value=10**13))
    deduction = draw(st.integers(min_value=0, max_value=cents))
    return make_draft(
        [
            make_line(
                name="*测试*服务",
                tax_code="1090101010000000000",
                quantity="",
                unit_price="",
                amount=f"{Decimal(cents) / 100:.2f}",
                tax_rate=draw(st.sampled_from(RATES)),
            )
        ],
        deduction={
            "mode": draw(st.sampled_from(("partial", "full"))),
            "amount": f"{Decimal(deduction) / 100:.2f}",
        },
    )


@settings(max_examples=300, deadline=None)
@given(deduction_drafts())
def test_deduction_tax_within_tolerance_and_amount_plus_tax_is_total(draft: Draft) -> None:
    assert not has_errors(validate(draft))
    totals = compute_totals(draft)
    fig = totals.lines[0]
    assert fig is not None and fig.deduction is not None
    assert fig.amount + fig.tax == fig.total
    assert totals.amount + totals.tax == totals.total
    rate, total, deduction = fig.tax_rate, fig.total, fig.deduction.amount
    base = total - deduction if fig.deduction.partial else total
    assert abs(base / (1 + rate) * rate - fig.tax) <= Decimal("0.06")  # §2.2 差额 tolerance
    assert abs(base / (1 + rate) * rate - fig.tax) <= Decimal("0.005")  # rounded half-up
    assert fig.tax >= 0 and fig.amount > 0


def test_face_cells_follow_the_official_layout() -> None:
    from invoicedesk.domain.treatments import face_cells

    assert face_cells("exempt", Decimal(0), Decimal("0.00")) == ("免税", "***")
    assert face_cells("non_taxable", Decimal(0), Decimal("0.00")) == ("不征税", "")
    assert face_cells("zero", Decimal(0), Decimal("0.00")) == ("0%", "0.00")
    assert face_cells("", Decimal("0.06"), Decimal("5.66")) == ("6%", "5.66")
    assert face_cells("reduced_1_5", Decimal("0.015"), Decimal("1.50")) == ("1.5%", "1.50")
