"""History page benchmark: the real page offscreen over a big store. Prints one JSON line.

    python benchmarks/history.py --rows 1000000

Builds the store with make_history_store.py (or reuses benchmarks/data/history-<rows>.sqlite
when it has the current schema; one of an older schema is made again, not migrated), then
measures:
- first_screen_ms: from asking for the page (service + page made, shown) until the table has
  painted its first page of rows;
- filter_median_ms / filter_worst_ms: 20 varied filter and sort changes applied to the model
  (what the filter bar emits after its 150 ms typing pause), each until the first page of the
  new answer is painted;
- max_stall_ms: the longest gap of a 2 ms QTimer heartbeat beyond its interval while a buyer
  name is typed into the filter field key by key (through the real debounce);
  max_stall_cpu_ms: the most GUI-thread CPU time spent within one gap (the thread's own work;
  a max_stall_ms far above it was time spent waiting for a core, i.e. machine load);
- rss_mb: resident memory with the table open and scrolled to the end through fetchMore (every
  row in the model), plus peak_rss_mb and model_rows.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2025, 6, 20)  # the generated history ends on 2025-06-30


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def ensure_store(rows: int, path: Path) -> None:
    """Make the store unless a file of the current schema is there. One of an older schema is
    made again rather than migrated: a migration leaves it unlike a new store of that version
    (statistics of rebuilt indexes missing or stale), which is not what is to be measured."""
    if path.exists():
        import sqlite3

        from invoicedesk.store import schema

        conn = sqlite3.connect(path)
        try:
            current = schema.version(conn) == schema.CURRENT_VERSION
        finally:
            conn.close()
        if current:
            return
        print(f"{path}: older schema, made again", file=sys.stderr)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    sys.path.insert(0, str(HERE))
    import make_history_store

    code = make_history_store.main(["--rows", str(rows), "--out", str(path)])
    if code:
        raise SystemExit(code)


def type_key(widget: Any, ch: str) -> None:
    """One typed character (QTest.keyClicks handles ASCII only), as the keyboard sends it."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
        )


