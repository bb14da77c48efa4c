"""BatchService through the real sandbox: batches issued one by one (piaodanyun) and through
open-api's native batch, under injected faults, with cancel, the credit-line check, and retrying
the rejected after an edit. Every test compares with the sandbox's own list of invoices."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services import batch_io
from invoicedesk.services.batches import BatchService
from tests.e2e.helpers import (
    clear_faults,
    control,
    inject,
    open_services,
    quick_hangs,
    sandbox_invoices,
)
from tests.services.helpers import make_draft


def imported(n: int, start: int = 0) -> list[batch_io.ImportedDraft]:
    out = []
    for i in range(start, start + n):
        d = batch_io.ImportedDraft(label=f"D{i}", rows=[i + 2], cells=[])
        d.draft = make_draft(i)
        from invoicedesk.domain import money

        d.totals = money.compute_totals(d.draft)
        out.append(d)
    return out


async def settle(batches: BatchService, batch_id: int, rounds: int = 6) -> None:
    """Run, and run again while anything is still unknown (the page's "check again")."""
    for _ in range(rounds):
        await batches.run(batch_id, concurrency=4)
        if all(v.state in ("issued", "rejected", "skipped") for v in batches.items(batch_id)):
            return


def assert_each_once(
    sandbox: Any, vendor: str, batches: BatchService, batch_id: int, n: int
) -> None:
    theirs = sandbox_invoices(sandbox, vendor)
    assert len(theirs) == n, f"sandbox holds {len(theirs)} invoices for {n} drafts"
    assert len({i["serial"] for i in theirs}) == n
    ours = batches.items(batch_id)
    assert [v.state for v in ours] == ["issued"] * n
    assert {v.serial for v in ours} == {i["serial"] for i in theirs}
    assert {v.number for v in ours} == {i["number"] for i in theirs}


def test_one_by_one_batch_issues_each_draft_and_survives_a_restart(
    sandbox: Any, data_dir: Path, tmp_path: Path
) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            batch_id = await batches.create("piaodanyun", "月末.xlsx", imported(6))
            seen: list[str] = []
            progress = await batches.run(batch_id, on_item=lambda v: seen.append(v.state))
            assert (progress.done, progress.issued, progress.total) == (6, 6, 6)
            assert "sending" in seen and seen.count("issued") == 6
            assert_each_once(sandbox, "piaodanyun", batches, batch_id, 6)
            assert (await batches.batch(batch_id)).state == "done"
            out = tmp_path / "结果.xlsx"
            await batches.export(batch_id, out)
            from openpyxl import load_workbook

            sheet = load_workbook(out).active
            assert sheet is not None
            states = [r[1].value for r in sheet.iter_rows(min_row=2)]
            assert states == ["已开具"] * 6
        finally:
            await s.aclose()
        # a new process: the store holds the batch with every number
        s2 = await open_services(data_dir, sandbox)
        try:
            again = BatchService.for_services(s2)
            views = await again.load(batch_id)
            assert all(v.number for v in views)
            await again.run(batch_id)  # nothing to do: nothing sent twice
            assert len(sandbox_invoices(sandbox, "piaodanyun")) == 6
        finally:
            await s2.aclose()

    asyncio.run(go())


@pytest.mark.parametrize("vendor", ["piaodanyun", "open-api"])
def test_twenty_percent_faults_end_with_every_draft_issued_once(
    sandbox: Any, data_dir: Path, vendor: str
) -> None:
    quick_hangs(sandbox)
    n = 20

    async def go() -> None:
        s = await open_services(data_dir, sandbox, timeout_s=1.5)
        batches = BatchService.for_services(s)
        batches.poll_interval_s = 0.2
        try:
            batch_id = await batches.create(vendor, "faults.xlsx", imported(n))
            inject(sandbox, vendor, 0.2)
            await batches.run(batch_id, concurrency=4)
            clear_faults(sandbox)
            await settle(batches, batch_id)
            rejected = [v for v in batches.items(batch_id) if v.state == "rejected"]
            if rejected:  # a fault the vendor reported as a refusal: retried with a new serial
                await batches.run(batch_id, retry_rejected=True)
            assert_each_once(sandbox, vendor, batches, batch_id, n)
        finally:
            await s.aclose()

    asyncio.run(go())


def test_cancel_stops_new_sends_and_run_continues_later(sandbox: Any, data_dir: Path) -> None:
    control(
        sandbox,
        "faults",
        {
            "vendor": "piaodanyun",
            "endpoint": "*",
            "kind": "latency",
            "rate": 1.0,
            "latency_ms": 100,
        },
    )

    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            batch_id = await batches.create("piaodanyun", "c.xlsx", imported(12))

            def on_item(view: Any) -> None:
                if view.state == "issued":
                    batches.cancel(batch_id)

            await batches.run(batch_id, on_item=on_item, concurrency=2)
            states = Counter(v.state for v in batches.items(batch_id))
            assert states["waiting"] >= 8 and states["sending"] == 0
            assert (await batches.batch(batch_id)).state == "cancelled"
            assert len(sandbox_invoices(sandbox, "piaodanyun")) == states["issued"]
            await batches.run(batch_id)
            assert_each_once(sandbox, "piaodanyun", batches, batch_id, 12)
        finally:
            await s.aclose()

    asyncio.run(go())


def test_pause_holds_new_sends_until_resume(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            batch_id = await batches.create("piaodanyun", "p.xlsx", imported(5))
            batches.pause(batch_id)
            task = asyncio.create_task(batches.run(batch_id))
            await asyncio.sleep(0.5)
            assert sandbox_invoices(sandbox, "piaodanyun") == []
            assert not task.done()
            batches.resume(batch_id)
            await task
            assert_each_once(sandbox, "piaodanyun", batches, batch_id, 5)
        finally:
            await s.aclose()

    asyncio.run(go())


def test_credit_line_warning_then_rejected_then_retried_after_raising_it(
    sandbox: Any, data_dir: Path
) -> None:
    # each draft is about 100 yuan excluding tax: 250 covers two of four
    control(sandbox, "settings", {"credit_total": "250.00"})

    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            batch_id = await batches.create("piaodanyun", "c.xlsx", imported(4))
            warnings = await batches.preflight(batch_id, "piaodanyun")
            assert any("剩余开票额度 250.00 元" in w and "4" in w for w in warnings), warnings
            await batches.run(batch_id, concurrency=1)
            states = Counter(v.state for v in batches.items(batch_id))
            assert states == {"issued": 2, "rejected": 2}
            refused = [v for v in batches.items(batch_id) if v.state == "rejected"]
            assert all("额度" in v.reason for v in refused)
            control(sandbox, "settings", {"credit_total": "100000.00"})
            assert await batches.preflight(batch_id, "piaodanyun") == []
            await batches.run(batch_id, retry_rejected=True)
            assert_each_once(sandbox, "piaodanyun", batches, batch_id, 4)
        finally:
            await s.aclose()

    asyncio.run(go())


def test_an_invalid_item_is_rejected_and_issued_after_an_edit(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            drafts = imported(2)
            bad = drafts[1].draft.model_copy(deep=True)
            bad.lines[0].tax_rate = "abc"
            drafts[1].draft = bad  # stored as checked by an older dry run, say
            batch_id = await batches.create("piaodanyun", "e.xlsx", drafts)
            await batches.run(batch_id)
            first, second = batches.items(batch_id)
            assert (first.state, second.state, second.error_code) == (
                "issued",
                "rejected",
                "invalid_draft",
            )
            await batches.edit_item(batch_id, second.id, make_draft(1))
            await batches.run(batch_id, retry_rejected=True)
            assert_each_once(sandbox, "piaodanyun", batches, batch_id, 2)
        finally:
            await s.aclose()

    asyncio.run(go())


def test_face_auth_needed_is_a_warning_before_starting(sandbox: Any, data_dir: Path) -> None:
    control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": "91330106MA2H7Q3D1G"})

    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            batch_id = await batches.create("piaodanyun", "f.xlsx", imported(3))
            warnings = await batches.preflight(batch_id, "piaodanyun")
            assert any("人脸认证" in w for w in warnings), warnings
            # open-api has neither a credit line nor face authentication: nothing to say
            other = await batches.create("open-api", "o.xlsx", imported(3))
            assert await batches.preflight(other, "open-api") == []
        finally:
            await s.aclose()

    asyncio.run(go())


@pytest.mark.parametrize("limit", [1, 4])
def test_as_many_drafts_show_sending_as_the_limit_allows(
    sandbox: Any, data_dir: Path, limit: int
) -> None:
    """Issue 19 item 11: with 同时发送 = 1 two rows showed 发送中, with 4 six did."""
    control(
        sandbox,
        "faults",
        {"vendor": "piaodanyun", "endpoint": "*", "kind": "latency", "rate": 1.0, "latency_ms": 60},
    )

    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            batch_id = await batches.create("piaodanyun", "s.xlsx", imported(12))
            most = 0

            def on_item(_view: Any) -> None:
                nonlocal most
                sending = sum(v.state == "sending" for v in batches.items(batch_id))
                most = max(most, sending)

            await batches.run(batch_id, on_item=on_item, concurrency=limit)
            assert most == limit
            assert_each_once(sandbox, "piaodanyun", batches, batch_id, 12)
        finally:
            await s.aclose()

    asyncio.run(go())


def test_a_batch_archives_its_invoices_files_after_the_run_not_during_it(
    sandbox: Any, data_dir: Path
) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        batches = BatchService.for_services(s)
        try:
            archived: list[str] = []
            archive_soon = s.issuing.on_issued
            assert archive_soon is not None

            def on_issued(profile: str, number: str) -> None:
                archived.append(number)
                archive_soon(profile, number)

            s.issuing.on_issued = on_issued
            batch_id = await batches.create("piaodanyun", "月末.xlsx", imported(3))
            during: list[int] = []
            await batches.run(batch_id, on_item=lambda v: during.append(len(archived)))
            assert set(during) == {0}  # nothing fetched while the drafts were issued
            await s.issuing.files_released()
            numbers = [v.number for v in batches.items(batch_id)]
            assert sorted(archived) == sorted(numbers) and all(numbers)
            await s.files.drain()
            for number in numbers:  # each invoice's PDF is in the archive afterwards
                row = s.store.invoice_by_number(number, "piaodanyun")
                assert {f.kind for f in s.store.files(row.id)} >= {"pdf"}
            # a single invoice outside a batch is archived at once, as before
            from invoicedesk.domain.models import Draft

            single: Draft = make_draft(99)
            result = await s.issuing.issue("piaodanyun", single)
            assert result.ok and archived[-1] == result.invoice_no
        finally:
            await s.aclose()

    asyncio.run(go())
