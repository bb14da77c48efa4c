"""The menu bar (文件: 备份/恢复; 帮助: 使用说明/日志/关于), navigation icons, the 外观与语言 box
on the 设置 page and tidy tables: the finishing touches put on the main window by app.py.

`install(window, gui)` needs from `gui` only: data_dir, services (for the data version),
request_quit(), and the attribute restore_from, which app.run_gui reads after the quit to
restore the chosen backup with the database closed and then reopen everything.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

from invoicedesk import logging_setup
from invoicedesk.paths import resource
from invoicedesk.ui.about import AboutDialog, app_icon
from invoicedesk.ui.async_dialog import run_dialog
from invoicedesk.ui.backup_dialog import BackupDialog, RestoreDialog
from invoicedesk.ui.help_pages import HelpDialog
from invoicedesk.ui.log_viewer import LogViewer
from invoicedesk.ui.main_window import Page
from invoicedesk.ui.preferences import PreferencesBox
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.theme import tidy_tables

if TYPE_CHECKING:
    from invoicedesk.services.context import Core
    from invoicedesk.ui.issuing import IssueController


class MenuHost(Protocol):
    """What the menus need from the running program (GuiApp): where the data lives, the Core
    (None in tests that draw the menus alone), the issue controller for 新建, the way out, and
    where 恢复数据 leaves the backup chosen for app.run_gui."""

    data_dir: Path
    restore_from: Path | None

    @property
    def services(self) -> Core | None: ...

    @property
    def controller(self) -> IssueController | None: ...

    def request_quit(self) -> None: ...


def icon(name: str) -> QIcon:
    """An action icon from resources/icons (SVG: sharp at every device pixel ratio)."""
    return QIcon(str(resource("icons", f"{name}.svg")))


ICON_BLUE = "#2f6fd6"  # the strokes of resources/icons/*.svg


def nav_icon(name: str) -> QIcon:
    """A navigation icon that stays visible on the selected row: the blue strokes drawn white
    in the Selected mode (the row's highlight is blue too, and the icon vanished on it)."""
    from PySide6.QtGui import QPixmap

    path = resource("icons", f"{name}.svg")
    result = QIcon(str(path))
    white = path.read_text(encoding="utf-8").replace(ICON_BLUE, "#ffffff")
    for size in (24, 48):  # 1x and 2x
        pixmap = QPixmap(size, size)
        if pixmap.loadFromData(white.encode("utf-8"), "SVG"):
            result.addPixmap(pixmap, QIcon.Mode.Selected)
    return result


NAV_ICONS = {
    "ISSUE": "issue",
    "DRAFTS": "drafts",
    "HISTORY": "history",
    "RED": "red",
    "BATCH": "batch",
    "CUSTOMERS": "customers",
    "PRODUCTS": "products",
    "SETTINGS": "settings",
}


class Menus:
    def __init__(self, window: QMainWindow, gui: MenuHost) -> None:
        self.window = window
        self.gui = gui
        self.data_dir = Path(gui.data_dir)
        self._tasks: set[asyncio.Task[Any]] = set()
        self.dialog: QDialog | None = None  # the last one opened (tests look at it)
        tr = window.tr
        bar = window.menuBar()
        file_menu = bar.addMenu(tr("文件(&F)"))
        self.new_action = QAction(tr("新建发票"), window)
        self.new_action.setObjectName("newInvoiceAction")
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.setToolTip(tr("空白的新发票；正在填写的草稿已保存在草稿箱（Ctrl+N）"))
        self.new_action.triggered.connect(lambda _checked=False: self._new_invoice())
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        self.backup_action = self._action(tr("备份数据…"), "backup", self.open_backup)
        self.restore_action = self._action(tr("恢复数据…"), "restore", self.open_restore)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        quit_action = QAction(tr("退出"), window)
        quit_action.triggered.connect(gui.request_quit)
        file_menu.addAction(quit_action)
        help_menu = bar.addMenu(tr("帮助(&H)"))
        self.help_action = self._action(tr("使用说明"), "help", self.open_help)
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.log_action = self._action(tr("查看日志"), "log", self.open_log)
        self.about_action = self._action(tr("关于 InvoiceDesk"), "about", self.open_about)
        for action in (self.help_action, self.log_action, self.about_action):
            help_menu.addAction(action)

    def _new_invoice(self) -> None:
        if self.gui.controller is not None:  # the form is there once the Core is open
            self.gui.controller.new_invoice()

    def _action(self, text: str, icon_name: str, slot: Any) -> QAction:
        action = QAction(icon(icon_name), text, self.window)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _spawn(self, coro: Any) -> None:
        spawn(coro, self._tasks)

    # ---- help --------------------------------------------------------------------------------

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.setWindowIcon(app_icon())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_help(self, topic: str = "issue") -> QDialog:
        return self._show(HelpDialog(topic, self.window))

    def open_log(self) -> QDialog:
        return self._show(LogViewer(logging_setup.log_file(self.data_dir), self.window))

    def open_about(self) -> QDialog:
        return self._show(
            AboutDialog(self.data_dir, logging_setup.log_dir(self.data_dir), self.window)
        )

    # ---- backup and restore ------------------------------------------------------------------

    def open_backup(self) -> QDialog:
        return self._show(BackupDialog(self.data_dir, self.window))

    def open_restore(self) -> None:
        self._spawn(self.restore())

    async def restore(self) -> bool:
        """Ask for a backup, check it, then quit into app.run_gui's restore-and-reopen step."""
        core = self.gui.services
        max_schema = await core.schema_version() if core is not None else 0
        dialog = RestoreDialog(max_schema, self.window)
        dialog.setWindowIcon(app_icon())
        self.dialog = dialog
        code = await run_dialog(dialog)
        path = dialog.chosen
        dialog.deleteLater()
        if code != QDialog.DialogCode.Accepted.value or path is None:
            return False
        self.gui.restore_from = path
        self.window.statusBar().showMessage(self.window.tr("正在关闭数据并恢复备份…"))
        self.gui.request_quit()
        return True


def add_preferences(window: QMainWindow, data_dir: Path) -> PreferencesBox | None:
    """The 外观与语言 box at the bottom of the 设置 page, whatever page is mounted there."""
    page = window.findChild(QWidget, "preferencesBox")
    if isinstance(page, PreferencesBox):
        return page
    settings_page = getattr(window, "stack", None)
    widget = settings_page.widget(Page.SETTINGS) if settings_page is not None else None
    layout = widget.layout() if widget is not None else None
    if layout is None:
        return None
    box = PreferencesBox(data_dir)
    layout.addWidget(box)
    return box


def set_nav_icons(window: QMainWindow) -> None:
    nav = getattr(window, "nav", None)
    if nav is None:
        return
    for attr, name in NAV_ICONS.items():
        row = getattr(Page, attr, None)
        item = nav.item(row) if isinstance(row, int) else None
        if item is not None:
            item.setIcon(nav_icon(name))
    # wide enough for icon + the longest label (English ones are longer), so nothing is cut
    metrics = nav.fontMetrics()
    longest = max(
        (metrics.horizontalAdvance(nav.item(i).text()) for i in range(nav.count())), default=0
    )
    icon_width = max(nav.iconSize().width(), 16)  # -1 until set: the style's small icon
    wanted = longest + icon_width + 60  # icon gap, item padding, margins, frame
    nav.setMinimumWidth(max(nav.minimumWidth(), wanted))
    nav.setMaximumWidth(max(nav.maximumWidth(), wanted))
    splitter = getattr(window, "splitter", None)
    if splitter is not None and splitter.sizes() and splitter.sizes()[0] < wanted:
        total = sum(splitter.sizes())
        splitter.setSizes([wanted, max(total - wanted, 1)])


def install(window: QMainWindow, gui: MenuHost) -> Menus:
    """Everything above, once the pages are mounted."""
    window.setWindowIcon(app_icon())
    menus = Menus(window, gui)
    set_nav_icons(window)
    add_preferences(window, Path(gui.data_dir))
    tidy_tables(window)
    notice = getattr(gui, "start_notice", "")
    if notice:  # a banner: a status-bar message would hide the account for a while
        show_notice = getattr(window, "show_notice", None)
        if callable(show_notice):
            show_notice(notice)
        else:
            window.statusBar().showMessage(notice, 20000)
    return menus
