"""The main window and the running program: welcome, accounts, sandbox, shutdown, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from invoicedesk.app import GuiApp
from invoicedesk.domain.models import Draft
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store.db import Store
from invoicedesk.ui.main_window import MINIMUM_SIZE, MainWindow, Page
from invoicedesk.vendors.base import Profile, Seller, VendorKey
from tests.conftest import run_in_loop
from tests.ui.keys import type_text

PROFILE = Profile(
    name="open-api",
    vendor=VendorKey.OPEN_API,
    base_url="http://127.0.0.1:1/open-api",
    seller=Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G"),
)


def test_welcome_without_account_then_the_form(qtbot: Any, qloop: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.issue_stack.currentWidget() is window.welcome
    assert window.windowTitle().startswith("InvoiceDesk — ")
    assert window.minimumSize() == MINIMUM_SIZE

    window.set_accounts([PROFILE], "open-api")
    assert window.issue_stack.currentWidget() is window.form
    assert window.windowTitle() == "InvoiceDesk — 演示科技有限公司（open-api）"
    status = window.account_label.text()
    assert "演示科技有限公司" in status and "91330106MA2H7Q3D1G" in status and "开放平台" in status

    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == Page.HISTORY
    window.nav.setCurrentRow(Page.ISSUE)
    assert window.stack.currentIndex() == Page.ISSUE


def test_window_destroyed_without_closing_keeps_the_draft(
    qtbot: Any, qloop: Any, drafts: Any, store: Store
) -> None:
    window = MainWindow(drafts)
    window.set_accounts([PROFILE], "open-api")
    window.show()
    qtbot.waitExposed(window)
    window.form.buyer_edits["name"].setFocus()
    type_text(qtbot, window.form.buyer_edits["name"], "窗口销毁公司")
    window.deleteLater()
    qtbot.waitUntil(lambda: len(store.list_drafts()) == 1)
    assert Draft.model_validate_json(store.list_drafts()[0].json).buyer.name == "窗口销毁公司"


def test_first_run_sandbox_typing_and_quit(qtbot: Any, qloop: Any, data_dir: Path) -> None:
    gui = GuiApp(data_dir, secret_store=MemorySecretStore(), handle_signals=False)
    run_in_loop(qtbot, qloop, gui.start())
    window = gui.window
    try:
        assert window.issue_stack.currentWidget() is window.welcome
        qtbot.mouseClick(window.welcome.sandbox_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.active_profile is not None, timeout=20000)
        assert window.active_profile.options.get("sandbox") == "1"
        assert window.issue_stack.currentWidget() is window.form
        assert window.account_combo.count() == 5
        assert "演示科技有限公司" in window.windowTitle()

        window.form.buyer_edits["name"].setFocus()
        type_text(qtbot, window.form.buyer_edits["name"], "退出前公司")
    finally:
        gui.request_quit()
        run_in_loop(qtbot, qloop, gui.finished())
    assert (data_dir / "ui.ini").exists()
    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        rows = store.list_drafts()
        assert [Draft.model_validate_json(r.json).buyer.name for r in rows] == ["退出前公司"]
        assert store.get_setting("ui.active_profile") == window.active_profile.name
    finally:
        store.close()


def test_sigterm_exits_zero(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INVOICEDESK_FIRST_PAINT_PRINT="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoicedesk", "--data-dir", str(tmp_path / "d")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("first_paint"), proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert (tmp_path / "d" / "ui.ini").exists()  # the shutdown path ran, not a plain kill
