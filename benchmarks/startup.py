"""Time to first paint: `invoicedesk` against a bare PySide6 window showing a label.

Both are started as fresh processes, interleaved, offscreen, and timed from just before the
process is spawned to the moment the window receives its first paint event (the child prints
time.time() then and exits). Prints one JSON line: {"app_s", "bare_s", "ratio", "runs"}; the
figures are medians. Goal: ratio ≤ 1.3 (target ≤ 1.5).

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("first_paint", time.time(), flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False

app = QApplication(sys.argv)
label = QLabel("InvoiceDesk 数电票")
label.resize(1024, 700)
watcher = FirstPaint()
label.installEventFilter(watcher)
label.show()
app.exec()
"""


def first_paint_seconds(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("first_paint "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no first paint from {cmd[:3]}: {out.stdout[-500:]} {out.stderr[-1500:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INVOICEDESK_FIRST_PAINT_EXIT="1")
    bare_times, app_times = [], []
    with tempfile.TemporaryDirectory() as data_dir:
        app_cmd = [sys.executable, "-m", "invoicedesk", "--data-dir", data_dir]
        # one warm-up each so both read their files from the page cache
        first_paint_seconds([sys.executable, "-c", BARE], env)
        first_paint_seconds(app_cmd, env)
        for _ in range(args.runs):
            bare_times.append(first_paint_seconds([sys.executable, "-c", BARE], env))
            app_times.append(first_paint_seconds(app_cmd, env))
    bare = statistics.median(bare_times)
    app = statistics.median(app_times)
    print(
        json.dumps(
            {
                "app_s": round(app, 3),
                "bare_s": round(bare, 3),
                "ratio": round(app / bare, 2),
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
