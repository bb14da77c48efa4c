"""Time until `invoicedesk --sandbox` on a fresh data folder shows a working form.

Spawns the program offscreen (fresh data folder each run), timed from just before the spawn to
the moment start-up has finished with the invoice form showing and a sandbox account active
(the program prints `ready <time> form` then and quits). Prints one JSON line:
{"ready_s" (median), "max_s", "runs"}. Goal: ready_s < 2.

    python benchmarks/sandbox_ready.py [--runs 5]
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


def once() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INVOICEDESK_READY_PRINT="1")
        start = time.time()
        proc = subprocess.run(
            [sys.executable, "-m", "invoicedesk", "--sandbox", "--data-dir", f"{tmp}/d"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for line in proc.stdout.splitlines():
            if line.startswith("ready ") and line.endswith(" form"):
                return float(line.split()[1]) - start
        raise SystemExit(f"no ready line:\n{proc.stdout}\n{proc.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times = [once() for _ in range(runs)]
    print(
        json.dumps(
            {
                "ready_s": round(statistics.median(times), 3),
                "max_s": round(max(times), 3),
                "runs": runs,
            }
        )
    )


if __name__ == "__main__":
    main()
