"""Print information (signed-api invoice.update) through the sandbox: fields checked before
anything is sent, a platform without it refused with a Chinese message, an unknown invoice
becomes the vendor's typed error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicedesk.services.context import AppServices
from invoicedesk.services.print_info import PrintInfo, PrintInfoError, PrintInfoService, wire_fields
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.vendors.base import NotSupported, VendorError
from tests.conftest import run_in_loop


def test_wire_fields() -> None:
    when = dt.datetime(2025, 1, 2, 3, 4, 5)
    assert wire_fields(PrintInfo(printed=False, print_time=when, print_count=0)) == {
        "print_status": "0",
        "print_time": "2025-01-02 03:04:05",
        "print_count": "0",
    }
    assert wire_fields(PrintInfo(paper_invoice_no=" 0123 ")) == {"paper_invoice_no": "0123"}
    with pytest.raises(PrintInfoError, match="至少填写一项"):
        wire_fields(PrintInfo(paper_invoice_no="   "))
    with pytest.raises(PrintInfoError, match="打印次数"):
        wire_fields(PrintInfo(print_count=-1))
    with pytest.raises(PrintInfoError, match="纸质发票号码最多 20"):
        wire_fields(PrintInfo(paper_invoice_no="1" * 21))


def test_update_through_the_sandbox(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> None:
    httpx.post(
        f"{sandbox.control_url}/seed", json={"count": 1, "vendor": "signed-api"}, timeout=30
    ).raise_for_status()
    (number,) = [x.number for x in sandbox.state.invoices.all()]

    async def go() -> AppServices:
        s = await AppServices.open(data_dir, MemorySecretStore(), vendor_timeout_s=10)
        await s.profiles.sandbox_profiles(sandbox.base_urls)
        return s

    services = run_in_loop(qtbot, qloop, go())
    service = PrintInfoService(services.vendor)
    try:
        sent = run_in_loop(qtbot, qloop, service.update("signed-api", number, PrintInfo(True)))
        assert sent == {"print_status": "1"}
        assert sandbox.state.invoices.get(number).extra["print"] == {"print_status": "1"}
        with pytest.raises(NotSupported) as refused:
            run_in_loop(qtbot, qloop, service.update("open-api", number, PrintInfo(True)))
        assert "签名开票接口" in refused.value.message
        with pytest.raises(VendorError) as unknown:
            run_in_loop(
                qtbot, qloop, service.update("signed-api", "1" * 20, PrintInfo(print_count=1))
            )
        assert "不存在" in unknown.value.message
    finally:
        run_in_loop(qtbot, qloop, services.aclose())
