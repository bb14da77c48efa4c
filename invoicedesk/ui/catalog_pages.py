"""客户 / 商品: the catalogs in editable tables, imported from and exported to Excel.

Catalogs are small (hundreds of rows): a QStandardItemModel refilled from the service is enough.
An edited row is written a moment after the last keystroke in it; store and workbook work goes
through services.catalogs (threads). File dialogs are opened with open(), never exec().
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.catalogs import (
    CUSTOMER_COLUMNS,
    PRODUCT_COLUMNS,
    CatalogError,
    CatalogService,
    Customer,
    ImportReport,
    Product,
)
from invoicedesk.ui.async_dialog import run_dialog
from invoicedesk.ui.catalog_choices import CatalogChoices
from invoicedesk.ui.column_names import label as column_label
from invoicedesk.ui.line_delegates import CodeCellDelegate
from invoicedesk.ui.tasks import spawn

log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_BRUSH = Qt.GlobalColor.red


class ProductChoices(CatalogChoices):
    """The line completers' choices (CatalogChoices already puts the user's products first);
    kept so that callers building one from a base catalog still work."""

    def __init__(self, base: CatalogChoices) -> None:
        super().__init__(base.catalog)


class CatalogPage(QWidget):
    """One catalog table. Public API: refresh(), import_file(path), export_file(path),
    add_row(), delete_selected(), flush() (coroutines where they touch the service);
    signal catalogChanged()."""

    catalogChanged = Signal()

    def __init__(
        self,
        title: str,
        columns: tuple[tuple[str, str], ...],
        load: Callable[[str], Awaitable[list[Any]]],
        save: Callable[[Any], Awaitable[str]],
        delete: Callable[[str], Awaitable[None]],
        make: Callable[..., Any],
        import_: Callable[[Path], Awaitable[ImportReport]],
        export: Callable[[Path], Awaitable[int]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self._load, self._save, self._delete, self._make = load, save, delete, make
        self._import, self._export = import_, export
        self._tasks: set[asyncio.Task[Any]] = set()
        self._dirty: set[int] = set()  # rows (by their first item) edited but not yet saved
        self._filling = False
        tr = self.tr

        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索名称或编号"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(lambda: self._start(self.refresh()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.model = QStandardItemModel(0, len(columns), self)
        self.model.setHorizontalHeaderLabels([column_label(text) for _, text in columns])
        self.model.itemChanged.connect(self._item_changed)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)

        self.add_button = QPushButton(tr("新增"))
        self.add_button.setToolTip(tr("新增一行（Ctrl+Shift+A）"))
        self.add_button.setShortcut("Ctrl+Shift+A")
        self.delete_button = QPushButton(tr("删除"))
        self.delete_button.setToolTip(tr("删除选中的行"))
        self.import_button = QPushButton(tr("从 Excel 导入…"))
        self.import_button.setToolTip(tr("读取 .xlsx 表格；第一行为列名，同名（同税号）的会更新"))
        self.export_button = QPushButton(tr("导出到 Excel…"))
        self.export_button.setToolTip(tr("把全部资料保存为 .xlsx 表格"))
        self.add_button.clicked.connect(self.add_row)
        self.delete_button.clicked.connect(lambda: self._start(self.delete_selected()))
        self.import_button.clicked.connect(lambda: self._start(self._ask_import()))
        self.export_button.clicked.connect(lambda: self._start(self._ask_export()))
        self.status = QLabel()
        self.status.setObjectName("catalogStatus")
        self.status.setWordWrap(True)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(lambda: self._start(self.flush()))

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.import_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    # ---- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._start(self.refresh())

    async def refresh(self) -> None:
        await self.flush()
        rows = await self._load(self.search.text().strip())
        self._filling = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            for row in rows:
                items = [QStandardItem(str(getattr(row, key))) for key, _ in self.columns]
                items[0].setData(row.id, ID_ROLE)
                self.model.appendRow(items)
        finally:
            self._filling = False

    def rows(self) -> list[dict[str, str]]:
        """What the table shows, row by row (for tests and export previews)."""
        out = []
        for r in range(self.model.rowCount()):
            out.append(
                {key: self.model.item(r, c).text() for c, (key, _) in enumerate(self.columns)}
            )
        return out

    # ---- editing ---------------------------------------------------------------------------

    def add_row(self) -> None:
        items = [QStandardItem("") for _ in self.columns]
        self._filling = True
        self.model.appendRow(items)
        self._filling = False
        index = self.model.index(self.model.rowCount() - 1, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def _item_changed(self, item: QStandardItem) -> None:
        if self._filling:
            return
        self._dirty.add(item.row())
        self._save_timer.start()

    async def flush(self) -> None:
        """Write the edited rows now (a row without a name waits until it has one)."""
        self._save_timer.stop()
        rows, self._dirty = sorted(self._dirty), set()
        changed = False
        for r in rows:
            if r >= self.model.rowCount():
                continue
            first = self.model.item(r, 0)
            values = {
                key: self.model.item(r, c).text().strip() for c, (key, _) in enumerate(self.columns)
            }
            if not values["name"]:
                continue
            old_id = first.data(ID_ROLE)
            try:
                new_id = await self._save(self._make(old_id or None, **values))
            except (ValueError, CatalogError) as exc:
                self.status.setText(self.tr("第 {n} 行没有保存：").format(n=r + 1) + str(exc))
                for c in range(len(self.columns)):
                    self.model.item(r, c).setForeground(ERROR_BRUSH)
                continue
            self._filling = True
            first.setData(new_id, ID_ROLE)
            for c in range(len(self.columns)):
                self.model.item(r, c).setData(None, Qt.ItemDataRole.ForegroundRole)
            self._filling = False
            changed = True
        if changed:
            self.status.setText(self.tr("已保存"))
            self.catalogChanged.emit()

    async def delete_selected(self) -> int:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        for r in rows:
            item_id = self.model.item(r, 0).data(ID_ROLE)
            if item_id:
                await self._delete(str(item_id))
            self._dirty.discard(r)
            self.model.removeRow(r)
        if rows:
            self.status.setText(self.tr("已删除 {n} 行").format(n=len(rows)))
            self.catalogChanged.emit()
        return len(rows)

    # ---- Excel -----------------------------------------------------------------------------

    async def import_file(self, path: Path) -> ImportReport | None:
        await self.flush()
        try:
            report = await self._import(path)
        except CatalogError as exc:
            self.status.setText(exc.message)
            return None
        text = self.tr("导入完成：新增 {a} 条，更新 {u} 条").format(
            a=report.added, u=report.updated
        )
        if report.skipped:
            text += self.tr("；跳过 {n} 行：").format(n=len(report.skipped))
            text += "；".join(report.skipped[:5])
        self.status.setText(text)
        await self.refresh()
        self.catalogChanged.emit()
        return report

    async def export_file(self, path: Path) -> int:
        await self.flush()
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            count = await self._export(path)
        except CatalogError as exc:
            self.status.setText(exc.message)
            return 0
        self.status.setText(self.tr("已导出 {n} 条到 {p}").format(n=count, p=str(path)))
        return count

    async def _ask_import(self) -> None:
        path = await self._ask_path(save=False)
        if path is not None:
            await self.import_file(path)

    async def _ask_export(self) -> None:
        path = await self._ask_path(save=True)
        if path is not None:
            await self.export_file(path)

    async def _ask_path(self, *, save: bool) -> Path | None:
        dialog = QFileDialog(self)
        dialog.setNameFilter(self.tr("Excel 表格 (*.xlsx)"))
        dialog.setDefaultSuffix("xlsx")
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if await run_dialog(dialog) != QFileDialog.DialogCode.Accepted.value:
            return None
        files = dialog.selectedFiles()
        return Path(files[0]) if files else None

    def _start(self, coro: Awaitable[Any]) -> None:
        spawn(coro, self._tasks)


def customers_page(service: CatalogService) -> CatalogPage:
    page = CatalogPage(
        QCoreApplication.translate("CatalogPage", "客户"),
        CUSTOMER_COLUMNS,
        service.customers,
        service.save_customer,
        service.delete_customer,
        Customer,
        service.import_customers,
        service.export_customers,
    )
    page.setObjectName("customersPage")
    return page


def products_page(service: CatalogService, choices: CatalogChoices | None = None) -> CatalogPage:
    page = CatalogPage(
        QCoreApplication.translate("CatalogPage", "商品"),
        PRODUCT_COLUMNS,
        service.products,
        service.save_product,
        service.delete_product,
        Product,
        service.import_products,
        service.export_products,
    )
    page.setObjectName("productsPage")
    if choices is not None:  # the code column completes from the tax codes, like the form's
        column = [key for key, _ in PRODUCT_COLUMNS].index("tax_code")
        page.table.setItemDelegateForColumn(
            column, CodeCellDelegate(choices.search_codes, page.table)
        )
    return page
