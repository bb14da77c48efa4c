"""Tax treatments end to end: issued on piaodanyun with the documented fields (asserted on what
the sandbox received and answers), refused with a reason on platforms that cannot carry them."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicedesk.domain.models import Buyer, Deduction, Draft, Line
from invoicedesk.vendors.piaodanyun import P_QUERY
from tests.e2e.helpers import open_services, sandbox_invoices
from tests.services.helpers import SELLER

PHONE = "13800000000"  # the sandbox's piaodanyun account (vendor-apis/README.md)
BUYER = Buyer(name="北京示例商贸有限公司", tax_id="91110108MA01K2P4XY")


def line(**kw: Any) -> Line:
    base: dict[str, Any] = {
        "name": "*信息技术服务*软件开发服务",
        "tax_code": "3040201010000000000",
        "amount": "100.00",
        "tax_rate": "0.06",
    }
    return Line(**{**base, **kw})


def exempt() -> Draft:
    return Draft(buyer=BUYER, lines=[line(tax_rate="0", tax_treatment="exempt")], remark="免税")


def non_taxable() -> Draft:
    prepaid = line(
        name="*未发生销售行为的不征税项目*预付卡充值",
        tax_code="6010000000000000000",
        amount="500.00",
        tax_rate="0",
        tax_treatment="non_taxable",
    )
    return Draft(buyer=BUYER, lines=[prepaid], remark="不征税")


def small_scale() -> Draft:
    return Draft(
        buyer=BUYER,
        lines=[line(amount="103.00", tax_rate="0.03")],
        seller_type="small_scale",
        rate_note="3",
        remark="小规模3%",
    )


def deduction(mode: str) -> Draft:
    return Draft(
        buyer=BUYER,
        lines=[
            line(
                name="*人力资源服务*劳务派遣服务",
                tax_code="3040803010000000000",
                amount="10600.00",
            )
        ],
        seller_type="general",
        deduction=Deduction(mode=mode, amount="5300.00"),
        remark=f"差额{mode}",
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def detail(sandbox: Any, number: str) -> dict[str, Any]:
    """invoiceQueryMx as the platform answers it (what it stored from our blueTicket), asked
    by the test itself over the documented API, not through our client."""
    login = {"phone": PHONE, "pass": "sandbox-password", "tenant_id": "1", "token_type": "TaxApi"}
    form = {"username": PHONE, "nsrsbh": SELLER.tax_id, "fphm": number, "fpqqlsh": ""}
    async with httpx.AsyncClient(base_url=sandbox.base_urls["piaodanyun"], timeout=10) as http:
        token = (await http.post("/obtainToken", data=login)).json()["data"]["token"]
        reply = (await http.post(P_QUERY, data=form, headers={"Authorization": token})).json()
    assert reply["code"] == 200, reply
    data: dict[str, Any] = reply["data"]
    return data


def test_piaodanyun_issues_every_treatment_with_the_documented_fields(
    sandbox: Any, data_dir: Path
) -> None:
    async def go() -> dict[str, dict[str, Any]]:
        s = await open_services(data_dir, sandbox)
        try:
            got: dict[str, dict[str, Any]] = {}
            for key, draft in (
                ("exempt", exempt()),
                ("non_taxable", non_taxable()),
                ("small_scale", small_scale()),
                ("partial", deduction("partial")),
                ("full", deduction("full")),
            ):
                r = await s.issuing.issue("piaodanyun", draft)
                assert r.state == "ISSUED", (key, r.error_message)
                got[key] = await detail(sandbox, r.invoice_no or "")
                stored = s.store.journal_row(r.journal_id)
                assert stored.state == "ISSUED"
            return got
        finally:
            await s.aclose()

    got = run(go())
    row = got["exempt"]["zbmx"][0]
    assert (row["yhzcbs"], row["lslbs"], row["zzstsgl"]) == ("1", "1", "免税")
    assert (row["sl"], row["se"], got["exempt"]["jshj"]) == ("0", "0.00", "100.00")
    row = got["non_taxable"]["zbmx"][0]
    assert (row["yhzcbs"], row["lslbs"], row["zzstsgl"]) == ("1", "2", "不征税")
    assert row["spbm"].startswith("6")
    small = got["small_scale"]
    assert small["slsm"] == "3" and small["zsfs"] == "0"
    assert (small["zbmx"][0]["sl"], small["hjje"], small["se"]) == ("0.03", "100.00", "3.00")
    partial, full = got["partial"], got["full"]
    assert (partial["zsfs"], partial["kce"]) == ("3", "5300.00")
    assert (partial["hjje"], partial["se"], partial["jshj"]) == ("10300.00", "300.00", "10600.00")
    assert (full["zsfs"], full["kce"]) == ("2", "5300.00")
    assert (full["hjje"], full["se"], full["jshj"]) == ("10000.00", "600.00", "10600.00")
    assert len(sandbox_invoices(sandbox, "piaodanyun")) == 5


@pytest.mark.parametrize("profile", ["open-api", "ws-invoice", "faw"])
def test_a_platform_that_cannot_carry_them_refuses_before_sending(
    sandbox: Any, data_dir: Path, profile: str
) -> None:
    async def go() -> list[Any]:
        s = await open_services(data_dir, sandbox)
        try:
            return [
                await s.issuing.issue(profile, d)
                for d in (exempt(), non_taxable(), small_scale(), deduction("partial"))
            ]
        finally:
            await s.aclose()

    results = run(go())
    fields = [r.fields for r in results]
    assert fields == [
        ("lines[0].tax_treatment",),
        ("lines[0].tax_treatment",),
        ("rate_note",),
        ("deduction",),
    ]
    for r in results:
        assert r.state == "REJECTED" and r.error_code == "treatment_not_carried"
        assert r.serial is None  # refused before a serial was even made
        assert "无法" in (r.error_message or "") and profile in (r.error_message or "")
    assert "免税" in (results[0].error_message or "")
    for r in results:  # the way out is said once, not once by the rule and again by the error
        assert (r.error_message or "").count("请换用") == (r.error_message or "").count("；") + 1
    assert "差额征税" in (results[3].error_message or "")
    assert sandbox_invoices(sandbox, profile) == []  # nothing reached the platform


def test_piaodanyun_refuses_export_zero_rate_it_has_no_value_for(
    sandbox: Any, data_dir: Path
) -> None:
    draft = Draft(buyer=BUYER, lines=[line(tax_rate="0", tax_treatment="export_zero")])

    async def go() -> Any:
        s = await open_services(data_dir, sandbox)
        try:
            return await s.issuing.issue("piaodanyun", draft)
        finally:
            await s.aclose()

    r = run(go())
    assert r.state == "REJECTED" and r.error_code == "treatment_not_carried"
    assert "出口零税率" in (r.error_message or "")
    assert sandbox_invoices(sandbox, "piaodanyun") == []


def test_a_deduction_invoice_is_red_lettered_in_full_and_keeps_its_treatment(
    sandbox: Any, data_dir: Path
) -> None:
    from invoicedesk.domain import red
    from invoicedesk.domain.red import RedRuleError, Step
    from invoicedesk.services.red import RedService

    async def go() -> tuple[dict[str, Any], dict[str, Any]]:
        s = await open_services(data_dir, sandbox)
        try:
            blue = await s.issuing.issue("piaodanyun", deduction("partial"))
            assert blue.state == "ISSUED" and blue.invoice_no
            rs = RedService(s.store, s.vendor, s.audit)
            case = await rs.to_scope(
                await rs.check(await rs.open_case("piaodanyun", blue.invoice_no))
            )
            assert case.state.blue.deduction
            assert red.partial_allowed("03", case.state.blue) == "差额征税发票只能全额红冲。"
            partial = red.RedPlan("03", False, (red.RedLine(1, Decimal("100"), Decimal("0")),))
            with pytest.raises(RedRuleError):
                await rs.choose(case, partial)
            case = await rs.choose(case, red.full_plan("03", case.state.left))
            case = await rs.apply_form(case)
            case = await rs.issue(case)
            assert case.step is Step.DONE and case.state.red_number
            return await detail(sandbox, blue.invoice_no), await detail(
                sandbox, case.state.red_number
            )
        finally:
            await s.aclose()

    blue, red_detail = run(go())
    assert (red_detail["zsfs"], red_detail["kce"]) == ("3", "-5300.00")
    assert (red_detail["hjje"], red_detail["se"], red_detail["jshj"]) == (
        "-10300.00",
        "-300.00",
        "-10600.00",
    )
    assert red_detail["yfphm"] == blue["fphm"]
    exempt_line = red_detail["zbmx"][0]
    assert exempt_line["yhzcbs"] == blue["zbmx"][0]["yhzcbs"] == "0"


def test_a_red_letter_keeps_the_exempt_flags(sandbox: Any, data_dir: Path) -> None:
    from invoicedesk.domain import red
    from invoicedesk.services.red import RedService

    async def go() -> dict[str, Any]:
        s = await open_services(data_dir, sandbox)
        try:
            blue = await s.issuing.issue("piaodanyun", exempt())
            assert blue.invoice_no
            rs = RedService(s.store, s.vendor, s.audit)
            case = await rs.to_scope(
                await rs.check(await rs.open_case("piaodanyun", blue.invoice_no))
            )
            case = await rs.choose(case, red.full_plan("01", case.state.left))
            case = await rs.issue(await rs.apply_form(case))
            return await detail(sandbox, case.state.red_number)
        finally:
            await s.aclose()

    row = run(go())["zbmx"][0]
    assert (row["yhzcbs"], row["lslbs"], row["zzstsgl"], row["se"]) == ("1", "1", "免税", "0.00")


def test_issue_takes_the_seller_type_from_the_account(sandbox: Any, data_dir: Path) -> None:
    from dataclasses import replace

    from invoicedesk.services.issuing import InvalidDraft

    async def go() -> tuple[Any, Any]:
        s = await open_services(data_dir, sandbox)
        try:
            profile = await s.profiles.get("piaodanyun")
            small = replace(profile, options={**profile.options, "seller_type": "small_scale"})
            await s.profiles.save(small)
            await s.forget_vendor("piaodanyun")  # as the account page does after an edit
            await s.account.sandbox_tax_login("piaodanyun")
            at_three = Draft(buyer=BUYER, lines=[line(amount="103.00", tax_rate="0.03")])
            with pytest.raises(InvalidDraft) as info:  # the account makes it small-scale
                await s.issuing.issue("piaodanyun", at_three)
            assert "税率说明" in info.value.message
            noted = at_three.model_copy(update={"rate_note": "2"})
            issued = await s.issuing.issue("piaodanyun", noted)
            mismatch = await s.issuing.issue(
                "piaodanyun", noted.model_copy(update={"seller_type": "general", "remark": "x"})
            )
            return issued, mismatch
        finally:
            await s.aclose()

    issued, mismatch = run(go())
    assert issued.state == "ISSUED"
    assert mismatch.state == "REJECTED" and mismatch.error_code == "seller_type_mismatch"
    assert mismatch.fields == ("seller_type",) and mismatch.serial is None


def test_batch_preflight_names_drafts_the_account_cannot_carry(
    sandbox: Any, data_dir: Path
) -> None:
    from invoicedesk.domain.money import compute_totals
    from invoicedesk.services import batch_io
    from invoicedesk.services.batches import BatchService

    def imported(drafts: list[Draft]) -> list[batch_io.ImportedDraft]:
        out = []
        for i, d in enumerate(drafts):
            item = batch_io.ImportedDraft(label=f"T{i}", rows=[i + 2], cells=[])
            item.draft, item.totals = d, compute_totals(d)
            out.append(item)
        return out

    async def go() -> tuple[list[str], list[str], list[Any]]:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            ordinary = Draft(buyer=BUYER, lines=[line()])
            open_batch = await batches.create("open-api", "t.xlsx", imported([ordinary, exempt()]))
            said = await batches.preflight(open_batch, "open-api")
            pdy_batch = await batches.create("piaodanyun", "p.xlsx", imported([exempt()]))
            fine = await batches.preflight(pdy_batch, "piaodanyun")
            await batches.run(open_batch, concurrency=1)
            return said, fine, batches.items(open_batch)
        finally:
            await s.aclose()

    said, fine, items = run(go())
    assert len(said) == 1 and "T1" in said[0] and "免税" in said[0] and "不会发送" in said[0]
    assert not any("T1" in w for w in fine)
    assert [v.state for v in items] == ["issued", "rejected"]
    assert "免税" in items[1].reason
    assert len(sandbox_invoices(sandbox, "open-api")) == 1


def test_the_history_keeps_what_each_invoice_was_issued_with(sandbox: Any, data_dir: Path) -> None:
    """Issue 16: the history row of each invoice holds its treatments (schema v10), and the
    red letter of a 差额 invoice keeps them, read from the history."""
    from invoicedesk.domain import red
    from invoicedesk.services.red import RedService

    async def go() -> dict[str, Any]:
        s = await open_services(data_dir, sandbox)
        try:
            rows: dict[str, Any] = {}
            for key, draft in (
                ("exempt", exempt()),
                ("non_taxable", non_taxable()),
                ("small_scale", small_scale()),
                ("partial", deduction("partial")),
            ):
                r = await s.issuing.issue("piaodanyun", draft)
                assert r.state == "ISSUED" and r.invoice_no, (key, r.error_message)
                rows[key] = s.store.invoice_by_number(r.invoice_no, "piaodanyun")
            rs = RedService(s.store, s.vendor, s.audit)
            number = rows["partial"].number
            case = await rs.to_scope(await rs.check(await rs.open_case("piaodanyun", number)))
            assert case.state.blue.deduction  # read from the history row
            case = await rs.choose(case, red.full_plan("03", case.state.left))
            case = await rs.issue(await rs.apply_form(case))
            rows["red"] = s.store.invoice_by_number(case.state.red_number, "piaodanyun")
            return rows
        finally:
            await s.aclose()

    rows = run(go())
    assert [x.tax_treatment for x in rows["exempt"].lines] == ["exempt"]
    assert [x.tax_treatment for x in rows["non_taxable"].lines] == ["non_taxable"]
    small = rows["small_scale"]
    assert (small.seller_type, small.rate_note, small.lines[0].tax_treatment) == (
        "small_scale",
        "3",
        "",
    )
    partial = rows["partial"]
    assert (partial.deduction_mode, partial.deduction) == ("partial", Decimal("5300.00"))
    assert (partial.amount, partial.tax) == (Decimal("10300.00"), Decimal("300.00"))
    red_row = rows["red"]
    assert red_row.color == "red"
    assert (red_row.deduction_mode, red_row.deduction) == ("partial", Decimal("-5300.00"))
