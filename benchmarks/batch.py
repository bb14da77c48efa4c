"""Batch issuing benchmark: N drafts through the sandbox with added latency, the GUI progress page
open offscreen. Prints one JSON line.

    python benchmarks/batch.py --drafts 1000 --latency-ms 50 --concurrency 8

The sandbox runs in its own process (`invoicedesk sandbox`, a latency fault on every call of the
vendor), so its work does not compete with the GUI loop for the interpreter lock. Measured:
- achieved_per_s: drafts settled per second, from pressing start until the last one is settled;
- bound_per_s: what the concurrency limit allows, concurrency / latency; ratio = achieved/bound;
- call_ms: the vendor's own time for one call, measured here with a plain httpx client (median
  of 30 sequential calls with the same latency fault): the sandbox adds its own few ms to the
  fault's latency, so no client reaches bound_per_s. bound_measured_per_s = concurrency /
  call_ms and ratio_measured = achieved / that: how much of what the vendor allows we get;
- max_stall_ms: the longest gap of a 2 ms QTimer heartbeat beyond its interval during the run;
- duplicates: invoices the sandbox holds beyond one per draft (GET /_sandbox/invoices).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


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
        self.max_gap = 0.0
        self.timer.start()

    def beat(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last - self.interval)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return round(self.max_gap * 1000, 1)


def thread_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of each thread of this process, by native thread id."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the thread ended meanwhile
        out[int(tid)] = (int(fields[11]) + int(fields[12])) / ticks
    return out


def cpu_by_thread(
    before: dict[int, float], after: dict[int, float], drafts: int
) -> dict[str, float]:
    """CPU ms per draft of the main (GUI) thread, the issuing store thread and all others."""
    import threading

    names = {t.native_id: t.name for t in threading.enumerate()}
    out = {"gui": 0.0, "issuing_store": 0.0, "other": 0.0}
    for tid, cpu in after.items():
        name = names.get(tid, "")
        key = (
            "gui" if tid == os.getpid() else "issuing_store" if name == "issuing-store" else "other"
        )
        out[key] += cpu - before.get(tid, 0.0)
    return {k: round(v / drafts * 1000, 2) for k, v in out.items()}


def start_sandbox(vendor: str, latency_ms: int) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    fault = json.dumps(
        {"vendor": vendor, "endpoint": "*", "kind": "latency", "rate": 1, "latency_ms": latency_ms}
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoicedesk", "sandbox", "--port", "0", "--faults", fault],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    info = json.loads(proc.stdout.readline())
    return proc, info


def make_drafts(n: int) -> list[Any]:
    from invoicedesk.domain import money
    from invoicedesk.domain.models import Buyer, Draft, Line
    from invoicedesk.services.batch_io import ImportedDraft

    out = []
    for i in range(n):
        total = Decimal("100.00") + Decimal(i) / 100
        d = ImportedDraft(label=f"D{i:04d}", rows=[i + 2], cells=[])
        d.draft = Draft(
            buyer=Buyer(name=f"测试客户{i}有限公司", tax_id="91110108MA01K2P4XY"),
            lines=[
                Line(
                    name="*信息技术服务*软件开发服务",
                    tax_code="3040201010000000000",
                    amount=f"{total:.2f}",
                    tax_rate="0.06",
                )
            ],
        )
        d.totals = money.compute_totals(d.draft)
        out.append(d)
    return out


async def one_call_ms(info: dict[str, Any], vendor: str) -> float | None:
    """Median time of one plain call to the vendor under the same latency fault (piaodanyun's
    token call; other vendors: not measured)."""
    import statistics

    import httpx

    if vendor != "piaodanyun":
        return None
    url = info["base_urls"][vendor] + "/obtainToken"
    form = {"phone": "13800000000", "pass": "sandbox-password", "tenant_id": "1"}
    form["token_type"] = "TaxApi"
    times = []
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(30):
            t0 = time.perf_counter()
            (await client.post(url, data=form)).raise_for_status()
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


async def bench(args: argparse.Namespace, info: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    import httpx

    from invoicedesk.logging_setup import setup_logging
    from invoicedesk.services.context import AppServices
    from invoicedesk.services.issuing import IssueSettings
    from invoicedesk.services.secrets import MemorySecretStore
    from invoicedesk.ui.batch.page import BatchPage

    setup_logging(data_dir)  # the log file as the program has it (what it writes costs CPU)
    settings = IssueSettings(concurrency=args.concurrency)
    services = await AppServices.open(data_dir, MemorySecretStore(), issue_settings=settings)
    try:
        call_ms = await one_call_ms(info, args.vendor)
        await services.profiles.sandbox_profiles(info["base_urls"])
        await services.account.sandbox_tax_login(args.vendor)
        page = BatchPage(services)
        page.resize(1280, 720)
        page.show()
        await page.batches.set_concurrency(args.vendor, args.concurrency)
        drafts = await asyncio.to_thread(make_drafts, args.drafts)
        batch_id = await page.batches.create(args.vendor, "bench.xlsx", drafts)
        await page.show_batch(batch_id)
        await services.vendor(args.vendor)  # the client made before the clock starts
        beat = Heartbeat()
        beat.start()
        t0, cpu0, threads0 = time.perf_counter(), time.process_time(), thread_cpu()
        await page.run()
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        by_thread = cpu_by_thread(threads0, thread_cpu(), args.drafts)
        stall = beat.stop()
        states = [v.state for v in page.batches.items(batch_id)]
        await page.aclose()
        page.deleteLater()
        async with httpx.AsyncClient() as client:
            reply = await client.get(f"{info['control']}/invoices", timeout=30)
        theirs = [i for i in reply.json()["invoices"] if i["vendor"] == args.vendor]
    finally:
        await services.aclose()
    bound = args.concurrency / (args.latency_ms / 1000)
    measured_bound = args.concurrency / (call_ms / 1000) if call_ms else bound
    achieved = args.drafts / elapsed
    serials = [i["serial"] for i in theirs]
    return {
        "benchmark": "batch",
        "vendor": args.vendor,
        "drafts": args.drafts,
        "latency_ms": args.latency_ms,
        "concurrency": args.concurrency,
        "seconds": round(elapsed, 2),
        "achieved_per_s": round(achieved, 1),
        "bound_per_s": round(bound, 1),
        "ratio": round(achieved / bound, 3),
        "call_ms": None if call_ms is None else round(call_ms, 1),
        "bound_measured_per_s": None if call_ms is None else round(measured_bound, 1),
        "ratio_measured": None if call_ms is None else round(achieved / measured_bound, 3),
        "max_stall_ms": stall,
        # CPU seconds this process (GUI + services, all threads) used per draft: with an idle
        # core the rate cannot exceed 1 / this, whatever the concurrency
        "cpu_ms_per_draft": round(cpu / args.drafts * 1000, 2),
        # the same by thread (/proc's tick-granular figures: they add up to about the above)
        "cpu_ms_per_draft_by_thread": by_thread,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "issued": states.count("issued"),
        "duplicates": (len(serials) - len(set(serials))) + max(0, len(theirs) - args.drafts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--drafts", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--vendor", default="piaodanyun")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from invoicedesk.ui.event_loop import QtEventLoop

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = QtEventLoop(app)
    asyncio.set_event_loop(loop)
    proc, info = start_sandbox(args.vendor, args.latency_ms)
    try:
        with tempfile.TemporaryDirectory() as tmp, loop:
            result = loop.run_until_complete(bench(args, info, Path(tmp)))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
