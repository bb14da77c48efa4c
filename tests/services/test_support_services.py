"""Audit, files, history sync (progress, cancel, cursor), account cache, AppServices."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.account import AccountService
from invoicedesk.services.audit import AuditLog, SecretRegistry
from invoicedesk.services.context import AppServices, MissingSecret
from invoicedesk.services.files import file_name, sanitize
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store import Store
from invoicedesk.vendors.base import CreditLine, VendorKey
from tests.e2e.helpers import history_rows, open_services
from tests.services.helpers import ScriptedVendor, getter, make_draft, profile


def test_file_names_are_safe_everywhere() -> None:
    assert sanitize('a/b\\c:d*e?"f<g>h|i') == "a_b_c_d_e_f_g_h_i"
    assert sanitize("CON") == "_CON" and sanitize(" . ") == "_"
    name = file_name(
        "{date}_{number}_{buyer}.{ext}",
        {"date": "2026-05-20", "number": "1234", "buyer": "杭州/某某:公司", "ext": "pdf"},
    )
    assert name == "2026-05-20_1234_杭州_某某_公司.pdf"
    long = file_name("{buyer}.{ext}", {"buyer": "长" * 400, "ext": "ofd"})
    assert len(long) <= 150 and long.endswith(".ofd")
    # a broken template falls back to the default rather than failing the download
    assert (
        file_name("{nope}", {"date": "d", "number": "n", "buyer": "b", "ext": "xml"}) == "d_n_b.xml"
    )


def test_audit_scrubs_secrets_and_exports_csv(data_dir: Path, tmp_path: Path) -> None:
    store = Store.open(data_dir / "db.sqlite3")
    secrets = SecretRegistry()
    secrets.add("hunter2-very-secret")
    log = AuditLog(store, secrets)

    async def go() -> None:
        log.on_call("p")("piaodanyun", "blueTicket", 12.4, "ok")
        await log.record(
            "journal",
            profile="p",
            serial="S1",
            outcome="UNKNOWN",
            detail="echo sellerLoginPassword=hunter2-very-secret&x=1",
        )
        await log.drain()
        assert await log.export_csv(tmp_path / "audit.csv") == 2

    asyncio.run(go())
    store.close()
    text = (tmp_path / "audit.csv").read_text("utf-8-sig")
    assert "hunter2-very-secret" not in text
    rows = list(csv.DictReader(text.splitlines()))
    by_event = {r["event"]: r for r in rows}
    assert sorted(by_event) == ["journal", "vendor_call"]
    call = by_event["vendor_call"]
    assert call["endpoint"] == "blueTicket" and call["duration_ms"] == "12"
    assert call["profile"] == "p" and by_event["journal"]["serial"] == "S1"


def test_account_cache_keeps_time_of_reading(data_dir: Path) -> None:
    calls = []

    class Credit(ScriptedVendor):
        async def credit_line(self) -> CreditLine:
            from decimal import Decimal

            calls.append(1)
            return CreditLine(total=None, used=None, left=Decimal(len(calls)))

    now = [dt.datetime(2026, 5, 20, 10, 0, 0)]
    svc = AccountService(None, getter(Credit(profile())), clock=lambda: now[0])
    first = asyncio.run(svc.credit_line("p"))
    assert first.read_at == now[0] and asyncio.run(svc.credit_line("p")) is first
    now[0] += dt.timedelta(minutes=10)
    second = asyncio.run(svc.credit_line("p"))
    assert second.value.left == 2 and second.read_at == now[0]
    assert svc.cached_credit_line("p") is second


def test_missing_secret_is_a_typed_error_and_aclose_twice(data_dir: Path) -> None:
    async def go() -> None:
        s = await AppServices.open(data_dir, MemorySecretStore())
        from invoicedesk.vendors.base import Profile, Seller

        await s.profiles.save(
            Profile(
                "real", VendorKey.FAW, "https://faw.example.com", Seller("s", "91330106MA2H7Q3D1G")
            )
        )
        _, vendor = await s.vendor("real")
        with pytest.raises(MissingSecret) as info:
            await vendor.secrets("token")
        assert "访问令牌" in info.value.message
        await s.aclose()
        await s.aclose()

    asyncio.run(go())


def test_sync_reports_progress_stops_on_cancel_and_resumes(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            await s.issuing.issue_many("ws-invoice", [make_draft(i) for i in range(5)])
            _, vendor = await s.vendor("ws-invoice")
            vendor.page_size = 2  # type: ignore[attr-defined]
            seen: list[Any] = []
            cancel = asyncio.Event()

            def progress(p: Any) -> None:
                seen.append(p)
                cancel.set()

            first = await s.history.sync("ws-invoice", progress=progress, cancel=cancel)
            assert first.cancelled and first.pages == 1 and seen[0].seen == 2
            assert s.store.get_cursor("ws-invoice", "history")
            rest = await s.history.sync("ws-invoice")
            assert not rest.cancelled and rest.pages >= 2
            assert len(history_rows(s.store, "ws-invoice")) == 5
        finally:
            await s.aclose()

    asyncio.run(go())
