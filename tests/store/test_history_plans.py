"""Schema v7 (composite history indexes, blue_number) and the plans query() picks between:
every plan gives the same pages as a brute-force ordering, and a plan that runs out of its time
budget falls back to the next one without losing or repeating rows."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.store import InvoiceFilter, InvoiceRow, Store, schema
from invoicedesk.store import invoices as inv_sql
from invoicedesk.store.records import SORT_COLUMNS
from tests.store.beside import beside
from tests.store.test_history_query import all_pages, matches, random_records

V7_INDEXES = {
    "ix_invoices_color_issued",
    "ix_invoices_status_issued",
    "ix_invoices_profile_issued",
    "ix_invoices_invoice_type_issued",
    "ix_invoices_blue_number",
}

# shapes the plan choice treats differently
FILTERS = [
    InvoiceFilter(date_from=dt.date(2021, 1, 1), date_to=dt.date(2023, 12, 31)),  # range only
    InvoiceFilter(min_total=Decimal("100"), max_total=Decimal("3000")),  # amount range only
    InvoiceFilter(buyer="公司"),  # short text: a LIKE scan
    InvoiceFilter(statuses=("已红冲",), invoice_type="81", profiles=("p2",)),  # 3 equalities
    InvoiceFilter(color="blue", date_from=dt.date(2022, 1, 1)),  # equality + range
]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = Store.open(tmp_path_factory.mktemp("plans") / "h.sqlite")
    with store.grouped():  # one transaction: thousands of fsyncs would be slow
        for rec in random_records(random.Random(99), 2000):
            store.upsert_invoice(rec)
    rows = store.query_invoices(InvoiceFilter(), "issued_at", False, None, 10**6)
    yield store, rows
    store.close()


def _expected(rows: list[InvoiceRow], flt: InvoiceFilter, sort: str, desc: bool) -> list[int]:
    def key(r: InvoiceRow) -> tuple[Any, int]:
        v = getattr(r, sort)
        return ("" if v is None else v, r.id)

    return [r.id for r in sorted(filter(matches(flt), rows), key=key, reverse=desc)]


@pytest.mark.parametrize("flt", FILTERS, ids=range(len(FILTERS)))
def test_every_plan_pages_like_brute_force(big: Any, flt: InvoiceFilter) -> None:
    store, rows = big
    assert any(matches(flt)(r) for r in rows)
    columns = inv_sql.TABLE_COLUMNS.split(", ")  # the history table's row: id first
    with beside(store) as conn:
        for sort in ("issued_at", "total", "buyer_name", "status"):
            column = SORT_COLUMNS[sort]
            plans = inv_sql.plans_to_try(conn, flt, column)
            assert len(plans) == 2 and all(p.startswith("invoices") for p in plans)
            for desc in (False, True):
                expected = _expected(rows, flt, sort, desc)
                for source in plans:
                    got: list[int] = []
                    after = None
                    while True:
                        page = inv_sql.page_through(
                            conn, source, inv_sql.TABLE_COLUMNS, flt, column, desc, after, 53, None
                        )
                        assert page is not None
                        got += [r[0] for r in page]
                        if len(page) < 53:
                            break
                        after = (page[-1][columns.index(column)], page[-1][0])
                    assert got == expected, (sort, desc, source)


def test_plan_choice_by_filter_shape(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "shape.sqlite")
    try:
        with store.grouped():
            for rec in random_records(random.Random(5), 300):
                store.upsert_invoice(rec)
        with beside(store) as conn:
            conn.execute(
                "UPDATE invoices SET color = CASE WHEN id % 50 = 0 THEN 'red' ELSE 'blue' END"
            )
            year = InvoiceFilter(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
            # a wide date range sorted by amount walks the amount index in order
            walk = "invoices INDEXED BY ix_invoices_total_cents"
            assert inv_sql.plans_to_try(conn, year, "total_cents")[0] == walk
            # sorted by the range's own column: the planner's range scan is already in order
            assert inv_sql.plans_to_try(conn, year, "issued_at")[0] == "invoices"
            # several equalities sorted by date: the narrowest one's (column, issued_at, id) index
            narrow = InvoiceFilter(color="red", profiles=("p1",))
            assert inv_sql.plans_to_try(conn, narrow, "issued_at")[0] == (
                "invoices INDEXED BY ix_invoices_color_issued"
            )
            wide = InvoiceFilter(color="blue", profiles=("p1",))
            assert inv_sql.plans_to_try(conn, wide, "issued_at")[0] == (
                "invoices INDEXED BY ix_invoices_profile_issued"
            )
    finally:
        store.close()


def test_a_plan_out_of_budget_falls_back_with_the_same_rows(
    big: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = big
    rows = store.query_invoices(InvoiceFilter(), "issued_at", False, None, 10**6)
    # every budgeted plan is interrupted at its first look at the clock
    monkeypatch.setattr(inv_sql, "PLAN_BUDGET_S", -1.0)
    monkeypatch.setattr(inv_sql, "PROGRESS_STEPS", 1)
    calls: list[float | None] = []
    sources: list[str] = []
    real = inv_sql.page_through

    def counting(*args: Any) -> list[InvoiceRow] | None:
        calls.append(args[-1])
        sources.append(args[1])
        return real(*args)

    monkeypatch.setattr(inv_sql, "page_through", counting)
    for flt in FILTERS:
        calls.clear()
        sources.clear()
        got = all_pages(store, flt, "total", True, 61)
        assert got == _expected(rows, flt, "total", True)
        # each page: two budgeted tries that ran out, then the unbudgeted one answered
        assert calls[:3] == [-1.0, -1.0, None]
        if inv_sql.where(flt)[0]:  # ...through the likeliest plan, tried first
            assert sources[2] == sources[0] != sources[1]


def test_v6_database_upgrades_to_v7_with_the_history_indexes(data_dir: Path) -> None:
    path = data_dir / "v6.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=6)
    conn.execute(
        "INSERT INTO invoices (profile, vendor, number, issued_at, color, blue_number, "
        "amount_cents, tax_cents, total_cents, status, created_at, updated_at) VALUES "
        "('p', 'v', '1', '2024-01-02', 'red', '9', -100, -13, -113, '正常', 'x', 'x')"
    )
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert not names & V7_INDEXES
    conn.close()
    store = Store.open(path)
    try:
        assert store.schema_version == schema.CURRENT_VERSION
        with beside(store) as conn:
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            }
            plan = " ".join(
                r[3]
                for r in conn.execute(
                    "EXPLAIN QUERY PLAN SELECT id FROM invoices WHERE color = 'red' "
                    "ORDER BY issued_at DESC, id DESC LIMIT 10"
                )
            )
        assert names >= V7_INDEXES
        assert "ix_invoices_color_issued" in plan and "TEMP B-TREE" not in plan
        (red,) = store.query_invoices(InvoiceFilter(color="red"))
        assert red.blue_number == "9"
    finally:
        store.close()


def test_traced_passes_the_statements_of_its_block_only(store: Store) -> None:
    """Store.traced, the diagnostics benchmarks/history_plans.py reads the pages' queries with."""
    seen: list[str] = []
    with store.traced(seen.append):
        store.table_rows(InvoiceFilter(buyer="华信"), "issued_at", True, None, 50)
    pages = [s for s in seen if s.lstrip().startswith("SELECT") and "LIMIT" in s]
    assert pages and "华信" in pages[-1]  # the statement as run, its parameters in place
    count = len(seen)
    store.table_rows(InvoiceFilter(), "issued_at", True, None, 50)
    assert len(seen) == count  # nothing after the block
