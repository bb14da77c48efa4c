"""GuiApp: the running program (services, window, sandbox, the way out).

Loaded by app.run_gui after the main window's shell has painted (see app.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoicedesk.app import (
    ACTIVE_PROFILE_SETTING,
    EARLY_SIGNALS,
    build_shell,
    watch_first_paint,
)
from invoicedesk.ui.banner import ERROR
from invoicedesk.ui.tasks import spawn

if TYPE_CHECKING:
    from invoicedesk.vocabulary import Profile

log = logging.getLogger(__name__)


def is_sandbox(profile: Profile) -> bool:
    """An account made by the sandbox (its URL names the in-process simulators' port)."""
    return profile.options.get("sandbox") == "1"


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
        self._pages: dict[int, Any] = {}  # Page -> widget, the pages built so far
        self._batch_restore: asyncio.Task[bool] | None = None
        self.restore_from: Path | None = None  # set by 恢复数据; run_gui restores after the quit
        self.start_notice = ""
        self.menus: Any = None
        self.keyring_ok = True
        self.face_clock: Any = None
        self.controller: Any = None
        self.monitor: Any = None
        self.session: Any = None
        self._asking_quit = False
        self._quit_early = False
        self._sandbox_urls: dict[str, str] | None = None  # where the sandbox profiles point
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

    def adopt_shell(self, window: Any, settings: Any, *, quit_early: bool = False) -> None:
        """The window run_gui built and painted before the loop existed (app.paint_now)."""
        self.window, self.settings = window, settings
        self._quit_early = quit_early

    async def start(self) -> None:
        """Paint first, then open. The window shell (navigation, status bar, a blank 开票 page)
        is built and shown with only PySide6 loaded; the keyring, the store, the services and
        the form follow right after the first paint, and the other pages when first shown."""
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtGui import QKeySequence, QShortcut

        self._quit = asyncio.get_running_loop().create_future()
        if self.handle_signals:  # first: a SIGTERM during start-up also takes the quit path
            self._install_signal_handlers()
            if EARLY_SIGNALS:  # one came while the shell painted (app.run_gui held it)
                EARLY_SIGNALS.clear()
                QTimer.singleShot(0, self._signal_quit)
        if self.window is None:  # tests: no shell painted yet
            self.window, self.settings = build_shell(self.data_dir)
            painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def on_paint() -> None:
                if not painted.done():
                    painted.set_result(None)

            watch_first_paint(self.window, on_paint)
            self.window.show()
            with contextlib.suppress(TimeoutError):  # no paint (no display): go on
                await asyncio.wait_for(painted, 2.0)
        window = self.window
        window.close_handler = self.request_quit
        quit_shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
        quit_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_shortcut.activated.connect(self.request_quit)
        if self._quit_early:  # benchmarks/startup.py: quit once painted
            QTimer.singleShot(0, self.request_quit)
            return
        await self._open(window)

    async def _open(self, window: Any) -> None:
        """After the first paint: the keyring (in a thread) while the services load."""
        keyring = None
        if self.secret_store is None:
            from invoicedesk.services.secrets import default_secret_store

            keyring = asyncio.ensure_future(asyncio.to_thread(default_secret_store))
        from invoicedesk.services.catalogs import CatalogService
        from invoicedesk.services.context import AppServices
        from invoicedesk.services.drafts import DraftService
        from invoicedesk.services.secrets import MemorySecretStore, NoKeyring
        from invoicedesk.ui.catalog_choices import CatalogChoices
        from invoicedesk.ui.catalog_pages import ProductChoices
        from invoicedesk.ui.issuing import IssueController
        from invoicedesk.ui.reachability import ReachabilityMonitor

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
        from invoicedesk.domain.catalog import default_catalog

        # the 5,554 tax codes are read off the GUI thread (the form's completers need them)
        services_open = AppServices.open(self.data_dir, secrets)
        self.services, _ = await asyncio.gather(services_open, asyncio.to_thread(default_catalog))
        self.drafts = DraftService(self.services.store)
        self.catalogs = CatalogService(self.services.store)
        self.choices = ProductChoices(CatalogChoices.default())
        window.set_drafts(self.drafts, self.choices)
        await self._reopen_crashed_draft(window)
        self.controller = IssueController(window, self.services, self.drafts)
        self.controller.catalogs = self.catalogs
        # first probe after start-up: the form is usable before any vendor is asked
        self.monitor = ReachabilityMonitor(self._probe, first_delay_s=1.0, parent=window)
        self._wire(window)
        from invoicedesk.ui import menus

        self.menus = menus.install(window, self)
        window.sandboxRequested.connect(lambda: self._spawn(self.start_sandbox()))
        window.addAccountRequested.connect(self._add_account)
        window.accountChosen.connect(lambda name: self._spawn(self.choose_account(name)))
        if keyring_notice:
            window.show_notice(keyring_notice)  # a banner: the status bar shows the account

        profiles = await self.services.profiles.list_all()
        active = await asyncio.to_thread(self.services.store.get_setting, ACTIVE_PROFILE_SETTING)
        window.set_accounts(profiles, active)
        self._spawn(self._restore_batch())
        chosen = window.active_profile
        if self.want_sandbox or (chosen is not None and is_sandbox(chosen)):
            await self.start_sandbox()
        elif chosen is not None:
            self._account_active(chosen.name)
        self._spawn(self._after_start())
        _warm_up()
        if os.environ.get("INVOICEDESK_READY_PRINT") == "1":  # benchmarks/sandbox_ready.py
            from PySide6.QtCore import QTimer

            form_up = window.issue_stack.currentWidget() is window.form
            print("ready", time.time(), "form" if form_up else "welcome", flush=True)
            QTimer.singleShot(0, self.request_quit)

    async def _reopen_crashed_draft(self, window: Any) -> None:
        """The draft in the form when the last session ended without shutting down comes back,
        and a banner says so; from now on the form's saves say which draft that is."""
        from invoicedesk.services.drafts import draft_title
        from invoicedesk.services.session import DraftSession

        self.session = DraftSession(self.services.store)
        reopen = await self.session.begin()
        window.form.saved.connect(lambda draft_id: self._spawn(self.session.remember(draft_id)))
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

    def _wire(self, window: Any) -> None:
        """Pages and signals that need the services (kept out of MainWindow, which knows none).
        The pages are built when first shown (ensure_page), not at start-up."""
        from invoicedesk.ui.main_window import Page

        form = window.form
        form.set_customer_search(self.catalogs.search_buyers)
        form.buyerSaveRequested.connect(lambda b: self._spawn(self._save_buyer(b)))
        form.lineSaveRequested.connect(lambda line: self._spawn(self._save_line(line)))
        for page, factory in (
            (Page.HISTORY, self._make_history),
            (Page.RED, self._make_red),
            (Page.CUSTOMERS, self._make_customers),
            (Page.PRODUCTS, self._make_products),
            (Page.SETTINGS, self._make_accounts),
            (Page.BATCH, self._make_batch),
        ):
            window.set_page_factory(page, self._built_by(page, factory))
        if window.drafts_page is not None:
            window.drafts_page.issueRequested.connect(
                lambda ids: self._spawn(self.issue_drafts(ids))
            )
        window.pendingIssueRequested.connect(lambda: self._spawn(self.issue_pending()))
        self.monitor.changed.connect(self._reachability_changed)
        self.monitor.recovered.connect(lambda _name: self._spawn(self._offer_pending()))
        self.controller.offline.connect(self.monitor.mark_unreachable)
        self.controller.outcome.connect(lambda _r: self._refresh_figures_soon())

    def _reachability_changed(self, text: str, detail: str) -> None:
        """The 平台连接 slot; what the vendor objected to goes to the banner (too long for
        the slot), and leaves it when the account is accepted again."""
        window = self.window
        window.set_reachability(text, detail)
        if detail:
            self._reach_notice = window.tr(
                "开票平台没有接受账户“{name}”：{detail}（请到“设置”检查这个账户。）"
            ).format(name=self.monitor.profile or "", detail=detail)
            window.show_notice(self._reach_notice, ERROR)
        elif self._reach_notice and window.notice_bar.text() == self._reach_notice:
            window.show_notice("")
            self._reach_notice = ""

    # ---- pages built on first showing ------------------------------------------------------

    def _built_by(self, page: int, factory: Any) -> Any:
        def build() -> Any:
            from invoicedesk.ui.theme import tidy_tables

            widget = factory()
            self._pages[page] = widget
            tidy_tables(widget)  # what menus.install did for the pages present then
            return widget

        return build

    def _page(self, page: int) -> Any:
        """A page's widget, built now if not yet (None before the services are open)."""
        if page in self._pages:
            return self._pages[page]
        if self.window is None or self.services is None:
            return None
        self.window.ensure_page(page)
        return self._pages.get(page)

    @property
    def history_page(self) -> Any:
        from invoicedesk.ui.main_window import Page

        return self._page(Page.HISTORY)

    @property
    def batch_page(self) -> Any:
        from invoicedesk.ui.main_window import Page

        return self._page(Page.BATCH)

    @property
    def red_page(self) -> Any:
        from invoicedesk.ui.main_window import Page

        return self._page(Page.RED)

    @property
    def customers_page(self) -> Any:
        from invoicedesk.ui.main_window import Page

        return self._page(Page.CUSTOMERS)

    @property
    def products_page(self) -> Any:
        from invoicedesk.ui.main_window import Page

        return self._page(Page.PRODUCTS)

    @property
    def accounts_page(self) -> Any:
        from invoicedesk.ui.main_window import Page

        return self._page(Page.SETTINGS)

    def _make_history(self) -> Any:
        from invoicedesk.ui.history.page import HistoryPage

        return HistoryPage(self.services)

    def _make_red(self) -> Any:
        from invoicedesk.ui.red.page import install_red_page

        return install_red_page(self.window, self.services)

    def _make_customers(self) -> Any:
        from invoicedesk.ui.catalog_pages import customers_page

        return customers_page(self.catalogs)

    def _make_products(self) -> Any:
        from invoicedesk.ui.catalog_pages import products_page

        page = products_page(self.catalogs, self.choices)
        page.catalogChanged.connect(lambda: self._spawn(self._load_products()))
        return page

    def _make_accounts(self) -> Any:
        from invoicedesk.ui import menus
        from invoicedesk.ui.accounts import AccountsPage
        from invoicedesk.ui.main_window import Page

        page = AccountsPage(self.services, self._test_profile, keyring_ok=self.keyring_ok)
        page.profilesChanged.connect(lambda: self._spawn(self._profiles_changed()))
        page.activateRequested.connect(lambda name: self._spawn(self.choose_account(name)))
        box = self.window.findChild(menus.PreferencesBox, "preferencesBox")
        layout = page.layout()
        if box is not None and layout is not None:
            layout.addWidget(box)  # the 外观与语言 box moves from the placeholder
        else:
            self.window.mount(Page.SETTINGS, page)
            menus.add_preferences(self.window, self.data_dir)
        return page

    def _make_batch(self) -> Any:
        from invoicedesk.ui.batch.page import BatchPage

        page = BatchPage(self.services)
        page.runFinished.connect(lambda name: self._spawn(self.refresh_figures(name)))
        self._batch_restore = asyncio.ensure_future(page.restore())  # accounts, open batch
        self._tasks.add(self._batch_restore)
        self._batch_restore.add_done_callback(self._task_done)
        return page

    async def _after_start(self) -> None:
        await asyncio.sleep(1.0)  # after the form is up: none of this is needed to type
        await self._install_face()
        await self._load_products()
        await self._load_recent_codes()
        _ = self.red_page  # its status-bar reminder of red forms about to expire
        # settle what a crash or a lost answer left open; look only, never resend unasked
        try:
            await self.services.issuing.reconcile_all(resend=False)
        except Exception:
            log.exception("start-up reconciliation failed")
        try:
            await self.services.red.reconcile_all(resend=False)
        except Exception:
            log.exception("start-up reconciliation of red letters failed")

    async def ensure_sandbox(self) -> list[Profile]:
        """The in-process simulators serving, and every sandbox profile pointing at them.

        A sandbox account's URL names the port of the sandbox that created it, which is gone
        after a restart (the port is chosen anew each time): whenever a sandbox account is
        activated, the sandbox is started if needed and the profiles re-pointed if its port
        changed."""
        window = self.window
        if self.sandbox_server is None:
            window.welcome.status.setText(window.tr("正在启动沙箱…"))
            from invoicedesk.sandbox.server import SandboxServer

            # the simulators' state lives in the data folder: yesterday's sandbox invoices
            # still open, sync and red-letter today
            self.sandbox_server = await asyncio.to_thread(
                SandboxServer.start_in_thread,
                host="127.0.0.1",
                port=0,
                state_dir=self.data_dir / "sandbox",
            )
        urls = dict(self.sandbox_server.base_urls)
        if urls == self._sandbox_urls:
            return [p for p in await self.services.profiles.list_all() if is_sandbox(p)]
        profiles = await self.services.profiles.sandbox_profiles(urls, store_secrets=False)
        for profile in profiles:
            await self.services.forget_vendor(profile.name)  # the port changed
        self._sandbox_urls = urls
        self._spawn(self._sandbox_tax_login())
        return profiles

    def _sandbox_missing(self) -> bool:
        """No simulator serving, or the sandbox profiles not yet pointing at it."""
        server = self.sandbox_server
        return server is None or dict(server.base_urls) != self._sandbox_urls

    async def start_sandbox(self) -> None:
        """Serve the vendor simulators on loopback and make a sandbox account the active one."""
        window = self.window
        profiles = await self.ensure_sandbox()
        active = window.active_profile
        if active is None or not is_sandbox(active):
            active = profiles[0]
        await self.choose_account(active.name, force=True)
        window.welcome.status.setText("")

    async def _sandbox_tax_login(self) -> None:
        """piaodanyun issues only after the tax-bureau login; the sandbox's SMS code is public."""
        await asyncio.sleep(1.0)  # after start-up: loading the vendor clients takes a while
        try:
            await self.services.account.sandbox_tax_login("piaodanyun")
        except Exception:
            log.exception("sandbox tax-bureau login failed")

    async def choose_account(self, name: str, *, force: bool = False) -> bool:
        """Make a profile the active one; refused (False) while an issue is in flight."""
        window = self.window
        profiles = await self.services.profiles.list_all()
        if self.controller is not None and self.controller.in_flight and not force:
            current = window.active_profile.name if window.active_profile else None
            window.set_accounts(profiles, current)  # the combo goes back
            window.statusBar().showMessage(
                window.tr("正在开具发票，开完后才能切换账户（避免同一张发票用两个账户开出）。"),
                10000,
            )
            return False
        chosen = next((p for p in profiles if p.name == name), None)
        if chosen is not None and is_sandbox(chosen) and self._sandbox_missing():
            await self.ensure_sandbox()
            profiles = await self.services.profiles.list_all()
        window.set_accounts(profiles, name)
        await asyncio.to_thread(self.services.store.set_setting, ACTIVE_PROFILE_SETTING, name)
        if window.active_profile is not None:
            self._account_active(window.active_profile.name)
        return True

    def _account_active(self, name: str) -> None:
        self.monitor.watch(name)
        if self.window.has_form:
            self.window.form.recheck()  # what the new platform cannot take
        self._refresh_figures_soon()
        if self.face_clock is not None:
            self._spawn(self.face_clock.set_profile(name))

    async def _install_face(self) -> None:
        """The face-authentication dialog (issuing) and clock (status bar)."""
        from invoicedesk.ui.face_clock import install_face_clock
        from invoicedesk.ui.face_dialog import face_flow_for, face_handler_for

        window = self.window
        self.controller.face_flow = face_flow_for(window, self.services)
        self.controller.face_handler = face_handler_for(window, self.services)
        try:
            self.face_clock = await install_face_clock(window, self.services)
        except Exception:
            log.exception("the face-auth clock could not start")
            return
        if window.active_profile is not None:
            await self.face_clock.set_profile(window.active_profile.name)

    async def _profiles_changed(self) -> None:
        profiles = await self.services.profiles.list_all()
        current = self.window.active_profile.name if self.window.active_profile else None
        if current not in {p.name for p in profiles}:
            current = profiles[0].name if profiles else None
        chosen = next((p for p in profiles if p.name == current), None)
        if chosen is not None and is_sandbox(chosen) and self._sandbox_missing():
            await self.ensure_sandbox()
            profiles = await self.services.profiles.list_all()
        self.window.set_accounts(profiles, current)
        if current is not None:
            await asyncio.to_thread(
                self.services.store.set_setting, ACTIVE_PROFILE_SETTING, current
            )
        self.monitor.watch(current)
        self._refresh_figures_soon()
        if self.face_clock is not None:
            await self.face_clock.set_profile(current)

    def _add_account(self) -> None:
        from invoicedesk.ui.main_window import Page

        self.window.show_page(Page.SETTINGS)
        self._spawn(self.accounts_page.add())

    # ---- catalogs ------------------------------------------------------------------------

    async def _load_products(self) -> None:
        self.choices.products = await self.catalogs.products()

    async def _load_recent_codes(self) -> None:
        self.choices.recent = await self.catalogs.recent_codes()
        self.choices.on_remember = lambda recent: self._spawn(
            self.catalogs.save_recent_codes(recent)
        )

    async def _save_buyer(self, buyer: Any) -> None:
        await self.catalogs.add_buyer(buyer)
        self.window.statusBar().showMessage(
            self.window.tr("已存入客户：") + (buyer.name or buyer.tax_id), 5000
        )

    async def _save_line(self, line: Any) -> None:
        try:
            await self.catalogs.add_line(line)
        except ValueError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return
        await self._load_products()
        self.window.statusBar().showMessage(self.window.tr("已存入商品：") + line.name, 5000)

    # ---- issuing several, offline, vendor figures ------------------------------------------

    async def issue_drafts(self, ids: list[str]) -> list[Any]:
        page = self.window.drafts_page
        if self.controller.in_flight:
            self.window.statusBar().showMessage(self.window.tr("正在开具发票，请稍候。"), 5000)
            return []
        titles = {}
        if page is not None:
            titles = {r.id: r.title for r in await self.drafts.list()}
            page.start_batch(len(ids))

        def one(outcome: Any) -> None:
            if page is not None:
                page.show_outcome(outcome.draft_id, outcome.text, titles.get(outcome.draft_id, ""))

        outcomes = await self.controller.issue_drafts(ids, one)
        if page is not None:
            await page.refresh()
        await self._offer_pending()
        return list(outcomes)

    async def issue_pending(self) -> list[Any]:
        from invoicedesk.ui.main_window import Page

        self.window.offer_pending(0)
        ids = await self.drafts.pending_ids()
        self.window.show_page(Page.DRAFTS)
        return await self.issue_drafts(ids)

    async def _offer_pending(self) -> None:
        if self.monitor.reachable is False:
            self.window.offer_pending(0)
            return
        self.window.offer_pending(len(await self.drafts.pending_ids()))

    async def _probe(self, name: str) -> None:
        _, vendor = await self.services.vendor(name)
        await vendor.check_connection()

    async def _test_profile(self, profile: Any, typed: dict[str, str]) -> None:
        """测试连接 with what the dialog holds now (typed secrets first, then saved ones)."""
        from invoicedesk.services.account_form import test_connection

        await test_connection(self.services, profile, typed)

    def _refresh_figures_soon(self, delay_s: float = 1.0) -> None:
        profile = self.window.active_profile if self.window is not None else None
        if profile is not None:
            self._spawn(self._figures_later(profile.name, delay_s))

    async def _figures_later(self, name: str, delay_s: float) -> None:
        await asyncio.sleep(delay_s)  # start-up and account switches stay quick
        await self.refresh_figures(name)

    async def refresh_figures(self, name: str) -> None:
        """Face-auth time left and credit line left, where the vendor has them."""
        from invoicedesk.vocabulary import Capability, VendorError

        window = self.window
        self.services.account.invalidate(name)
        try:
            _, vendor = await self.services.vendor(name)
        except Exception:
            return
        caps = vendor.capabilities
        face, credit = window.tr("刷脸认证：—"), window.tr("剩余授信额度：—")
        if self.face_clock is not None:  # the clock keeps the face text (and counts down)
            await self.face_clock.refresh()
            face = window.face_label.text()
        elif caps & Capability.FACE_AUTH:
            try:
                status = (await self.services.account.face_status(name)).value
                face = _face_text(window, status)
            except VendorError as exc:
                face = window.tr("刷脸认证：未知（{m}）").format(m=exc.message[:20])
            except Exception:
                log.exception("reading the face-auth state failed")
        if caps & Capability.CREDIT_LINE:
            try:
                line = (await self.services.account.credit_line(name)).value
                credit = window.tr("剩余授信额度：") + f"¥{line.left:,.2f}"
            except VendorError as exc:
                credit = window.tr("剩余授信额度：未知（{m}）").format(m=exc.message[:20])
            except Exception:
                log.exception("reading the credit line failed")
        if window.active_profile is not None and window.active_profile.name == name:
            window.set_face_status(face)
            window.set_credit_line(credit)

    def _spawn(self, coro: Any) -> None:
        task = spawn(coro, self._tasks)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("background step failed", exc_info=task.exception())
            if self.window is not None:
                self.window.statusBar().showMessage(str(task.exception()), 10000)

    # ---- the way out -----------------------------------------------------------------------

    def request_quit(self) -> None:
        """Ctrl+Q, the window's close button: start the two-phase shutdown once. With an issue
        in flight, ask first; the issue then finishes before the program exits."""
        if self.controller is not None and self.controller.in_flight:
            if not self._asking_quit:
                self._asking_quit = True
                self._spawn(self._ask_quit())
            return
        self._quit_now()

    def _quit_now(self) -> None:
        if self._quit is not None and not self._quit.done():
            self._quit.set_result(None)

    async def _ask_quit(self) -> None:
        from invoicedesk.ui.async_dialog import confirm

        window = self.window
        try:
            ok = await confirm(
                window,
                window.tr("正在开具发票"),
                window.tr("有一张发票正在开具。退出前会等它开完（不会中途放弃，也不会重复开票）。"),
                yes=window.tr("开完后退出"),
            )
            if not ok:
                return
            window.statusBar().showMessage(window.tr("正在等待开票完成，随后退出…"))
            await self.controller.wait_idle()
        finally:
            self._asking_quit = False
        self._quit_now()

    def _signal_quit(self) -> None:
        """SIGTERM/SIGINT: the session is going away; no question can be asked. The shutdown
        waits for the issue in flight (shutdown() below), so nothing is left half-sent."""
        self._quit_now()

    async def finished(self) -> None:
        """Wait for a quit request, then run phase one of the shutdown."""
        assert self._quit is not None
        await self._quit
        await self.shutdown()

    async def _restore_batch(self) -> None:
        """An unfinished batch (a crash, a closed window) reopens on its page."""
        from invoicedesk.ui.main_window import Page

        try:
            if not await asyncio.to_thread(self.services.store.open_batches):
                return  # the page is built when first shown
            _ = self.batch_page
            if self._batch_restore is not None and await self._batch_restore:
                self.window.show_page(Page.BATCH)
        except Exception:
            log.exception("reopening the unfinished batch failed")

    async def shutdown(self) -> None:
        from invoicedesk.ui.main_window import Page

        if self._closed:
            return
        self._closed = True
        self._remove_signal_handlers()
        window = self.window
        if self.controller is not None and self.controller.in_flight:
            try:  # an issue in flight ends first: its journal row then says what happened
                await asyncio.wait_for(self.controller.wait_idle(), 60)
            except TimeoutError:
                log.warning("an issue was still in flight at shutdown; reconciled next start")
        if self.monitor is not None:
            await self.monitor.aclose()
        if self.controller is not None:
            await self.controller.aclose()
        if window is not None:
            if window.has_form:
                try:
                    await window.form.save()
                except Exception:
                    log.exception("saving the draft at shutdown failed")
            if self.session is not None:
                try:  # a clean end: the next start opens a new form as usual
                    await self.session.end()
                except Exception:
                    log.exception("marking the clean shutdown failed")
            window.save_layout(self.settings)
        batch_page = self._pages.get(Page.BATCH)
        if batch_page is not None:
            await batch_page.aclose()  # no new sends; those in flight finish first
        if self._tasks:  # short network steps end by themselves: a cancelled connect leaks
            await asyncio.wait(set(self._tasks), timeout=3)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        history_page = self._pages.get(Page.HISTORY)
        if history_page is not None:
            history_page.shutdown()  # its queries and sync end before the store closes
        await self._settle_widget_tasks()
        if self.services is not None:
            await self.services.aclose()
        if self.sandbox_server is not None:
            await asyncio.to_thread(self.sandbox_server.stop)
        if window is not None:
            window.close_handler = None
            window.hide()

    async def _settle_widget_tasks(self, timeout_s: float = 5.0) -> None:
        """Let the tasks the window and its pages started end before the store closes. They
        run store calls in worker threads; cancelling a task does not stop its thread, and
        closing a connection a thread is still using can crash the process."""
        from invoicedesk.ui.tasks import running

        pending = running() - {asyncio.current_task()}
        if not pending:
            return
        _done, late = await asyncio.wait(pending, timeout=timeout_s)
        for task in late:
            task.cancel()
        if late:
            await asyncio.gather(*late, return_exceptions=True)

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

        QTimer.singleShot(0, self._signal_quit)

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


def _face_text(window: Any, status: Any) -> str:
    import datetime as dt

    if status.needed:
        return str(window.tr("刷脸认证：需要认证"))
    until = status.valid_until
    if until is None:
        return str(window.tr("刷脸认证：有效"))
    now = dt.datetime.now(until.tzinfo) if until.tzinfo else dt.datetime.now()
    minutes = int((until - now).total_seconds() // 60)
    if minutes <= 0:
        return str(window.tr("刷脸认证：已过期"))
    return str(window.tr("刷脸认证：剩余 {h} 小时 {m} 分")).format(h=minutes // 60, m=minutes % 60)
