"""After a full run with faults, no demo secret appears in the data folder, the logs, the
journal/audit texts, the CSV export, the command output or any exception text."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.cli import main
from invoicedesk.services.context import AppServices
from invoicedesk.services.secrets import KeyringSecretStore
from invoicedesk.vendors.transport import install_log_redaction
from tests.e2e.helpers import (
    DEMO_SECRETS,
    ISSUING,
    clear_faults,
    inject,
    quick_hangs,
    write_drafts,
)
from tests.e2e.test_cli import root_url
from tests.services.helpers import make_draft


@pytest.mark.slow
def test_no_secret_anywhere_after_a_full_run(
    sandbox: Any, data_dir: Path, tmp_path: Path, caplog: Any, capsys: Any
) -> None:
    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    d = str(data_dir)
    assert main(["--data-dir", d, "profile", "sandbox", "--url", root_url(sandbox)]) == 0
    quick_hangs(sandbox)
    for vendor in ISSUING:
        inject(sandbox, vendor, 0.3)
    files = write_drafts(tmp_path / "drafts", [make_draft(i) for i in range(8)])
    for vendor in ISSUING:
        main(["--data-dir", d, "issue", *files, "--profile", vendor, "--json", "--timeout", "1"])
    clear_faults(sandbox)

    async def go() -> None:
        s = await AppServices.open(data_dir, KeyringSecretStore(), vendor_timeout_s=1)
        try:
            for vendor in ISSUING:
                for r in await s.issuing.reconcile_all(vendor):
                    texts.append(repr(r))
            for profile, call in (
                ("signed-api", s.history.sync("signed-api")),
                ("ws-invoice", s.history.sync("ws-invoice")),
                ("piaodanyun", s.account.credit_line("piaodanyun")),
            ):
                try:
                    texts.append(repr(await call))
                except Exception as exc:  # a missing simulator must not hide a leak
                    texts.append(f"{profile}: {exc!r} {exc}")
            # wrong credentials: the error texts must not echo what was sent
            await s.secret_store.set("open-api", "api_key", "wrong-key-123")
            await s.forget_vendor("open-api")
            try:
                await s.issuing.issue("open-api", make_draft(99))
            except Exception as exc:
                texts.append(f"{exc!r} {exc}")
            await s.audit.export_csv(tmp_path / "audit.csv")
            for row in s.store.audit_rows():
                texts.append(repr(row))
            for vendor in ISSUING:
                for r in s.store.unresolved(vendor):
                    texts.append(repr(r))
        finally:
            await s.aclose()

    asyncio.run(go())
    out = capsys.readouterr()
    texts += [out.out, out.err, caplog.text, (tmp_path / "audit.csv").read_text("utf-8-sig")]
    texts += [r.getMessage() + repr(r.args) for r in caplog.records]
    blobs = [p.read_bytes() for p in data_dir.rglob("*") if p.is_file()]
    assert blobs and "vendor_call" in "".join(texts)
    for secret in DEMO_SECRETS:
        for text in texts:
            assert secret not in text, f"{secret} leaked into a text"
        for blob in blobs:
            assert secret.encode() not in blob, f"{secret} leaked into the data folder"
