"""GuiApp: the window's composition root. It builds the Core, the window's parts and wires them;
each part does one job in ui/ (quit_flow, posix_signals, account_switch, sandbox_host,
status_figures, window_pages, reachability, issuing, face_clock, menus).

Loaded by app.run_gui after the main window's shell has painted (see app.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoicedesk.app import EARLY_SIGNALS, build_shell, watch_first_paint
from invoicedesk.ui import tasks as gui_tasks
from invoicedesk.ui.banner import ERROR
from invoicedesk.ui.tasks import spawn

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from invoicedesk.sandbox.server import SandboxServer
    from invoicedesk.services.catalogs import CatalogService
    from invoicedesk.services.context import Core
    from invoicedesk.services.drafts import DraftService
    from invoicedesk.services.secrets import SecretStore
    from invoicedesk.ui.account_switch import AccountSwitcher
    from invoicedesk.ui.accounts import AccountsPage
    from invoicedesk.ui.batch.page import BatchPage
    from invoicedesk.ui.catalog_pages import CatalogPage, ProductChoices
    from invoicedesk.ui.catalog_wiring import CatalogWiring
    from invoicedesk.ui.face_clock import FaceClock
    from invoicedesk.ui.history.page import HistoryPage
    from invoicedesk.ui.issuing import IssueController
    from invoicedesk.ui.main_window import MainWindow
    from invoicedesk.ui.menus import Menus
    from invoicedesk.ui.posix_signals import SignalQuit
    from invoicedesk.ui.quit_flow import QuitFlow
    from invoicedesk.ui.reachability import ReachabilityMonitor
    from invoicedesk.ui.red.page import RedPage
    from invoicedesk.ui.sandbox_host import SandboxHost
    from invoicedesk.ui.several_issues import SeveralIssues
    from invoicedesk.ui.status_figures import StatusFigures
    from invoicedesk.ui.window_pages import WindowPages
    from invoicedesk.vocabulary import Profile

log = logging.getLogger(__name__)


class GuiApp:
    """The running program: the Core, the window, and the way out.

    Tests drive it without run(): `await start()`, then `request_quit()` and `await finished()`.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        sandbox: bool = False,
        secret_store: SecretStore | None = None,
        handle_signals: bool = True,
    ) -> None:
        self.data_dir = data_dir
        self.handle_signals = handle_signals
        self.want_sandbox = sandbox
        self.secret_store = secret_store
        self._core: Core | None = None  # open after the first paint
        self._window: MainWindow | None = None  # the shell, painted first
        self.settings: QSettings | None = None
        self.exit_code = 0
        self.restore_from: Path | None = None  # set by 恢复数据; run_gui restores after the quit
        self.start_notice = ""
        self.keyring_ok = True
        self.controller: IssueController | None = None
        self.monitor: ReachabilityMonitor | None = None
        self.menus: Menus | None = None
        self.quit_flow: QuitFlow | None = None
        self.switcher: AccountSwitcher | None = None
        self.sandbox: SandboxHost | None = None
        self.figures: StatusFigures | None = None
        self.pages: WindowPages | None = None
        self.face_clock: FaceClock | None = None
        # the parts that need the Core, made once it is open
        self.choices: ProductChoices
        self.catalog_wiring: CatalogWiring
        self.several: SeveralIssues
        self._tasks: set[asyncio.Task[Any]] = set()
        self._signals: SignalQuit | None = None  # SIGTERM/SIGINT, once installed
        self._closed = False
        self._quit_early = False
        self._reach_notice = ""  # the banner text the reachability monitor put up

    # ---- start -----------------------------------------------------------------------------

    async def run(self) -> int:
        try:
            await self.start()
        except BaseException:
            await self.shutdown()  # close what did open, then let the error out
            raise
        await self.finished()
        return self.exit_code

    def adopt_shell(
        self, window: MainWindow, settings: QSettings, *, quit_early: bool = False
    ) -> None:
        """The window run_gui built and painted before the loop existed (app.paint_now)."""
        self._window, self.settings = window, settings
        self._quit_early = quit_early

    async def start(self) -> None:
        """Paint first, then open. The window shell (navigation, status bar, a blank 开票 page)
        is built and shown with only PySide6 loaded; the keyring, the store, the Core and
        the form follow right after the first paint, and the other pages when first shown."""
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtGui import QKeySequence, QShortcut

        if self.handle_signals:  # first: a SIGTERM during start-up also takes the quit path
            from invoicedesk.ui.posix_signals import SignalQuit

            self._signals = SignalQuit(self._signal_quit)
            self._signals.install()
            if EARLY_SIGNALS:  # one came while the shell painted (app.run_gui held it)
                EARLY_SIGNALS.clear()
                QTimer.singleShot(0, self._signal_quit)
        if self._window is None:  # tests: no shell painted yet
            self._window, self.settings = build_shell(self.data_dir)
            painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def on_paint() -> None:
                if not painted.done():
                    painted.set_result(None)

            watch_first_paint(self.window, on_paint)
            self.window.show()
            with contextlib.suppress(TimeoutError):  # no paint (no display): go on
                await asyncio.wait_for(painted, 2.0)
        window = self.window
        from invoicedesk.ui.quit_flow import QuitFlow

        self.quit_flow = QuitFlow(window, self._spawn)
        window.close_handler = self.request_quit
        quit_shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
        quit_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_shortcut.activated.connect(self.request_quit)
        if self._quit_early:  # benchmarks/startup.py: quit once painted
            QTimer.singleShot(0, self.request_quit)
            return
        await self._open(window)

    async def _open(self, window: MainWindow) -> None:
        """After the first paint: the keyring (in a thread) while the Core opens."""
        keyring = None
        if self.secret_store is None:
            from invoicedesk.services.secrets import default_secret_store

            keyring = asyncio.ensure_future(asyncio.to_thread(default_secret_store))
        from invoicedesk.services.context import Core
        from invoicedesk.services.secrets import MemorySecretStore, NoKeyring
        from invoicedesk.ui.account_switch import AccountSwitcher
        from invoicedesk.ui.catalog_choices import CatalogChoices
        from invoicedesk.ui.catalog_pages import ProductChoices
        from invoicedesk.ui.catalog_wiring import CatalogWiring
        from invoicedesk.ui.issuing import IssueController
        from invoicedesk.ui.reachability import ReachabilityMonitor
        from invoicedesk.ui.sandbox_host import SandboxHost, is_sandbox
        from invoicedesk.ui.several_issues import SeveralIssues
        from invoicedesk.ui.status_figures import StatusFigures
        from invoicedesk.ui.window_pages import WindowPages

        secrets = self.secret_store
        keyring_notice = ""
        if keyring is not None:
            try:
                secrets = await keyring
            except NoKeyring:
                # the sandbox still works (demo secrets); the accounts dialog offers "this
                # session only" for real accounts
                from invoicedesk.ui.banner import no_keyring_text

                secrets, keyring_notice = MemorySecretStore(), no_keyring_text()
                self.keyring_ok = False
        assert secrets is not None
        from invoicedesk.domain.catalog import default_catalog

        # the 5,554 tax codes are read off the GUI thread (the form's completers need them)
        core_open = Core.open(self.data_dir, secrets)
        core, _ = await asyncio.gather(core_open, asyncio.to_thread(default_catalog))
        self._core = core
        self.choices = ProductChoices(CatalogChoices.default())
        window.set_drafts(core.drafts, self.choices)
        await self._reopen_crashed_draft(window, core)
        self.controller = controller = IssueController(window, core, core.drafts)
        assert self.quit_flow is not None
        self.quit_flow.controller = controller
        # first probe after start-up: the form is usable before any vendor is asked
        self.monitor = ReachabilityMonitor(self._probe, first_delay_s=1.0, parent=window)
        self.figures = StatusFigures(window, core, self._spawn)
        self.sandbox = SandboxHost(
            window, core, self.data_dir, self._spawn, on_login=self.figures.logged_in
        )
        self.switcher = AccountSwitcher(
            window, core, self.sandbox, self.monitor, controller, self._spawn
        )
        self.catalog_wiring = CatalogWiring(window, core.catalogs, self.choices, self._spawn)
        self.several = SeveralIssues(window, core.drafts, controller, self.monitor)
        self.pages = WindowPages(
            window,
            core,
            choices=self.choices,
            data_dir=self.data_dir,
            keyring_ok=self.keyring_ok,
            tester=self._test_profile,
            choose_account=self.choose_account,
            refresh_figures=self.refresh_figures,
            load_products=self.catalog_wiring.load_products,
            spawn=self._spawn,
            track=self._track,
        )
        self.pages.install()
        self._wire(window)
        from invoicedesk.ui import menus

        self.menus = menus.install(window, self)
        if keyring_notice:
            window.show_notice(keyring_notice)  # a banner: the status bar shows the account

        profiles = await core.profiles.list_all()
        window.set_accounts(profiles, await core.active_profile_name())
        self._spawn(self._restore_batch())
        chosen = window.active_profile
        if self.want_sandbox or (chosen is not None and is_sandbox(chosen)):
            await self.start_sandbox()
        elif chosen is not None:
            await core.activate_profile(chosen.name)
        self._spawn(self._after_start())
        _warm_up()
        if os.environ.get("INVOICEDESK_READY_PRINT") == "1":  # benchmarks/sandbox_ready.py
            from PySide6.QtCore import QTimer

            form_up = window.issue_stack.currentWidget() is window.form
            print("ready", time.time(), "form" if form_up else "welcome", flush=True)
            QTimer.singleShot(0, self.request_quit)

    async def _reopen_crashed_draft(self, window: MainWindow, core: Core) -> None:
        """The draft in the form when the last session ended without shutting down comes back,
        and a banner says so; from now on the form's saves say which draft that is."""
        from invoicedesk.services.drafts import draft_title

        session = core.session
        reopen = await session.begin()
        window.form.saved.connect(lambda draft_id: self._spawn(session.remember(draft_id)))
        if reopen is None:
            return
        try:
            await window.form.open_draft(reopen)
        except Exception:
            log.exception("reopening draft %s after a crash failed", reopen)
            return
        window.show_notice(
            window.tr(
                "上次程序没有正常退出，已重新打开当时正在填写的草稿“{title}”。"
                "其他草稿在“草稿箱”中。"
            ).format(title=draft_title(window.form.draft()) or window.tr("未命名"))
        )

    def _wire(self, window: MainWindow) -> None:
        """Signals between the window's parts and the Core (MainWindow knows no service)."""
        assert self.monitor is not None and self.controller is not None
        several = self.several
        if window.drafts_page is not None:
            window.drafts_page.issueRequested.connect(
                lambda ids: self._spawn(several.issue_drafts(ids))
            )
        window.pendingIssueRequested.connect(lambda: self._spawn(several.issue_pending()))
        window.sandboxRequested.connect(lambda: self._spawn(self.start_sandbox()))
        window.addAccountRequested.connect(self._add_account)
        window.accountChosen.connect(lambda name: self._spawn(self.choose_account(name)))
        self.monitor.changed.connect(self._reachability_changed)
        self.monitor.recovered.connect(lambda _name: self._spawn(several.offer_pending()))
        self.controller.offline.connect(self.monitor.mark_unreachable)
        self.controller.outcome.connect(lambda _r: self._refresh_figures_soon())

    def _reachability_changed(self, text: str, detail: str) -> None:
        """The 平台连接 slot; what the vendor objected to goes to the banner (too long for
        the slot), and leaves it when the account is accepted again."""
        window, monitor = self.window, self.monitor
        assert monitor is not None
        window.set_reachability(text, detail)
        if detail:
            self._reach_notice = window.tr(
                "开票平台没有接受账户“{name}”：{detail}（请到“设置”检查这个账户。）"
            ).format(name=monitor.profile or "", detail=detail)
            window.show_notice(self._reach_notice, ERROR)
        elif self._reach_notice and window.notice_bar.text() == self._reach_notice:
            window.show_notice("")
            self._reach_notice = ""

    async def _after_start(self) -> None:
        await asyncio.sleep(1.0)  # after the form is up: none of this is needed to type
        await self._install_face()
        await self.catalog_wiring.load_products()
        await self.catalog_wiring.load_recent_codes()
        _ = self.red_page  # its status-bar reminder of red forms about to expire
        # settle what a crash or a lost answer left open; look only, never resend unasked
        core = self.core
        try:
            await core.issuing.reconcile_all(resend=False)
        except Exception:
            log.exception("start-up reconciliation failed")
        try:
            await core.red.reconcile_all(resend=False)
        except Exception:
            log.exception("start-up reconciliation of red letters failed")

    async def _install_face(self) -> None:
        """The face-authentication dialog (issuing) and clock (status bar)."""
        from invoicedesk.ui.face_clock import install_face_clock
        from invoicedesk.ui.face_dialog import face_flow_for, face_handler_for

        window, core, controller = self.window, self.core, self.controller
        assert controller is not None
        controller.face_flow = face_flow_for(window, core)
        controller.face_handler = face_handler_for(window, core)
        try:
            self.face_clock = await install_face_clock(window, core)
        except Exception:
            log.exception("the face-auth clock could not start")
            return
        for part in (self.figures, self.switcher):
            if part is not None:
                part.face_clock = self.face_clock
        if window.active_profile is not None:
            await self.face_clock.set_profile(window.active_profile.name)

    @property
    def services(self) -> Core:
        """The Core (open once start() has passed the first paint)."""
        if self._core is None:
            raise RuntimeError("the Core is not open yet")
        return self._core

    core = services

    @property
    def window(self) -> MainWindow:
        if self._window is None:
            raise RuntimeError("the window is not built yet")
        return self._window

    # ---- pages built on first showing ------------------------------------------------------

    def _pages(self) -> WindowPages:
        if self.pages is None:
            raise RuntimeError("the pages wait for the Core")
        return self.pages

    @property
    def history_page(self) -> HistoryPage:
        return self._pages().history()

    @property
    def batch_page(self) -> BatchPage:
        return self._pages().batch()

    @property
    def red_page(self) -> RedPage:
        return self._pages().red()

    @property
    def customers_page(self) -> CatalogPage:
        return self._pages().customers()

    @property
    def products_page(self) -> CatalogPage:
        return self._pages().products()

    @property
    def accounts_page(self) -> AccountsPage:
        return self._pages().accounts()

    @property
    def drafts(self) -> DraftService:
        return self.core.drafts

    @property
    def catalogs(self) -> CatalogService:
        return self.core.catalogs

    # ---- accounts --------------------------------------------------------------------------

    async def choose_account(self, name: str, *, force: bool = False) -> bool:
        """Make a profile the active one; refused (False) while an issue is in flight."""
        assert self.switcher is not None
        return await self.switcher.choose(name, force=force)

    async def start_sandbox(self) -> None:
        assert self.switcher is not None
        await self.switcher.start_sandbox()

    async def ensure_sandbox(self) -> list[Profile]:
        assert self.sandbox is not None
        return await self.sandbox.ensure()

    @property
    def sandbox_server(self) -> SandboxServer | None:
        return self.sandbox.server if self.sandbox is not None else None

    @sandbox_server.setter
    def sandbox_server(self, server: SandboxServer | None) -> None:
        """Tests: serve the session's sandbox instead of starting another one."""
        assert self.sandbox is not None
        self.sandbox.server = server

    def _add_account(self) -> None:
        from invoicedesk.ui.main_window import Page

        self.window.show_page(Page.SETTINGS)
        self._spawn(self.accounts_page.add())

    async def _probe(self, name: str) -> None:
        _, vendor = await self.core.vendor(name)
        await vendor.check_connection()

    async def _test_profile(self, profile: Profile, typed: dict[str, str]) -> None:
        """测试连接 with what the dialog holds now (typed secrets first, then saved ones)."""
        from invoicedesk.services.account_form import test_connection

        await test_connection(self.core, profile, typed)

    # ---- vendor figures in the status bar --------------------------------------------------

    def _refresh_figures_soon(self, delay_s: float = 1.0) -> None:
        if self.figures is not None:
            self.figures.refresh_soon(delay_s)

    async def refresh_figures(self, name: str) -> None:
        """Face-auth time left and credit line left, where the vendor has them."""
        if self.figures is not None:
            await self.figures.refresh(name)

    # ---- tasks -----------------------------------------------------------------------------

    async def settled(self) -> None:
        """Wait until the background steps the program and its pages started have ended (the
        sandbox's start-up login, the status-bar figures, a page's reload, and what they start
        meanwhile): where a user would wait for the window to calm down. Tests wait on it."""
        await gui_tasks.settled(self._tasks)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._track(spawn(coro, self._tasks))

    def _track(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("background step failed", exc_info=task.exception())
            if self._window is not None:
                self._window.statusBar().showMessage(str(task.exception()), 10000)

    # ---- the way out -----------------------------------------------------------------------

    def request_quit(self) -> None:
        """Ctrl+Q, the window's close button: start the two-phase shutdown once. With an issue
        in flight, ask first; the issue then finishes before the program exits."""
        if self.quit_flow is not None:
            self.quit_flow.request()

    def _signal_quit(self) -> None:
        """SIGTERM/SIGINT: the session is going away; no question can be asked. The shutdown
        waits for the issue in flight (shutdown() below), so nothing is left half-sent."""
        self.exit_code = 0
        if self.quit_flow is not None:
            self.quit_flow.now()

    async def finished(self) -> None:
        """Wait for a quit request, then run phase one of the shutdown."""
        assert self.quit_flow is not None
        await self.quit_flow.requested
        await self.shutdown()

    async def _restore_batch(self) -> None:
        """An unfinished batch (a crash, a closed window) reopens on its page."""
        from invoicedesk.ui.main_window import Page

        assert self.pages is not None
        try:
            if not await self.core.batches.open_batches():
                return  # the page is built when first shown
            _ = self.batch_page
            restore = self.pages.batch_restore
            if restore is not None and await restore:
                self.window.show_page(Page.BATCH)
        except Exception:
            log.exception("reopening the unfinished batch failed")

    async def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._signals is not None:
            self._signals.remove()
        window, controller = self._window, self.controller
        if controller is not None and controller.in_flight:
            try:  # an issue in flight ends first: its journal row then says what happened
                await asyncio.wait_for(controller.wait_idle(), 60)
            except TimeoutError:
                log.warning("an issue was still in flight at shutdown; reconciled next start")
        if self.monitor is not None:
            await self.monitor.aclose()
        if controller is not None:
            await controller.aclose()
        if window is not None:
            if window.has_form:
                try:
                    await window.form.save()
                except Exception:
                    log.exception("saving the draft at shutdown failed")
            if self._core is not None:
                try:  # a clean end: the next start opens a new form as usual
                    await self._core.session.end()
                except Exception:
                    log.exception("marking the clean shutdown failed")
            if self.settings is not None:
                window.save_layout(self.settings)
        if self.pages is not None:
            await self.pages.close_batch()  # no new sends; those in flight finish first
        if self._tasks:  # short network steps end by themselves: a cancelled connect leaks
            await asyncio.wait(set(self._tasks), timeout=3)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.pages is not None:
            self.pages.close_history()  # its queries and sync end before the store closes
        await self._settle_widget_tasks()
        if self._core is not None:
            await self._core.aclose()
        if self.sandbox is not None:
            await self.sandbox.stop()
        if window is not None:
            window.close_handler = None
            window.hide()

    async def _settle_widget_tasks(self, timeout_s: float = 5.0) -> None:
        """Let the tasks the window and its pages started end before the store closes. They
        run store calls in worker threads; cancelling a task does not stop its thread, and
        closing a connection a thread is still using can crash the process."""
        try:
            async with asyncio.timeout(timeout_s):
                await gui_tasks.settled()
        except TimeoutError:
            late = gui_tasks.running() - {asyncio.current_task()}
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)


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
