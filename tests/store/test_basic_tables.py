"""Drafts, profiles, settings, sync cursors, files and the catalogs."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from invoicedesk.store import InvoiceRecord, NotFound, Store, StoreClosed, schema
from tests.store.beside import beside


def test_open_creates_current_schema_with_wal_and_foreign_keys(data_dir: Path) -> None:
    s = Store.open(data_dir / "sub" / "x.sqlite")
    try:
        assert s.schema_version == schema.CURRENT_VERSION
        with beside(s) as conn:  # WAL is the file's own mode: every connection sees it
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # the store's own connections enforce foreign keys: no file of a missing invoice
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            s.add_file(404, "pdf", "/x.pdf", "ab", 1)
        assert s.files(404) == []
    finally:
        s.close()
    again = Store.open(data_dir / "sub" / "x.sqlite")  # reopening is a no-op migration
    assert again.schema_version == schema.CURRENT_VERSION
    again.close()
    with pytest.raises(StoreClosed):
        again.get_setting("x")


def test_a_write_waits_for_another_programs_write_instead_of_failing(store: Store) -> None:
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the CLI next to the GUI, say, in the middle of a write
    errors: list[BaseException] = []

    def write() -> None:
        try:
            store.set_setting("ui.theme", "dark")
        except BaseException as exc:
            errors.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(0.3)
    assert writer.is_alive() and not errors  # waiting (busy timeout), not "database is locked"
    other.execute("COMMIT")
    other.close()
    writer.join(10)
    assert not writer.is_alive() and not errors
    assert store.get_setting("ui.theme") == "dark"


def test_save_get_update_draft(store: Store) -> None:
    draft_id = store.save_draft(
        None, '{"a": 1}', title="办公用品", buyer_name="甲公司", total=Decimal("113.00")
    )
    row = store.get_draft(draft_id)
    assert row is not None
    assert (row.json, row.title, row.buyer_name, row.total, row.status, row.serial_no) == (
        '{"a": 1}',
        "办公用品",
        "甲公司",
        Decimal("113.00"),
        "draft",
        None,
    )
    assert (
        store.save_draft(draft_id, "{}", title="改", buyer_name="乙", total=None, status="pending")
        == draft_id
    )
    updated = store.get_draft(draft_id)
    assert updated is not None
    assert (updated.title, updated.total, updated.status) == ("改", None, "pending")
    assert updated.created_at == row.created_at and updated.updated_at > row.updated_at
    assert store.get_draft("missing") is None


def test_draft_money_is_exact_and_refuses_sub_cent(store: Store) -> None:
    with pytest.raises(ValueError):
        store.save_draft(None, "{}", title="", buyer_name="", total=Decimal("1.001"))
    with pytest.raises(ValueError):
        store.save_draft(None, "{}", title="", buyer_name="", total=None, status="bogus")


def test_list_drafts_search_status_and_soft_delete(store: Store) -> None:
    a = store.save_draft(None, "{}", title="办公用品", buyer_name="上海甲", total=None)
    b = store.save_draft(
        None, "{}", title="服务费", buyer_name="北京100%乙", total=None, status="pending"
    )
    store.save_draft(None, "{}", title="旧", buyer_name="丙", total=None, status="issued")
    assert [d.id for d in store.list_drafts()] == [b, a]  # newest first
    assert [d.id for d in store.list_drafts("上海")] == [a]
    assert [d.id for d in store.list_drafts("100%")] == [b]  # % is literal, not a wildcard
    assert [d.id for d in store.list_drafts("0%乙")] == [b]
    assert store.list_drafts("1_0") == []
    store.set_draft_status(a, "deleted")
    assert [d.id for d in store.list_drafts()] == [b]
    assert [d.id for d in store.list_drafts(statuses=("deleted",))] == [a]
    store.set_draft_status(a, "draft")  # undo
    assert {d.id for d in store.list_drafts()} == {a, b}
    with pytest.raises(NotFound):
        store.set_draft_status("missing", "draft")
    with pytest.raises(ValueError):
        store.set_draft_status(a, "gone")


def test_profiles_roundtrip_update_delete(store: Store) -> None:
    store.save_profile(
        "主账号",
        "baiwang",
        "https://x",
        "卖方",
        "91310000MA1",
        "张三",
        {"region": "上海", "timeout": 30},
    )
    store.save_profile("b", "nuonuo", "https://y", "", "", "", {})
    p = store.get_profile("主账号")
    assert p is not None
    assert (p.vendor, p.base_url, p.seller_name, p.seller_tax_id, p.user_name) == (
        "baiwang",
        "https://x",
        "卖方",
        "91310000MA1",
        "张三",
    )
    assert p.options == {"region": "上海", "timeout": 30}
    store.save_profile("主账号", "baiwang", "https://z", "卖方2", "91310000MA1", "李四", {})
    p2 = store.get_profile("主账号")
    assert p2 is not None and (p2.base_url, p2.user_name, p2.options) == ("https://z", "李四", {})
    assert p2.created_at == p.created_at
    assert [x.name for x in store.list_profiles()] == ["b", "主账号"]
    store.delete_profile("b")
    assert store.get_profile("b") is None
    assert [x.name for x in store.list_profiles()] == ["主账号"]


@pytest.mark.parametrize("key", ["password", "appSecret", "access_token", "api_key", "apiKey"])
def test_profile_options_and_settings_refuse_secret_names(store: Store, key: str) -> None:
    with pytest.raises(ValueError, match="SecretStore"):
        store.save_profile("p", "v", "u", "", "", "", {key: "x"})
    with pytest.raises(ValueError, match="SecretStore"):
        store.set_setting(key, "x")
    assert store.get_profile("p") is None


def test_settings(store: Store) -> None:
    assert store.get_setting("ui.theme") is None
    assert store.get_setting("ui.theme", "light") == "light"
    store.set_setting("ui.theme", "dark")
    store.set_setting("history.sort_key", "total")
    store.set_setting("ui.theme", "system")
    assert store.get_setting("ui.theme") == "system"
    assert store.get_setting("history.sort_key") == "total"
    store.set_setting("ui.theme", None)
    assert store.get_setting("ui.theme") is None


def test_sync_cursors(store: Store) -> None:
    assert store.get_cursor("p", "history") is None
    store.set_cursor("p", "history", "2025-01-01")
    store.set_cursor("p", "red", "r1")
    store.set_cursor("p", "history", "2025-02-01")
    assert store.get_cursor("p", "history") == "2025-02-01"
    assert store.get_cursor("p", "red") == "r1"
    assert store.get_cursor("q", "history") is None


def _invoice(store: Store, number: str) -> int:
    return store.upsert_invoice(
        InvoiceRecord(
            profile="p",
            vendor="v",
            number=number,
            serial=None,
            issued_at="",
            amount=Decimal("1"),
            tax=Decimal("0"),
            total=Decimal("1"),
        )
    )


def test_files(store: Store, tmp_path: Path) -> None:
    inv = _invoice(store, "1")
    other = _invoice(store, "2")
    f1 = store.add_file(inv, "pdf", tmp_path / "a.pdf", "aa" * 32, 100)
    f2 = store.add_file(inv, "xml", str(tmp_path / "a.xml"), "bb" * 32, 50)
    assert store.add_file(inv, "pdf", tmp_path / "a2.pdf", "aa" * 32, 100) == f1  # idempotent
    rows = store.files(inv)
    assert [(r.id, r.kind, r.path, r.size) for r in rows] == [
        (f1, "pdf", tmp_path / "a2.pdf", 100),
        (f2, "xml", tmp_path / "a.xml", 50),
    ]
    assert store.files(other) == []
    found = store.file_by_sha256("bb" * 32)
    assert found is not None and found.invoice_id == inv and found.kind == "xml"
    assert store.file_by_sha256("cc" * 32) is None
    with pytest.raises(Exception, match="FOREIGN KEY"):
        store.add_file(9999, "pdf", "x", "dd" * 32, 1)


def test_customers(store: Store) -> None:
    a = store.upsert_customer(name="上海甲科技有限公司", tax_id="91310000AAA", phone="021")
    b = store.upsert_customer(name="北京乙贸易", tax_id="91110000BBB")
    # ordered by name (code point order, like Python's sort)
    assert [c.name for c in store.list_customers()] == sorted(["上海甲科技有限公司", "北京乙贸易"])
    assert [c.name for c in store.list_customers("甲科")] == ["上海甲科技有限公司"]
    assert [c.id for c in store.list_customers("0000BBB")] == [b]
    store.upsert_customer(a, name="上海甲科技有限公司", tax_id="91310000AAA", email="x@y.cn")
    (row,) = store.list_customers("AAA")
    assert (row.id, row.email, row.phone) == (a, "x@y.cn", "")  # an update replaces the row
    store.delete_customer(b)
    assert [c.id for c in store.list_customers()] == [a]


def test_products_keep_exact_unit_price(store: Store) -> None:
    p = store.upsert_product(
        name="A4纸",
        tax_code="1060201",
        unit="包",
        unit_price=Decimal("23.00884956"),
        tax_rate=Decimal("0.13"),
    )
    q = store.upsert_product(name="咨询服务", tax_rate=Decimal("0.06"))
    rows = {r.id: r for r in store.list_products()}
    assert rows[p].unit_price == Decimal("23.00884956")
    assert str(rows[p].unit_price) == "23.00884956"
    assert rows[p].tax_rate == Decimal("0.13") and rows[q].unit_price is None
    assert [r.id for r in store.list_products("1060")] == [p]
    assert [r.id for r in store.list_products("咨询")] == [q]
    store.upsert_product(q, name="咨询服务费")
    assert [r.name for r in store.list_products("咨询")] == ["咨询服务费"]
    store.delete_product(p)
    assert [r.id for r in store.list_products()] == [q]
