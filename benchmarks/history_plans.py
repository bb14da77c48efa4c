"""Query plans of the history benchmark's 20 filter and sort changes on its big store.

    python benchmarks/history_plans.py --rows 1000000

For each change: the first page as the history page asks for it (200 rows, the store's own
plan choice with its time budget) and its summary, each timed, and SQLite's EXPLAIN QUERY PLAN
of the page query that answered. Prints one JSON line per change, then one with the worst.
Reuses (or makes) benchmarks/data/history-<rows>.sqlite, as history.py does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2025, 6, 20)  # as history.py


def changes() -> list[tuple[str, Any, str, bool]]:
    """(name, filter, sort key, descending): history.py's 20 changes, in its order."""
    from invoicedesk.store import InvoiceFilter
    from invoicedesk.ui.history.dates import quick_range

    def rng(kind: str) -> dict[str, dt.date]:
        a, b = quick_range(kind, TODAY)
        return {"date_from": a, "date_to": b}

    f, year = InvoiceFilter, rng("this_year")
    every = f()
    return [
        ("本月", f(**rng("this_month")), "issued_at", True),
        ("上月", f(**rng("last_month")), "issued_at", True),
        ("本季度", f(**rng("this_quarter")), "issued_at", True),
        ("本年", f(**year), "issued_at", True),
        ("本年 by 价税合计", f(**year), "total", True),
        ("all by 购买方 asc", every, "buyer_name", False),
        ("buyer 华信", f(buyer="华信"), "buyer_name", False),
        ("buyer 上海华信科技", f(buyer="上海华信科技"), "buyer_name", False),
        ("buyer taxid 91A3", f(buyer="91A3"), "buyer_name", False),
        ("status 已红冲", f(statuses=("已红冲",)), "buyer_name", False),
        ("red", f(color="red"), "buyer_name", False),
        ("red 本年", f(color="red", **year), "buyer_name", False),
        ("type 81", f(invoice_type="81"), "buyer_name", False),
        (
            "total 1000-5000",
            f(min_total=Decimal(1000), max_total=Decimal(5000)),
            "buyer_name",
            False,
        ),
        ("account shop-faw", f(profiles=("shop-faw",)), "buyer_name", False),
        ("by 金额 asc", f(profiles=("shop-faw",)), "amount", False),
        ("by 发票号码 desc", f(profiles=("shop-faw",)), "number", True),
        (
            "已红冲+81+shop-faw",
            f(statuses=("已红冲",), invoice_type="81", profiles=("shop-faw",)),
            "number",
            True,
        ),
        ("buyer 深圳 blue", f(buyer="深圳", color="blue"), "number", True),
        ("all by date desc", every, "issued_at", True),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args(argv)
    path = args.store or HERE / "data" / f"history-{args.rows}.sqlite"
    sys.path.insert(0, str(HERE))
    import history

    history.ensure_store(args.rows, path)

    from invoicedesk.store import Store

    store = Store.open(path)
    statements: list[str] = []
    worst = ("", 0.0)
    # plans are read on a connection of our own: the store's file, the same schema and statistics
    plans = sqlite3.connect(path)
    try:
        for name, flt, sort, descending in changes():
            statements.clear()
            with store.traced(statements.append):
                t0 = time.perf_counter()
                store.table_rows(flt, sort, descending, None, 200)
                page_ms = (time.perf_counter() - t0) * 1000
                pages = [s for s in statements if s.lstrip().startswith("SELECT") and "LIMIT" in s]
                answered = pages[-1] if pages else ""
                t1 = time.perf_counter()
                store.invoice_summary(flt)
                summary_ms = (time.perf_counter() - t1) * 1000
            plan = (
                [r[3] for r in plans.execute("EXPLAIN QUERY PLAN " + answered)] if answered else []
            )
            tried = len([s for s in pages if "COUNT(*)" not in s])
            line = {
                "change": name,
                "page_ms": round(page_ms, 1),
                "summary_ms": round(summary_ms, 1),
                "plans_tried": tried,
                "plan": plan,
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
            if page_ms > worst[1]:
                worst = (name, page_ms)
    finally:
        plans.close()
        store.close()
    print(
        json.dumps(
            {"worst_page": worst[0], "worst_page_ms": round(worst[1], 1)}, ensure_ascii=False
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
