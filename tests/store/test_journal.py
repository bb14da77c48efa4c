"""The issuance journal: begin_send in one transaction, transitions, events."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invoicedesk.store import (
    DuplicateSerial,
    IllegalTransition,
    NotFound,
    SendBlocked,
    Store,
)
from invoicedesk.store.records import JOURNAL_STATES, TRANSITIONS


def _draft(store: Store) -> str:
    return store.save_draft(None, '{"x": 1}', title="t", buyer_name="b", total=Decimal("1"))


def _send(store: Store, serial: str, draft_id: str | None = None, **kw: str) -> int:
    return store.begin_send(
        draft_id=draft_id,
        profile=kw.get("profile", "p"),
        serial=serial,
        content_hash=kw.get("content_hash", "h1"),
        draft_json="{}",
        kind=kw.get("kind", "blue"),
    )


def test_begin_send_writes_sending_row_event_and_stamps_draft(store: Store) -> None:
    draft_id = _draft(store)
    jid = _send(store, "SER-1", draft_id)
    row = store.journal_row(jid)
    assert row is not None
    assert (row.state, row.serial, row.profile, row.draft_id, row.kind) == (
        "SENDING",
        "SER-1",
        "p",
        draft_id,
        "blue",
    )
    draft = store.get_draft(draft_id)
    assert draft is not None and draft.serial_no == "SER-1"
    assert [e.state for e in store.journal_events(jid)] == ["SENDING"]
    assert store.journal_by_serial("p", "SER-1") == row
    assert store.journal_by_serial("other", "SER-1") is None


def test_duplicate_serial_is_refused_and_changes_nothing(store: Store) -> None:
    draft_id = _draft(store)
    _send(store, "S1")
    with pytest.raises(DuplicateSerial):
        _send(store, "S1", draft_id)
    draft = store.get_draft(draft_id)
    assert draft is not None and draft.serial_no is None  # the transaction did not half-happen
    _send(store, "S1", profile="other")  # the serial is unique per profile only


def test_begin_send_is_atomic_when_the_draft_is_missing(store: Store) -> None:
    with pytest.raises(NotFound):
        _send(store, "S9", "no-such-draft")
    assert store.journal_by_serial("p", "S9") is None


def test_new_serial_only_after_rejected(store: Store) -> None:
    draft_id = _draft(store)
    first = _send(store, "S1", draft_id)
    with pytest.raises(SendBlocked):  # still SENDING: it may have been issued
        _send(store, "S2", draft_id)
    store.mark(first, "UNKNOWN", error_message="timeout")
    with pytest.raises(SendBlocked):
        _send(store, "S2", draft_id)
    store.mark(first, "REJECTED", error_code="E1", error_message="税号错误")
    second = _send(store, "S2", draft_id)
    draft = store.get_draft(draft_id)
    assert draft is not None and draft.serial_no == "S2"
    red = _send(store, "R1", draft_id, kind="red")  # another kind is another send
    assert {second, red} <= {r.id for r in store.unresolved()}


def test_mark_issued_records_number_event_and_issues_draft(store: Store) -> None:
    draft_id = _draft(store)
    jid = _send(store, "S1", draft_id)
    store.mark(jid, "UNKNOWN", error_code="timeout", error_message="读取超时")
    store.mark(
        jid, "ISSUED", invoice_number="25310000000000000001", invoice_date="2025-03-01T09:00:05"
    )
    row = store.journal_row(jid)
    assert row is not None
    assert (row.state, row.invoice_number, row.invoice_date) == (
        "ISSUED",
        "25310000000000000001",
        "2025-03-01T09:00:05",
    )
    events = store.journal_events(jid)
    assert [e.state for e in events] == ["SENDING", "UNKNOWN", "ISSUED"]
    assert "读取超时" in events[1].detail and "25310000000000000001" in events[2].detail
    assert events[0].at < events[1].at < events[2].at
    state, at, detail = events[2]  # plain tuples for callers that unpack
    assert (state, at, detail) == tuple(events[2])
    assert state == "ISSUED"
    draft = store.get_draft(draft_id)
    assert draft is not None and draft.status == "issued"


ALLOWED = [(a, b) for a in JOURNAL_STATES for b in JOURNAL_STATES if b in TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a in JOURNAL_STATES for b in JOURNAL_STATES if b not in TRANSITIONS[a]]

# how to reach each state from SENDING
PATHS = {
    "SENDING": [],
    "UNKNOWN": ["UNKNOWN"],
    "ACCEPTED": ["ACCEPTED"],
    "ISSUED": ["ISSUED"],
    "REJECTED": ["REJECTED"],
}


def test_transition_table_is_the_documented_one() -> None:
    assert TRANSITIONS["SENDING"] == {"ISSUED", "ACCEPTED", "REJECTED", "UNKNOWN"}
    assert {"ISSUED", "ACCEPTED", "REJECTED"} <= TRANSITIONS["UNKNOWN"]
    assert TRANSITIONS["ISSUED"] == set() and TRANSITIONS["REJECTED"] == set()
    assert "SENDING" not in set().union(*TRANSITIONS.values())  # never back to SENDING


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_allowed_transitions(store: Store, old: str, new: str) -> None:
    jid = _send(store, "S")
    for step in PATHS[old]:
        store.mark(jid, step)
    store.mark(jid, new)
    row = store.journal_row(jid)
    assert row is not None and row.state == new
    assert store.journal_events(jid)[-1].state == new


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
def test_forbidden_transitions_raise_and_change_nothing(store: Store, old: str, new: str) -> None:
    jid = _send(store, "S")
    for step in PATHS[old]:
        store.mark(jid, step)
    before = store.journal_events(jid)
    with pytest.raises(IllegalTransition):
        store.mark(jid, new)
    row = store.journal_row(jid)
    assert row is not None and row.state == old
    assert store.journal_events(jid) == before


def test_mark_unknown_state_or_row(store: Store) -> None:
    jid = _send(store, "S")
    with pytest.raises(ValueError):
        store.mark(jid, "DONE")
    with pytest.raises(NotFound):
        store.mark(jid + 100, "ISSUED")
    assert store.journal_row(jid + 100) is None


def test_unresolved_and_latest_for_content(store: Store) -> None:
    a = _send(store, "A", content_hash="h1")
    b = _send(store, "B", content_hash="h1")
    c = _send(store, "C", profile="q", content_hash="h1")
    d = _send(store, "D", content_hash="h2")
    store.mark(b, "UNKNOWN")
    store.mark(d, "ACCEPTED")
    assert [r.id for r in store.unresolved()] == [a, b, c]
    assert [r.id for r in store.unresolved("p")] == [a, b]
    assert [r.id for r in store.unresolved("p", include_accepted=True)] == [a, b, d]
    store.mark(a, "ISSUED", invoice_number="1")
    assert [r.id for r in store.unresolved("p")] == [b]
    latest = store.latest_for_content("p", "h1")
    assert latest is not None and latest.id == b
    assert store.latest_for_content("q", "h2") is None
