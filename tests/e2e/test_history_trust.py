"""Issue 14 through the sandbox: one invoice is one row, with the platform's figures and its
Beijing date; a restarted sandbox never reuses numbers; files are archived at issue time."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.sandbox.server import SandboxServer
from invoicedesk.store import FLAG_CONFLICT, FLAG_MISMATCH, InvoiceFilter
from invoicedesk.ui.history.columns import format_date
from tests.conftest import machine_zone
from tests.e2e.helpers import control, open_services, quick_hangs, sandbox_invoices
from tests.services.helpers import make_draft


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def thousand_with_tax() -> Draft:
    """1000.00 including 6% tax: the platform issues 943.40 + 56.60."""
    return Draft(
        invoice_type="82",
        buyer=Buyer(name="上海某某科技有限公司", tax_id="91310115MA1H7GQX2B"),
        lines=[
            Line(
                name="*信息技术服务*软件服务",
                tax_code="3040201010000000000",
                amount="1000.00",
                tax_rate="0.06",
                price_includes_tax=True,
            )
        ],
    )


def test_a_lost_reply_then_reconcile_stores_the_platform_figures(
    sandbox: Any, data_dir: Path
) -> None:
    quick_hangs(sandbox)
    control(
        sandbox,
        "faults",
        {"vendor": "open-api", "endpoint": "blue-invoices", "kind": "timeout_after", "count": 1},
    )

    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            r = await s.issuing.issue("open-api", thousand_with_tax())
            if r.state != "ISSUED":
                r = await s.issuing.reconcile(r.journal_id)
            assert r.state == "ISSUED" and r.invoice_no
            (theirs,) = sandbox_invoices(sandbox, "open-api")
            assert (theirs["amount"], theirs["tax"]) == ("943.40", "56.60")
            row = s.store.invoice_by_number(r.invoice_no)
            assert (row.amount, row.tax, row.total) == (
                Decimal("943.40"), Decimal("56.60"), Decimal("1000.00")
            )  # fmt: skip
            assert s.store.journal_events(r.journal_id)[1].state == "UNKNOWN"  # the lost reply
        finally:
            await s.aclose()

    run(go())


def test_two_accounts_listing_the_same_invoices_leave_one_row_each(
    sandbox: Any, data_dir: Path
) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            issued = [await s.issuing.issue("open-api", make_draft(i)) for i in range(3)]
            issued.append(await s.issuing.issue("piaodanyun", make_draft(7)))
            assert all(r.state == "ISSUED" for r in issued)
            accounts = ["open-api"] * 3 + ["piaodanyun"]
            for account in ("ws-invoice", "signed-api", "ws-invoice"):
                report = await s.history.sync(account, from_start=True)
                assert report.new == 0 and report.mismatches == report.conflicts == 0
            total = sum((r.total for r in issued), Decimal(0))
            summary = s.store.invoice_summary(InvoiceFilter())
            assert (summary.count, summary.total) == (4, total)  # counted once
            for account, r in zip(accounts, issued, strict=True):
                row = s.store.invoice_by_number(r.invoice_no)
                seen = {x.profile for x in s.store.invoice_sightings(row.id)}
                assert seen == {account, "ws-invoice", "signed-api"}
                assert row.profile == account and row.status == "正常" and row.lines
        finally:
            await s.aclose()

    run(go())


def test_a_disagreeing_report_is_flagged_and_not_applied(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            r = await s.issuing.issue("open-api", make_draft(1))
            platform = sandbox.state.invoices.get(r.invoice_no)
            platform.tax += Decimal("0.01")  # the platform now reports other figures
            platform.total += Decimal("0.01")
            report = await s.history.sync("signed-api")
            assert report.mismatches == 1
            row = s.store.invoice_by_number(r.invoice_no)
            assert row.total == r.total and row.flag == FLAG_MISMATCH
            (kept,) = [x for x in s.store.invoice_reports(row.id) if x.kind == FLAG_MISMATCH]
            assert kept.stored["total"] == str(r.total)
            assert kept.reported["total"] == str(r.total + Decimal("0.01"))
            assert s.store.invoice_summary(InvoiceFilter()).total == r.total
        finally:
            await s.aclose()

    run(go())


def test_another_invoice_under_a_known_number_is_a_conflict(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            r = await s.issuing.issue("open-api", make_draft(1))
            # the platform now lists another invoice under that number (a reused number)
            platform = sandbox.state.invoices
            other = replace(
                platform.get(r.invoice_no),
                buyer_name="演示客户01",
                buyer_tax_id="91330100MA2XXXXX01",
                total=Decimal("107.59"),
            )
            platform.by_number[r.invoice_no] = other
            platform.by_key[(other.vendor, other.serial)] = other
            report = await s.history.sync("signed-api")
            assert report.conflicts == 1
            row = s.store.invoice_by_number(r.invoice_no)
            assert (row.buyer_name, row.total, row.flag) == (
                "测试客户1有限公司",
                r.total,
                FLAG_CONFLICT,
            )
            (kept,) = s.store.invoice_reports(row.id)
            assert kept.reported["buyer_name"] == "演示客户01"
            assert [x.profile for x in s.store.invoice_sightings(row.id)] == ["open-api"]
        finally:
            await s.aclose()

    run(go())


def test_a_restarted_sandbox_issues_new_numbers_and_keeps_rows_and_files(data_dir: Path) -> None:
    first = SandboxServer.start_in_thread()

    async def before() -> tuple[list[str], list[Path]]:
        s = await open_services(data_dir, first)
        try:
            done = [await s.issuing.issue("open-api", make_draft(i)) for i in range(2)]
            await s.files.drain()  # archived at issue time, in the background
            files = [s.store.files(s.store.invoice_by_number(r.invoice_no).id) for r in done]
            assert all(len(f) == 1 for f in files)
            return [r.invoice_no or "" for r in done], [f[0].path for f in files]
        finally:
            await s.aclose()

    try:
        numbers, paths = run(before())
    finally:
        first.stop()
    second = SandboxServer.start_in_thread()  # empty, as after a restart without a state

    async def after() -> None:
        s = await open_services(data_dir, second)
        try:
            r = await s.issuing.issue("open-api", make_draft(5))
            assert r.invoice_no not in numbers
            await s.history.sync("signed-api", from_start=True)
            for i, number in enumerate(numbers):
                row = s.store.invoice_by_number(number)
                assert row.buyer_name == f"测试客户{i}有限公司" and row.flag == ""
                # the file opens from the archive: the platform that issued it is gone
                f = await s.files.download("open-api", number, "pdf")
                assert f.duplicate and f.path == paths[i] and f.path.read_bytes()[:4] == b"%PDF"
            assert s.store.invoice_summary(InvoiceFilter()).count == 3
        finally:
            await s.aclose()

    try:
        run(after())
    finally:
        second.stop()


def test_the_sandbox_state_survives_a_restart(tmp_path: Path, data_dir: Path) -> None:
    state = tmp_path / "sandbox-state"
    first = SandboxServer.start_in_thread(state_dir=state)

    async def issue() -> str:
        s = await open_services(data_dir, first)
        try:
            r = await s.issuing.issue("piaodanyun", make_draft(3))
            return r.invoice_no or ""
        finally:
            await s.aclose()

    try:
        number = run(issue())
    finally:
        first.stop()
    second = SandboxServer.start_in_thread(state_dir=state)

    async def reopen() -> None:
        s = await open_services(data_dir, second)
        try:
            one = await s.history.fetch_one("piaodanyun", number=number)
            assert one.number == number
            report = await s.history.sync("signed-api", from_start=True)
            assert report.seen >= 1 and report.new == 0
            r = await s.issuing.issue("piaodanyun", make_draft(4))
            assert r.invoice_no != number
        finally:
            await s.aclose()

    try:
        run(reopen())
        # yesterday's invoice can still be red-lettered on the restarted platform
        applied = second.state.red.apply(number, "01")
        assert applied.blue_number == number
    finally:
        second.stop()


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Shanghai"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    with machine_zone(request.param):
        yield request.param


def test_history_shows_the_date_of_the_result_page_and_the_pdf(
    sandbox: Any, data_dir: Path, zone: str
) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            r = await s.issuing.issue("open-api", make_draft(1))
            (theirs,) = sandbox_invoices(sandbox, "open-api")  # Beijing time, as on the PDF
            row = s.store.invoice_by_number(r.invoice_no)
            assert row.issued_at.endswith("+08:00") and r.invoice_date == row.issued_at
            shown = format_date(row.issued_at)
            assert shown == r.invoice_date.replace("T", " ")[:16] == theirs["date"][:16]
            # a date-only report (signed-api lists dates) keeps the time already known
            await s.history.sync("signed-api")
            assert s.store.invoice_by_number(r.invoice_no).issued_at == row.issued_at
        finally:
            await s.aclose()

    run(go())
