"""Composition root of the GUI: the qasync loop, the services, the main window, and shutdown.

Start-up paints first: run_gui builds the main window's shell and lets it paint before
anything else is imported (asyncio, qasync, the services: see gui_app.py, where GuiApp lives).
This module therefore imports only the standard library (not even logging) and PySide6.

Shutdown has two phases (architecture.md): first, while the loop still runs, the form's draft
is saved, the layout remembered and the services closed; then the loop stops and the program
exits. Ctrl+Q, closing the window and SIGTERM/SIGINT all take that one path.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EARLY_SIGNALS: list[int] = []  # SIGTERM/SIGINT that came before GuiApp took them over
SETTINGS_FILE = "ui.ini"  # window geometry and layout, in the data folder (no secrets)


def run_gui(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_API", "pyside6")  # so that qasync picks PySide6
    from PySide6.QtWidgets import QApplication

    from invoicedesk.ui.preferences import apply_saved
    from invoicedesk.ui.theme import FUSION_ARGS

    made = QApplication.instance() is None
    app = QApplication.instance() or QApplication(sys.argv[:1] + FUSION_ARGS)
    assert isinstance(app, QApplication)
    app.setApplicationName("InvoiceDesk")
    app.setOrganizationName("InvoiceDesk")
    app.setQuitOnLastWindowClosed(False)
    data_dir = Path(args.data_dir)
    apply_saved(app, data_dir, fusion_started=made)  # language and theme, before any widget
    notice = ""
    while True:  # a second round only after 恢复数据: the services reopen on the restored data
        _hold_signals()  # a session ending during the paint still saves and exits 0
        window, settings = build_shell(data_dir)
        quit_early = paint_now(window)
        from invoicedesk.ui.theme import follow_system

        follow_system(app)
        from invoicedesk.logging_setup import setup_logging

        setup_logging(data_dir)  # after the paint: nothing is logged before it (idempotent)
        import asyncio

        from invoicedesk.gui_app import GuiApp
        from invoicedesk.ui.event_loop import QtEventLoop

        loop = QtEventLoop(app)
        asyncio.set_event_loop(loop)
        gui = GuiApp(data_dir, sandbox=bool(getattr(args, "sandbox", False)))
        gui.adopt_shell(window, settings, quit_early=quit_early)
        gui.start_notice = notice
        with loop:
            code: int = loop.run_until_complete(gui.run())
        if gui.restore_from is None:
            return code
        if gui.window is not None:
            gui.window.deleteLater()
        notice = restore_data_folder(gui.restore_from, data_dir)


def restore_data_folder(backup: Path, data_dir: Path) -> str:
    """Restore with everything closed (the log file too: it lives in the data folder)."""
    import logging  # not at the top: the first paint needs none of it (~6 ms)

    from invoicedesk.logging_setup import remove_logging, setup_logging

    log = logging.getLogger(__name__)
    from invoicedesk.services.backup import BackupError, restore_backup
    from invoicedesk.store.schema import CURRENT_VERSION

    remove_logging(data_dir)
    try:
        info = restore_backup(backup, data_dir, max_schema=CURRENT_VERSION)
    except (BackupError, OSError) as exc:
        setup_logging(data_dir)
        log.error("restore from %s failed: %s", backup, exc)
        if isinstance(exc, BackupError):
            return f"恢复失败，数据未改变：{exc}"
        reason = exc.strerror or "无法读写文件"
        return (
            f"恢复失败，数据未改变（{reason}）。请确认备份文件和数据文件夹可以读写，"
            "关闭其他使用这些文件的程序后再试。"
        )
    setup_logging(data_dir)
    log.info("restored the data folder from %s (made %s)", backup, info.created_at)
    return f"已从备份恢复数据（备份时间 {info.created_at.replace('T', ' ')}）。"


def _hold_signals() -> None:
    """Until GuiApp installs its handlers: note SIGTERM/SIGINT; GuiApp then quits cleanly."""
    import signal

    def hold(signum: int, _frame: Any) -> None:
        EARLY_SIGNALS.append(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, hold)


def build_shell(data_dir: Path) -> tuple[Any, Any]:
    """The main window as it first paints (navigation, status bar, a blank 开票 page) with its
    remembered geometry, and the layout settings."""
    from PySide6.QtCore import QSettings

    from invoicedesk.ui.main_window import MainWindow

    window = MainWindow(loading=True)
    settings = QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
    window.restore_layout(settings)
    return window, settings


def paint_now(window: Any, timeout_ms: int = 2000) -> bool:
    """Show the window and run Qt alone until it has painted (before the asyncio loop exists).
    True when benchmarks/startup.py asked to quit right after the paint."""
    from PySide6.QtCore import QEventLoop, QTimer

    local = QEventLoop()
    watch_first_paint(window, lambda: QTimer.singleShot(0, local.quit))
    QTimer.singleShot(timeout_ms, local.quit)  # no paint (no display): go on all the same
    window.show()
    local.exec()
    return os.environ.get("INVOICEDESK_FIRST_PAINT_EXIT") == "1"


def watch_first_paint(window: Any, on_paint: Callable[[], None]) -> None:
    """Call on_paint once the window has painted; for benchmarks/startup.py also print the
    moment (INVOICEDESK_FIRST_PAINT_EXIT / _PRINT)."""
    show_time = any(
        os.environ.get(f"INVOICEDESK_FIRST_PAINT_{k}") == "1" for k in ("EXIT", "PRINT")
    )
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                if show_time:
                    print("first_paint", time.time(), flush=True)
                on_paint()
            return False

    window.installEventFilter(FirstPaint(window))


def __getattr__(name: str) -> Any:
    """`from invoicedesk.app import GuiApp` (tests, older callers): loaded on use."""
    if name == "GuiApp":
        from invoicedesk.gui_app import GuiApp

        return GuiApp
    raise AttributeError(name)
