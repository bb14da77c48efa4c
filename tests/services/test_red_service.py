"""The red-letter service through the sandbox: piaodanyun's three steps, FAW's red order, the
journal (nothing sent twice), pending forms, the 72-hour expiry and resuming after a restart."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.domain import red
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.red import Step
from invoicedesk.services.context import AppServices
from invoicedesk.services.red import RedError, RedService, why_unsupported
from invoicedesk.store.records import InvoiceFilter, InvoiceRecord
from invoicedesk.vendors.base import RedFormRequest, RedLineRequest, Rejected
from tests.e2e.helpers import control, open_services, sandbox_invoices
from tests.services.helpers import BUYER_TAX_ID

GOODS = "1060301020100000000"


def goods_draft() -> Draft:
    return Draft(
        invoice_type="82",
        buyer=Buyer(name="红冲测试客户有限公司", tax_id=BUYER_TAX_ID),
        lines=[
            Line(
                name="*计算机配套产品*打印纸",
                tax_code=GOODS,
                quantity="10",
                unit_price="100",
                tax_rate="0.13",
                price_includes_tax=False,
            ),
            Line(
                name="*信息技术服务*安装服务",
                tax_code="3040201010000000000",
                quantity="1",
                unit_price="200",
                tax_rate="0.06",
                price_includes_tax=False,
            ),
        ],
    )


def red_service(s: AppServices) -> RedService:
    return RedService(s.store, s.vendor, s.audit)


async def blue_invoice(s: AppServices, vendor: str = "piaodanyun") -> str:
    result = await s.issuing.issue(vendor, goods_draft())
    assert result.state == "ISSUED" and result.invoice_no
    return result.invoice_no


def test_full_red_01(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            number = await blue_invoice(s)
            rs = red_service(s)
            case = await rs.check(await rs.open_case("piaodanyun", number))
            assert case.step is Step.CHECK and case.state.check_ok, case.state.check_message
            case = await rs.to_scope(case)
            case = await rs.choose(case, red.full_plan("01", case.state.left))
            case = await rs.apply_form(case)
            assert case.step is Step.ISSUE and case.state.form_status == "01", case.message
            case = await rs.issue(case)
            assert case.step is Step.DONE and case.state.red_number
            again = await rs.issue(case)  # nothing sent twice
            assert again.state.red_number == case.state.red_number
            redrow = s.store.invoice_by_number(case.state.red_number, "piaodanyun")
            assert redrow.color == "red" and redrow.blue_number == number
            assert redrow.total == Decimal("-1342.00")
            bluerow = s.store.invoice_by_number(number, "piaodanyun")
            assert bluerow.red_status == "已红冲" and len(bluerow.lines) == 2
            assert red.fully_red(await rs.redeemable("piaodanyun", number))
        finally:
            await s.aclose()

    asyncio.run(go())
    reds = [i for i in sandbox_invoices(sandbox, "piaodanyun") if i["color"] == "red"]
    assert len(reds) == 1 and Decimal(reds[0]["total"]) == Decimal("-1342.00")


def test_piaodanyun_is_full_only_and_a_used_invoice_waits_for_confirmation(
    sandbox: Any, data_dir: Path
) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            number = await blue_invoice(s)
            control(sandbox, f"invoices/{number}/used")
            rs = red_service(s)
            case = await rs.to_scope(await rs.check(await rs.open_case("piaodanyun", number)))
            why = await rs.why_full_only("piaodanyun")
            assert why and "全额" in why
            plan = red.partial_plan("02", case.state.left, {1: ("3", "")})
            with pytest.raises(RedError, match="全额"):
                await rs.choose(case, plan)
            _, vendor = await s.vendor("piaodanyun")
            three = RedLineRequest(1, Decimal("-3"), Decimal("-300.00"), Decimal("-39.00"))
            with pytest.raises(Rejected) as refused:  # nothing reaches hzxxbsq
                await vendor.red_apply(RedFormRequest(number, "02", False, (three,)))
            assert refused.value.code == "partial_red_unsupported"
            case = await rs.apply_form(await rs.choose(case, red.full_plan("01", case.state.left)))
            assert case.step is Step.PENDING and case.state.form_status == "02"
            assert s.store.invoice_by_number(number, "piaodanyun").red_status == "红字信息表待确认"
            control(sandbox, "red/confirm", {"form_no": case.state.form_no, "accept": True})
            (case,) = await rs.refresh_open()
            assert case.step is Step.ISSUE and case.state.form_status == "04"
            case = await rs.issue(case)
            assert case.step is Step.DONE
            assert s.store.invoice_by_number(number, "piaodanyun").red_status == "已红冲"
        finally:
            await s.aclose()

    asyncio.run(go())


def test_faw_red_from_an_accepted_order_once_its_number_is_typed(
    sandbox: Any, data_dir: Path
) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            result = await s.issuing.issue("faw", goods_draft())
            assert result.state == "ACCEPTED" and not result.invoice_no
            (row,) = s.store.query_invoices(InvoiceFilter(profiles=("faw",)))
            order = sandbox.state.invoices.find_serial("faw", row.serial)
            number = order.extra["invoice_number"]  # what the tax bureau's copy says
            rs = red_service(s)
            assert await rs.why_full_only("faw") is None
            today = row.created_at[:10]
            for typed, day, field in (
                ("1234", today, "号码"),
                (number, "2026-13-40", "日期"),
                (number, "2000-01-01", "日期"),
                (number, "2999-01-01", "日期"),
            ):
                with pytest.raises(RedError, match=field):
                    await rs.name_blue_invoice("faw", row.id, typed, day)
            assert await rs.name_blue_invoice("faw", row.id, number, today) == number
            case = await rs.to_scope(await rs.check(await rs.open_case("faw", number)))
            plan = red.partial_plan("02", case.state.left, {1: ("2", "")})
            case = await rs.issue(await rs.choose(case, plan))
            assert case.step is Step.DONE, case.message
            left = await rs.redeemable("faw", number)
            assert (left[0].quantity, left[0].amount) == (Decimal("8"), Decimal("800.00"))
        finally:
            await s.aclose()

    asyncio.run(go())
    (red_row,) = [i for i in sandbox_invoices(sandbox, "faw") if i["color"] == "red"]
    assert Decimal(red_row["total"]) == Decimal("-226.00") and red_row["blue_number"]


def test_pending_form_goes_void_after_72_hours_and_resumes_after_restart(
    sandbox: Any, data_dir: Path
) -> None:
    async def first() -> tuple[str, int]:
        s = await open_services(data_dir, sandbox)
        try:
            number = await blue_invoice(s)
            control(sandbox, f"invoices/{number}/used")
            rs = red_service(s)
            case = await rs.to_scope(await rs.check(await rs.open_case("piaodanyun", number)))
            case = await rs.apply_form(await rs.choose(case, red.full_plan("04", case.state.left)))
            assert case.step is Step.PENDING
            return number, case.id
        finally:
            await s.aclose()

    async def second(number: str, case_id: int) -> None:
        s = await open_services(data_dir, sandbox)  # a fresh program: new vendor client
        try:
            rs = red_service(s)
            case = await rs.open_case("piaodanyun", number)
            assert case.id == case_id and case.step is Step.PENDING
            case = await rs.refresh(case)  # still pending, read back after the restart
            assert case.step is Step.PENDING and case.message == ""
        finally:
            await s.aclose()

    async def third(number: str, case_id: int) -> None:
        # another restart after the 72 hours: the form went void, so the blue invoice is no
        # longer locked; the new client learns the form only from the stored case
        s = await open_services(data_dir, sandbox)
        try:
            rs = red_service(s)
            (case,) = await rs.refresh_open()
            assert case.id == case_id, case.message
            assert case.step is Step.VOID and case.state.form_status == "07", case.message
            assert "72小时" in red.explain_status(case.state.form_status)
        finally:
            await s.aclose()

    number, case_id = asyncio.run(first())
    asyncio.run(second(number, case_id))
    control(sandbox, "clock", {"advance_hours": 73})
    asyncio.run(third(number, case_id))


def test_faw_red_order(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            number = await blue_invoice(s)  # FAW orders get no number: the blue comes elsewhere
            row = s.store.invoice_by_number(number, "piaodanyun")
            fields = {
                k: v for k, v in asdict(row).items() if k in InvoiceRecord.__dataclass_fields__
            }
            fields.update(profile="faw", vendor="faw", source="synced", draft_id=None)
            fields["lines"] = row.lines
            s.store.upsert_invoice(InvoiceRecord(**fields))
            rs = red_service(s)
            case = await rs.check(await rs.open_case("faw", number))
            assert case.state.check_ok and not case.state.needs_form
            case = await rs.to_scope(case)
            plan = red.partial_plan("02", case.state.left, {1: ("2", "")})
            case = await rs.issue(await rs.choose(case, plan))
            assert case.step is Step.DONE, case.message
            (redrow,) = s.store.query_invoices(InvoiceFilter(profiles=("faw",), color="red"))
            assert redrow.blue_number == number and redrow.total == Decimal("-226.00")
            left = await rs.redeemable("faw", number)
            assert (left[0].quantity, left[0].amount) == (Decimal("8"), Decimal("800.00"))
            # the sandbox counts quantities per blue line too: 9 of the 8 left is refused
            _, vendor = await s.vendor("faw")
            nine = Draft(
                invoice_type="82",
                buyer=Buyer(name="红冲测试客户有限公司", tax_id=BUYER_TAX_ID),
                lines=[
                    Line(
                        name="*计算机配套产品*打印纸",
                        tax_code=GOODS,
                        quantity="-9",
                        unit_price="100",
                        amount="-800",
                        tax_rate="0.13",
                        price_includes_tax=False,
                    )
                ],
            )
            with pytest.raises(Rejected):
                await vendor.red_order(nine, "FAW-RED-9", blue_number=number)  # type: ignore[attr-defined]
        finally:
            await s.aclose()

    asyncio.run(go())
    reds = [i for i in sandbox_invoices(sandbox, "faw") if i["color"] == "red"]
    assert len(reds) == 1 and reds[0]["blue_number"]


def test_vendors_without_red_letters_say_why() -> None:
    for key in ("open-api", "ws-invoice", "signed-api"):
        why = why_unsupported(key)
        assert why and why.endswith("。")
    assert why_unsupported("piaodanyun") is None and why_unsupported("faw") is None


def test_red_rows_left_unknown_are_settled_by_red_service(sandbox: Any, data_dir: Path) -> None:
    def drop(endpoint: str) -> None:
        fault = {"vendor": "piaodanyun", "endpoint": endpoint, "kind": "drop_after", "count": 1}
        control(sandbox, "faults", fault)

    async def first() -> str:
        s = await open_services(data_dir, sandbox)
        try:
            number = await blue_invoice(s)
            rs = red_service(s)
            case = await rs.to_scope(await rs.check(await rs.open_case("piaodanyun", number)))
            drop("hzxxbsq")  # the form is made, its answer lost
            case = await rs.apply_form(await rs.choose(case, red.full_plan("01", case.state.left)))
            assert case.step is Step.SCOPE and case.form_serial
            row = s.store.journal_by_serial("piaodanyun", case.form_serial)
            assert (row.kind, row.state) == ("red_form", "UNKNOWN")
            assert await s.issuing.reconcile_all() == []  # red rows are not its business
            (case,) = await rs.reconcile_all()
            assert case.step is Step.ISSUE and case.state.form_status == "01", case.message
            assert s.store.journal_by_serial("piaodanyun", case.form_serial).state == "ISSUED"
            drop("hzfpkj")  # the red invoice is made, its answer lost
            case = await rs.issue(case)
            assert case.step is Step.ISSUE and case.issue_serial
            row = s.store.journal_by_serial("piaodanyun", case.issue_serial)
            assert (row.kind, row.state) == ("red", "UNKNOWN")
            return case.issue_serial
        finally:
            await s.aclose()

    async def after_restart(serial: str) -> None:
        s = await open_services(data_dir, sandbox)
        try:
            assert await s.issuing.reconcile_all() == []
            (case,) = await red_service(s).reconcile_all()
            assert case.step is Step.DONE and case.state.red_number, case.message
            assert s.store.journal_by_serial("piaodanyun", serial).state == "ISSUED"
            assert await red_service(s).reconcile_all() == []
        finally:
            await s.aclose()

    asyncio.run(after_restart(asyncio.run(first())))
    reds = [i for i in sandbox_invoices(sandbox, "piaodanyun") if i["color"] == "red"]
    assert len(reds) == 1  # sent twice, made once
