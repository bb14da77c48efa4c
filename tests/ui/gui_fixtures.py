"""The running program over the session sandbox, for issuing / accounts / offline tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from invoicedesk.app import GuiApp
from invoicedesk.services.secrets import KeyringSecretStore
from invoicedesk.ui.invoice_form import InvoiceForm
from invoicedesk.ui.lines_model import Col
from tests.conftest import run_in_loop
from tests.ui.keys import type_text

BUYER_TAX_ID = "91110108MA01K2P4XY"  # the second valid demo ID of vendor-apis/README.md


@pytest.fixture
def gui(qtbot: Any, qloop: Any, data_dir: Path, sandbox: Any) -> Iterator[GuiApp]:
    """GuiApp started on a fresh data folder, the sandbox profiles pointing at the session
    sandbox (the keyring is the in-memory test keyring, as a real keyring would be)."""
    app = GuiApp(data_dir, secret_store=KeyringSecretStore(), handle_signals=False)
    run_in_loop(qtbot, qloop, app.start())
    app.sandbox_server = sandbox  # reuse the session's sandbox instead of a second one
    run_in_loop(qtbot, qloop, app.start_sandbox())
    app.window.resize(1280, 760)
    qtbot.waitExposed(app.window)
    app.window.activateWindow()
    try:
        yield app
    finally:
        app.sandbox_server = None  # the session fixture stops it, not the program
        app.request_quit()
        if app.controller.in_flight:
            run_in_loop(qtbot, qloop, app.controller.wait_idle(), 60000)
            app.request_quit()
        run_in_loop(qtbot, qloop, app.finished(), 60000)


def editor(qtbot: Any, form: InvoiceForm) -> QLineEdit:
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit) and form.table.isAncestorOf(widget)
    return widget


def type_draft(qtbot: Any, form: InvoiceForm, buyer: str, price: str = "150") -> None:
    """A whole draft by keyboard: buyer, tax ID, one line chosen by pinyin initials."""
    name = form.buyer_edits["name"]
    name.setFocus()
    type_text(qtbot, name, buyer)
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    type_text(qtbot, QApplication.focusWidget(), BUYER_TAX_ID)
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    cell = editor(qtbot, form)
    type_text(qtbot, cell, "rjkf")
    completer = cell.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    for _ in range(3):  # name -> tax code -> spec -> unit
        qtbot.keyClick(editor(qtbot, form), Qt.Key.Key_Tab)
    for text in ("项", "2", price):
        cell = editor(qtbot, form)
        cell.selectAll()
        type_text(qtbot, cell, text)
        qtbot.keyClick(cell, Qt.Key.Key_Tab)
    qtbot.keyClick(form.table, Qt.Key.Key_Escape)
    assert not form.has_errors(), [p.message for p in form.problems()]


def issue_through_preview(qtbot: Any, form: InvoiceForm) -> None:
    """开具 as the user does it: request the issue, then 开具 in the preview it opens."""
    form.request_issue()
    qtbot.waitUntil(lambda: form.preview is not None and form.preview.isVisible(), timeout=20000)
    assert form.preview is not None
    qtbot.mouseClick(form.preview.issue_button, Qt.MouseButton.LeftButton)
