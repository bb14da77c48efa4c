"""The exactly-once state machine of IssueService, against the real Store and a scripted vendor
(deterministic faults; the sandbox tests in tests/e2e cover the real wire)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.audit import AuditLog, SecretRegistry
from invoicedesk.services.issuing import FaceAuthNeeded, IssueService, IssueSettings
from invoicedesk.store import Store
from invoicedesk.vendors.base import FaceAuthRequired, NotSent, Rejected
from tests.services.helpers import ScriptedVendor, getter, make_draft, profile

FAST = IssueSettings(retries=2, retry_delay_s=0, poll_interval_s=0, poll_timeout_s=5)


@pytest.fixture
def store(data_dir: Path) -> Any:
    s = Store.open(data_dir / "db.sqlite3")
    yield s
    s.close()


def service(store: Any, vendor: ScriptedVendor, settings: IssueSettings = FAST) -> IssueService:
    return IssueService(store, getter(vendor), AuditLog(store, SecretRegistry()), settings)


def test_issued_first_time_is_stored_with_lines(store: Any) -> None:
    vendor = ScriptedVendor(profile())
    result = asyncio.run(service(store, vendor).issue("p", make_draft()))
    assert result.state == "ISSUED"
    assert result.invoice_no == vendor.issued[result.serial].number
    inv = store.invoice_by_number(result.invoice_no)
    assert inv.serial == result.serial
    assert [line.name for line in inv.lines] == ["*信息技术服务*软件开发服务"]
    assert [e.state for e in store.journal_events(result.journal_id)] == ["SENDING", "ISSUED"]


def test_serial_is_committed_before_the_network_call(store: Any) -> None:
    seen: list[str] = []

    class Peeking(ScriptedVendor):
        async def issue(self, draft: Any, serial: str, face: Any = None) -> Any:
            row = store.journal_by_serial("p", serial)
            seen.append(row.state)
            assert draft.serial_no == serial
            return await super().issue(draft, serial, face)

    asyncio.run(service(store, Peeking(profile())).issue("p", make_draft()))
    assert seen == ["SENDING"]


def test_lost_answer_is_reconciled_by_the_same_serial(store: Any) -> None:
    vendor = ScriptedVendor(profile(), ["commit_then_fail"])
    result = asyncio.run(service(store, vendor).issue("p", make_draft()))
    assert result.state == "ISSUED"
    assert vendor.sent == [result.serial]  # never sent twice: the query found it
    assert vendor.queries == [result.serial]
    states = [e.state for e in store.journal_events(result.journal_id)]
    assert states == ["SENDING", "UNKNOWN", "ISSUED"]


def test_not_sent_keeps_the_serial_for_the_next_attempt(store: Any) -> None:
    lost = NotSent("连接被拒绝", code="connect", vendor="piaodanyun")
    vendor = ScriptedVendor(profile(), [lost, lost, lost])
    svc = service(store, vendor)
    first = asyncio.run(svc.issue("p", make_draft()))
    assert first.state == "UNKNOWN" and first.error_code == "not_sent"
    assert set(vendor.sent) == {first.serial} and vendor.queries == []  # certain: no query
    again = asyncio.run(svc.issue("p", make_draft()))
    assert again.state == "ISSUED" and again.serial == first.serial
    assert again.journal_id == first.journal_id


def test_new_serial_only_after_rejected(store: Any) -> None:
    vendor = ScriptedVendor(profile(), [Rejected("购买方税号有误", code="4001")])
    svc = service(store, vendor)
    first = asyncio.run(svc.issue("p", make_draft()))
    assert first.state == "REJECTED" and first.error_code == "4001"
    second = asyncio.run(svc.issue("p", make_draft()))
    assert second.state == "ISSUED" and second.serial != first.serial


def test_a_refusal_names_its_fields_and_they_survive_a_restart(store: Any) -> None:
    refusal = Rejected("地址过长", code="too_long", fields=("buyer.address", "buyer.phone"))
    svc = service(store, ScriptedVendor(profile(), [refusal]))
    result = asyncio.run(svc.issue("p", make_draft(5)))
    assert result.state == "REJECTED" and result.fields == ("buyer.address", "buyer.phone")
    # a new program knows only the stored text, and reads the fields back from it
    worded = Rejected("第2行单价与金额不符", code="4002")
    fresh = service(store, ScriptedVendor(profile(), [worded]))
    later = asyncio.run(fresh.issue("p", make_draft(6)))
    assert later.fields == ("lines[1].unit_price",)
    assert asyncio.run(fresh.issue("p", make_draft(7))).fields == ()  # issued: no fields


def test_same_content_is_resumed_not_issued_again(store: Any) -> None:
    vendor = ScriptedVendor(profile())
    svc = service(store, vendor)
    first = asyncio.run(svc.issue("p", make_draft(3)))
    again = asyncio.run(svc.issue("p", make_draft(3)))
    assert again.resumed and again.invoice_no == first.invoice_no
    assert len(vendor.sent) == 1
    copy = asyncio.run(svc.issue("p", make_draft(3), again=True))
    assert copy.state == "ISSUED" and copy.invoice_no != first.invoice_no


def test_processing_is_polled_until_done(store: Any) -> None:
    vendor = ScriptedVendor(profile(), ["processing"])
    from invoicedesk.vendors.base import OutcomeUnknown

    vendor.query_script = [OutcomeUnknown("处理中", code="PROCESSING")] * 2
    result = asyncio.run(service(store, vendor).issue("p", make_draft()))
    assert result.state == "ISSUED"
    assert len(vendor.queries) == 3


def test_face_auth_raises_and_resumes_with_the_same_serial(store: Any) -> None:
    vendor = ScriptedVendor(profile(), [FaceAuthRequired("需要人脸认证", code="face")])
    svc = service(store, vendor)
    with pytest.raises(FaceAuthNeeded) as info:
        asyncio.run(svc.issue("p", make_draft()))
    row = store.journal_row(info.value.journal_id)
    assert row.state == "UNKNOWN" and row.error_code == "face_auth"
    assert vendor.issued == {}
    result = asyncio.run(svc.issue("p", make_draft()))
    assert result.state == "ISSUED" and result.serial == row.serial


def test_reconcile_all_after_a_crash_in_sending(store: Any) -> None:
    vendor = ScriptedVendor(profile())
    svc = service(store, vendor)
    # a crash right after the vendor acted: the row stayed SENDING
    draft = make_draft(7)
    jid = store.begin_send(
        draft_id=None, profile="p", serial="IDCRASH1", content_hash="h", draft_json=draft.to_json()
    )
    vendor.make_invoice(draft, "IDCRASH1")
    # and one that never left: SENDING, vendor knows nothing → resent with the same serial
    jid2 = store.begin_send(
        draft_id=None,
        profile="p",
        serial="IDCRASH2",
        content_hash="h2",
        draft_json=make_draft(8).to_json(),
    )
    results = asyncio.run(svc.reconcile_all("p"))
    assert [r.state for r in results] == ["ISSUED", "ISSUED"]
    assert vendor.sent == ["IDCRASH2"]
    assert store.journal_row(jid).invoice_number == vendor.issued["IDCRASH1"].number
    assert store.journal_row(jid2).invoice_number == vendor.issued["IDCRASH2"].number


def test_many_in_parallel_with_faults_issue_each_once(store: Any) -> None:
    from invoicedesk.vendors.base import OutcomeUnknown

    script: list[Any] = []
    for i in range(60):
        script.append(
            ["ok", "commit_then_fail", OutcomeUnknown("x", code="timeout"), NotSent("x", code="c")][
                i % 4
            ]
        )
    vendor = ScriptedVendor(profile(), script)
    svc = service(store, vendor, IssueSettings(retries=5, retry_delay_s=0, concurrency=8))
    drafts = [make_draft(i) for i in range(40)]
    results = asyncio.run(svc.issue_many("p", drafts, concurrency=8))
    asyncio.run(svc.reconcile_all("p"))  # whatever the retries left open (script exhausted: ok)
    rows = [store.journal_row(r.journal_id) for r in results]
    assert all(r.state == "ISSUED" for r in rows)
    numbers = [r.invoice_number for r in rows]
    assert len(set(numbers)) == 40 == len(vendor.issued)


def test_edited_draft_after_an_unsent_attempt_gets_a_new_serial(store: Any) -> None:
    draft_id = store.save_draft(
        None, make_draft(1).to_json(), title="t", buyer_name="b", total=None
    )
    lost = NotSent("连接被拒绝", code="connect", vendor="piaodanyun")
    vendor = ScriptedVendor(profile(), [lost, lost, lost])
    svc = service(store, vendor)
    first = asyncio.run(svc.issue("p", make_draft(1), draft_id=draft_id))
    assert first.state == "UNKNOWN"
    edited = make_draft(2)
    done = asyncio.run(svc.issue("p", edited, draft_id=draft_id))
    assert done.state == "ISSUED" and done.serial != first.serial
    old = store.journal_row(first.journal_id)
    assert old.state == "REJECTED" and old.error_code == "superseded"
    assert store.get_draft(draft_id).status == "issued"
    assert vendor.issued.keys() == {done.serial}
