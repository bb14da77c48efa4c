"""Composition root of the GUI: the qasync loop, the services, the main window, and shutdown.

Shutdown has two phases (architecture.md): first, while the loop still runs, the form's draft
is saved, the layout remembered and the services closed; then the loop stops and the program
exits. Ctrl+Q, closing the window and SIGTERM/SIGINT all take that one path.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SETTINGS_FILE = "ui.ini"  # window geometry and layout, in the data folder (no secrets)
ACTIVE_PROFILE_SETTING = "ui.active_profile"


def run_gui(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_API", "pyside6")  # so that qasync picks PySide6
    import qasync
    from PySide6.QtWidgets import QApplication

    from invoicedesk.logging_setup import setup_logging
    from invoicedesk.ui.preferences import apply_saved

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("InvoiceDesk")
    app.setOrganizationName("InvoiceDesk")
    app.setQuitOnLastWindowClosed(False)
    data_dir = Path(args.data_dir)
    setup_logging(data_dir)
    apply_saved(app, data_dir)  # language and theme, before the first widget
    notice = ""
    while True:  # a second round only after 恢复数据: the services reopen on the restored data
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        gui = GuiApp(data_dir, sandbox=bool(getattr(args, "sandbox", False)))
        gui.start_notice = notice
        with loop:
            code: int = loop.run_until_complete(gui.run())
        if gui.restore_from is None:
            return code
        if gui.window is not None:
            gui.window.deleteLater()
        notice = _restore(gui.restore_from, data_dir)


def _restore(backup: Path, data_dir: Path) -> str:
    """Restore with everything closed (the log file too: it lives in the data folder)."""
    from invoicedesk.logging_setup import remove_logging, setup_logging
    from invoicedesk.services.backup import BackupError, restore_backup
    from invoicedesk.store.schema import CURRENT_VERSION

    remove_logging(data_dir)
    try:
        info = restore_backup(backup, data_dir, max_schema=CURRENT_VERSION)
    except (BackupError, OSError) as exc:
        setup_logging(data_dir)
        log.error("restore from %s failed: %s", backup, exc)
        return f"恢复失败，数据未改变：{exc}"
    setup_logging(data_dir)
    log.info("restored the data folder from %s (made %s)", backup, info.created_at)
    return f"已从备份恢复数据（备份时间 {info.created_at.replace('T', ' ')}）。"


class GuiApp:
    """The running program: services, window, sandbox, and the way out.

    Tests drive it without run(): `await start()`, then `request_quit()` and `await finished()`.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        sandbox: bool = False,
        secret_store: Any = None,
        handle_signals: bool = True,
    ) -> None:
        self.data_dir = data_dir
        self.handle_signals = handle_signals
        self.want_sandbox = sandbox
        self.secret_store = secret_store
        self.services: Any = None
        self.window: Any = None
        self.sandbox_server: Any = None
        self.exit_code = 0
        self._quit: asyncio.Future[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._signal_sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier: Any = None
        self._closed = False
        self.history_page: Any = None
        self.batch_page: Any = None
        self.restore_from: Path | None = None  # set by 恢复数据; run_gui restores after the quit
        self.start_notice = ""
        self.menus: Any = None

    # ---- start -----------------------------------------------------------------------------

    async def run(self) -> int:
        try:
            await self.start()
        except BaseException:
            await self.shutdown()  # close what did open, then let the error out
            raise
        await self.finished()
        return self.exit_code

    async def start(self) -> None:
        from PySide6.QtCore import QSettings, Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        from invoicedesk.services.context import AppServices
        from invoicedesk.services.drafts import DraftService
        from invoicedesk.services.secrets import MemorySecretStore, NoKeyring, default_secret_store
        from invoicedesk.ui.main_window import MainWindow

        self._quit = asyncio.get_running_loop().create_future()
        if self.handle_signals:  # first: a SIGTERM during start-up also takes the quit path
            self._install_signal_handlers()
        secrets = self.secret_store
        keyring_notice = ""
        if secrets is None:
            try:
                secrets = await asyncio.to_thread(default_secret_store)
            except NoKeyring as exc:
                # the sandbox still works (demo secrets); the accounts dialog offers "this
                # session only" for real accounts
                secrets, keyring_notice = MemorySecretStore(), exc.message
        self.services = await AppServices.open(self.data_dir, secrets)
        self.drafts = DraftService(self.services.store)
        window = MainWindow(self.drafts)
        self.window = window
        from invoicedesk.ui.history.page import HistoryPage
        from invoicedesk.ui.main_window import Page

        self.history_page = HistoryPage(self.services)
        window.mount(Page.HISTORY, self.history_page)
        from invoicedesk.ui.batch.page import BatchPage

        self.batch_page = BatchPage(self.services)
        window.mount(Page.BATCH, self.batch_page)
        self._spawn(self._restore_batch())
        window.close_handler = self.request_quit
        self.settings = QSettings(str(self.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)
        window.restore_layout(self.settings)
        from invoicedesk.ui import menus

        self.menus = menus.install(window, self)
        quit_shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
        quit_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_shortcut.activated.connect(self.request_quit)
        window.sandboxRequested.connect(lambda: self._spawn(self.start_sandbox()))
        window.addAccountRequested.connect(self._add_account)
        window.accountChosen.connect(lambda name: self._spawn(self.choose_account(name)))
        _watch_first_paint(window, self)
        window.show()
        if keyring_notice:
            window.statusBar().showMessage(keyring_notice, 15000)

        profiles = await self.services.profiles.list_all()
        active = await asyncio.to_thread(self.services.store.get_setting, ACTIVE_PROFILE_SETTING)
        window.set_accounts(profiles, active)
        chosen = window.active_profile
        if self.want_sandbox or (chosen is not None and chosen.options.get("sandbox") == "1"):
            await self.start_sandbox()

    async def start_sandbox(self) -> None:
        """Serve the vendor simulators on loopback and (re)point the sandbox profiles at them."""
        window = self.window
        if self.sandbox_server is None:
            window.welcome.status.setText(window.tr("正在启动沙箱…"))
            from invoicedesk.sandbox.server import SandboxServer

            self.sandbox_server = await asyncio.to_thread(
                SandboxServer.start_in_thread, host="127.0.0.1", port=0
            )
        profiles = await self.services.profiles.sandbox_profiles(
            self.sandbox_server.base_urls, store_secrets=False
        )
        for profile in profiles:
            await self.services.forget_vendor(profile.name)  # the port changed
        active = window.active_profile
        if active is None or active.options.get("sandbox") != "1":
            active = profiles[0]
        await self.choose_account(active.name)
        window.welcome.status.setText("")

    async def choose_account(self, name: str) -> None:
        # TODO(issue 5, issuing step): refuse while an issue is in flight
        profiles = await self.services.profiles.list_all()
        self.window.set_accounts(profiles, name)
        await asyncio.to_thread(self.services.store.set_setting, ACTIVE_PROFILE_SETTING, name)

    def _add_account(self) -> None:
        from invoicedesk.ui.main_window import Page

        # TODO(issue 5, accounts step): open the accounts dialog here
        self.window.show_page(Page.SETTINGS)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background step failed", exc_info=task.exception())
            if self.window is not None:
                self.window.statusBar().showMessage(str(task.exception()), 10000)

    # ---- the way out -----------------------------------------------------------------------

    def request_quit(self) -> None:
        """Ctrl+Q, the window's close button, SIGTERM: start the two-phase shutdown once."""
        # TODO(issue 5, issuing step): with an issue in flight, ask first (async_dialog.confirm)
        if self._quit is not None and not self._quit.done():
            self._quit.set_result(None)

    async def finished(self) -> None:
        """Wait for a quit request, then run phase one of the shutdown."""
        assert self._quit is not None
        await self._quit
        await self.shutdown()

    async def _restore_batch(self) -> None:
        """An unfinished batch (a crash, a closed window) reopens on its page."""
        from invoicedesk.ui.main_window import Page

        try:
            if await self.batch_page.restore():
                self.window.show_page(Page.BATCH)
        except Exception:
            log.exception("reopening the unfinished batch failed")

    async def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._remove_signal_handlers()
        window = self.window
        if window is not None:
            try:
                await window.form.save()
            except Exception:
                log.exception("saving the draft at shutdown failed")
            window.save_layout(self.settings)
        if self.batch_page is not None:
            await self.batch_page.aclose()  # no new sends; those in flight finish first
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.history_page is not None:
            self.history_page.shutdown()  # its queries and sync end before the store closes
        if self.services is not None:
            await self.services.aclose()
        if self.sandbox_server is not None:
            await asyncio.to_thread(self.sandbox_server.stop)
        if window is not None:
            window.close_handler = None
            window.hide()

    # ---- POSIX signals under Qt --------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        """SIGTERM (a session logging out) and SIGINT save and exit 0.

        Python runs signal handlers only when the interpreter gets control; Qt's loop may sleep in
        C++. `set_wakeup_fd` writes a byte to a socket that a QSocketNotifier watches, which wakes
        the loop, and the handler only schedules the ordinary quit path."""
        from PySide6.QtCore import QSocketNotifier

        if self._signal_sockets is not None:
            return
        try:
            read, write = socket.socketpair()
            read.setblocking(False)
            write.setblocking(False)
            signal.set_wakeup_fd(write.fileno())
        except (OSError, ValueError):  # not the main thread (tests): no signal handling
            return
        self._signal_sockets = (read, write)
        self._notifier = QSocketNotifier(read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain_signal_socket)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _drain_signal_socket(self, *_: Any) -> None:
        if self._signal_sockets is not None:
            with contextlib.suppress(OSError):
                self._signal_sockets[0].recv(256)

    def _on_signal(self, signum: int, _frame: Any) -> None:
        log.info("signal %s: saving and quitting", signum)
        self.exit_code = 0
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.request_quit)

    def _remove_signal_handlers(self) -> None:
        if self._signal_sockets is None:
            return
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(-1)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        for sock in self._signal_sockets:
            sock.close()
        self._signal_sockets = None


def _watch_first_paint(window: Any, gui: GuiApp) -> None:
    """Once the window has painted: warm up what start-up deferred (the tax catalog's pinyin
    search); for benchmarks/startup.py also print the moment (and quit, if asked to)."""
    exit_after = os.environ.get("INVOICEDESK_FIRST_PAINT_EXIT") == "1"
    show_time = exit_after or os.environ.get("INVOICEDESK_FIRST_PAINT_PRINT") == "1"
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                if show_time:
                    print("first_paint", time.time(), flush=True)
                if exit_after:
                    QTimer.singleShot(0, gui.request_quit)
                else:
                    QTimer.singleShot(0, _warm_up)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)


def _warm_up() -> None:
    """Load pypinyin (about a second) off the GUI thread, so that the first pinyin search in
    the line-name completer does not stall."""
    import threading

    from invoicedesk.domain.catalog import default_catalog

    def work() -> None:
        try:
            default_catalog().prepare_search()
        except Exception:
            log.exception("warming up the tax catalog failed")

    threading.Thread(target=work, name="warm-up", daemon=True).start()
