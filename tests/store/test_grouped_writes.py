"""Store.grouped: several writes of one thread in one transaction, each undone alone on error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from invoicedesk.store import DuplicateSerial, Store


def _send(store: Store, serial: str) -> int:
    return store.begin_send(
        draft_id=None, profile="p", serial=serial, content_hash="h", draft_json="{}"
    )


def test_writes_in_a_group_commit_together_and_a_failing_one_is_undone_alone(
    store: Store,
) -> None:
    other = sqlite3.connect(store.path)  # another reader: sees nothing before the commit
    with store.grouped():
        first = _send(store, "S1")
        with pytest.raises(DuplicateSerial):
            _send(store, "S1")
        second = _send(store, "S2")
        # the same thread reads its own writes inside the group
        row = store.journal_row(second)
        assert row is not None and row.serial == "S2"
        assert other.execute("SELECT COUNT(*) FROM journal").fetchone() == (0,)
    assert other.execute("SELECT serial FROM journal ORDER BY id").fetchall() == [
        ("S1",),
        ("S2",),
    ]
    assert [e.state for e in store.journal_events(first)] == ["SENDING"]
    other.close()


def test_an_error_escaping_the_group_undoes_all_of_it(store: Store) -> None:
    with pytest.raises(RuntimeError), store.grouped():
        _send(store, "S1")
        raise RuntimeError("boom")
    assert store.journal_by_serial("p", "S1") is None
    _send(store, "S1")  # the store is usable afterwards, outside any group
    assert store.journal_by_serial("p", "S1") is not None


def test_a_group_survives_reopening(store: Store, data_dir: Path) -> None:
    with store.grouped():
        _send(store, "S1")
        _send(store, "S2")
    store.close()
    again = Store.open(store.path)
    try:
        assert again.journal_by_serial("p", "S2") is not None
    finally:
        again.close()


def test_a_group_not_durable_commits_without_fsync_and_the_next_write_is_full_again(
    store: Store,
) -> None:
    with store.grouped(durable=False):
        assert store.sync_level == "NORMAL"
        _send(store, "S1")
    assert store.sync_level == "FULL"
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT COUNT(*) FROM journal WHERE serial = 'S1'").fetchone()[0] == 1
    other.close()
    with pytest.raises(RuntimeError), store.grouped(durable=False):
        _send(store, "S2")
        raise RuntimeError("undone")
    assert store.sync_level == "FULL"
    assert store.journal_by_serial("p", "S2") is None
