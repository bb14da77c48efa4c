"""Issue 14 in the window: one row per invoice (a v8 database with duplicates, migrated), the
状态 column's one vocabulary with a mark on flagged rows, the accounts and both versions of a
disagreeing report in the details, and a sort indicator that matches the order shown."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from invoicedesk.services.history_query import HistoryQueryService
from invoicedesk.store import InvoiceRecord, Store
from tests.conftest import machine_zone

FIXTURE = Path(__file__).parent.parent / "store" / "data" / "v8_duplicates.sqlite3"
N1, N2 = "26312000000000000101", "26312000000000000102"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = tmp_path / "invoicedesk.sqlite"
    shutil.copy(FIXTURE, db)
    with machine_zone("UTC"):  # the fixture's naive times were written in UTC
        s = Store.open(db)
    two = s.invoice_by_number(N2)
    assert two is not None
    # signed-api now reports other figures for the 专票: flagged, not applied
    s.merge_invoice(
        InvoiceRecord(
            profile="签名平台", vendor="signed-api", number=N2, serial=None,
            issued_at="2026-12-04", amount=Decimal("10000.00"), tax=Decimal("1300.00"),
            total=Decimal("11300.00"), buyer_name=two.buyer_name, source="synced",
            seller_tax_id=two.seller_tax_id,
        )
    )  # fmt: skip
    yield s
    s.close()


def _shot(widget: Any, name: str) -> None:
    folder = os.environ.get("INVOICEDESK_SHOTS")  # set to look at the page (README of tests)
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_history_shows_one_row_per_invoice_with_flag_accounts_and_versions(
    qtbot: Any, qloop: Any, store: Store
) -> None:
    from invoicedesk.ui.history.page import HistoryPage

    service = HistoryQueryService(store)
    page = HistoryPage(query=service)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4 and page.model.summary is not None)
    assert "共 4 张" in page.summary_label.text()
    # newest first, and the indicator says so: descending on the date column
    header = page.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0, Qt.SortOrder.DescendingOrder
    )  # fmt: skip
    tip = page.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "按开票日期从大到小（从新到旧）排列"
    dates = [page.model.row_data(r).issued_at for r in range(4)]
    assert dates[:3] == sorted(dates[:3], reverse=True) and dates[3] == ""
    status_col = 9
    texts = {
        page.model.row_data(r).number: page.model.index(r, status_col).data() for r in range(4)
    }
    assert texts[N1] == "正常" and texts[N2] == "⚠ 数据与平台不一致"
    assert texts[""] == "开票中"
    assert page.model.index(0, 0).data() == "2026-12-04 23:20"  # Beijing time
    row = next(r for r in range(4) if page.model.row_data(r).number == N2)
    page.view.selectRow(row)
    qtbot.waitUntil(lambda: page.details.details is not None)
    text = page.details.toPlainText()
    assert "数据与平台不一致" in text and "11,300.00" in text and "10,600.00" in text
    assert "见过这张发票的账户" in text and "开放平台" in text and "签名平台" in text
    _shot(page, "history-mismatch.png")
    from invoicedesk.ui.history.details import DetailsPanel

    alone = DetailsPanel()  # the whole details, as tall as it needs, to look at
    qtbot.addWidget(alone)
    alone.resize(560, 900)
    alone.show_details(page.details.details)
    alone.show()
    _shot(alone, "history-details-mismatch.png")
    one = next(r for r in range(4) if page.model.row_data(r).number == N1)
    page.view.selectRow(one)
    qtbot.waitUntil(lambda: "税局直连" in page.details.toPlainText())
    _shot(page, "history-accounts.png")
    page.shutdown()
    service.close()
