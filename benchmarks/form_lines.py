"""A 1,000-line invoice in the form: the time to add a line (添加行) and to type one character
in 备注, offscreen, each including the event processing that follows. Prints one JSON line:
{"lines", "add_line_ms", "remark_key_ms", "check_ms", "open_ms"}; medians over the runs.
Goal: add_line_ms ≤ 15 and remark_key_ms ≤ 16 (one frame at 60 Hz); check_ms (totals and
problems, run once typing pauses for 150 ms) ≤ 250; open_ms ≤ 500.

    python benchmarks/form_lines.py [--lines 1000] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from invoicedesk.domain.models import Buyer, Draft, Line
    from invoicedesk.ui.invoice_form import InvoiceForm

    app = QApplication(sys.argv)
    form = InvoiceForm(None)
    form.resize(1200, 720)
    form.show()
    QTest.qWaitForWindowExposed(form)
    line = Line(
        name="*信息技术服务*软件开发服务",
        tax_code="3040201010000000000",
        quantity="2",
        unit_price="150",
        amount="300.00",
        tax_rate="0.06",
    )
    draft = Draft(buyer=Buyer(name="测试购买方有限公司"), lines=[line] * args.lines)
    start = time.perf_counter()
    form.set_draft(draft, "bench")
    app.processEvents()
    open_ms = (time.perf_counter() - start) * 1000

    def timed(action: object) -> float:
        start = time.perf_counter()
        action()  # type: ignore[operator]
        app.processEvents()
        return (time.perf_counter() - start) * 1000

    adds = []
    for _ in range(args.runs):
        form.table.setFocus()
        form.table.setCurrentIndex(form.model.index(form.model.rowCount() - 1, 1))
        adds.append(timed(form.actions_by_name["add"].trigger))
        QTest.keyClick(form.table, Qt.Key.Key_Escape)
    form.remark_edit.setFocus()
    keys = [timed(lambda: QTest.keyClick(form.remark_edit, Qt.Key.Key_A)) for _ in range(args.runs)]
    QTest.qWait(300)  # let the coalesced check run
    checks = []
    for _ in range(5):
        QTest.keyClick(form.remark_edit, Qt.Key.Key_B)
        checks.append(timed(form.problems))  # the check that runs once typing pauses
    print(
        json.dumps(
            {
                "lines": args.lines,
                "add_line_ms": round(statistics.median(adds), 1),
                "remark_key_ms": round(statistics.median(keys), 1),
                "check_ms": round(statistics.median(checks), 1),
                "open_ms": round(open_ms, 1),
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