class PaintWatch:
    """Resolves when the table's viewport paints after a given generation's first page."""

    def __init__(self, page: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.page = page
        self.loaded: set[int] = set()
        self.painted_at: dict[int, float] = {}
        page.model.firstPageLoaded.connect(self.loaded.add)
        watch = self

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    for gen in watch.loaded:
                        watch.painted_at.setdefault(gen, time.perf_counter())
                return False

        self._filter = Filter(page)
        page.view.viewport().installEventFilter(self._filter)

    async def painted(self, gen: int, timeout_s: float = 30.0) -> float:
        end = time.perf_counter() + timeout_s
        while gen not in self.painted_at:
            if time.perf_counter() > end:
                raise TimeoutError(f"generation {gen} never painted")
            await asyncio.sleep(0.001)
        return self.painted_at[gen]


def changes(page: Any) -> list[tuple[str, Callable[[], int]]]:
    """20 varied filter/sort changes; each returns the model generation it started."""
    from PySide6.QtCore import Qt

    from invoicedesk.store import InvoiceFilter
    from invoicedesk.ui.history.dates import quick_range

    m = page.model
    desc, asc = Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder

    def flt(**kw: Any) -> Callable[[], int]:
        def go() -> int:
            m.set_filter(InvoiceFilter(**kw))
            return int(m.generation)

        return go

    def sort(col: int, order: Qt.SortOrder) -> Callable[[], int]:
        def go() -> int:
            m.sort(col, order)
            return int(m.generation)

        return go

    def rng(kind: str) -> dict[str, dt.date]:
        a, b = quick_range(kind, TODAY)
        return {"date_from": a, "date_to": b}

    year = rng("this_year")
    return [
        ("本月", flt(**rng("this_month"))),
        ("上月", flt(**rng("last_month"))),
        ("本季度", flt(**rng("this_quarter"))),
        ("本年", flt(**year)),
        ("本年 by 价税合计", sort(8, desc)),
        ("all by 购买方 asc", lambda: (m.set_filter(InvoiceFilter()), sort(4, asc)())[1]),
        ("buyer 华信", flt(buyer="华信")),
        ("buyer 上海华信科技", flt(buyer="上海华信科技")),
        ("buyer taxid 91A3", flt(buyer="91A3")),
        ("status 已红冲", flt(statuses=("已红冲",))),
        ("red", flt(color="red")),
        ("red 本年", flt(color="red", **year)),
        ("type 81", flt(invoice_type="81")),
        ("total 1000-5000", flt(min_total=Decimal(1000), max_total=Decimal(5000))),
        ("account shop-faw", flt(profiles=("shop-faw",))),
        ("by 金额 asc", sort(6, asc)),
        ("by 发票号码 desc", sort(1, desc)),
        (
            "已红冲+81+shop-faw",
            flt(statuses=("已红冲",), invoice_type="81", profiles=("shop-faw",)),
        ),
        ("buyer 深圳 blue", flt(buyer="深圳", color="blue")),
        ("all by date desc", lambda: (m.set_filter(InvoiceFilter()), sort(0, desc)())[1]),
    ]


async def run(args: argparse.Namespace, out: dict[str, Any]) -> None:
    from PySide6.QtCore import QTimer

    from invoicedesk.services.history_query import HistoryQueryService
    from invoicedesk.store import Store
    from invoicedesk.ui.history.page import HistoryPage

    store = Store.open(args.store)
    try:
        t0 = time.perf_counter()
        page = HistoryPage(query=HistoryQueryService(store), today=lambda: TODAY)
        watch = PaintWatch(page)
        page.resize(1170, 740)
        page.show()  # the first query starts here
        first = await watch.painted(page.model.generation)
        out["first_screen_ms"] = round((first - t0) * 1000, 1)
        while page.model.summary is None:
            await asyncio.sleep(0.005)
        out["summary_ms"] = round((time.perf_counter() - t0) * 1000, 1)

        timings: dict[str, float] = {}
        for name, change in changes(page):
            await asyncio.sleep(0.05)
            a = time.perf_counter()
            gen = change()
            b = await watch.painted(gen)
            timings[name] = round((b - a) * 1000, 1)
            while page.model.summary is None or page.model.loading:
                await asyncio.sleep(0.005)
        values = sorted(timings.values())
        out["filter_median_ms"] = round(statistics.median(values), 1)
        out["filter_worst_ms"] = values[-1]
        out["filter_each_ms"] = timings

        # typing into the buyer field, key by key, with a heartbeat measuring loop stalls
        await asyncio.sleep(0.3)
        interval_ms = 2
        last = [time.perf_counter(), time.thread_time()]
        worst = [0.0, 0.0]

        def beat() -> None:
            now, cpu = time.perf_counter(), time.thread_time()
            worst[0] = max(worst[0], (now - last[0]) * 1000 - interval_ms)
            # the GUI thread's own work between two beats (a stall far above it was time spent
            # waiting for a core or the GIL, e.g. while other processes load the machine)
            worst[1] = max(worst[1], (cpu - last[1]) * 1000)
            last[0], last[1] = now, cpu

        heart = QTimer()
        heart.setInterval(interval_ms)
        heart.timeout.connect(beat)
        heart.start()
        edit = page.filters.buyer
        edit.setFocus()
        for text in ("上海华信科技", "91A3", "深圳恒通"):
            edit.clear()
            for ch in text:
                type_key(edit, ch)
                await asyncio.sleep(0.09)
            await asyncio.sleep(0.5)
        heart.stop()
        out["max_stall_ms"] = round(worst[0], 1)
        out["max_stall_cpu_ms"] = round(worst[1], 1)

        # everything: filter cleared, scrolled to the end through fetchMore
        edit.clear()
        from invoicedesk.store import InvoiceFilter

        page.model.set_filter(InvoiceFilter())
        while page.model.loading:
            await asyncio.sleep(0.01)
        model = page.model
        from PySide6.QtCore import QModelIndex

        t_scroll = time.perf_counter()
        while model.canFetchMore(QModelIndex()):
            before = model.rowCount()
            model.fetchMore(QModelIndex())
            while model.rowCount() == before and model.canFetchMore(QModelIndex()):
                await asyncio.sleep(0)
        page.view.scrollToBottom()
        await asyncio.sleep(0.2)
        out["scroll_to_end_s"] = round(time.perf_counter() - t_scroll, 1)
        out["model_rows"] = model.rowCount()
        out["model_rows_mb"] = round(model.rows_nbytes() / 2**20, 1)
        out["rss_mb"] = rss_mb()
        out["peak_rss_mb"] = rss_mb("VmHWM")
        page.shutdown()
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args(argv)
    args.store = args.store or HERE / "data" / f"history-{args.rows}.sqlite"
    ensure_store(args.rows, args.store)

    from PySide6.QtWidgets import QApplication

    from invoicedesk.ui.event_loop import QtEventLoop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = QtEventLoop(app)
    asyncio.set_event_loop(loop)
    out: dict[str, Any] = {"rows": args.rows}
    with loop:
        loop.run_until_complete(run(args, out))
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
