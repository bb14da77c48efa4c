"""Issue 14: one invoice, one row. The merge rules (store/identity.py) and the v9 migration of a
database written by the v8 code with today's duplicates (tests/store/data/v8_duplicates.sqlite3,
made by make_v8_duplicates.py before the schema changed)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from invoicedesk.store import FLAG_CONFLICT, FLAG_MISMATCH, InvoiceFilter, InvoiceRecord, Store
from tests.conftest import machine_zone
from tests.store.beside import write_beside
from tests.store.test_invoices import LINES, record

FIXTURE = Path(__file__).parent / "data" / "v8_duplicates.sqlite3"
N1, N2, N3 = "26312000000000000101", "26312000000000000102", "26312000000000000103"


@pytest.fixture
def utc() -> Iterator[None]:
    """The fixture was written on a computer in UTC: its naive times are UTC."""
    with machine_zone("UTC"):
        yield


def test_a_disagreeing_report_is_flagged_not_applied(store: Store) -> None:
    first = store.upsert_invoice(record(lines=LINES))
    out = store.merge_invoice(
        record(profile="q", source="synced", amount=Decimal("113.00"), tax=Decimal("0.13"),
               total=Decimal("113.13"))
    )  # fmt: skip
    assert (out.id, out.outcome) == (first, FLAG_MISMATCH)
    row = store.get_invoice(first)
    assert row is not None and row.flag == FLAG_MISMATCH
    assert (row.amount, row.tax, row.total) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    (report,) = store.invoice_reports(first)
    assert report.kind == FLAG_MISMATCH and report.profile == "q"
    assert report.stored["total"] == "113.00" and report.reported["total"] == "113.13"
    # the account that reported it has still seen it
    assert {s.profile for s in store.invoice_sightings(first)} == {"p", "q"}


def test_another_invoice_under_a_known_number_is_a_conflict(store: Store) -> None:
    first = store.upsert_invoice(record(lines=LINES))
    out = store.merge_invoice(
        record(profile="q", source="synced", buyer_name="演示客户01", buyer_tax_id="91330000X01",
               amount=Decimal("95.21"), tax=Decimal("12.38"), total=Decimal("107.59"))
    )  # fmt: skip
    assert (out.id, out.outcome) == (first, FLAG_CONFLICT)
    row = store.get_invoice(first)
    assert row is not None and row.flag == FLAG_CONFLICT
    assert (row.buyer_name, row.total, row.lines) == (
        "上海甲科技有限公司",
        Decimal("113.00"),
        LINES,
    )
    (report,) = store.invoice_reports(first)
    assert report.reported["buyer_name"] == "演示客户01" and report.reported["total"] == "107.59"
    assert [s.profile for s in store.invoice_sightings(first)] == ["p"]
    assert store.invoice_summary(InvoiceFilter()).count == 1


def test_a_total_only_report_fills_in_nothing_wrong(store: Store) -> None:
    # a reply without the split (the client sets amount = total, tax 0) agrees on the total
    first = store.upsert_invoice(record())
    out = store.merge_invoice(
        record(source="synced", amount=Decimal("113.00"), tax=Decimal("0"), serial=None)
    )
    assert out.outcome == "merged"
    row = store.get_invoice(first)
    assert row is not None and (row.amount, row.tax, row.flag) == (
        Decimal("100.00"), Decimal("13.00"), ""
    )  # fmt: skip


def test_an_unnumbered_row_takes_its_number_from_a_sync(store: Store) -> None:
    """ws-invoice's 号码待查: the row is keyed by its journal serial until a sync lists it."""
    pending = store.upsert_invoice(record(number=None, serial="WS-1", status="号码待查"))
    assert store.get_invoice(pending).status == "号码待查"  # type: ignore[union-attr]
    synced = store.upsert_invoice(record(serial=None, profile="ws2", source="synced"))
    assert synced == pending
    row = store.get_invoice(pending)
    assert row is not None and row.number == "25310000000000000001" and row.serial == "WS-1"
    assert row.status == "正常" and store.invoice_summary(InvoiceFilter()).count == 1


