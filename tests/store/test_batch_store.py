"""Batches in the store (schema v6): created in one go, items updated, reopened after a restart."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from invoicedesk.store import Store, schema


def test_v5_database_upgrades_to_batches(data_dir: Path) -> None:
    path = data_dir / "s.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=5)
    conn.execute("INSERT INTO settings VALUES ('ui.theme', 'dark')")
    conn.close()
    store = Store.open(path)
    try:
        assert store.schema_version == schema.CURRENT_VERSION
        assert store.get_setting("ui.theme") == "dark"
        assert store.open_batches() == []
    finally:
        store.close()


def test_batch_round_trip_and_reopen(data_dir: Path) -> None:
    path = data_dir / "s.sqlite3"
    store = Store.open(path)
    batch_id = store.create_batch(
        "piaodanyun",
        "月末.xlsx",
        [("A", '{"a": 1}', Decimal("106.00"), False), ("B", "{}", None, True)],
    )
    items = store.batch_items(batch_id)
    assert [(i.draft_label, i.state, i.total) for i in items] == [
        ("A", "waiting", Decimal("106.00")),
        ("B", "skipped", None),
    ]
    store.update_batch_items(
        [(items[0].id, {"state": "issued", "serial": "S1", "invoice_number": "N1"})]
    )
    store.set_batch_state(batch_id, "running", vendor_batch_no="B1")
    store.close()

    again = Store.open(path)  # as after a crash
    try:
        [batch] = again.open_batches()
        assert (batch.id, batch.state, batch.vendor_batch_no) == (batch_id, "running", "B1")
        first = again.batch_items(batch_id)[0]
        assert (first.state, first.serial, first.invoice_number) == ("issued", "S1", "N1")
        again.set_batch_state(batch_id, "done")
        assert again.open_batches() == []
        with pytest.raises(ValueError):
            again.update_batch_items([(first.id, {"position": 3})])
        with pytest.raises(ValueError):
            again.update_batch_items([(first.id, {"state": "flying"})])
    finally:
        again.close()
