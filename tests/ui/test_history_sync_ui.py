"""The history page's 同步 button over the sandbox: the progress bar shows while pages come in,
then goes away, and the synced invoices are in the table with their count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from invoicedesk.services.context import AppServices
from invoicedesk.services.secrets import MemorySecretStore
from tests.conftest import run_in_loop

SEEDED = 150  # two pages of the signed-api list (100 a page)


@pytest.mark.slow  # a real sync over loopback with every invoice's details
def test_sync_button_fills_the_table(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> None:
    from invoicedesk.ui.history.page import HistoryPage

    reply = httpx.post(
        f"{sandbox.control_url}/seed", json={"count": SEEDED, "vendor": "signed-api"}, timeout=30
    )
    assert reply.json() == {"issued": SEEDED}

    async def open_services() -> AppServices:
        s = await AppServices.open(data_dir, MemorySecretStore(), vendor_timeout_s=10)
        await s.profiles.sandbox_profiles(sandbox.base_urls)
        return s

    services = run_in_loop(qtbot, qloop, open_services())
    page = HistoryPage(services, today=lambda: dt.date(2025, 6, 20))
    qtbot.addWidget(page)
    try:
        page.resize(1170, 740)
        page.show()
        qtbot.waitUntil(lambda: page.sync_combo.findData("signed-api") >= 0)
        assert page.model.rowCount() == 0 and page.sync_button.isEnabled()
        page.sync_combo.setCurrentIndex(page.sync_combo.findData("signed-api"))
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        # the sync reads the details of each invoice too, so it is busy long enough to see
        qtbot.waitUntil(page.sync_progress.isVisible)
        assert not page.sync_button.isEnabled() and page.sync_cancel.isVisible()
        qtbot.waitUntil(lambda: not page.sync_progress.isVisible(), timeout=60000)
        qtbot.waitUntil(
            lambda: (
                page.model.rowCount() == SEEDED
                and page.model.summary is not None
                and page.model.summary.count == SEEDED
            ),
            timeout=20000,
        )
        assert f"{SEEDED}" in page.summary_label.text()
        assert page.sync_button.isEnabled()
        numbers = {page.model.row_data(r).number for r in range(SEEDED)}
        assert len(numbers) == SEEDED
    finally:
        page.shutdown()
        run_in_loop(qtbot, qloop, services.aclose())
