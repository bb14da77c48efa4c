"""The 红字发票 page: start the wizard by blue invoice number, the open red forms with their
72-hour deadlines, refresh, issue once confirmed, and a status-bar reminder when a form expires
within a day."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from invoicedesk.domain import red
from invoicedesk.domain.red import Step
from invoicedesk.services.red import RedCase, RedError, why_unsupported
from invoicedesk.ui.core_bridge import signals
from invoicedesk.ui.red.common import deadline_text, money
from invoicedesk.ui.red.wizard import RedWizard
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.vendor_names import table_text, vendor_name
from invoicedesk.vocabulary import Profile

if TYPE_CHECKING:
    from invoicedesk.services.context import Core
    from invoicedesk.services.red import RedService
    from invoicedesk.ui.main_window import MainWindow

_WIZARDS: set[RedWizard] = set()  # open wizards (kept alive until closed)


async def open_red_wizard(
    services: Core, profile: str, number: str, parent: QWidget | None = None
) -> RedWizard:
    """Open (or resume) the wizard for a blue invoice. Raises RedError with a Chinese message.
    A wizard already open for this invoice is brought to the front instead: two wizards on
    one case would race each other (the second would then say 已全额红冲)."""
    existing = open_wizard_for(profile, number)
    if existing is not None:
        existing.show()
        existing.raise_()
        existing.activateWindow()
        return existing
    service = services.red
    case = await service.open_case(profile, number)
    existing = open_wizard_for(profile, case.state.blue.number)  # opened while we waited
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    full_only = await service.why_full_only(profile)
    full_only = table_text(full_only) if full_only else None  # a facts-table text
    wizard = RedWizard(service, case, parent, full_only=full_only)
    wizard.setWindowModality(Qt.WindowModality.NonModal)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    _WIZARDS.add(wizard)
    wizard.destroyed.connect(lambda *_: _WIZARDS.discard(wizard))
    wizard.show()
    return wizard


def open_wizard_for(profile: str, number: str) -> RedWizard | None:
    """The red wizard open for this blue invoice, if any."""
    for wizard in list(_WIZARDS):
        if not shiboken6.isValid(wizard) or not wizard.isVisible():
            continue
        case = wizard.case
        if case is not None and case.profile == profile and case.state.blue.number == number:
            return wizard
    return None


class RedPage(QWidget):
    """Public API: RedPage(services, active_profile), reload() -> Task, open_number(text) ->
    Task, cases, table, search, start_button, refresh_button, issue_button, continue_button,
    message, reminder_label, reminderChanged(str), wizardOpened(RedWizard)."""

    reminderChanged = Signal(str)
    wizardOpened = Signal(object)

    def __init__(
        self,
        services: Core,
        active_profile: Callable[[], Profile | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.active_profile = active_profile
        self.cases: list[RedCase] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        tr = self.tr

        title = QLabel(tr("红字发票"))
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.search = QLineEdit()
        self.search.setObjectName("redSearch")
        self.search.setPlaceholderText(tr("输入要红冲的蓝字发票号码（20位）"))
        self.search.returnPressed.connect(lambda: self.open_number(self.search.text()))
        self.start_button = QPushButton(tr("红冲…"))
        self.start_button.setObjectName("redStart")
        self.start_button.clicked.connect(lambda: self.open_number(self.search.text()))
        self.unsupported = QLabel()
        self.unsupported.setObjectName("redUnsupported")
        self.unsupported.setWordWrap(True)
        self.unsupported.setStyleSheet("color: #888;")

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("redCases")
        self.table.setHorizontalHeaderLabels(
            [
                tr("蓝字发票"),
                tr("账户"),
                tr("红冲原因"),
                tr("信息表编号"),
                tr("状态"),
                tr("确认期限"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda *_: self._continue())

        self.refresh_button = QPushButton(tr("刷新状态"))
        self.refresh_button.setObjectName("redRefreshAll")
        self.refresh_button.setToolTip(tr("向开票平台查询每张待处理信息表的最新状态"))
        self.refresh_button.clicked.connect(lambda: self._spawn(self._refresh()))
        self.issue_button = QPushButton(tr("开具红字发票"))
        self.issue_button.setObjectName("redIssueSelected")
        self.issue_button.clicked.connect(lambda: self._spawn(self._issue()))
        self.continue_button = QPushButton(tr("打开向导…"))
        self.continue_button.setObjectName("redContinue")
        self.continue_button.clicked.connect(self._continue)
        self.message = QLabel()
        self.message.setObjectName("redMessage")
        self.message.setWordWrap(True)
        self.reminder_label = QLabel()
        self.reminder_label.setObjectName("redReminder")
        self.reminder_label.setStyleSheet("color: #c81e1e;")
        self.reminder_label.setVisible(False)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.start_button)
        buttons = QHBoxLayout()
        for b in (self.refresh_button, self.issue_button, self.continue_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(title)
        box.addLayout(search_row)
        box.addWidget(self.unsupported)
        box.addWidget(QLabel(tr("待处理的红字信息表（申请后未开具红字发票）：")))
        box.addWidget(self.table, 1)
        box.addLayout(buttons)
        box.addWidget(self.message)
        self._update_buttons()
        # what may be red-lettered follows the active account (not the page being shown)
        signals(services).profileActivated.connect(self._account_switched)

    # ---- tasks ---------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = spawn(coro, self._tasks)
        return task

    def reload(self) -> asyncio.Task[Any]:
        return self._spawn(self._load())

    def _service(self) -> RedService:
        return self.services.red

    # ---- starting ------------------------------------------------------------------------------

    def _why_not(self) -> str | None:
        profile = self.active_profile()
        if profile is None:
            return self.tr("请先添加并选择开票账户。")
        if why_unsupported(profile.vendor.value) is None:
            return None
        # the service's sentence, in the window's language
        return self.tr(
            "{vendor}（{key}）没有红字发票接口，请在票单云或 FAW 开票中台账户中红冲，"
            "或到电子税务局办理。"
        ).format(vendor=vendor_name(profile.vendor), key=profile.vendor.value)

    def open_number(self, text: str) -> asyncio.Task[Any]:
        return self._spawn(self._open(text.strip()))

    async def _open(self, number: str) -> RedWizard | None:
        profile = self.active_profile()
        why = self._why_not()
        if why or profile is None:
            self.message.setText(why or "")
            return None
        if not number:
            self.message.setText(self.tr("请输入蓝字发票号码。"))
            return None
        return await self._start_wizard(profile.name, number)

    async def _start_wizard(self, profile: str, number: str) -> RedWizard | None:
        try:
            wizard = await open_red_wizard(self.services, profile, number, self.window())
        except RedError as exc:
            self.message.setText(exc.message)
            return None
        self.message.setText("")
        wizard.caseChanged.connect(lambda _id: self.reload())
        wizard.finished.connect(lambda _code: self.reload())
        self.wizardOpened.emit(wizard)
        return wizard

    def _continue(self) -> None:
        case = self._selected()
        if case is not None:
            self._spawn(self._start_wizard(case.profile, case.state.blue.number))

    # ---- the list ------------------------------------------------------------------------------

    async def _load(self) -> None:
        self.cases = await self._service().open_cases()
        self._show()

    async def _refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        try:
            self.cases = await self._service().refresh_open()
            notes = [c.message for c in self.cases if c.message]
            self.message.setText("\n".join(notes) or self.tr("已刷新。"))
            # a form that went void leaves the list; say so once
            voided = [c for c in self.cases if c.step is Step.VOID]
            if voided:
                self.message.setText(
                    "\n".join(
                        f"{c.state.form_no}：{red.status_text(c.state.form_status)}。"
                        + red.explain_status(c.state.form_status)
                        for c in voided
                    )
                )
            self.cases = [c for c in self.cases if c.step is not Step.VOID]
        finally:
            self._show()

    async def _issue(self) -> None:
        case = self._selected()
        if case is None or case.step is not Step.ISSUE:
            return
        self.issue_button.setEnabled(False)
        try:
            done = await self._service().issue(case)
        finally:
            await self._load()
        if done.step is Step.DONE:
            self.message.setText(
                self.tr("红字发票 {r} 已开具（对应蓝字发票 {b}）。").format(
                    r=done.state.red_number, b=done.state.blue.number
                )
            )
        else:
            self.message.setText(done.message)

    def _show(self) -> None:
        service = self._service()
        self.table.setRowCount(len(self.cases))
        for row, c in enumerate(self.cases):
            s = c.state
            left = service.time_left(c)
            if c.step is Step.PENDING and left is not None and s.applied_at is not None:
                deadline = f"{deadline_text(s.applied_at)}（{red.format_left(left)}）"
            elif c.step is Step.ISSUE:
                deadline = self.tr("可开具")
            else:
                deadline = "—"
            reason = f"{s.plan.reason} {red.REASONS[s.plan.reason]}" if s.plan else ""
            total = money(-s.plan.total) if s.plan else ""
            values = [
                s.blue.number,
                c.profile,
                f"{reason}  {total}",
                s.form_no,
                f"{s.form_status} {red.status_text(s.form_status)}",
                deadline,
            ]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{s.blue.buyer_name}  {text}" if col == 0 else text)
                self.table.setItem(row, col, item)
        self._update_reminder()
        self._update_buttons()

    def _update_reminder(self) -> None:
        soon = self._service().expiring(self.cases)
        text = ""
        if soon:
            text = self.tr(
                "{n} 张红字信息表将在24小时内因未确认而作废，请尽快提醒对方确认。"
            ).format(n=len(soon))
        self.reminder_label.setText(text)
        self.reminder_label.setVisible(bool(text))
        self.reminderChanged.emit(text)

    def _selected(self) -> RedCase | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.cases[row] if 0 <= row < len(self.cases) else None

    def _account_switched(self, _name: str) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        why = self._why_not()
        self.start_button.setEnabled(why is None)
        self.search.setEnabled(why is None)
        self.start_button.setToolTip(why or self.tr("打开红冲向导"))
        self.unsupported.setText(why or "")
        self.unsupported.setVisible(bool(why))
        case = self._selected()
        self.issue_button.setEnabled(case is not None and case.step is Step.ISSUE)
        self.continue_button.setEnabled(case is not None)
        self.refresh_button.setEnabled(bool(self.cases))


def install_red_page(window: MainWindow, services: Core) -> RedPage:
    """Composition-root helper: put the 红字发票 page in the main window's RED slot, its reminder
    in the status bar, and load the open forms once (so the reminder shows at start-up)."""
    from invoicedesk.ui.main_window import Page

    page = RedPage(services, lambda: window.active_profile)
    window.mount(Page.RED, page)
    window.statusBar().addPermanentWidget(page.reminder_label)
    page.reload()
    return page
