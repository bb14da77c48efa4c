"""Every earlier schema version upgrades to the current one with its rows intact."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from invoicedesk.store import InvoiceFilter, Store, schema
from tests.store.beside import beside, write_beside

NOW = "2024-05-01T08:00:00"
INV_DATE = dt.date(2024, 4, 30)


def _v1_rows(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO settings VALUES ('ui.theme', 'dark')")
    conn.execute(
        "INSERT INTO profiles VALUES ('p', 'baiwang', 'https://x', '卖方', '9131', '张三', "
        '\'{"region": "上海"}\', ?, ?)',
        (NOW, NOW),
    )
    conn.execute(
        "INSERT INTO drafts (id, json, title, buyer_name, total_cents, status, serial_no, "
        "created_at, updated_at) "
        "VALUES ('d1', '{}', '标题', '甲公司', 11300, 'pending', 'S1', ?, ?)",
        (NOW, NOW),
    )
    conn.execute(
        "INSERT INTO journal (profile, serial, draft_id, content_hash, draft_json, state, "
        "created_at, updated_at) VALUES ('p', 'S1', 'd1', 'h', '{}', 'UNKNOWN', ?, ?)",
        (NOW, NOW),
    )
    conn.execute(
        "INSERT INTO journal_events (journal_id, state, at) VALUES (1, 'SENDING', ?)", (NOW,)
    )
    conn.execute(
        "INSERT INTO invoices (id, profile, vendor, number, serial, issued_at, buyer_name, "
        "buyer_tax_id, amount_cents, tax_cents, total_cents, status, created_at, updated_at) "
        "VALUES (1, 'p', 'baiwang', '2531', 'S1', '2024-04-30T10:00:00', '上海甲科技有限公司', "
        "'91310000MA1', 10000, 1300, 11300, '正常', ?, ?)",
        (NOW, NOW),
    )
    conn.execute(
        "INSERT INTO invoice_lines (invoice_id, line_no, name, quantity, unit_price, "
        "amount_cents, tax_rate, tax_cents) VALUES (1, 1, '纸', '2', '50', 10000, '0.13', 1300)"
    )


def _v3_rows(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO files (invoice_id, kind, path, sha256, size, created_at) "
        "VALUES (1, 'pdf', '/x.pdf', 'ab', 10, ?)",
        (NOW,),
    )
    conn.execute("INSERT INTO sync_cursors VALUES ('p', 'history', 'c1', ?)", (NOW,))
    conn.execute("INSERT INTO audit_log (at, event, detail) VALUES (?, 'issue', 'ok')", (NOW,))


def _v4_rows(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO customers (id, name, tax_id, updated_at) VALUES ('c1', '乙公司', '9111', ?)",
        (NOW,),
    )
    conn.execute(
        "INSERT INTO products (id, name, unit_price, tax_rate, updated_at) "
        "VALUES ('x1', '纸', '1.23456', '0.13', ?)",
        (NOW,),
    )


def _v5_rows(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO red_forms (profile, vendor, blue_number, step, reason, form_no, "
        "form_status, created_at, updated_at) "
        "VALUES ('p', 'piaodanyun', '2531', 'pending', '02', 'F1', '02', ?, ?)",
        (NOW, NOW),
    )


def _v6_rows(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO batches (profile, source, state, created_at, updated_at) "
        "VALUES ('p', 'm.xlsx', 'paused', ?, ?)",
        (NOW, NOW),
    )
    conn.execute(
        "INSERT INTO batch_items (batch_id, position, draft_label, draft_json, state, serial, "
        "updated_at) VALUES (1, 0, 'A', '{}', 'sending', 'S1', ?)",
        (NOW,),
    )


# representative rows for the tables each version introduced (v2 and v7 added only indexes, v8
# an index and the per-day totals derived from the invoices; v9: see test_v9_identity.py)
ROWS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_rows,
    3: _v3_rows,
    4: _v4_rows,
    5: _v5_rows,
    6: _v6_rows,
}


def test_every_version_has_a_step_and_rows() -> None:
    assert schema.CURRENT_VERSION == len(schema.STEPS) == 10
    # v9 rewrites invoices: tests/store/test_v9_identity.py upgrades a database v8 wrote; v10
    # fills tax treatments from the journal: tests/store/test_v10_treatments.py
    assert set(ROWS) | {2, 7, 8, 9, 10} == set(range(1, schema.CURRENT_VERSION + 1))


def _check_rows(store: Store, upto: int) -> None:
    assert store.get_setting("ui.theme") == "dark"
    p = store.get_profile("p")
    assert p is not None and p.options == {"region": "上海"} and p.user_name == "张三"
    d = store.get_draft("d1")
    assert d is not None and (d.total, d.status, d.serial_no) == (
        Decimal("113.00"),
        "pending",
        "S1",
    )
    j = store.journal_by_serial("p", "S1")
    assert j is not None and j.state == "UNKNOWN" and j.draft_id == "d1"
    assert [r.id for r in store.unresolved()] == [j.id]
    assert [e.state for e in store.journal_events(j.id)] == ["SENDING"]
    inv = store.invoice_by_number("2531")
    assert inv is not None and inv.total == Decimal("113.00") and inv.serial == "S1"
    assert inv.lines[0].unit_price == Decimal("50") and inv.lines[0].tax == Decimal("13.00")
    # the history indexes of v2 cover rows that existed before v2
    hits = store.query_invoices(InvoiceFilter(buyer="甲科技"), "total", True, None, 10)
    assert [r.id for r in hits] == [inv.id]
    # the per-day totals of v8 count invoices that existed before v8
    totals = store.invoice_summary(InvoiceFilter(date_from=INV_DATE, date_to=INV_DATE))
    assert (totals.count, totals.total) == (1, Decimal("113.00"))
    if upto >= 3:
        assert [f.path.name for f in store.files(inv.id)] == ["x.pdf"]
        assert store.get_cursor("p", "history") == "c1"
        assert [(a.event, a.detail) for a in store.audit_rows()] == [("issue", "ok")]
    if upto >= 4:
        assert [c.name for c in store.list_customers()] == ["乙公司"]
        assert [str(x.unit_price) for x in store.list_products()] == ["1.23456"]
    if upto >= 5:
        (red,) = store.red_forms_of("p", "2531")
        assert (red.step, red.reason, red.form_no, red.full) == ("pending", "02", "F1", True)
    if upto >= 6:
        (batch,) = store.open_batches()
        assert (batch.source, batch.state) == ("m.xlsx", "paused")
        (item,) = store.batch_items(batch.id)
        assert (item.draft_label, item.state, item.serial) == ("A", "sending", "S1")


@pytest.mark.parametrize("k", range(1, schema.CURRENT_VERSION))
def test_upgrade_from_every_earlier_version(data_dir: Path, k: int) -> None:
    path = data_dir / f"v{k}.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert schema.migrate(conn, target=k) == k
    conn.execute("BEGIN")
    for version in range(1, k + 1):
        if version in ROWS:
            ROWS[version](conn)
    conn.execute("COMMIT")
    conn.close()

    store = Store.open(path)
    try:
        assert store.schema_version == schema.CURRENT_VERSION
        _check_rows(store, k)
        # what later steps added works on the upgraded file
        store.audit("after-upgrade")
        with beside(store) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log")
        store.upsert_customer(name="新客户")
        store.set_cursor("p", "red", "r")
        red_id = store.add_red_form("p", "piaodanyun", "2531", "blue")
        store.update_red_form(red_id, step="check", check_ok=True)
        got = store.get_red_form(red_id)
        assert got is not None and (got.step, got.check_ok) == ("check", True)
    finally:
        store.close()


def test_fresh_database_at_current_version_holds_the_same_rows(data_dir: Path) -> None:
    store = Store.open(data_dir / "fresh.sqlite")
    with write_beside(store) as conn:
        for fill in ROWS.values():
            fill(conn)
    _check_rows(store, schema.CURRENT_VERSION)
    store.close()


def test_a_failing_step_leaves_the_previous_version(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(data_dir / "f.sqlite", isolation_level=None)
    schema.migrate(conn, target=1)
    broken = (*schema.STEPS[:1], "CREATE TABLE half_done (x);\nSELECT no_such_function();\n")
    monkeypatch.setattr(schema, "STEPS", broken)
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn, target=2)
    assert schema.version(conn) == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names and "invoices" in names
    conn.close()


def test_newer_database_is_refused(data_dir: Path) -> None:
    path = data_dir / "new.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.close()
    with pytest.raises(schema.SchemaTooNew):
        Store.open(path)


def test_statement_splitter_keeps_triggers_whole() -> None:
    parts = schema.statements(schema.STEPS[2])
    triggers = [p for p in parts if "CREATE TRIGGER" in p]
    assert len(triggers) == 3 and all(t.endswith("END;") for t in triggers)
    with pytest.raises(ValueError):
        schema.statements("CREATE TABLE x (a)")
