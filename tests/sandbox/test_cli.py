"""`invoicedesk sandbox` as a subprocess: the ready JSON line, --faults, a clean SIGTERM stop."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicedesk.commands.sandbox import parse_faults


@contextmanager
def start(*extra: str) -> Iterator[subprocess.Popen[str]]:
    """The sandbox subprocess; killed if a test leaves it running, pipes always closed."""
    with subprocess.Popen(
        [sys.executable, "-m", "invoicedesk", "sandbox", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=15)


def ready_line(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdout is not None
    line = process.stdout.readline()
    result: dict[str, Any] = json.loads(line)
    return result


def test_prints_the_ready_line_and_stops_on_sigterm() -> None:
    with start("--faults", "faw:receiveInvoiceOrder:http_500:x1") as process:
        ready = ready_line(process)
        assert set(ready) == {"base_urls", "control"}
        assert set(ready["base_urls"]) == {
            "open-api",
            "ws-invoice",
            "piaodanyun",
            "signed-api",
            "faw",
        }
        port = ready["control"].split(":")[2].split("/")[0]
        assert ready["control"] == f"http://127.0.0.1:{port}/_sandbox"
        assert ready["base_urls"]["ws-invoice"] == f"ws://127.0.0.1:{port}/ws-invoice"
        faults = httpx.get(ready["control"] + "/faults").json()["faults"]
        assert [(f["vendor"], f["kind"], f["count"]) for f in faults] == [("faw", "http_500", 1)]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_stops_on_ctrl_c_with_exit_0() -> None:
    with start() as process:
        ready_line(process)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0


def test_bad_faults_exit_2_with_a_message() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "invoicedesk", "sandbox", "--port", "0", "--faults", "faw:x"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--faults" in result.stderr and result.stdout == ""


def test_parse_faults_forms() -> None:
    assert parse_faults("open-api:blue-invoices:http_500:x2, faw:*:latency:0.5:800") == [
        {"vendor": "open-api", "endpoint": "blue-invoices", "kind": "http_500", "count": 2},
        {"vendor": "faw", "endpoint": "*", "kind": "latency", "rate": 0.5, "latency_ms": 800},
    ]
    assert parse_faults('{"vendor": "faw", "kind": "malformed"}') == [
        {"vendor": "faw", "kind": "malformed"}
    ]
    assert parse_faults('[{"kind": "http_500"}]') == [{"kind": "http_500"}]
    with pytest.raises(ValueError):
        parse_faults("a:b")
    with pytest.raises(ValueError):
        parse_faults("[1]")


def test_state_dir_keeps_invoices_and_numbers_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with start("--state", str(state)) as process:
        control = ready_line(process)["control"]
        httpx.post(control + "/seed", json={"count": 3, "vendor": "signed-api"}).raise_for_status()
        before = {i["number"] for i in httpx.get(control + "/invoices").json()["invoices"]}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    assert len(before) == 3 and (state / "sandbox-state.pickle").is_file()
    with start("--state", str(state)) as process:
        control = ready_line(process)["control"]
        kept = {i["number"] for i in httpx.get(control + "/invoices").json()["invoices"]}
        assert kept == before  # yesterday's invoices are still there
        httpx.post(control + "/seed", json={"count": 2, "vendor": "signed-api"}).raise_for_status()
        now = {i["number"] for i in httpx.get(control + "/invoices").json()["invoices"]}
        assert len(now) == 5 and before < now  # new numbers, none reused
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_numbers_never_repeat_after_a_restart_without_state() -> None:
    numbers: list[str] = []
    for _ in range(2):
        with start() as process:
            control = ready_line(process)["control"]
            httpx.post(control + "/seed", json={"count": 2}).raise_for_status()
            numbers += [i["number"] for i in httpx.get(control + "/invoices").json()["invoices"]]
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0
    assert len(set(numbers)) == 4
