"""草稿箱: search, open, duplicate, delete with undo, through the real store."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.drafts import DraftService
from invoicedesk.ui.main_window import MainWindow, Page
from tests.conftest import run_in_loop
from tests.ui.keys import type_text


def _draft(name: str) -> Draft:
    return Draft(buyer=Buyer(name=name), lines=[Line(name="*信息技术服务*软件开发服务")])


def test_search_delete_undo_duplicate_open(qtbot: Any, qloop: Any, drafts: DraftService) -> None:
    run_in_loop(qtbot, qloop, drafts.save(None, _draft("甲公司")))
    second = run_in_loop(qtbot, qloop, drafts.save(None, _draft("乙公司")))
    window = MainWindow(drafts)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    page = window.drafts_page
    assert page is not None

    window.show_page(Page.DRAFTS)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.search.setFocus()
    type_text(qtbot, page.search, "乙")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.selected_id() == second

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.undo_button.isVisibleTo(page)
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert not page.undo_button.isVisibleTo(page)

    page.table.selectRow(0)
    new_id = run_in_loop(qtbot, qloop, page.duplicate_selected())
    assert new_id and new_id != second
    assert page.model.rowCount() == 2

    page.table.selectRow(0)
    chosen = page.selected_id()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.form.draft_id == chosen)
    assert window.stack.currentIndex() == Page.ISSUE
    assert window.form.buyer_edits["name"].text() == "乙公司"
