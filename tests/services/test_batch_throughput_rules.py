"""The rules behind batch throughput (issue 9): audit rows written in groups, the invoice and its
ISSUED row in one transaction, the vendor limit gating only the vendor call, and audit rows that
name the real endpoints of piaodanyun and ws-invoice."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft
from invoicedesk.services import batch_io
from invoicedesk.services.audit import AuditLog, SecretRegistry
from invoicedesk.services.batches import BatchService
from invoicedesk.services.convert import invoice_record
from invoicedesk.services.issuing import IssueService, IssueSettings
from invoicedesk.store import Store
from invoicedesk.store.journal import IllegalTransition
from invoicedesk.vendors.base import FaceHandler, IssueOutcome
from tests.e2e.helpers import open_services
from tests.services.helpers import ScriptedVendor, getter, make_draft, profile


@pytest.fixture
def store(data_dir: Path) -> Any:
    s = Store.open(data_dir / "db.sqlite3")
    yield s
    s.close()


def test_audit_rows_are_queued_then_written_in_order_and_scrubbed(store: Any) -> None:
    secrets = SecretRegistry()
    secrets.add("hunter2-very-secret")
    log = AuditLog(store, secrets)

    async def go() -> None:
        call = log.on_call("p")
        for i in range(250):
            call("piaodanyun", f"/path/{i}", 3.0, "ok")
        await log.record("journal", serial="S1", outcome="ISSUED", detail="pwd=hunter2-very-secret")
        # queued, not written row by row on the loop
        assert store.audit_rows() == []
        await log.drain()

    asyncio.run(go())
    rows = store.audit_rows()
    assert [r.endpoint for r in rows[:250]] == [f"/path/{i}" for i in range(250)]
    assert rows[-1].event == "journal" and rows[-1].serial == "S1"
    assert "hunter2-very-secret" not in rows[-1].detail
    assert all(r.at for r in rows)


def test_audit_rows_reach_the_store_without_a_drain(store: Any) -> None:
    log = AuditLog(store, SecretRegistry())

    async def go() -> None:
        log.on_call("p")("faw", "/order", 5.0, "ok")
        for _ in range(100):  # well past the flush interval
            await asyncio.sleep(0.01)
            if store.audit_rows():
                return

    asyncio.run(go())
    assert [r.endpoint for r in store.audit_rows()] == ["/order"]


def _record(draft: Draft, serial: str) -> Any:
    vendor = ScriptedVendor(profile())
    return invoice_record(profile(), vendor.make_invoice(draft, serial), serial=serial, draft=draft)


def test_record_issued_writes_invoice_and_row_together(store: Any) -> None:
    draft = make_draft(1)
    jid = store.begin_send(
        draft_id=None, profile="p", serial="S1", content_hash="h1", draft_json=draft.to_json()
    )
    row = store.record_issued(jid, _record(draft, "S1"), invoice_number="N1")
    assert row.state == "ISSUED" and row.invoice_number == "N1"
    assert store.invoice_by_number(_record(draft, "S1").number).serial == "S1"
    assert [e.state for e in store.journal_events(jid)] == ["SENDING", "ISSUED"]
    # the unsynced write leaves the connection fsyncing again for the next write
    assert store.sync_level == "FULL"


def test_record_issued_on_a_settled_row_leaves_no_invoice(store: Any) -> None:
    draft = make_draft(2)
    jid = store.begin_send(
        draft_id=None, profile="p", serial="S2", content_hash="h2", draft_json=draft.to_json()
    )
    store.mark(jid, "REJECTED", error_code="rejected", error_message="no")
    record = _record(draft, "S2")
    with pytest.raises(IllegalTransition):
        store.record_issued(jid, record, invoice_number=record.number)
    assert store.invoice_by_number(record.number) is None  # rolled back with the mark


class SlowVendor(ScriptedVendor):
    """Takes a while per call and remembers how many calls were in flight at most."""

    def __init__(self) -> None:
        super().__init__(profile())
        self.in_flight = 0
        self.most = 0

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.02)
            return await super().issue(draft, serial, face)
        finally:
            self.in_flight -= 1


def imported(n: int) -> list[batch_io.ImportedDraft]:
    out = []
    for i in range(n):
        d = batch_io.ImportedDraft(label=f"D{i}", rows=[i + 2], cells=[])
        d.draft = make_draft(i)
        d.totals = money.compute_totals(d.draft)
        out.append(d)
    return out


def test_batch_limit_gates_vendor_calls_not_drafts(store: Any) -> None:
    vendor = SlowVendor()
    issuing = IssueService(
        store, getter(vendor), AuditLog(store, SecretRegistry()), IssueSettings(concurrency=8)
    )
    batches = BatchService(store, issuing, getter(vendor))

    async def go() -> None:
        batch_id = await batches.create("p", "g.xlsx", imported(15))
        await batches.run(batch_id, concurrency=3)
        assert [v.state for v in batches.items(batch_id)] == ["issued"] * 15
        await issuing.audit.drain()

    asyncio.run(go())
    assert vendor.most == 3  # the limit reached, never passed
    assert len(vendor.sent) == len(set(vendor.sent)) == 15


def test_piaodanyun_and_ws_invoice_audit_their_real_endpoints(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            for vendor in ("piaodanyun", "ws-invoice"):
                r = await s.issuing.issue(vendor, make_draft(7))
                assert r.ok, r
                await s.audit.drain()
                calls = [
                    a
                    for a in s.store.audit_rows()
                    if a.event == "vendor_call" and a.serial == r.serial
                ]
                names = {a.endpoint for a in calls}
                assert calls and "issue" not in names, (vendor, names)
                if vendor == "piaodanyun":
                    assert "/qdjk/fullExteriorInvoke/blueTicket" in names
        finally:
            await s.aclose()

    asyncio.run(go())
