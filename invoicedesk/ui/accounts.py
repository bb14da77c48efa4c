"""设置 → 开票账户: add, edit, remove a profile per vendor with exactly the fields it needs.

Secrets typed into the password fields go to the SecretStore (the OS keyring) through
ProfileService.save, never to the store. A password field left empty while editing keeps the
secret already saved. Without a keyring the dialog says so and offers "仅本次使用".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.account_form import connection_failure
from invoicedesk.services.vendor_facts import flows
from invoicedesk.ui.account_dialog import AccountDialog, Saver, Tester

__all__ = ["AccountDialog", "AccountsPage", "Saver"]
from invoicedesk.ui.async_dialog import confirm, run_dialog
from invoicedesk.ui.banner import banner_style, no_keyring_text
from invoicedesk.ui.core_bridge import signals
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.vendor_names import vendor_label
from invoicedesk.vocabulary import Profile, VendorError

if TYPE_CHECKING:
    from invoicedesk.services.context import Core

log = logging.getLogger(__name__)


class AccountsPage(QWidget):
    """设置: the profiles, with add / edit / remove / test / make active, and the piaodanyun
    tax-bureau SMS login in its two steps. Signals: profilesChanged(), activateRequested(str)."""

    profilesChanged = Signal()
    activateRequested = Signal(str)

    def __init__(
        self,
        services: Core | None,
        tester: Tester | None = None,
        *,
        keyring_ok: bool = True,
        keyring_news_shown: Callable[[], bool] = lambda: False,
        parent: QWidget | None = None,
    ) -> None:
        """keyring_news_shown: whether the window's banner already says there is no keyring
        (then this page does not say it a second time)."""
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self.services = services
        self.tester = tester
        self.keyring_ok = keyring_ok
        self.keyring_news_shown = keyring_news_shown
        self.profiles: list[Profile] = []
        self.active: str | None = None  # the active account, shown in bold
        self.dialog: AccountDialog | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        tr = self.tr

        heading = QLabel(tr("开票账户"))
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.keyring_notice = QLabel(no_keyring_text())
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.setStyleSheet(banner_style())  # readable in both themes
        self.refresh_keyring_notice()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("accountsTable")
        self.table.setHorizontalHeaderLabels(
            [tr("账户名称"), tr("开票平台"), tr("销售方"), tr("税号")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in (0, 1, 3):  # name, platform（沙箱）, tax ID: never cut
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 140)
        self.table.setColumnWidth(3, 190)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _i: self._start(self.edit_selected()))

        self.add_button = QPushButton(tr("添加账户…"))
        self.add_button.setObjectName("addAccount")
        self.edit_button = QPushButton(tr("编辑…"))
        self.remove_button = QPushButton(tr("删除"))
        self.test_button = QPushButton(tr("测试连接"))
        self.test_button.setObjectName("testSelected")
        self.use_button = QPushButton(tr("设为当前账户"))
        self.add_button.clicked.connect(lambda: self._start(self.add()))
        self.edit_button.clicked.connect(lambda: self._start(self.edit_selected()))
        self.remove_button.clicked.connect(lambda: self._start(self.remove_selected()))
        self.test_button.clicked.connect(lambda: self._start(self.test_selected()))
        self.use_button.clicked.connect(self._use_selected)

        self.sms_box = QWidget()
        sms = QHBoxLayout(self.sms_box)
        sms.setContentsMargins(0, 0, 0, 0)
        self.sms_start_button = QPushButton(tr("登录电子税务局：发送短信验证码"))
        self.sms_start_button.setObjectName("smsStart")
        self.sms_code = QLineEdit()
        self.sms_code.setObjectName("smsCode")
        self.sms_code.setPlaceholderText(tr("短信验证码"))
        self.sms_code.setMaximumWidth(140)
        self.sms_finish_button = QPushButton(tr("登录"))
        self.sms_finish_button.setObjectName("smsFinish")
        self.sms_start_button.clicked.connect(lambda: self._start(self.sms_start()))
        self.sms_finish_button.clicked.connect(lambda: self._start(self.sms_finish()))
        sms.addWidget(self.sms_start_button)
        sms.addWidget(self.sms_code)
        sms.addWidget(self.sms_finish_button)
        sms.addStretch(1)

        self.status = QLabel()
        self.status.setObjectName("accountsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.test_button,
            self.use_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.keyring_notice)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.sms_box)
        layout.addWidget(self.status)
        self._selection_changed()
        if services is not None:  # None: drawn for the README's pictures only
            bridge = signals(services)
            bridge.profilesChanged.connect(self._profiles_changed)
            bridge.profileActivated.connect(self._account_switched)
            self.reload()  # filled when built; the notices keep it current

    def _core(self) -> Core:
        if self.services is None:
            raise RuntimeError("this accounts page was drawn without the core")
        return self.services

    def _profiles_changed(self, _name: str) -> None:
        self.reload()

    def _account_switched(self, name: str) -> None:
        self.active = name
        self.fill(self.profiles)  # the active account in bold; the selection stays the user's

    # ---- list ------------------------------------------------------------------------------

    def reload(self) -> None:
        self._start(self.refresh())

    async def refresh(self) -> None:
        if self.active is None:
            self.active = await self._core().active_profile_name()
        self.fill(await self._core().profiles.list_all())

    def fill(self, profiles: list[Profile]) -> None:
        selected = self.selected()
        self.profiles = list(profiles)
        self.table.setRowCount(0)
        for p in self.profiles:
            row = self.table.rowCount()
            self.table.insertRow(row)
            vendor = vendor_label(p)  # says 沙箱 for the built-in simulator's accounts
            for col, text in enumerate((p.name, vendor, p.seller.name, p.seller.tax_id)):
                item = QTableWidgetItem(text)
                if p.name == self.active:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
            if selected is not None and p.name == selected.name:
                self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> Profile | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.profiles):
            return None
        return self.profiles[rows[0].row()]

    def select(self, name: str) -> None:
        for i, p in enumerate(self.profiles):
            if p.name == name:
                self.table.selectRow(i)

    def refresh_keyring_notice(self) -> None:
        """No keyring: say so here unless the window's banner says it already."""
        self.keyring_notice.setVisible(not self.keyring_ok and not self.keyring_news_shown())

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_keyring_notice()  # the banner may have been closed or replaced meanwhile
        super().showEvent(event)

    def _selection_changed(self) -> None:
        p = self.selected()
        for b in (self.edit_button, self.remove_button, self.test_button, self.use_button):
            b.setEnabled(p is not None)
        self.sms_box.setVisible(p is not None and flows(p.vendor).sms_login)

    # ---- add / edit / remove ---------------------------------------------------------------

    def _session_only(self) -> None:
        """No keyring: keep secrets in memory for this session (the user chose it)."""
        self._core().keep_secrets_in_memory()

    async def _save(self, dialog: AccountDialog, profile: Profile, secrets: dict[str, str]) -> None:
        if dialog.session_only.isChecked():
            self._session_only()
        await self._core().save_profile(profile, secrets)

    def make_dialog(self, profile: Profile | None = None) -> AccountDialog:
        holder: list[AccountDialog] = []

        async def saver(p: Profile, s: dict[str, str]) -> None:
            await self._save(holder[0], p, s)

        dialog = AccountDialog(
            saver,
            self.tester,
            profile=profile,
            taken_names={p.name for p in self.profiles},
            keyring_ok=self.keyring_ok,
            parent=self,
        )
        holder.append(dialog)
        self.dialog = dialog
        return dialog

    async def add(self) -> None:
        await self.refresh()
        dialog = self.make_dialog()
        if await run_dialog(dialog) == QDialog.DialogCode.Accepted.value:
            name = dialog.profile_and_secrets()[0].name
            await self._changed(self.tr("已添加开票账户“{n}”。").format(n=name), name)
        self.dialog = None
        dialog.deleteLater()

    async def edit_selected(self) -> None:
        p = self.selected()
        if p is None:
            return
        dialog = self.make_dialog(p)
        if await run_dialog(dialog) == QDialog.DialogCode.Accepted.value:
            await self._changed(self.tr("已保存开票账户“{n}”。").format(n=p.name), p.name)
        self.dialog = None
        dialog.deleteLater()

    async def remove_selected(self) -> None:
        p = self.selected()
        if p is None:
            return
        ok = await confirm(
            self,
            self.tr("删除开票账户"),
            self.tr("删除开票账户“{n}”及其保存的密码？已开发票的记录会保留。").format(n=p.name),
            yes=self.tr("删除"),
        )
        if not ok:
            return
        await self._core().delete_profile(p.name)
        await self._changed(self.tr("已删除开票账户“{n}”。").format(n=p.name), None)

    async def _changed(self, text: str, name: str | None) -> None:
        await self.refresh()
        if name:
            self.select(name)
        self.status.setText(text)
        self.profilesChanged.emit()

    def _use_selected(self) -> None:
        p = self.selected()
        if p is not None:
            self.activateRequested.emit(p.name)

    # ---- test and tax-bureau login ---------------------------------------------------------

    async def test_selected(self) -> bool:
        p = self.selected()
        if p is None:
            return False
        self.status.setText(self.tr("正在测试“{n}”的连接…").format(n=p.name))
        try:
            _, vendor = await self._core().vendor(p.name)
            await vendor.check_connection()
        except VendorError as exc:
            self.status.setText(self.tr("连接失败：") + connection_failure(exc))  # as the dialog
            return False
        except Exception as exc:
            log.exception("connection test failed")
            self.status.setText(self.tr("连接失败：") + str(getattr(exc, "message", exc)))
            return False
        self.status.setText(self.tr("“{n}”连接成功。").format(n=p.name))
        return True

    async def sms_start(self) -> None:
        p = self.selected()
        if p is None:
            return
        try:
            await self._core().account.sms_login_start(p.name)
        except VendorError as exc:
            self.status.setText(f"{exc.message} {exc.next_step}".strip())
            return
        self.status.setText(self.tr("验证码已发送到 {u}，请填入后点“登录”。").format(u=p.user_name))
        self.sms_code.setFocus()

    async def sms_finish(self) -> None:
        p = self.selected()
        code = self.sms_code.text().strip()
        if p is None:
            return
        if not code:
            self.status.setText(self.tr("请填写短信验证码。"))
            return
        try:
            await self._core().account.sms_login_finish(p.name, code)
        except VendorError as exc:
            self.status.setText(f"{exc.message} {exc.next_step}".strip())
            return
        self.sms_code.clear()
        self.status.setText(self.tr("已登录电子税务局。"))

    def _start(self, coro: Awaitable[Any]) -> None:
        spawn(coro, self._tasks)
