"""Exactly once across crashes: the `issue` command, a separate process, is killed with SIGKILL
at random moments while the sandbox injects faults, then started again until it finishes;
after `reconcile` the sandbox and our history hold the same invoices."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.cli import main
from invoicedesk.services.context import DB_NAME
from invoicedesk.store import Store
from tests.e2e.helpers import (
    ISSUING,
    assert_same_invoices,
    clear_faults,
    history_rows,
    inject,
    json_lines,
    quick_hangs,
    write_drafts,
)
from tests.e2e.test_cli import root_url
from tests.services.helpers import make_draft


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # no keyring in the child: sandbox profiles fall back to the public demo credentials,
    # nothing is written anywhere (see services/profiles.py)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def command(data_dir: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "invoicedesk", "--data-dir", str(data_dir), *argv]


def progress(data_dir: Path, vendor: str) -> tuple[int, int]:
    """(unsettled journal rows, invoices in history): changes whenever the child works."""
    if not (data_dir / DB_NAME).exists():
        return (0, 0)
    store = Store.open(data_dir / DB_NAME)
    try:
        return (len(store.unresolved(vendor)), len(history_rows(store, vendor)))
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("vendor", ISSUING)
def test_sigkill_at_random_moments(
    sandbox: Any, data_dir: Path, tmp_path: Path, vendor: str
) -> None:
    rng = random.Random(f"kill-{vendor}")
    n = 40
    assert (
        main(["--data-dir", str(data_dir), "profile", "sandbox", "--url", root_url(sandbox)]) == 0
    )
    files = write_drafts(tmp_path / "drafts", [make_draft(i) for i in range(n)])
    quick_hangs(sandbox)
    inject(sandbox, vendor, 0.3)
    issue = command(
        data_dir,
        "issue",
        *files,
        "--profile",
        vendor,
        "--json",
        "--timeout",
        "1.5",
        "--concurrency",
        "6",
    )
    kills = 0
    for _ in range(4):
        before = progress(data_dir, vendor)
        proc = subprocess.Popen(
            issue, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # wait until this run has moved the journal, then kill it a random moment later
        deadline = time.monotonic() + 60
        while proc.poll() is None and progress(data_dir, vendor) == before:
            assert time.monotonic() < deadline, "the issue command made no progress"
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))
        if proc.poll() is None:
            kills += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert kills >= 1
    clear_faults(sandbox)
    done = subprocess.run(issue, env=child_env(), capture_output=True, text=True, timeout=110)
    lines = json_lines(done.stdout)
    assert len(lines) == n, done.stderr[-2000:]
    rec = subprocess.run(
        command(data_dir, "reconcile", "--profile", vendor, "--json"),
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rec.returncode == 0, rec.stdout + rec.stderr[-2000:]
    assert done.returncode == 0 or all(
        x["state"] in ("ISSUED", "ACCEPTED") for x in json_lines(rec.stdout)
    )
    store = Store.open(data_dir / DB_NAME)
    try:
        assert store.unresolved(vendor) == []
        assert_same_invoices(sandbox, store, vendor, n)
    finally:
        store.close()


@pytest.mark.slow
def test_cli_as_subprocesses_without_a_keyring(
    sandbox: Any, data_dir: Path, tmp_path: Path
) -> None:
    """profile sandbox → issue → issue again → history, each its own process, no keyring."""

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command(data_dir, *argv), env=child_env(), capture_output=True, text=True, timeout=60
        )

    made = run("profile", "sandbox", "--url", root_url(sandbox))
    assert made.returncode == 0 and "内置的公开演示密码" in made.stdout
    files = write_drafts(tmp_path / "drafts", [make_draft(i) for i in range(3)])
    first = run("issue", *files, "--profile", "piaodanyun", "--json")
    assert first.returncode == 0, first.stderr[-2000:]
    lines = {x["file"]: x for x in json_lines(first.stdout)}
    assert {x["state"] for x in lines.values()} == {"ISSUED"}
    again = run("issue", *files, "--profile", "piaodanyun", "--json")
    assert {x["file"]: x["invoice_no"] for x in json_lines(again.stdout)} == {
        f: x["invoice_no"] for f, x in lines.items()
    }
    history = run("history", "--json")
    assert sorted(x["number"] for x in json_lines(history.stdout)) == sorted(
        x["invoice_no"] for x in lines.values()
    )
