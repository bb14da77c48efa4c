"""Batch import benchmark: a ROWS-row workbook imported through the real import page offscreen.
Prints one JSON line.

    python benchmarks/import_xlsx.py --rows 10000

The workbook (two rows per draft, the usual columns filled, made once into benchmarks/data/)
is imported with ImportPage.load, which parses and checks it in a worker process. Measured:
- dry_run_s: from asking for the import until the dry-run table has painted checked rows
  (the table paints a screen a band of rows per loop turn: the first band);
- max_stall_ms: the longest gap of a 2 ms QTimer heartbeat beyond its interval meanwhile.
Before the clock starts, as in the app: the tax catalog is loaded (the batch page does so when
it opens) and ImportPage.prepare_import() runs, which starts the import's worker process and
collects and freezes the heap: the page does so when its file dialog opens, so the process is
up by the time a file is picked; the benchmark calls load() directly, without the dialog.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

HERE = Path(__file__).resolve().parent


def make_workbook(rows: int, path: Path) -> None:
    from openpyxl import Workbook

    from invoicedesk.services.batch_io import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("发票")
    sheet.append(list(COLUMNS))
    for i in range(rows):
        row: dict[str, Any] = {
            "draft": f"D{i // 2:05d}",
            "lines.name": "*信息技术服务*软件开发服务",
            "lines.tax_code": "3040201010000000000",
            "lines.unit": "项",
            "lines.quantity": "1",
            "lines.unit_price": f"{100 + i % 97}.00",
            "lines.amount": f"{100 + i % 97}.00",
            "lines.tax_rate": "0.06",
        }
        if i % 2 == 0:
            row.update(
                {
                    "invoice_type": "82",
                    "buyer.name": f"测试客户{i // 2}有限公司",
                    "buyer.tax_id": "91110108MA01K2P4XY",
                    "remark": f"第{i // 2}号",
                }
            )
        sheet.append([row.get(c) for c in COLUMNS])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


class Heartbeat:
    def __init__(self, interval_ms: int = 2) -> None:
        from PySide6.QtCore import QTimer

        self.interval = interval_ms / 1000
        self.max_gap = 0.0
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.beat)

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def beat(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last - self.interval)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return round(self.max_gap * 1000, 1)


async def bench(path: Path) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject

    from invoicedesk.domain.catalog import default_catalog
    from invoicedesk.ui.batch.import_page import ImportPage

    await asyncio.to_thread(default_catalog)
    page = ImportPage()
    page.resize(1280, 720)
    page.show()
    painted: list[float] = []

    class Filter(QObject):
        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint and page.model.drafts:
                painted.append(time.perf_counter())
            return False

    watch = Filter(page)
    page.table.viewport().installEventFilter(watch)
    page.prepare_import()  # as opening the file dialog does
    await page.importer.warm()
    await asyncio.sleep(0.2)
    beat = Heartbeat()
    beat.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    ok = await page.load(path)
    cpu = time.process_time() - cpu0
    while not painted:
        await asyncio.sleep(0.001)
    dry_run = painted[0] - t0
    await asyncio.sleep(0.1)
    stall = beat.stop()
    drafts = len(page.model.drafts)
    errors = sum(1 for d in page.model.drafts if d.has_errors)
    await page.aclose()
    page.deleteLater()
    return {
        "benchmark": "import_xlsx",
        "ok": ok,
        "drafts": drafts,
        "drafts_with_errors": errors,
        "dry_run_s": round(dry_run, 3),
        "max_stall_ms": stall,
        # CPU seconds of the import (all threads): the dry run's floor on an idle machine
        "cpu_s": round(cpu, 3),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args(argv)
    path = HERE / "data" / f"batch-{args.rows}.xlsx"
    if not path.exists():
        make_workbook(args.rows, path)

    from PySide6.QtWidgets import QApplication

    from invoicedesk.ui.event_loop import QtEventLoop

    app = QApplication.instance() or QApplication([])
    QApplication.setQuitOnLastWindowClosed(False)  # a static setting
    loop = QtEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(bench(path))
    result["rows"] = args.rows
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
