"""The history query service over a real store: pages and keyset paging for every sort and
filter against brute force, totals, skipped stale requests, details."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.history_query import (
    SORTS,
    HistoryQueryService,
    HistoryRow,
    PageRequest,
    history_row,
)
from invoicedesk.store import InvoiceFilter, InvoiceRecord, InvoiceRow, LineRecord, Store

PROFILES = ("main-nuonuo", "shop-ws", "signed")
BUYERS = (
    ("上海华信科技有限公司", "91310000MA1FL8XQ3K"),
    ("北京鼎盛贸易有限责任公司", "91110108MA01ABCD2E"),
    ("深圳恒通信息技术股份有限公司", "91440300MA5G9KLM7P"),
    ("杭州瑞丰商贸有限公司", "91330106MA2H7Q3D1G"),
    ("个人（张三）", ""),
    ("50%_特殊\\字符公司", "91000000000000000X"),
)
STATUSES = ("正常", "正常", "正常", "已红冲", "部分红冲")


def seed(store: Store, n: int = 300, rng_seed: int = 7) -> list[InvoiceRow]:
    """n invoices across three accounts, two years, blue and red, both types; returns all rows."""
    rng = random.Random(rng_seed)
    start = dt.datetime(2025, 6, 30, 18, 0, 0)
    blues: list[str] = []
    conn_rows: list[InvoiceRecord] = []
    for i in range(n):
        name, tax_id = BUYERS[i % len(BUYERS)]
        issued = start - dt.timedelta(seconds=rng.randrange(2 * 365 * 86400))
        amount = Decimal(rng.randrange(1, 5_000_000)).scaleb(-2)
        tax = (amount * Decimal("0.13")).quantize(Decimal("0.01"))
        red = bool(blues) and i % 10 == 9
        sign = -1 if red else 1
        number = f"25{i:018d}"
        lines = (
            (
                LineRecord(
                    name="*信息技术服务*软件维护",
                    spec="年度",
                    unit="项",
                    quantity=Decimal(1),
                    unit_price=amount,
                    amount=amount * sign,
                    tax_rate=Decimal("0.13"),
                    tax=tax * sign,
                ),
            )
            if i % 3 == 0
            else ()
        )
        conn_rows.append(
            InvoiceRecord(
                profile=PROFILES[i % 3],
                vendor="open-api",
                number=number if i % 50 != 49 else None,
                serial=f"S{i:010d}",
                issued_at=issued.isoformat(timespec="seconds"),
                amount=amount * sign,
                tax=tax * sign,
                total=(amount + tax) * sign,
                color="red" if red else "blue",
                blue_number=rng.choice(blues) if red else None,
                invoice_type="81" if i % 4 == 0 else "82",
                buyer_name=name,
                buyer_tax_id=tax_id,
                status="正常" if red else STATUSES[i % len(STATUSES)],
                red_status="已确认" if red else "",
                lines=lines,
                source="synced" if i % 2 else "issued",
            )
        )
        if not red:
            blues.append(number)
    for rec in conn_rows:
        store.upsert_invoice(rec)
    return all_rows(store)


def all_rows(store: Store) -> list[InvoiceRow]:
    rows: list[InvoiceRow] = []
    after = None
    while True:
        page = store.query_invoices(InvoiceFilter(), "issued_at", True, after, 1000)
        rows += page
        if len(page) < 1000:
            return rows
        after = page[-1].sort_key("issued_at")


def matches(r: InvoiceRow, f: InvoiceFilter) -> bool:
    day = dt.date.fromisoformat(r.issued_at[:10]) if r.issued_at else None
    if f.date_from and (day is None or day < f.date_from):
        return False
    if f.date_to and (day is None or day > f.date_to):
        return False
    needle = f.buyer.strip().lower()
    if needle and needle not in r.buyer_name.lower() and needle not in r.buyer_tax_id.lower():
        return False
    if f.statuses and r.status not in f.statuses:
        return False
    if f.color and r.color != f.color:
        return False
    if f.invoice_type and r.invoice_type != f.invoice_type:
        return False
    if f.min_total is not None and r.total < f.min_total:
        return False
    if f.max_total is not None and r.total > f.max_total:
        return False
    return not (f.profiles and r.profile not in f.profiles)


def brute(rows: list[InvoiceRow], f: InvoiceFilter, sort: str, desc: bool) -> list[int]:
    hits = [r for r in rows if matches(r, f)]
    hits.sort(key=lambda r: r.sort_key(sort), reverse=desc)
    return [r.id for r in hits]


FILTERS = [
    InvoiceFilter(),
    InvoiceFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31)),
    InvoiceFilter(date_from=dt.date(2024, 12, 20), date_to=dt.date(2024, 12, 31)),
    InvoiceFilter(buyer="华信"),
    InvoiceFilter(buyer="科技有限"),
    InvoiceFilter(buyer="ma5g9"),
    InvoiceFilter(buyer="50%_"),
    InvoiceFilter(statuses=("已红冲",)),
    InvoiceFilter(statuses=("已红冲", "部分红冲")),
    InvoiceFilter(color="red"),
    InvoiceFilter(color="blue", invoice_type="81"),
    InvoiceFilter(min_total=Decimal("1000.00"), max_total=Decimal("20000.00")),
    InvoiceFilter(max_total=Decimal("0")),
    InvoiceFilter(profiles=("shop-ws",)),
    InvoiceFilter(
        date_from=dt.date(2024, 7, 1),
        date_to=dt.date(2025, 6, 30),
        buyer="有限公司",
        color="blue",
        profiles=("main-nuonuo", "signed"),
        min_total=Decimal("100"),
    ),
    InvoiceFilter(buyer="不存在的公司"),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: Any) -> Iterator[tuple[Store, list[InvoiceRow]]]:
    store = Store.open(Path(tmp_path_factory.mktemp("hq")) / "store.sqlite3")
    rows = seed(store)
    yield store, rows
    store.close()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def collect(service: HistoryQueryService, req: PageRequest) -> list[HistoryRow]:
    async def go() -> list[HistoryRow]:
        out: list[HistoryRow] = []
        r = req
        while True:
            page = await service.page(r)
            assert page is not None
            out += page.rows
            if page.done:
                return out
            r = PageRequest(r.flt, r.sort, r.descending, page.after, 37)

    return run(go())


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [True, False])
def test_every_sort_pages_like_brute_force(
    seeded: tuple[Store, list[InvoiceRow]], sort: str, descending: bool
) -> None:
    store, rows = seeded
    service = HistoryQueryService(store)
    try:
        got = collect(service, PageRequest(InvoiceFilter(), sort, descending, None, 50))
    finally:
        service.close()
    assert [r.id for r in got] == brute(rows, InvoiceFilter(), sort, descending)


@pytest.mark.parametrize("flt", FILTERS, ids=range(len(FILTERS)))
def test_every_filter_and_its_totals_like_brute_force(
    seeded: tuple[Store, list[InvoiceRow]], flt: InvoiceFilter
) -> None:
    store, rows = seeded
    service = HistoryQueryService(store)
    try:
        got = collect(service, PageRequest(flt, "total", False, None, 25))
        summary = run(service.summary(flt))
    finally:
        service.close()
    expected = brute(rows, flt, "total", False)
    assert [r.id for r in got] == expected
    hits = [r for r in rows if matches(r, flt)]
    assert summary.count == len(hits)
    assert summary.amount == sum((r.amount for r in hits), Decimal(0))
    assert summary.tax == sum((r.tax for r in hits), Decimal(0))
    assert summary.total == sum((r.total for r in hits), Decimal(0))
    by_id = {r.id: r for r in rows}
    for r in got:  # the compact rows carry the same figures, in cents
        assert r == history_row(by_id[r.id])


def test_filters_are_not_all_trivial(seeded: tuple[Store, list[InvoiceRow]]) -> None:
    _, rows = seeded
    sizes = [len([r for r in rows if matches(r, f)]) for f in FILTERS]
    assert sizes[0] == 300 and sizes[-1] == 0
    assert all(0 < s < 300 for s in sizes[1:-1]), sizes


def test_unwanted_request_is_skipped(seeded: tuple[Store, list[InvoiceRow]]) -> None:
    store, _ = seeded
    service = HistoryQueryService(store)
    try:
        assert run(service.page(PageRequest(InvoiceFilter()), lambda: False)) is None
        assert run(service.summary(InvoiceFilter(), lambda: False)) is None
        page = run(service.page(PageRequest(InvoiceFilter()), lambda: True))
        assert page is not None and len(page.rows) == 200 and not page.done
    finally:
        service.close()


def test_details_of_a_red_invoice_link_its_blue_one(
    seeded: tuple[Store, list[InvoiceRow]],
) -> None:
    store, rows = seeded
    service = HistoryQueryService(store)
    try:
        red = next(r for r in rows if r.color == "red" and r.blue_number)
        d = run(service.details(red.id))
        assert d is not None and d.blue is not None
        assert d.blue.number == red.blue_number and d.blue.color == "blue"
        with_lines = next(r for r in rows if r.number == f"25{0:018d}")
        d2 = run(service.details(with_lines.id))
        assert d2.invoice.lines and d2.invoice.lines[0].name == "*信息技术服务*软件维护"
        assert d2.files == [] and d2.journal is None and d2.events == []
        assert run(service.details(10**9)) is None
        assert run(service.row(red.id)) == history_row(red)
    finally:
        service.close()
