"""A batch survives SIGKILL: the runner (a separate process) is killed mid-batch, started
again, reopens the unfinished batch from the store, settles what was in flight and continues;
the sandbox then holds each invoice exactly once. Also `invoicedesk issue FILE.xlsx`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from invoicedesk.cli import main
from invoicedesk.services.context import DB_NAME
from invoicedesk.store import Store
from tests.e2e.helpers import control, sandbox_invoices
from tests.e2e.test_cli import root_url
from tests.services.test_batch_io import GOOD, write_xlsx


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def sheet(path: Path, n: int) -> Path:
    rows: list[dict[str, object]] = [
        {"draft": f"D{i:02d}", **GOOD, "lines.amount": f"{100 + i}.00"} for i in range(n)
    ]
    return write_xlsx(path, rows)


def test_sigkill_mid_batch_then_resume_issues_each_once(
    sandbox: Any, data_dir: Path, tmp_path: Path
) -> None:
    n = 24
    assert (
        main(["--data-dir", str(data_dir), "profile", "sandbox", "--url", root_url(sandbox)]) == 0
    )
    book = sheet(tmp_path / "月末.xlsx", n)
    control(
        sandbox,
        "faults",
        {
            "vendor": "piaodanyun",
            "endpoint": "*",
            "kind": "latency",
            "rate": 1.0,
            "latency_ms": 150,
        },
    )
    argv = [
        sys.executable,
        "-m",
        "tests.services.batch_runner",
        str(data_dir),
        str(book),
        "piaodanyun",
    ]
    proc = subprocess.Popen(
        argv, env=child_env(), stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2]
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("created")
    issued = 0
    deadline = time.monotonic() + 60
    while issued < 4 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        issued += line.startswith("issued")
    proc.send_signal(signal.SIGKILL)  # mid-batch: some drafts are in flight right now
    proc.wait(timeout=30)
    proc.stdout.close()
    before = len(sandbox_invoices(sandbox, "piaodanyun"))
    assert 4 <= before < n

    control(sandbox, "faults", {"clear": True})
    done = subprocess.run(
        argv,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=100,
        cwd=Path(__file__).parents[2],
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("resumed") and lines[-1] == "finished", done.stderr[-2000:]

    theirs = sandbox_invoices(sandbox, "piaodanyun")
    assert len(theirs) == n and len({i["serial"] for i in theirs}) == n
    store = Store.open(data_dir / DB_NAME)
    try:
        assert store.open_batches() == []
        [items] = [store.batch_items(1)]
        assert [i.state for i in items] == ["issued"] * n
        assert {i.serial for i in items} == {i["serial"] for i in theirs}
        assert store.unresolved("piaodanyun") == []
    finally:
        store.close()


def test_issue_command_takes_a_workbook(
    sandbox: Any, data_dir: Path, tmp_path: Path, capsys: Any
) -> None:
    assert (
        main(["--data-dir", str(data_dir), "profile", "sandbox", "--url", root_url(sandbox)]) == 0
    )
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {"draft": "B", **GOOD, "lines.tax_rate": "0.99"},
        {"draft": "C", **GOOD, "lines.amount": "300.00"},
    ]
    book = write_xlsx(tmp_path / "b.xlsx", rows)
    capsys.readouterr()
    argv = ["--data-dir", str(data_dir), "issue", str(book), "--profile", "piaodanyun", "--json"]
    assert main(argv) == 1  # B cannot be issued
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    by_file = {x["file"].rsplit("#", 1)[1]: x for x in out}
    assert by_file["A"]["state"] == by_file["C"]["state"] == "ISSUED"
    assert by_file["B"]["state"] == "REJECTED" and "税率" in by_file["B"]["error"]["message"]
    assert len(sandbox_invoices(sandbox, "piaodanyun")) == 2
    # running it again resumes: nothing is issued twice
    main(argv)
    again = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert {x["invoice_no"] for x in again if x["state"] == "ISSUED"} == {
        by_file["A"]["invoice_no"],
        by_file["C"]["invoice_no"],
    }
    assert len(sandbox_invoices(sandbox, "piaodanyun")) == 2
