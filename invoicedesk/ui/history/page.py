"""The 发票历史 page: filters, count and totals, the table, the details panel, actions and sync.

Self-contained: the main window mounts `HistoryPage()` and the application calls
`page.attach(services)` once the services are open. The first query runs when the page is first
shown, so start-up does not pay for it. Every action is a coroutine started from a click; none
blocks the loop, and every failure becomes a Chinese message under the table.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import shutil
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.export import ExportError
from invoicedesk.services.history_query import (
    HistoryQueryService,
    HistoryRow,
    InvoiceFilter,
    InvoiceSummary,
)
from invoicedesk.ui.async_dialog import dialog_future
from invoicedesk.ui.core_bridge import signals
from invoicedesk.ui.history.columns import format_cents
from invoicedesk.ui.history.dates import beijing_today
from invoicedesk.ui.history.details import DetailsPanel
from invoicedesk.ui.history.export_dialog import ExportDialog
from invoicedesk.ui.history.filters import FilterBar
from invoicedesk.ui.history.header import error_text, sync_message
from invoicedesk.ui.history.model import HistoryModel
from invoicedesk.ui.history.table_view import ask_save_path, history_table
from invoicedesk.ui.tasks import spawn

if TYPE_CHECKING:
    from invoicedesk.services.context import Core

RED_PICK_ROW = "请先在表格中选择一张已开具的蓝字发票"
PRINT_INFO_ONLY = "仅签名开票接口账户可更新纸质发票打印信息"


class HistoryPage(QWidget):
    """Public API: attach(services) (the Core), set_query(query), model, view, filters,
    details, summary_label, message, sync_combo / sync_button / sync_cancel / sync_progress,
    refresh(), start_sync(profile) -> Task, shutdown()."""

    def __init__(
        self,
        services: Core | None = None,
        query: HistoryQueryService | None = None,
        *,
        today: Callable[[], dt.date] = beijing_today,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        tr = self.tr
        self.services: Core | None = None
        self._active: str | None = None  # the active account (the sync box offers it first)
        self._own_query = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sync_cancel: asyncio.Event | None = None
        self._export_cancel: threading.Event | None = None
        self._details_ticket = 0
        self._now = now
        self._today = today
        self._message_is_error = False
        self._print_accounts: set[str] = set()  # accounts whose platform keeps print info

        self.filters = FilterBar(today)
        self.filters.filterChanged.connect(self._filter_changed)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("historySummary")
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.loading_label = QLabel()
        self.loading_label.setStyleSheet("color: #666;")

        self.model = HistoryModel(None, self)
        self.model.summaryChanged.connect(self._show_summary)
        self.model.loadingChanged.connect(self._loading)
        self.model.failed.connect(self._show_error)
        self.model.modelReset.connect(self._selection_gone)
        self.view = history_table(self.model)
        header = self.view.horizontalHeader()
        header.sortIndicatorChanged.connect(self.model.sort)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _index: self._open_file("pdf"))

        self.details = DetailsPanel()
        self.details.invoiceLinkActivated.connect(self._show_invoice)

        # actions on the selected invoice
        self.open_button = QPushButton(tr("打开 PDF"))
        self.open_button.clicked.connect(lambda: self._open_file("pdf"))
        self.save_button = QPushButton(tr("保存文件…"))
        menu = QMenu(self.save_button)
        for kind, label in (("pdf", "PDF"), ("ofd", "OFD"), ("xml", "XML")):
            action = menu.addAction(tr("保存 {kind}…").format(kind=label))
            action.triggered.connect(functools.partial(self._save, kind))
        self.save_button.setMenu(menu)
        self.copy_button = QPushButton(tr("复制号码"))
        self.copy_button.clicked.connect(self._copy_number)
        self.refresh_button = QPushButton(tr("刷新状态"))
        self.refresh_button.setToolTip(tr("向开票平台查询这张发票的最新状态"))
        self.refresh_button.clicked.connect(lambda: self._spawn(self._refresh_status()))
        self.red_button = QPushButton(tr("红冲…"))
        self.red_button.setEnabled(False)
        self.red_button.setToolTip(tr(RED_PICK_ROW))
        self.red_button.clicked.connect(lambda: self._spawn(self._red_letter()))
        self.print_button = QPushButton(tr("更新打印信息…"))
        self.print_button.setObjectName("historyPrintButton")
        self.print_button.setEnabled(False)
        self.print_button.setToolTip(tr(PRINT_INFO_ONLY))
        self.print_button.clicked.connect(lambda: self._spawn(self._print_info()))
        self.export_button = QPushButton(tr("导出…"))
        self.export_button.setToolTip(tr("把当前筛选结果导出为 Excel 或 CSV，附合计行"))
        self.export_button.clicked.connect(lambda: self._spawn(self._export()))
        self._row_actions = (
            self.open_button,
            self.save_button,
            self.copy_button,
            self.refresh_button,
        )

        # sync
        self.sync_combo = QComboBox()
        self.sync_combo.setObjectName("historySyncAccount")
        # filled after the first showing: grow with the names ("signed-a…" was cut)
        self.sync_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sync_combo.setToolTip(tr("可从平台同步发票列表的账户"))
        self.sync_button = QPushButton(tr("同步"))
        self.sync_button.setObjectName("historySyncButton")
        self.sync_button.clicked.connect(self._sync_clicked)
        self.sync_progress = QProgressBar()
        self.sync_progress.setRange(0, 0)
        self.sync_progress.setMaximumWidth(160)
        self.sync_progress.setVisible(False)
        self.sync_cancel = QPushButton(tr("取消"))
        self.sync_cancel.setVisible(False)
        self.sync_cancel.clicked.connect(self._cancel_running)

        self.message = QLabel()
        self.message.setObjectName("historyMessage")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.loading_label)
        actions = QHBoxLayout()
        for button in (*self._row_actions, self.red_button, self.print_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addSpacing(16)
        actions.addWidget(self.sync_combo)
        actions.addWidget(self.sync_button)
        actions.addWidget(self.sync_progress)
        actions.addWidget(self.sync_cancel)
        # details below the table: the twelve columns need the full width
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([480, 220])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)
        self._update_actions()
        self._set_sync_accounts([])
        if query is not None:
            self.set_query(query)
        if services is not None:
            self.attach(services)

    # ---- wiring ------------------------------------------------------------------------------

    def attach(self, services: Core) -> None:
        """Use the application's Core: its history queries, files, history sync; follow its
        notices (a new invoice, another account) whether the page is shown or not."""
        self.services = services
        if self.model.query is None:
            self.set_query(services.history_query)
        self._spawn(self._load_accounts())
        self._update_actions()
        bridge = signals(services)
        bridge.invoiceRecorded.connect(self._invoice_recorded)
        bridge.profilesChanged.connect(self._profiles_changed)
        bridge.profileActivated.connect(self._account_switched)

    def _invoice_recorded(self, _profile: str) -> None:
        if self.model.generation > 0:  # never queried yet: the first showing does
            self.refresh()

    def _profiles_changed(self, _name: str) -> None:
        self._spawn(self._load_accounts())

    def _account_switched(self, name: str) -> None:
        """The sync box offers the active account first."""
        index = self.sync_combo.findData(name)
        if index >= 0:
            self.sync_combo.setCurrentIndex(index)
        self._active = name

    def set_query(self, query: HistoryQueryService, *, own: bool = False) -> None:
        self._own_query = own
        self.model.set_service(query)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.model.generation == 0 and self.model.query is not None:
            self.model.set_filter(self.filters.current())

    def refresh(self) -> None:
        self.model.refresh()

    def shutdown(self) -> None:
        """Cancel what runs (queries, actions, sync) before the page goes away."""
        self.model.shutdown()
        if self._sync_cancel is not None:
            self._sync_cancel.set()
        if self._export_cancel is not None:
            self._export_cancel.set()
        for task in list(self._tasks):
            task.cancel()
        if self._own_query and self.model.query is not None:
            self.model.query.close()

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = spawn(coro, self._tasks)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self._show_error(error_text(task.exception()))

    async def _load_accounts(self) -> None:
        assert self.services is not None
        profiles = await self.services.profiles.list_all()
        self.filters.set_accounts([p.name for p in profiles])
        self._vendor_of = {p.name: p.vendor.value for p in profiles}  # for the red button
        from invoicedesk.services.profiles import capabilities_of
        from invoicedesk.vocabulary import Capability

        caps = {p.name: capabilities_of(p.vendor) for p in profiles}
        self._print_accounts = {n for n, c in caps.items() if c & Capability.PRINT_INFO}
        self._update_actions()
        self._set_sync_accounts([n for n, c in caps.items() if c & Capability.SYNC_HISTORY])
        if self._active is None:
            self._active = await self.services.active_profile_name()
        if self._active is not None:
            self._account_switched(self._active)

    # ---- filter, totals, selection -----------------------------------------------------------

    def _filter_changed(self, flt: InvoiceFilter) -> None:
        self.model.set_filter(flt)

    def _show_summary(self, s: InvoiceSummary | None) -> None:
        # a reload started: the old totals stay readable, greyed out (disabled), until the new
        # ones come (no style sheet change: that would re-polish the label on every filter)
        self.summary_label.setEnabled(s is not None)
        if s is None:
            return
        tr = self.tr
        self.summary_label.setText(
            # the disambiguation gives the English its own entry, worded without a plural
            # ("Invoices: 1", not "1 invoices")
            tr("共 {n} 张　金额 ¥{a}　税额 ¥{t}　价税合计 ¥{g}", "count without plural").format(
                n=f"{s.count:,}",
                a=format_cents(int(s.amount.scaleb(2))),
                t=format_cents(int(s.tax.scaleb(2))),
                g=format_cents(int(s.total.scaleb(2))),
            )
        )

    def _loading(self, busy: bool) -> None:
        self.loading_label.setText(self.tr("正在查询…") if busy else "")
        if busy and self._message_is_error:
            # a new query makes an old query error moot; an information (同步完成…) stays
            self._show_info("")

    def _show_error(self, text: str) -> None:
        self._message_is_error = True
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setText(text)

    def _show_info(self, text: str) -> None:
        self._message_is_error = False
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _current(self) -> HistoryRow | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_data(rows[0].row())

    def _selection_gone(self) -> None:
        if self.details.details is not None:  # setHtml costs a layout; only when it changes
            self.details.show_message(self.tr("选择一张发票查看详情。"))
        self._update_actions()

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_actions()
        row = self._current()
        if row is not None:
            self._show_invoice(row.id)

    def _show_invoice(self, invoice_id: int) -> None:
        self._details_ticket += 1
        self._spawn(self._load_details(self._details_ticket, invoice_id))

    async def _load_details(self, ticket: int, invoice_id: int) -> None:
        query = self.model.query
        if query is None:
            return
        details = await query.details(invoice_id)
        if ticket == self._details_ticket:  # the user may have moved on meanwhile
            self.details.show_details(details)

    def _update_actions(self) -> None:
        row = self._current()
        has_services = self.services is not None
        reason = "" if has_services else self.tr("发票历史尚未连接到开票服务")
        for button in self._row_actions:
            button.setEnabled(row is not None and (has_services or button is self.copy_button))
            if row is None:
                button.setToolTip(self.tr("请先在表格中选择一张发票"))
            elif not button.isEnabled():
                button.setToolTip(reason)
            else:
                button.setToolTip("")
        if row is not None and not row.number:
            for button in (self.open_button, self.save_button, self.refresh_button):
                button.setEnabled(False)
                button.setToolTip(self.tr("这张发票还没有发票号码（平台尚未返回）"))
        self._update_red_button(row)
        self._update_print_button(row)

    def _update_print_button(self, row: HistoryRow | None) -> None:
        why: str | None = None
        if row is None or not row.number:
            why = self.tr("请先在表格中选择一张有发票号码的发票")
        elif self.services is None:
            why = self.tr("发票历史尚未连接到开票服务")
        elif row.profile not in self._print_accounts:
            why = self.tr(PRINT_INFO_ONLY)
        self.print_button.setEnabled(why is None)
        self.print_button.setToolTip(
            why or self.tr("记录这张发票的纸质打印状态、时间、次数和纸质发票号码")
        )

    def _update_red_button(self, row: HistoryRow | None) -> None:
        """Enabled for an issued blue invoice of an account whose vendor has red letters;
        otherwise the tooltip says why in one sentence."""
        why: str | None
        # an accepted order without a number (FAW) may be red-lettered once its number is typed
        if row is None or row.color != "blue" or not (row.number or row.serial):
            why = self.tr(RED_PICK_ROW)
        elif self.services is None:
            why = self.tr("发票历史尚未连接到开票服务")
        else:
            # imported here, on the first selected row: importing the red-letter service takes
            # longer than showing the whole page
            from invoicedesk.services.red import why_unsupported

            vendor = getattr(self, "_vendor_of", {}).get(row.profile)
            why = why_unsupported(vendor) if vendor else self.tr("该发票的开票账户已不存在")
        self.red_button.setEnabled(why is None)
        self.red_button.setToolTip(why or self.tr("打开红冲向导（可随时关闭，下次从原步骤继续）"))

    async def _red_letter(self) -> None:
        row = self._current()
        if row is None or not (row.number or row.serial) or self.services is None:
            return
        from invoicedesk.services.red import RedError
        from invoicedesk.ui.red.blue_number import open_red_wizard_for_order
        from invoicedesk.ui.red.page import open_red_wizard

        try:
            if row.number:
                wizard = await open_red_wizard(
                    self.services, row.profile, row.number, self.window()
                )
            else:
                wizard = await open_red_wizard_for_order(
                    self.services, row.profile, row.id, self.window()
                )
        except RedError as exc:
            self._show_error(exc.message)
            return
        if wizard is not None:
            wizard.finished.connect(lambda _code: self.refresh())

    async def _print_info(self) -> None:
        row = self._current()
        if row is None or not row.number or self.services is None:
            return
        from invoicedesk.services.print_info import PrintInfoError
        from invoicedesk.ui.history.print_dialog import PrintInfoDialog

        dialog = PrintInfoDialog(row.number, self._now(), self)
        code = await dialog_future(dialog)
        info = dialog.info()
        dialog.deleteLater()
        if code != PrintInfoDialog.DialogCode.Accepted:
            return
        self._show_info(self.tr("正在更新发票 {n} 的打印信息…").format(n=row.number))
        try:
            await self.services.print_info.update(row.profile, row.number, info)
        except PrintInfoError as exc:
            self._show_error(exc.message)
            return
        self._show_info(self.tr("已更新发票 {n} 的打印信息。").format(n=row.number))

    # ---- actions -----------------------------------------------------------------------------

    def _copy_number(self) -> None:
        row = self._current()
        if row is not None:
            QGuiApplication.clipboard().setText(row.number or row.serial)
            self._show_info(self.tr("已复制发票号码 {n}").format(n=row.number or row.serial))

    async def _download(self, kind: str) -> Path | None:
        row = self._current()
        if row is None or self.services is None:
            return None
        self._show_info(self.tr("正在获取 {k} 文件…").format(k=kind.upper()))
        stored = await self.services.files.download(row.profile, row.number, kind)
        self._show_info(self.tr("{k} 文件：{p}").format(k=kind.upper(), p=stored.path))
        if self.details.details is not None and self.details.details.invoice.id == row.id:
            self._show_invoice(row.id)  # the files list changed
        return Path(stored.path)

    def _open_file(self, kind: str) -> None:
        if self.open_button.isEnabled():
            self._spawn(self._open(kind))

    async def _open(self, kind: str) -> None:
        path = await self._download(kind)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _save(self, kind: str, _checked: bool = False) -> None:
        self._spawn(self._save_as(kind))

    async def _save_as(self, kind: str) -> None:
        source = await self._download(kind)
        if source is None:
            return
        target = await ask_save_path(self, self.tr("保存发票文件"), source.name, f"*.{kind}")
        if target is None:
            return
        await asyncio.to_thread(shutil.copyfile, source, target)
        self._show_info(self.tr("已保存到 {p}").format(p=target))

    async def _refresh_status(self) -> None:
        row = self._current()
        if row is None or self.services is None or self.model.query is None:
            return
        self._show_info(self.tr("正在向平台查询发票 {n}…").format(n=row.number))
        await self.services.history.fetch_one(row.profile, number=row.number)
        fresh = await self.model.query.row(row.id)
        if fresh is not None:
            self.model.update_row(fresh)
            self._show_invoice(fresh.id)
            self._show_info(self.tr("发票 {n} 的状态：{s}").format(n=fresh.number, s=fresh.status))

    async def _export(self) -> None:
        query = self.model.query
        if query is None:
            return
        count = self.model.summary.count if self.model.summary is not None else None
        dialog = ExportDialog(count, self)
        code = await dialog_future(dialog)
        columns, suffix = dialog.chosen_columns(), dialog.suffix()
        dialog.deleteLater()
        if code != ExportDialog.DialogCode.Accepted:
            return
        name = self.tr("发票历史") + self._today().strftime("-%Y%m%d") + suffix
        path = await ask_save_path(self, self.tr("导出到"), name, f"*{suffix}")
        if path is None:
            return
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._export_cancel = threading.Event()
        self._running(True)
        try:
            result = await query.export(
                path,
                self.model.flt,
                columns,
                sort=self.model.sort_key,
                descending=self.model.descending,
                totals_label=self.tr("合计"),
                cancel=self._export_cancel,
            )
        except ExportError as exc:
            self._show_error(exc.message)
            return
        finally:
            self._running(False)
            self._export_cancel = None
        if result.cancelled:
            self._show_info(self.tr("已取消导出，未生成文件。"))
        else:
            self._show_info(self.tr("已导出 {n} 张发票到 {p}").format(n=f"{result.rows:,}", p=path))

    # ---- sync --------------------------------------------------------------------------------

    def _set_sync_accounts(self, names: list[str]) -> None:
        self.sync_combo.clear()
        for name in names:
            self.sync_combo.addItem(name, name)
        can = bool(names) and self.services is not None
        self.sync_combo.setEnabled(can)
        self.sync_button.setEnabled(can)
        self.sync_button.setToolTip(
            self.tr("从平台增量同步所选账户的发票（已有的更新，不会重复）")
            if can
            else self.tr("没有可同步发票列表的账户（WebSocket 开票、签名开票接口支持同步）")
        )

    def _sync_clicked(self) -> None:
        name = self.sync_combo.currentData()
        if name:
            self.start_sync(str(name))

    def start_sync(self, profile: str) -> asyncio.Task[Any]:
        return self._spawn(self._sync(profile))

    async def _sync(self, profile: str) -> Any:
        from invoicedesk.services.history import SyncProgress

        self._sync_cancel = asyncio.Event()

        def progress(p: SyncProgress) -> None:
            self.sync_progress.setFormat(
                self.tr("第 {p} 页，{s} 张（新 {n} 张）").format(p=p.pages, s=p.seen, n=p.new)
            )
            self.loading_label.setText(
                self.tr("同步中：已读取 {s} 张，新增 {n} 张").format(s=p.seen, n=p.new)
            )

        assert self.services is not None  # the sync button is enabled only with the Core
        self._running(True)
        self._show_info(self.tr("正在同步账户 {a} 的发票…").format(a=profile))
        try:
            report = await self.services.history.sync(
                profile, progress=progress, cancel=self._sync_cancel
            )
        finally:
            self._running(False)
            self._sync_cancel = None
            self.loading_label.setText("")
        done = sync_message(report)
        self._show_info(done)
        self.model.refresh()
        return report

    def _running(self, busy: bool) -> None:
        self.sync_progress.setVisible(busy)
        self.sync_cancel.setVisible(busy)
        self.sync_button.setEnabled(not busy and self.sync_combo.count() > 0)
        self.export_button.setEnabled(not busy)

    def _cancel_running(self) -> None:
        if self._sync_cancel is not None:
            self._sync_cancel.set()
        if self._export_cancel is not None:
            self._export_cancel.set()
        self._show_info(self.tr("正在取消…"))
