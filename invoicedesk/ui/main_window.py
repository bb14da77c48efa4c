"""The main window: navigation on the left, pages on the right, the active account below.

The window knows no services beyond the ones handed in; starting the sandbox, adding accounts and
shutting down are the application's job (app.py), asked for through signals.

Start-up speed: this module imports only PySide6. The form, the drafts and result pages are
imported and built when first needed, so that `MainWindow(loading=True)` is a light shell the
program can paint before it opens the store (app.py then calls set_drafts and mounts pages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.ui.banner import INFO, WARNING, Banner, banner_style

if TYPE_CHECKING:
    import asyncio  # imported on first use: loading it costs the first paint ~30 ms

    from PySide6.QtGui import QCloseEvent  # its import builds QEvent's enums (~2 ms)

    from invoicedesk.services.drafts import DraftService
    from invoicedesk.ui.catalog_choices import CatalogChoices
    from invoicedesk.ui.drafts_page import DraftsPage
    from invoicedesk.ui.invoice_form import InvoiceForm
    from invoicedesk.ui.result_page import IssueResultPage
    from invoicedesk.vocabulary import Profile

MINIMUM_SIZE = QSize(1024, 640)
DEFAULT_SIZE = QSize(1280, 760)


class Page:
    """Navigation order (the index of each page in the stack)."""

    ISSUE = 0
    DRAFTS = 1
    HISTORY = 2
    RED = 3
    CUSTOMERS = 4
    PRODUCTS = 5
    SETTINGS = 6
    BATCH = 7


class WelcomePage(QWidget):
    """Shown on 开票 while there is no account: try the sandbox, or add a real account."""

    sandboxRequested = Signal()
    addAccountRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Qt's namespace is imported where it is used: its first import builds every enum
        # (~20 ms), and the first paint of the main window needs none of them.
        from PySide6.QtCore import Qt

        self.setObjectName("welcomePage")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(self.tr("欢迎使用 InvoiceDesk"))
        title.setStyleSheet("font-size: 22px; font-weight: bold;")
        text = QLabel(
            self.tr(
                "还没有开票账户。可以先用内置的沙箱体验完整流程（模拟五家开票平台，不会开出真实发票），"
                "也可以直接添加您在开票平台的账户。"
            )
        )
        text.setWordWrap(True)
        text.setFixedWidth(520)
        text.setMinimumHeight(text.heightForWidth(520))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sandbox_button = QPushButton(self.tr("先用沙箱体验"))
        self.sandbox_button.setObjectName("sandboxButton")
        self.sandbox_button.setToolTip(self.tr("在本机启动模拟平台，并创建五个演示账户"))
        self.add_button = QPushButton(self.tr("添加开票账户"))
        self.add_button.setObjectName("addAccountButton")
        self.add_button.setToolTip(self.tr("填写开票平台的账户信息"))
        for button in (self.sandbox_button, self.add_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(160)
        self.sandbox_button.clicked.connect(self.sandboxRequested)
        self.add_button.clicked.connect(self.addAccountRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sandbox_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        for widget in (title, text):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.status = QLabel()
        self.status.setObjectName("welcomeStatus")
        layout.addWidget(self.status, 0, Qt.AlignmentFlag.AlignHCenter)


class ComingPage(QWidget):
    """A page whose content belongs to a later step: it says what is coming."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        body = QLabel(text)
        body.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """Public API:
    - form: the InvoiceForm; welcome: the WelcomePage; nav: the navigation list
    - set_accounts(profiles, active_name), active_profile, show_page(Page.X)
    - set_reachability(text, detail), set_face_status(text), set_credit_line(text)
    - show_notice(text, kind): news longer than a status-bar slot, in a banner above the pages
    - result_page; show_result_page(), show_issue_form()
    - mount(Page.X, widget): put a real page in place of a "coming" one
    - set_page_factory(Page.X, factory) / ensure_page(Page.X): a page built when first shown
    - set_drafts(drafts, catalog): the draft store arrives after start-up (loading=True)
    - offer_pending(count) (0 hides it): "the vendor answers again, issue the 待开 drafts?"
    - save_layout(settings) / restore_layout(settings)
    - close_handler: when set, closing the window calls it instead of closing (app shutdown)
    Signals: sandboxRequested(), addAccountRequested(), accountChosen(str name).
    """

    sandboxRequested = Signal()
    addAccountRequested = Signal()
    accountChosen = Signal(str)
    pendingIssueRequested = Signal()

    def __init__(
        self,
        drafts: DraftService | None = None,
        catalog: CatalogChoices | None = None,
        parent: QWidget | None = None,
        *,
        loading: bool = False,
    ) -> None:
        """loading=True: the start-up shell; the 开票 page stays blank (no welcome text that
        may be wrong) until set_accounts, the form is built on first use or by set_drafts."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(DEFAULT_SIZE)
        self.close_handler: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._profiles: list[Profile] = []
        self.active_profile: Profile | None = None
        self._drafts = drafts
        self._catalog = catalog
        self._form: InvoiceForm | None = None
        self._result_page: IssueResultPage | None = None
        self._header_state: QByteArray | None = None  # the form's, until the form exists
        self._factories: dict[int, Callable[[], QWidget]] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(96)
        self.nav.setMaximumWidth(180)
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()

        self._welcome: WelcomePage | None = None  # built when first shown (see `welcome`)
        self.issue_stack = QStackedWidget()
        self.loading_page = QWidget()
        self.loading_page.setObjectName("loadingPage")
        self.issue_stack.addWidget(self.loading_page)

        tr = self.tr
        coming = [
            (tr("发票历史"), tr("即将推出：已开发票的查询、下载与同步。")),
            (tr("红字发票"), tr("即将推出：红字确认单的申请、确认与红冲。")),
            (tr("客户"), tr("即将推出：客户资料表格，可导入导出 Excel。")),
            (tr("商品"), tr("即将推出：商品资料表格，可导入导出 Excel。")),
            (tr("设置"), tr("即将推出：开票账户的添加、修改、删除与测试连接。")),
            (tr("批量开票"), tr("即将推出：从 Excel 表格批量开具发票。")),
        ]
        self.drafts_page: DraftsPage | None = None
        drafts_widget: QWidget
        if drafts is not None:
            drafts_widget = self._make_drafts_page(drafts)
        elif loading:
            drafts_widget = QWidget()  # set_drafts mounts the real page
        else:
            drafts_widget = ComingPage(tr("草稿箱"), tr("没有可用的草稿存储。"))
        pages: list[tuple[str, QWidget]] = [
            (tr("开票"), self.issue_stack),
            (tr("草稿箱"), drafts_widget),
        ]
        if loading:  # the services open in a moment; the real pages are built when shown
            coming = [(title, tr("正在打开…")) for title, _ in coming]
        pages += [(title, ComingPage(title, text)) for title, text in coming]
        for i, (label, page) in enumerate(pages):
            item = QListWidgetItem(label)
            item.setToolTip(f"{label}（Ctrl+{i + 1}）")
            item.setSizeHint(QSize(0, 36))
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._page_changed)

        self.pending_bar = QWidget()
        self.pending_bar.setObjectName("pendingBar")
        self.pending_bar.setStyleSheet(banner_style(INFO, "#pendingBar"))
        bar = QHBoxLayout(self.pending_bar)
        bar.setContentsMargins(10, 4, 10, 4)
        self.pending_label = QLabel()
        self.pending_button = QPushButton(tr("开具待开发票"))
        self.pending_button.setObjectName("issuePendingButton")
        self.pending_button.setToolTip(tr("在草稿箱中逐张开具标记为“待开”的草稿"))
        self.pending_button.clicked.connect(self.pendingIssueRequested)
        bar.addWidget(self.pending_label, 1)
        bar.addWidget(self.pending_button)
        self.pending_bar.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        # news longer than a status-bar slot (no keyring, an account refused, …)
        self.notice_bar = Banner("noticeBar")
        right_layout.addWidget(self.notice_bar)
        right_layout.addWidget(self.pending_bar)
        self.notice_label = self.notice_bar.label
        self.notice_label.setObjectName("noticeLabel")
        self.notice_bar.close_button.setObjectName("noticeClose")
        right_layout.addWidget(self.stack, 1)

        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([104, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        for i in range(len(pages)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self)
            shortcut.activated.connect(lambda i=i: self.show_page(i))

        self._build_status_bar()
        self.nav.setCurrentRow(Page.ISSUE)
        if loading:
            self.setWindowTitle("InvoiceDesk")
            self.account_combo.setVisible(False)
        else:
            _ = self.form  # built at once outside start-up (tests, screenshots)
            self.set_accounts([], None)

    @property
    def welcome(self) -> WelcomePage:
        """The page shown while there is no account; built on first use, because the start-up
        shell paints before the accounts are known."""
        if self._welcome is None:
            self._welcome = WelcomePage()
            self._welcome.sandboxRequested.connect(self.sandboxRequested)
            self._welcome.addAccountRequested.connect(self.addAccountRequested)
            self.issue_stack.addWidget(self._welcome)
        return self._welcome

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("accountCombo")
        self.account_combo.setToolTip(self.tr("切换开票账户"))
        # as wide as its longest account ("ws-invoice · WebSocket 开票（沙箱）"): never clipped
        self.account_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.account_combo.activated.connect(self._account_picked)
        self.account_label = QLabel()
        self.account_label.setObjectName("accountLabel")
        self.reach_label = QLabel(self.tr("平台连接：未检测"))
        self.face_label = QLabel(self.tr("刷脸认证：—"))
        self.credit_label = QLabel(self.tr("剩余授信额度：—"))
        bar.addWidget(self.account_label, 1)
        for widget in (self.reach_label, self.face_label, self.credit_label, self.account_combo):
            bar.addPermanentWidget(widget)

    # ---- lazily built parts ------------------------------------------------------------------

    @property
    def form(self) -> InvoiceForm:
        """The InvoiceForm (built on first use)."""
        if self._form is None:
            from invoicedesk.ui.invoice_form import InvoiceForm

            self._form = InvoiceForm(self._drafts, self._catalog)
            self.issue_stack.insertWidget(2, self._form)
            if self.drafts_page is not None:
                self._form.saved.connect(lambda _id: self._refresh_drafts())
            if self._header_state is not None:
                self._form.table.horizontalHeader().restoreState(self._header_state)
        return self._form

    @property
    def has_form(self) -> bool:
        return self._form is not None

    @property
    def result_page(self) -> IssueResultPage:
        if self._result_page is None:
            from invoicedesk.ui.result_page import IssueResultPage

            self._result_page = IssueResultPage()
            self.issue_stack.addWidget(self._result_page)
        return self._result_page

    def set_drafts(self, drafts: DraftService, catalog: CatalogChoices | None) -> None:
        """After start-up opened the store: the draft store and the catalog for the form (built
        now) and the 草稿箱 page. Call before anything touched `form`."""
        assert self._form is None, "set_drafts after the form was built"
        self._drafts, self._catalog = drafts, catalog
        self.mount(Page.DRAFTS, self._make_drafts_page(drafts))
        _ = self.form

    def _make_drafts_page(self, drafts: DraftService) -> QWidget:
        from invoicedesk.ui.drafts_page import DraftsPage

        self.drafts_page = DraftsPage(drafts)
        self.drafts_page.openRequested.connect(self._open_draft)
        if self._form is not None:
            self._form.saved.connect(lambda _id: self._refresh_drafts())
        return self.drafts_page

    def set_page_factory(self, page: int, factory: Callable[[], QWidget]) -> None:
        """Build page `page` with `factory` when first shown (or by ensure_page)."""
        self._factories[page] = factory
        if self.nav.currentRow() == page:
            self.ensure_page(page)

    def ensure_page(self, page: int) -> QWidget | None:
        """The page's real widget, built now if it was waiting for its first showing."""
        factory = self._factories.pop(page, None)
        if factory is not None:
            widget = factory()
            if self.stack.widget(page) is not widget:  # the factory may mount it itself
                self.mount(page, widget)
        return self.stack.widget(page)

    def is_built(self, page: int) -> bool:
        return page not in self._factories

    # ---- pages -----------------------------------------------------------------------------

    def show_page(self, page: int) -> None:
        self.nav.setCurrentRow(page)

    def mount(self, page: int, widget: QWidget) -> None:
        """Put a real page where a placeholder stood (same navigation entry)."""
        old = self.stack.widget(page)
        self.stack.insertWidget(page, widget)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self.stack.setCurrentIndex(self.nav.currentRow())

    def show_result_page(self) -> None:
        self.show_page(Page.ISSUE)
        self.issue_stack.setCurrentWidget(self.result_page)

    def show_issue_form(self) -> None:
        self.show_page(Page.ISSUE)
        if self.active_profile is not None:
            self.issue_stack.setCurrentWidget(self.form)

    def offer_pending(self, count: int) -> None:
        self.pending_label.setText(
            self.tr("开票平台已恢复连接，有 {n} 张待开发票可以开具。").format(n=count)
        )
        self.pending_bar.setVisible(count > 0)

    def _page_changed(self, page: int) -> None:
        if page in self._factories:
            self.ensure_page(page)
        self.stack.setCurrentIndex(page)
        if page == Page.DRAFTS:
            self._refresh_drafts()
        reload = getattr(self.stack.widget(page), "reload", None)
        if page != Page.DRAFTS and callable(reload):
            reload()

    def _refresh_drafts(self) -> None:
        if self.drafts_page is not None:
            self.drafts_page.reload()

    def _open_draft(self, draft_id: str) -> None:
        self.show_page(Page.ISSUE)
        self._start(self.form.open_draft(draft_id))

    def _start(self, coro: Any) -> None:
        from invoicedesk.ui.tasks import spawn  # asyncio loads after the first paint

        spawn(coro, self._tasks)

    # ---- accounts --------------------------------------------------------------------------

    def set_accounts(self, profiles: list[Profile], active: str | None) -> None:
        """The accounts to choose from and the active one (None: the welcome page)."""
        from invoicedesk.ui.vendor_names import account_title, vendor_label

        self._profiles = list(profiles)
        chosen = next((p for p in profiles if p.name == active), None)
        if chosen is None and profiles:
            chosen = profiles[0]
        self.active_profile = chosen
        self._tell_form_account(chosen)
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        for p in profiles:
            self.account_combo.addItem(account_title(p), p.name)
        if chosen is not None:
            self.account_combo.setCurrentIndex(self.account_combo.findData(chosen.name))
        self.account_combo.blockSignals(False)
        self.account_combo.setVisible(bool(profiles))
        if chosen is None:
            self.setWindowTitle(self.tr("InvoiceDesk — 未添加开票账户"))
            self.account_label.setText(self.tr("未添加开票账户"))
            self.issue_stack.setCurrentWidget(self.welcome)
        else:
            vendor = vendor_label(chosen)
            self.setWindowTitle(f"InvoiceDesk — {chosen.seller.name}（{chosen.name}）")
            self.account_label.setText(
                self.tr("当前账户：") + f"{chosen.seller.name}  {chosen.seller.tax_id}  {vendor}"
            )
            self.account_label.setToolTip(f"{chosen.name} · {chosen.base_url}")
            if self.issue_stack.currentWidget() in (self._welcome, self.loading_page):
                self.issue_stack.setCurrentWidget(self.form)

    def _tell_form_account(self, chosen: Profile | None) -> None:
        """The form takes the 纳税人类型 from the account and shows what its platform cannot
        carry of the tax treatments (issue 16)."""
        if chosen is None:
            self.form.set_account("", "", None)
            return
        from invoicedesk.services.profiles import treatments_of

        support = treatments_of(chosen.vendor)
        self.form.set_account(chosen.name, chosen.options.get("seller_type", ""), support)

    def _account_picked(self, index: int) -> None:
        name = str(self.account_combo.itemData(index) or "")
        if name and (self.active_profile is None or name != self.active_profile.name):
            self.accountChosen.emit(name)

    def set_reachability(self, text: str, detail: str = "") -> None:
        """The 平台连接 slot: a short state; what the vendor said is in its tooltip."""
        self.reach_label.setText(text)
        self.reach_label.setToolTip(detail)

    def show_notice(self, text: str, kind: str = WARNING) -> None:
        """A notice in the banner above the pages, for news longer than a status-bar slot or
        that must not vanish with its next message (no keyring, an account refused, a draft
        reopened after a crash); 知道了 hides it, an empty text too."""
        self.notice_bar.show_text(text, kind)

    def set_face_status(self, text: str) -> None:
        self.face_label.setText(text)

    def set_credit_line(self, text: str) -> None:
        self.credit_label.setText(text)

    # ---- layout memory ---------------------------------------------------------------------

    def save_layout(self, settings: QSettings) -> None:
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())
        header = (
            self._form.table.horizontalHeader().saveState()
            if self._form is not None
            else self._header_state
        )
        if header is not None:
            settings.setValue("form/lines_header", header)
        settings.sync()

    def restore_layout(self, settings: QSettings) -> None:
        for key, restore in (
            ("window/geometry", self.restoreGeometry),
            ("window/state", self.restoreState),
            ("window/splitter", self.splitter.restoreState),
            ("form/lines_header", self._restore_header),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def _restore_header(self, state: QByteArray) -> bool:
        self._header_state = state  # kept for a form not built yet
        if self._form is None:
            return True
        return bool(self._form.table.horizontalHeader().restoreState(state))

    # ---- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_handler is not None:
            event.ignore()  # the application shuts down in two phases and closes us last
            self.close_handler()
            return
        if self._form is not None:
            self._form.save_now()
        event.accept()
