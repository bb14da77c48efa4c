"""Sync acceptance (issue 7): a sandbox seeded with 1,000 invoices across many pages, synced
twice through HistoryService for each vendor that can list: 1,000 rows, no duplicates, and the
second run (from the saved cursor) brings nothing new."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicedesk.services.context import AppServices
from invoicedesk.services.history import SyncProgress
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store import InvoiceFilter

SEEDED = 1000


def _seed(sandbox: Any, vendor: str) -> None:
    reply = httpx.post(
        f"{sandbox.control_url}/seed", json={"count": SEEDED, "vendor": vendor}, timeout=30
    )
    assert reply.json() == {"issued": SEEDED}


async def _sync_twice(data_dir: Path, sandbox: Any, vendor: str) -> None:
    services = await AppServices.open(data_dir, MemorySecretStore(), vendor_timeout_s=10)
    try:
        await services.profiles.sandbox_profiles(sandbox.base_urls)
        progress: list[SyncProgress] = []
        first = await services.history.sync(vendor, progress=progress.append, with_lines=False)
        assert (first.seen >= SEEDED, first.new, first.cancelled) == (True, SEEDED, False)
        assert first.pages > 1 and len(progress) == first.pages  # really across pages
        assert progress[-1].new == SEEDED

        store = services.store
        rows = store.query_invoices(InvoiceFilter(profiles=(vendor,)), "number", False, None, 5000)
        numbers = [r.number for r in rows]
        assert len(rows) == SEEDED and len(set(numbers)) == SEEDED and all(numbers)
        assert all(r.source == "synced" for r in rows)

        second = await services.history.sync(vendor, with_lines=False)
        assert second.new == 0 and not second.cancelled
        again = store.query_invoices(InvoiceFilter(profiles=(vendor,)), "number", False, None, 5000)
        assert [r.number for r in again] == numbers  # nothing added, nothing doubled
        assert store.invoice_summary(InvoiceFilter(profiles=(vendor,))).count == SEEDED
    finally:
        await services.aclose()


@pytest.mark.slow  # 1,000 invoices over loopback, twice, per vendor
@pytest.mark.parametrize("vendor", ["signed-api", "ws-invoice"])
def test_sync_a_thousand_invoices_twice(sandbox: Any, data_dir: Path, vendor: str) -> None:
    _seed(sandbox, vendor)
    asyncio.run(_sync_twice(data_dir, sandbox, vendor))
