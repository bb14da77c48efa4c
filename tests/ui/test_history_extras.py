"""The history page's last features: 同步完成 stays under the table after the refresh, print
information through the sandbox (signed-api only), totals never shown for another filter, and
the details of a blue invoice list the red ones reversing it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt

from invoicedesk.services.context import AppServices
from invoicedesk.services.history_query import HistoryQueryService
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store import InvoiceFilter, InvoiceRecord, Store
from invoicedesk.ui.history.model import HistoryModel
from tests.conftest import run_in_loop

NOW = dt.datetime(2025, 6, 20, 14, 30, 5)


def _open(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> AppServices:
    async def go() -> AppServices:
        s = await AppServices.open(data_dir, MemorySecretStore(), vendor_timeout_s=10)
        await s.profiles.sandbox_profiles(sandbox.base_urls)
        return s

    return run_in_loop(qtbot, qloop, go())


def test_sync_message_and_print_info(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> None:
    from invoicedesk.ui.history.page import HistoryPage
    from invoicedesk.ui.history.print_dialog import PrintInfoDialog

    reply = httpx.post(
        f"{sandbox.control_url}/seed", json={"count": 3, "vendor": "signed-api"}, timeout=30
    )
    assert reply.json() == {"issued": 3}
    services = _open(qtbot, qloop, sandbox, data_dir)
    # an invoice of an account whose platform keeps no print information
    services.store.upsert_invoice(
        InvoiceRecord(
            profile="open-api",
            vendor="open-api",
            number="99990000000000000001",
            serial="X1",
            issued_at="2025-01-02T10:00:00",
            amount=Decimal("10.00"),
            tax=Decimal("0.60"),
            total=Decimal("10.60"),
        )
    )
    page = HistoryPage(services, today=lambda: NOW.date(), now=lambda: NOW)
    qtbot.addWidget(page)
    try:
        page.resize(1170, 740)
        page.show()
        qtbot.waitUntil(lambda: page.sync_combo.findData("signed-api") >= 0)
        qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.model.loading)

        task = page.start_sync("signed-api")
        qtbot.waitUntil(task.done, timeout=30000)
        assert task.exception() is None
        # the refresh after the sync must not wipe the message
        qtbot.waitUntil(lambda: page.model.rowCount() == 4 and not page.model.loading)
        qtbot.waitUntil(lambda: page.model.summary is not None)
        assert page.message.text().startswith("同步完成")
        assert "新增 3 张" in page.message.text()

        rows = {page.model.row_data(r).profile: r for r in range(page.model.rowCount())}
        page.view.selectRow(rows["open-api"])
        assert not page.print_button.isEnabled()
        assert "签名开票" in page.print_button.toolTip()

        page.view.selectRow(rows["signed-api"])
        number = page.model.row_data(rows["signed-api"]).number
        assert page.print_button.isEnabled()

        # nothing filled in: a Chinese message, nothing sent
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.findChild(PrintInfoDialog) is not None)
        dialog = page.findChild(PrintInfoDialog)
        dialog.accept()
        qtbot.waitUntil(lambda: "至少填写一项" in page.message.text())
        assert "print" not in sandbox.state.invoices.get(number).extra

        qtbot.waitUntil(lambda: page.findChild(PrintInfoDialog) is None)
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.findChild(PrintInfoDialog) is not None)
        dialog = page.findChild(PrintInfoDialog)
        dialog.status.setCurrentIndex(dialog.status.findText("已打印"))
        dialog.time_check.setChecked(True)
        dialog.count.setValue(2)
        dialog.paper_no.setText("  04400123  ")
        dialog.accept()
        qtbot.waitUntil(lambda: page.message.text().startswith("已更新"), timeout=10000)
        assert sandbox.state.invoices.get(number).extra["print"] == {
            "print_status": "1",
            "print_time": "2025-06-20 14:30:05",
            "print_count": 2,
            "paper_invoice_no": "04400123",
        }
    finally:
        page.shutdown()
        run_in_loop(qtbot, qloop, services.aclose())


def _invoice(number: str, color: str, blue: str | None, day: str) -> InvoiceRecord:
    sign = Decimal(-1) if color == "red" else Decimal(1)
    return InvoiceRecord(
        profile="p",
        vendor="signed-api",
        number=number,
        serial=None,
        issued_at=f"{day}T09:00:00",
        amount=sign * Decimal("100.00"),
        tax=sign * Decimal("6.00"),
        total=sign * Decimal("106.00"),
        color=color,  # type: ignore[arg-type]
        blue_number=blue,
        status="已红冲" if color == "blue" else "正常",
        buyer_name="甲公司",
    )


def test_summary_is_never_the_previous_filters(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite")
    store.upsert_invoice(_invoice("B1", "blue", None, "2024-01-01"))
    store.upsert_invoice(_invoice("R1", "red", "B1", "2024-02-01"))
    query = HistoryQueryService(store)
    model = HistoryModel(query)
    seen: list[Any] = []
    model.summaryChanged.connect(seen.append)
    try:
        model.set_filter(InvoiceFilter())
        qtbot.waitUntil(lambda: model.summary is not None and not model.loading)
        assert model.summary is not None and model.summary.count == 2
        seen.clear()
        model.set_filter(InvoiceFilter(color="red"))
        # at once: the old totals are withdrawn (and the page greys them) ...
        assert model.summary is None and seen == [None]
        # ... until the new filter's totals arrive
        qtbot.waitUntil(lambda: model.summary is not None)
        assert (model.summary.count, model.summary.total) == (1, Decimal("-106.00"))
    finally:
        model.shutdown()
        query.close()
        store.close()


def test_details_of_a_blue_invoice_list_its_reds(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    from invoicedesk.ui.history.details import DetailsPanel

    store = Store.open(tmp_path / "d.sqlite")
    blue = store.upsert_invoice(_invoice("B1", "blue", None, "2024-01-01"))
    red2 = store.upsert_invoice(_invoice("R2", "red", "B1", "2024-03-01"))
    red1 = store.upsert_invoice(_invoice("R1", "red", "B1", "2024-02-01"))
    store.upsert_invoice(_invoice("R9", "red", "B7", "2024-02-01"))
    query = HistoryQueryService(store)
    try:
        details = run_in_loop(qtbot, qloop, query.details(blue))
        assert details is not None
        assert [r.id for r in details.reds] == [red1, red2]
        red = run_in_loop(qtbot, qloop, query.details(red1))
        assert red is not None and red.reds == () and red.blue is not None
        panel = DetailsPanel()
        qtbot.addWidget(panel)
        panel.show_details(details)
        html = panel.toHtml()
        assert f"invoice:{red1}" in html and f"invoice:{red2}" in html and "R2" in html
        clicked: list[int] = []
        panel.invoiceLinkActivated.connect(clicked.append)
        from PySide6.QtCore import QUrl

        panel.anchorClicked.emit(QUrl(f"invoice:{red2}"))
        assert clicked == [red2]
    finally:
        query.close()
        store.close()
