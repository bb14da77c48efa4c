"""`invoicedesk sandbox`: serve the five vendor simulators on loopback until Ctrl+C / SIGTERM.

Once listening it prints one JSON line and flushes:
  {"base_urls": {"open-api": "http://127.0.0.1:8765/open-api", ...},
   "control": "http://127.0.0.1:8765/_sandbox"}

--faults SPEC adds faults from the start, in the control API's form: a JSON object or a JSON
list of objects ({"vendor", "endpoint", "kind", "rate" | "count", "latency_ms"}), or a compact
comma-separated list of `vendor:endpoint:kind:rate` items, where rate is a probability 0–1 or
`xN` for the next N calls, e.g. `open-api:blue-invoices:http_500:x1,faw:*:latency:0.5`.
A compact latency item may add the milliseconds as a fifth part (`faw:*:latency:1:800`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="启动五家开票平台的本地模拟器",
        description="在本机启动五家开票平台的模拟器，打印一行 JSON（各平台地址和控制接口）。",
    )
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument(
        "--port", type=int, default=8765, help="端口（默认 8765；0 为任选空闲端口）"
    )
    parser.add_argument(
        "--state",
        metavar="DIR",
        help="保存模拟器状态（已开发票、红字确认单、额度）的文件夹：重启后仍可打开、同步和红冲"
        "之前的发票（默认不保存）",
    )
    parser.add_argument(
        "--faults",
        metavar="SPEC",
        help="启动时加入的故障：JSON 对象/数组，或 vendor:endpoint:kind:rate（逗号分隔，"
        "rate 为 0–1 的概率或 xN 表示接下来 N 次）",
    )


def parse_faults(spec: str) -> list[dict[str, Any]]:
    """The --faults argument as a list of fault objects; ValueError when malformed."""
    text = spec.strip()
    if text.startswith(("{", "[")):
        value = json.loads(text)
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(x, dict) for x in items):
            raise ValueError("every fault must be a JSON object")
        return items
    faults: list[dict[str, Any]] = []
    for item in filter(None, (x.strip() for x in text.split(","))):
        parts = item.split(":")
        if len(parts) not in (3, 4, 5):
            raise ValueError(f"expected vendor:endpoint:kind:rate, got {item!r}")
        fault: dict[str, Any] = {"vendor": parts[0], "endpoint": parts[1], "kind": parts[2]}
        rate = parts[3] if len(parts) > 3 else "1"
        if rate.startswith("x"):
            fault["count"] = int(rate[1:])
        else:
            fault["rate"] = float(rate)
        if len(parts) == 5:
            fault["latency_ms"] = int(parts[4])
        faults.append(fault)
    return faults


def run(args: argparse.Namespace) -> int:
    import signal
    import sys
    import threading

    from invoicedesk.sandbox.core import parse_fault
    from invoicedesk.sandbox.server import SandboxServer

    faults: list[dict[str, Any]] = []
    if args.faults:
        try:
            faults = parse_faults(args.faults)
            for fault in faults:
                parse_fault(fault)
        except ValueError as exc:
            print(f"--faults 格式错误：{exc}", file=sys.stderr)
            return 2
    try:
        state_dir = Path(args.state).expanduser() if args.state else None
        server = SandboxServer.start_in_thread(
            host=args.host, port=args.port, faults=faults, state_dir=state_dir
        )
    except OSError as exc:
        print(
            f"无法在 {args.host}:{args.port} 上启动模拟器：{exc.strerror or exc}", file=sys.stderr
        )
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(json.dumps({"base_urls": server.base_urls, "control": server.control_url}), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
