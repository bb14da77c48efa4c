"""The headless commands, run in this process through invoicedesk.cli.main (the in-memory
keyring of conftest then carries the secrets from `profile sandbox` to `issue`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invoicedesk.cli import main
from tests.e2e.helpers import json_lines, sandbox_invoices, write_drafts
from tests.services.helpers import make_draft


def root_url(sandbox: Any) -> str:
    return str(sandbox.control_url).rsplit("/_sandbox", 1)[0]


def cli(capsys: Any, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_profile_issue_resume_history(
    sandbox: Any, data_dir: Path, tmp_path: Path, capsys: Any, memory_keyring: Any
) -> None:
    d = str(data_dir)
    code, out = cli(capsys, "--data-dir", d, "profile", "sandbox", "--url", root_url(sandbox))
    assert code == 0 and "open-api" in out
    assert ("InvoiceDesk", "open-api/api_key") in memory_keyring.items
    code, out = cli(capsys, "--data-dir", d, "profile", "list", "--json")
    assert sorted(x["name"] for x in json_lines(out)) == [
        "faw",
        "open-api",
        "piaodanyun",
        "signed-api",
        "ws-invoice",
    ]
    files = write_drafts(tmp_path / "drafts", [make_draft(i) for i in range(3)])
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")

    code, out = cli(capsys, "--data-dir", d, "issue", *files, "--profile", "open-api", "--json")
    lines = json_lines(out)
    assert code == 0
    assert sorted(x["file"] for x in lines) == sorted(files)
    for x in lines:
        assert set(x) == {
            "file",
            "state",
            "serial",
            "invoice_no",
            "invoice_date",
            "total",
            "error",
            "warning",
        }
        assert x["state"] == "ISSUED" and x["invoice_no"] and x["error"] is None
    first = {x["file"]: x for x in lines}

    # again: resumed, nothing new issued
    code, out = cli(capsys, "--data-dir", d, "issue", *files, "--profile", "open-api", "--json")
    assert code == 0
    for x in json_lines(out):
        assert x["invoice_no"] == first[x["file"]]["invoice_no"]
    assert len(sandbox_invoices(sandbox, "open-api")) == 3

    # --again issues a copy on purpose; a bad file is reported and makes the exit code 1
    code, out = cli(
        capsys,
        "--data-dir",
        d,
        "issue",
        files[0],
        str(bad),
        "--profile",
        "open-api",
        "--json",
        "--again",
    )
    assert code == 1
    by_file = {x["file"]: x for x in json_lines(out)}
    assert by_file[files[0]]["invoice_no"] != first[files[0]]["invoice_no"]
    assert by_file[str(bad)]["state"] == "REJECTED"
    assert by_file[str(bad)]["error"]["code"] == "bad_file"
    assert len(sandbox_invoices(sandbox, "open-api")) == 4

    code, out = cli(capsys, "--data-dir", d, "history", "--json")
    assert code == 0 and len(json_lines(out)) == 4
    code, out = cli(capsys, "--data-dir", d, "reconcile", "--profile", "open-api", "--json")
    assert code == 0 and json_lines(out) == []


def test_faw_exit_zero_when_accepted(
    sandbox: Any, data_dir: Path, tmp_path: Path, capsys: Any
) -> None:
    d = str(data_dir)
    assert main(["--data-dir", d, "profile", "sandbox", "--url", root_url(sandbox)]) == 0
    files = write_drafts(tmp_path / "drafts", [make_draft(1)])
    code, out = cli(capsys, "--data-dir", d, "issue", *files, "--profile", "faw", "--json")
    (line,) = json_lines(out)
    assert code == 0 and line["state"] == "ACCEPTED" and line["invoice_no"] is None


def test_unknown_profile_is_a_clear_message(data_dir: Path, tmp_path: Path, capsys: Any) -> None:
    files = write_drafts(tmp_path / "drafts", [make_draft(1)])
    code = main(["--data-dir", str(data_dir), "issue", *files, "--profile", "nope"])
    assert code == 2
    assert "找不到开票账户" in capsys.readouterr().err


@pytest.mark.parametrize("cmd", [["sync", "--profile", "faw"]])
def test_sync_unsupported_vendor(sandbox: Any, data_dir: Path, capsys: Any, cmd: list[str]) -> None:
    d = str(data_dir)
    assert main(["--data-dir", d, "profile", "sandbox", "--url", root_url(sandbox)]) == 0
    code = main(["--data-dir", d, *cmd])
    assert code == 1 and "不提供发票列表" in capsys.readouterr().err


@pytest.mark.parametrize("reading", ["total", "amount"])
def test_ws_invoice_issue_reconcile_sync_against_the_document_strict_sandbox(
    sandbox: Any, data_dir: Path, tmp_path: Path, capsys: Any, reading: str
) -> None:
    """The sandbox answers invoice_pdf with the documented fields only (no number): every draft
    is sent once, ends ISSUED, and gets its number through query_invoice, whichever way the
    platform reads 发票金额; a second issue, reconcile and sync send nothing more."""
    import httpx

    httpx.post(f"{sandbox.control_url}/settings", json={"ws_value_reading": reading})
    d = str(data_dir)
    assert cli(capsys, "--data-dir", d, "profile", "sandbox", "--url", root_url(sandbox))[0] == 0
    files = write_drafts(tmp_path / "ws", [make_draft(i) for i in range(3)])
    issue = ("--data-dir", d, "issue", *files, "--profile", "ws-invoice", "--json")
    code, out = cli(capsys, *issue)
    lines = json_lines(out)
    assert code == 0 and all(x["state"] == "ISSUED" for x in lines)
    numbers = {str(i["number"]) for i in sandbox_invoices(sandbox, "ws-invoice")}
    assert len(numbers) == 3 and {x["invoice_no"] for x in lines} == numbers
    code, out = cli(capsys, *issue)  # resumed, not sent again
    assert code == 0 and {x["invoice_no"] for x in json_lines(out)} == numbers
    code, out = cli(capsys, "--data-dir", d, "reconcile", "--profile", "ws-invoice", "--json")
    assert code == 0
    code, out = cli(capsys, "--data-dir", d, "sync", "--profile", "ws-invoice", "--json")
    assert code == 0
    code, out = cli(capsys, "--data-dir", d, "history", "--json")
    ours = [x for x in json_lines(out) if x.get("profile", "ws-invoice") == "ws-invoice"]
    assert len(sandbox_invoices(sandbox, "ws-invoice")) == 3
    assert {x["number"] for x in ours} == numbers
