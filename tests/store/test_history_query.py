"""History queries: keyset paging against a brute-force ordering, filters, FTS substring search."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from invoicedesk.store import InvoiceFilter, InvoiceRecord, InvoiceRow, Store
from invoicedesk.store.records import SORT_COLUMNS
from tests.store.beside import beside

NAMES = [
    "上海甲科技有限公司",
    "北京乙贸易有限公司",
    "深圳ABC电子有限公司",
    "杭州abc软件",
    "广州丙丁餐饮管理",
    "甲乙丙",
    '"Quote" AND 公司*',
    "100%_Trading",
]
STATUSES = ["正常", "已红冲", "部分红冲"]


def random_records(rng: random.Random, n: int) -> list[InvoiceRecord]:
    """`n` invoices over five years, three accounts and a few buyers (the same for a seed)."""
    out = []
    for i in range(n):
        amount = Decimal(rng.randrange(-50000, 500000)) / 100
        tax = Decimal(rng.randrange(0, 5000)) / 100
        has_number = rng.random() < 0.9
        out.append(
            InvoiceRecord(
                profile=rng.choice(["p1", "p2", "p3"]),
                vendor="v",
                number=f"{rng.randrange(10**6):06d}{i:04d}" if has_number else None,
                serial=f"S{i}",
                issued_at=(
                    dt.datetime(2021, 1, 1) + dt.timedelta(minutes=rng.randrange(5 * 365 * 1440))
                ).isoformat(),
                amount=amount,
                tax=tax,
                total=amount + tax,
                color=rng.choice(["blue", "red"]),
                blue_number=rng.choice([None, "B1", "B2"]),
                invoice_type=rng.choice(["81", "82"]),
                buyer_name=rng.choice(NAMES) + rng.choice(["", "一分公司", "二分公司"]),
                buyer_tax_id=f"91{rng.choice('ABCDEFGH')}{rng.randrange(10**6):06d}Ma{i % 7}",
                status=rng.choice(STATUSES),
                red_status=rng.choice(["", "", "已确认", "待确认"]),
            )
        )
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = Store.open(tmp_path_factory.mktemp("hist") / "h.sqlite")
    rng = random.Random(1234)
    with store.grouped():  # one transaction: thousands of fsyncs would be slow
        for rec in random_records(rng, 3000):
            store.upsert_invoice(rec)
    rows = store.query_invoices(InvoiceFilter(), "issued_at", False, None, 10**6)
    assert len(rows) == 3000
    yield store, rows
    store.close()


def matches(flt: InvoiceFilter) -> Callable[[InvoiceRow], bool]:
    """The filter done by hand in Python, to check the SQL against."""

    def ok(r: InvoiceRow) -> bool:
        day = dt.date.fromisoformat(r.issued_at[:10])
        q = flt.buyer.strip().lower()
        return (
            (flt.date_from is None or day >= flt.date_from)
            and (flt.date_to is None or day <= flt.date_to)
            and (not q or q in r.buyer_name.lower() or q in r.buyer_tax_id.lower())
            and (not flt.statuses or r.status in flt.statuses)
            and (flt.color is None or r.color == flt.color)
            and (flt.invoice_type is None or r.invoice_type == flt.invoice_type)
            and (flt.min_total is None or r.total >= flt.min_total)
            and (flt.max_total is None or r.total <= flt.max_total)
            and (not flt.profiles or r.profile in flt.profiles)
        )

    return ok


FILTERS = [
    InvoiceFilter(),
    InvoiceFilter(date_from=dt.date(2022, 3, 1), date_to=dt.date(2024, 2, 29), color="red"),
    InvoiceFilter(buyer="科技", statuses=("正常", "已红冲")),
    InvoiceFilter(
        buyer="abc", invoice_type="82", min_total=Decimal("0"), max_total=Decimal("2500.50")
    ),
    InvoiceFilter(buyer="甲", profiles=("p1", "p3")),
    InvoiceFilter(buyer="ma3"),  # case-insensitive over the tax id
]


def all_pages(store: Store, flt: InvoiceFilter, sort: str, desc: bool, limit: int) -> list[int]:
    """The ids of every match, paged through query_invoices as the history page does."""
    ids: list[int] = []
    after = None
    while True:
        page = store.query_invoices(flt, sort, desc, after, limit)
        assert len(page) <= limit
        ids += [r.id for r in page]
        if len(page) < limit:
            return ids
        after = page[-1].sort_key(sort)


@pytest.mark.parametrize("flt", FILTERS, ids=range(len(FILTERS)))
@pytest.mark.parametrize("desc", [False, True])
def test_keyset_pages_equal_brute_force_for_every_sort(
    big: Any, flt: InvoiceFilter, desc: bool
) -> None:
    store, rows = big
    wanted = [r for r in rows if matches(flt)(r)]
    assert wanted, "each filter must select something or the test proves little"
    assert len(wanted) < len(rows) or flt == InvoiceFilter()
    for sort in SORT_COLUMNS:

        def key(r: InvoiceRow, sort: str = sort) -> tuple[Any, int]:
            v = getattr(r, sort)
            return ("" if v is None else v, r.id)

        expected = [r.id for r in sorted(wanted, key=key, reverse=desc)]
        assert all_pages(store, flt, sort, desc, 97) == expected, sort


def test_summary_equals_brute_force(big: Any) -> None:
    store, rows = big
    for flt in FILTERS:
        wanted = [r for r in rows if matches(flt)(r)]
        count, amount, tax, total = store.invoice_summary(flt)
        assert count == len(wanted)
        assert amount == sum((r.amount for r in wanted), Decimal("0"))
        assert tax == sum((r.tax for r in wanted), Decimal("0"))
        assert total == sum((r.total for r in wanted), Decimal("0"))


@pytest.mark.parametrize(
    "query",
    [
        "甲",
        "甲乙",
        "有限公",
        "ABC",
        "bc",
        "c",
        "分公司",
        "%",
        "_",
        "0%_T",
        '"Quote"',
        "AND",
        "公司*",
        "91A",
        "Ma",
        "不存在的公司",
        "  科技  ",
    ],
)
def test_buyer_substring_search(big: Any, query: str) -> None:
    store, rows = big
    flt = InvoiceFilter(buyer=query)
    expected = sorted(r.id for r in rows if matches(flt)(r))
    got = store.query_invoices(flt, "issued_at", False, None, 10**6)
    assert sorted(r.id for r in got) == expected
    assert store.invoice_summary(flt).count == len(expected)


def test_unknown_sort_or_bad_limit(store: Store) -> None:
    with pytest.raises(ValueError):
        store.query_invoices(InvoiceFilter(), "buyer", False, None, 10)
    with pytest.raises(ValueError):
        store.query_invoices(InvoiceFilter(), "total", False, None, 0)
    with pytest.raises(ValueError):
        InvoiceRow.sort_key(None, "nope")  # type: ignore[arg-type]


def test_fts_index_follows_updates_and_deletes(store: Store) -> None:
    rec = InvoiceRecord(
        profile="p",
        vendor="v",
        number="1",
        serial=None,
        issued_at="",
        amount=Decimal("1"),
        tax=Decimal("0"),
        total=Decimal("1"),
        buyer_name="上海旧名称有限公司",
        buyer_tax_id="91310000OLD",
    )

    def found(q: str) -> list[int]:
        return [
            r.id for r in store.query_invoices(InvoiceFilter(buyer=q), "number", False, None, 9)
        ]

    inv = store.upsert_invoice(rec)
    assert found("旧名称") == [inv] and found("0000OLD") == [inv]
    # a rename in place (a report with another buyer is a conflict and changes nothing)
    with beside(store) as conn:
        conn.execute(
            "UPDATE invoices SET buyer_name = '北京新名称', buyer_tax_id = '91110000NEW' "
            "WHERE id = ?",
            (inv,),
        )
        assert found("旧名称") == [] and found("0000OLD") == []
        assert found("新名称") == [inv] and found("NEW") == [inv]
        conn.execute(
            "INSERT OR REPLACE INTO invoices (id, profile, vendor, number, amount_cents, "
            "tax_cents, total_cents, buyer_name, created_at, updated_at) "
            "VALUES (?, 'p', 'v', '1', 1, 0, 1, '替换名称', '', '')",
            (inv,),
        )
        assert found("新名称") == [] and found("替换名称") == [inv]
        conn.execute("DELETE FROM invoices WHERE id = ?", (inv,))
        assert found("替换名称") == []
        assert found("新名称") == []
        # the index agrees with its content table
        conn.execute("INSERT INTO invoices_fts(invoices_fts) VALUES ('integrity-check')")


def test_money_sort_key_accepts_decimal_and_cents_paths_agree(big: Any) -> None:
    store, _ = big
    page = store.query_invoices(InvoiceFilter(), "total", True, None, 50)
    key = page[-1].sort_key("total")
    assert isinstance(key[0], Decimal)
    nxt = store.query_invoices(InvoiceFilter(), "total", True, key, 5)
    assert all(r.total <= page[-1].total for r in nxt)
    assert not {r.id for r in nxt} & {r.id for r in page}
