"""Issue 13, "Done when": `invoicedesk issue` / `reconcile` / `sync` against the sandbox, which
answers only what the documents show, make one invoice per draft (sent once, never again on a
second issue or a reconcile) and end ISSUED with the number, or ACCEPTED without one for FAW
(its document answers none). ws-invoice, which has no serial, has its own test in test_cli.py
under both readings of 发票金额."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.vendor_facts import flows
from tests.e2e.helpers import json_lines, sandbox_invoices, write_drafts
from tests.e2e.test_cli import cli, root_url
from tests.services.helpers import make_draft


@pytest.mark.parametrize("vendor", ["open-api", "piaodanyun", "faw"])
def test_issue_reconcile_sync_make_one_invoice_per_draft(
    sandbox: Any, data_dir: Path, tmp_path: Path, capsys: Any, vendor: str
) -> None:
    d = str(data_dir)
    assert cli(capsys, "--data-dir", d, "profile", "sandbox", "--url", root_url(sandbox))[0] == 0
    files = write_drafts(tmp_path / vendor, [make_draft(i) for i in range(3)])
    issue = ("--data-dir", d, "issue", *files, "--profile", vendor, "--json")
    code, out = cli(capsys, *issue)
    first = {x["file"]: x for x in json_lines(out)}
    assert code == 0 and len(first) == 3
    made = sandbox_invoices(sandbox, vendor)
    assert len(made) == 3
    if vendor == "faw":  # an order: accepted, no number (the platform issues later)
        assert {x["state"] for x in first.values()} == {"ACCEPTED"}
        assert {x["invoice_no"] for x in first.values()} == {None}
    else:
        assert {x["state"] for x in first.values()} == {"ISSUED"}
        assert {x["invoice_no"] for x in first.values()} == {i["number"] for i in made}
    assert len({x["serial"] for x in first.values()}) == 3

    code, out = cli(capsys, *issue)  # resumed: reported, nothing sent
    assert code == 0
    assert {x["file"]: (x["state"], x["serial"]) for x in json_lines(out)} == {
        f: (x["state"], x["serial"]) for f, x in first.items()
    }
    code, out = cli(capsys, "--data-dir", d, "reconcile", "--profile", vendor, "--json")
    assert code == 0 and json_lines(out) == []  # nothing left to settle
    if flows(vendor).sync:
        assert cli(capsys, "--data-dir", d, "sync", "--profile", vendor, "--json")[0] == 0
    assert len(sandbox_invoices(sandbox, vendor)) == 3
    code, out = cli(capsys, "--data-dir", d, "history", "--json")
    ours = [x for x in json_lines(out) if x.get("profile", vendor) == vendor]
    assert len(ours) == 3
