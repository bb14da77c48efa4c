"""Schema v8: the per-day totals table (kept by triggers) gives the same count and sums as
adding up the invoices, through inserts, updates and deletes; a summary can be stopped; the
plan choice seeks ix_invoices_kinds for several equalities; red invoices are found by the
number of the blue one they reverse."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.store import InvoiceFilter, InvoiceRecord, InvoiceRow, Store
from invoicedesk.store import invoices as inv_sql
from tests.store.beside import beside, write_beside
from tests.store.test_history_query import matches, random_records

FILTERS = [
    InvoiceFilter(),
    InvoiceFilter(date_from=dt.date(2022, 3, 1), date_to=dt.date(2024, 2, 29)),
    InvoiceFilter(date_from=dt.date(2023, 5, 17), date_to=dt.date(2023, 5, 17)),  # one day
    InvoiceFilter(color="red", profiles=("p1", "p3")),
    InvoiceFilter(statuses=("已红冲",), invoice_type="81", profiles=("p2",)),
    InvoiceFilter(statuses=("正常", "已作废"), date_to=dt.date(2022, 12, 31)),
    # not by day: read from the invoices themselves
    InvoiceFilter(buyer="科技", color="blue"),
    InvoiceFilter(buyer="科技有限", statuses=("正常",)),
    InvoiceFilter(min_total=Decimal("100"), max_total=Decimal("3000"), invoice_type="82"),
]


def _brute(rows: list[InvoiceRow], flt: InvoiceFilter) -> tuple[int, Decimal, Decimal, Decimal]:
    hits = [r for r in rows if matches(flt)(r)]
    return (
        len(hits),
        sum((r.amount for r in hits), Decimal("0.00")),
        sum((r.tax for r in hits), Decimal("0.00")),
        sum((r.total for r in hits), Decimal("0.00")),
    )


def _check(store: Store) -> None:
    rows = store.query_invoices(InvoiceFilter(), "issued_at", False, None, 10**6)
    for flt in FILTERS:
        s = store.invoice_summary(flt)
        assert (s.count, s.amount, s.tax, s.total) == _brute(rows, flt), flt


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store.open(tmp_path / "t.sqlite")
    yield s
    s.close()


def test_totals_follow_inserts_updates_and_deletes(store: Store) -> None:
    records = random_records(random.Random(8), 600)
    with store.grouped():
        for rec in records:
            store.upsert_invoice(rec)
    assert store.invoice_summary(InvoiceFilter()).count == 600
    _check(store)
    # an upsert that changes status, day, amount and account moves the row between groups
    rng = random.Random(3)
    for rec in rng.sample(records, 80):
        store.upsert_invoice(
            dataclasses.replace(
                rec,
                status="已红冲",
                profile=rec.profile,
                issued_at="2023-05-17T09:00:00",
                amount=rec.amount + 1,
                total=rec.total + 1,
            )
        )
    _check(store)
    with write_beside(store) as conn:
        conn.execute("DELETE FROM invoices WHERE id % 7 = 0")
        conn.execute("UPDATE invoices SET profile = 'p3', color = 'red' WHERE id % 5 = 0")
    _check(store)
    with beside(store) as conn:
        (groups,) = conn.execute("SELECT SUM(n) FROM invoice_totals").fetchone()
    assert groups == store.invoice_summary(InvoiceFilter()).count


def test_by_day_filters_read_the_totals_table_not_the_invoices(store: Store) -> None:
    flt = InvoiceFilter(color="red", date_from=dt.date(2024, 1, 1))
    clause, params = inv_sql.where(flt, date_column="day")
    with beside(store) as conn:
        plan = " ".join(
            r[3]
            for r in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT SUM(n) FROM invoice_totals WHERE {clause}", params
            )
        )
    assert "invoice_totals" in plan and "invoices " not in plan + " "
    assert inv_sql.sums_by_day(flt)
    assert not inv_sql.sums_by_day(InvoiceFilter(buyer="科技"))
    assert not inv_sql.sums_by_day(InvoiceFilter(min_total=Decimal(1)))
    assert not inv_sql.sums_by_day(InvoiceFilter(max_total=Decimal(1)))


def test_a_summary_stops_when_its_caller_moves_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inv_sql, "PROGRESS_STEPS", 1)  # look at stop() at once
    with store.grouped():
        for rec in random_records(random.Random(2), 300):
            store.upsert_invoice(rec)
    looks: list[int] = []

    def stop() -> bool:
        looks.append(1)
        return True

    with pytest.raises(inv_sql.Interrupted):
        store.invoice_summary(InvoiceFilter(buyer="科"), stop)
    assert looks
    # the connection is usable afterwards and the handler is gone
    assert store.invoice_summary(InvoiceFilter(buyer="科"), lambda: False).count > 0
    assert store.invoice_summary(InvoiceFilter()).count == 300


def test_several_equalities_seek_the_kinds_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.grouped():
        for rec in random_records(random.Random(5), 400):
            store.upsert_invoice(rec)
    three = InvoiceFilter(statuses=("已红冲",), invoice_type="81", profiles=("p2",))
    with beside(store) as conn:
        kinds = "invoices INDEXED BY ix_invoices_kinds"
        assert inv_sql.plans_to_try(conn, three, "number")[0] == kinds
        # one wide equality sorted by another column: walk that column's index in order (with
        # pages small next to the table, as in a big store)
        monkeypatch.setattr(inv_sql, "PAGE_ESTIMATE", 20)
        wide = InvoiceFilter(profiles=("p1",))
        assert inv_sql.plans_to_try(conn, wide, "amount_cents")[0] == (
            "invoices INDEXED BY ix_invoices_amount_cents"
        )
        # not a prefix of (status, invoice_type, profile, color): the narrowest one's own index
        two = InvoiceFilter(color="red", profiles=("p2",))
        assert "ix_invoices_kinds" not in inv_sql.plans_to_try(conn, two, "number")[0]
        plan = " ".join(
            r[3]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM invoices INDEXED BY ix_invoices_kinds "
                "WHERE status = ? AND invoice_type = ? AND profile = ? ORDER BY number",
                ("已红冲", "81", "p2"),
            )
        )
        assert "ix_invoices_kinds (status=? AND invoice_type=? AND profile=?)" in plan
    rows = store.query_invoices(InvoiceFilter(), "issued_at", False, None, 10**6)
    want = sorted(
        (r for r in rows if matches(three)(r)), key=lambda r: (r.number or "", r.id), reverse=True
    )
    got = store.query_invoices(three, "number", True, None, 10**6)
    assert [r.id for r in got] == [r.id for r in want] and want


def test_red_invoices_of_a_blue_one(store: Store) -> None:
    def rec(number: str, color: str, blue: str | None, day: str) -> InvoiceRecord:
        return InvoiceRecord(
            profile="p",
            vendor="v",
            number=number,
            serial=None,
            issued_at=f"{day}T10:00:00",
            amount=Decimal("-10") if color == "red" else Decimal("10"),
            tax=Decimal("0"),
            total=Decimal("-10") if color == "red" else Decimal("10"),
            color=color,
            blue_number=blue,
        )

    store.upsert_invoice(rec("B1", "blue", None, "2024-01-01"))
    store.upsert_invoice(rec("R2", "red", "B1", "2024-03-01"))
    store.upsert_invoice(rec("R1", "red", "B1", "2024-02-01"))
    store.upsert_invoice(rec("R3", "red", "B9", "2024-02-01"))
    assert [r.number for r in store.red_invoices_of("B1")] == ["R1", "R2"]
    assert store.red_invoices_of("B2") == [] and store.red_invoices_of("") == []


def test_short_chinese_text_is_matched_on_the_name_only() -> None:
    # a tax ID is digits and Latin letters: Chinese text can only match the name, and the
    # (buyer_name, id) index then answers the LIKE without reading the table
    clause, params = inv_sql.where(InvoiceFilter(buyer="华信"))
    assert "buyer_tax_id" not in clause and params == ["%华信%"]
    clause, params = inv_sql.where(InvoiceFilter(buyer="9a"))
    assert "buyer_tax_id" in clause and params == ["%9a%", "%9a%"]


def test_short_text_finds_names_and_tax_ids(store: Store) -> None:
    records = random_records(random.Random(11), 300)
    with store.grouped():
        for rec in records:
            store.upsert_invoice(rec)
    rows = store.query_invoices(InvoiceFilter(), "issued_at", False, None, 10**6)
    for text in ("科技", "9", "Ma", "公"):
        flt = InvoiceFilter(buyer=text)
        want = {r.id for r in rows if matches(flt)(r)}
        assert want, text
        got = store.query_invoices(flt, "buyer_name", False, None, 10**6)
        assert {r.id for r in got} == want, text
        assert store.invoice_summary(flt).count == len(want)