def _copy(tmp_path: Path) -> Path:
    db = tmp_path / "invoicedesk.sqlite"
    shutil.copy(FIXTURE, db)
    return db


def test_v8_duplicates_migrate_to_one_row_per_invoice(tmp_path: Path, utc: None) -> None:
    db = _copy(tmp_path)
    before = sqlite3.connect(db)
    assert before.execute("PRAGMA user_version").fetchone()[0] == 8
    assert before.execute("SELECT COUNT(*) FROM invoices").fetchone()[0] == 7
    before.close()
    store = Store.open(db)
    try:
        assert list((tmp_path / "backups").glob("pre-migration-v8-*.sqlite3"))  # backup first
        assert store.invoice_summary(InvoiceFilter()).count == 4
        assert store.invoice_summary(InvoiceFilter()).total == Decimal("10713.00")
        one = store.invoice_by_number(N1)
        assert one is not None
        # the issued row is kept: its account, serial, lines; the date in Beijing time
        assert (one.profile, one.serial, one.issued_at) == (
            "开放平台", "OA-SERIAL-1", "2026-12-04T23:20:09+08:00"
        )  # fmt: skip
        assert [x.name for x in one.lines] == ["*信息技术服务*软件服务"]
        assert one.status == "正常" and one.flag == ""
        # the file of the signed-api duplicate moved to it; every account is remembered
        assert [f.kind for f in store.files(one.id)] == ["pdf"]
        seen = {s.profile: s for s in store.invoice_sightings(one.id)}
        assert set(seen) == {"开放平台", "税局直连", "签名平台"}
        assert seen["开放平台"].status == "开票成功" and seen["税局直连"].status == "正常"
        # nothing lost: each merged row is kept whole in the reports
        merged = [r for r in store.invoice_reports(one.id) if r.kind == "merged"]
        assert sorted(r.profile for r in merged) == ["税局直连", "签名平台"]
        assert {r.reported["issued_at"] for r in merged} == {
            "2026-12-04T23:20:09+08:00", "2026-12-04"
        }  # fmt: skip
        two = store.invoice_by_number(N2)
        assert two is not None and two.issued_at == "2026-12-04T10:05:00+08:00"
        assert two.total == Decimal("10600.00") and two.profile == "开放平台"
        red = store.invoice_by_number(N3)
        assert (
            red is not None and red.color == "red" and red.issued_at == "2026-12-04T11:00:00+08:00"
        )
        pending = store.query_invoices(InvoiceFilter(), "number", False, None, 10)[0]
        assert (pending.number, pending.status) == (None, "开票中")
        # a day filter in Beijing days finds the invoices of 4 December
        assert (
            store.invoice_summary(InvoiceFilter(date_from=one_day(), date_to=one_day())).count == 3
        )
        # the number is now unique per seller
        with pytest.raises(sqlite3.IntegrityError), write_beside(store) as conn:
            conn.execute(
                "INSERT INTO invoices (profile, vendor, number, seller_tax_id, amount_cents, "
                "tax_cents, total_cents, created_at, updated_at) "
                "VALUES ('x', 'x', ?, ?, 0, 0, 0, '', '')",
                (N1, one.seller_tax_id),
            )
    finally:
        store.close()


def one_day() -> dt.date:
    import datetime as dt

    return dt.date(2026, 12, 4)


def test_a_sync_after_migration_merges_into_the_migrated_row(tmp_path: Path, utc: None) -> None:
    store = Store.open(_copy(tmp_path))
    try:
        one = store.invoice_by_number(N1)
        assert one is not None
        again = InvoiceRecord(
            profile="签名平台", vendor="signed-api", number=N1, serial=None,
            issued_at="2026-12-04", amount=Decimal("943.40"), tax=Decimal("56.60"),
            total=Decimal("1000.00"), buyer_name="上海某某科技有限公司", source="synced",
            seller_tax_id=one.seller_tax_id,
        )  # fmt: skip
        assert store.merge_invoice(again).outcome == "merged"
        assert store.invoice_summary(InvoiceFilter()).count == 4
    finally:
        store.close()
