"""Issue 19 item 13: after a crash the draft that was in the form reopens, and a banner says so;
after a clean quit the next start opens as usual."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from invoicedesk.app import GuiApp
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.services.session import FORM_DRAFT_SETTING, RUNNING_SETTING
from invoicedesk.store.db import Store
from tests.conftest import run_in_loop
from tests.ui.keys import type_text


def _start(qtbot: Any, qloop: Any, data_dir: Path) -> GuiApp:
    gui = GuiApp(data_dir, secret_store=MemorySecretStore(), handle_signals=False)
    run_in_loop(qtbot, qloop, gui.start())
    return gui


def _quit(qtbot: Any, qloop: Any, gui: GuiApp) -> None:
    gui.request_quit()
    run_in_loop(qtbot, qloop, gui.finished())


def _settings(data_dir: Path) -> tuple[str | None, str | None]:
    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        return store.get_setting(RUNNING_SETTING), store.get_setting(FORM_DRAFT_SETTING)
    finally:
        store.close()


def _crash_marker(data_dir: Path) -> None:
    """What a killed process leaves: the running marker it set at start-up, never cleared."""
    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        store.set_setting(RUNNING_SETTING, "1")
    finally:
        store.close()


def test_a_crashed_sessions_draft_reopens_with_a_banner(
    qtbot: Any, qloop: Any, data_dir: Path
) -> None:
    gui = _start(qtbot, qloop, data_dir)
    try:
        gui.window.show()
        form = gui.window.form
        form.buyer_edits["name"].setFocus()
        type_text(qtbot, form.buyer_edits["name"], "崩溃前的购买方")
        qtbot.waitUntil(lambda: form.draft_id is not None, timeout=10000)
        typed_id = form.draft_id
    finally:
        _quit(qtbot, qloop, gui)
    assert _settings(data_dir) == ("0", typed_id)  # a clean quit
    _crash_marker(data_dir)

    gui = _start(qtbot, qloop, data_dir)
    try:
        window = gui.window
        window.show()
        assert window.form.draft_id == typed_id
        assert window.form.draft().buyer.name == "崩溃前的购买方"
        assert window.notice_bar is not None and window.notice_bar.isVisible()
        text = window.notice_label.text()
        assert "没有正常退出" in text and "崩溃前的购买方" in text
        window.resize(1100, 700)
        qtbot.waitExposed(window)
        if shots := os.environ.get("INVOICEDESK_SCREENSHOT_DIR"):  # to look at it by eye
            window.grab().save(str(Path(shots) / "draft-reopened.png"))
        close = window.findChild(QPushButton, "noticeClose")
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        assert not window.notice_bar.isVisible()
    finally:
        _quit(qtbot, qloop, gui)

    gui = _start(qtbot, qloop, data_dir)  # the last quit was clean: nothing reopens
    try:
        assert gui.window.form.draft_id is None
        assert gui.window.notice_bar is None
    finally:
        _quit(qtbot, qloop, gui)


def test_an_issued_draft_is_not_reopened(qtbot: Any, qloop: Any, data_dir: Path) -> None:
    from invoicedesk.domain.models import Draft
    from invoicedesk.services.drafts import DraftService

    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        draft_id = DraftService(store).save_blocking(None, Draft(), status="issued")
        store.set_setting(FORM_DRAFT_SETTING, draft_id)
        store.set_setting(RUNNING_SETTING, "1")
    finally:
        store.close()
    gui = _start(qtbot, qloop, data_dir)
    try:
        assert gui.window.form.draft_id is None
        assert gui.window.notice_bar is None
    finally:
        _quit(qtbot, qloop, gui)


def test_a_killed_process_leaves_the_running_marker(tmp_path: Path) -> None:
    """SIGKILL gives the program no chance to clean up: the marker it set stays "1"."""
    data = tmp_path / "d"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", INVOICEDESK_READY_PRINT="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoicedesk", "--data-dir", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = 60.0
        start = time.monotonic()
        while time.monotonic() - start < deadline:
            if (data / "invoicedesk.sqlite3").exists() and _safe_running(data) == "1":
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _settings(data)[0] == "1"


def _safe_running(data: Path) -> str | None:
    try:
        return _settings(data)[0]
    except Exception:  # the database is being created by the other process
        return None
