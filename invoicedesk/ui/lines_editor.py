"""The invoice form's lines editor: the line tool bar, the table and the line operations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.catalog import CatalogEntry
from invoicedesk.ui.catalog_choices import CatalogChoices
from invoicedesk.ui.line_delegates import CodeDelegate, NameDelegate, RateDelegate, TextDelegate
from invoicedesk.ui.lines_model import Col, LinesModel

if TYPE_CHECKING:
    from invoicedesk.ui.code_browser import CodeBrowser

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)


class LinesView(QTableView):
    """The line table; Enter on the last line (editing or not) asks for a new line."""

    enterPressed = Signal()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.enterPressed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and plain
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.enterPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class LinesEditor(QWidget):
    """`line_bar` (the form puts its line actions' buttons there), `model` and `table`."""

    def __init__(self, catalog: CatalogChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.browser: CodeBrowser | None = None
        self._browse_target = QPersistentModelIndex()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line_bar = QHBoxLayout()
        self.line_bar.setSpacing(4)
        layout.addLayout(self.line_bar)

        self.model = LinesModel(parent=self)
        self.table = LinesView()
        self.table.setObjectName("linesTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(True)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegate(TextDelegate(self.table))
        self.table.setItemDelegateForColumn(Col.NAME, NameDelegate(self._catalog.search, self))
        self.table.setItemDelegateForColumn(
            Col.TAX_CODE, CodeDelegate(self._catalog.search_codes, self)
        )
        self.table.setItemDelegateForColumn(
            Col.TAX_RATE, RateDelegate(self._catalog.rates, self, self._catalog.remember)
        )
        self.table.setToolTip(
            self.tr("直接输入即可编辑；Tab 下一格，Enter 确认（最后一行时新增一行），Esc 取消编辑")
        )
        header = self.table.horizontalHeader()
        # narrow enough that a 14-character name still shows at the window's minimum size
        widths = {
            Col.TAX_CODE: 162,
            Col.SPEC: 64,
            Col.UNIT: 44,
            Col.QUANTITY: 56,
            Col.UNIT_PRICE: 84,
            Col.AMOUNT: 92,
            Col.INCLUDES_TAX: 40,
            Col.TAX_RATE: 48,
            Col.TAX: 76,
        }
        metrics = header.fontMetrics()
        for col, width in widths.items():
            # never narrower than the header text (English labels are longer than Chinese ones)
            heading = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            self.table.setColumnWidth(col, max(width, metrics.horizontalAdvance(heading) + 18))
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setMinimumHeight(120)
        self.table.enterPressed.connect(self._enter_in_table)
        layout.addWidget(self.table, 1)

    # ---- lines ------------------------------------------------------------------------------

    def commit_edit(self) -> None:
        """A line action while a cell is being edited: keep what was typed in it first."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            self.table.setFocus()  # the delegate commits and closes its editor on focus-out

    def current_row(self) -> int:
        self.commit_edit()
        index = self.table.currentIndex()
        return index.row() if index.isValid() else self.model.rowCount() - 1

    def focus_cell(self, row: int, col: int, edit: bool = False) -> None:
        if row < 0:
            return
        index = self.model.index(row, col)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        if edit:
            self.table.edit(index)

    def add_line(self) -> None:
        row = self.model.insert_line(self.current_row() + 1)
        self.focus_cell(row, Col.NAME, edit=True)

    def remove_line(self) -> None:
        row = self.current_row()
        col = max(self.table.currentIndex().column(), 0)
        if row < 0:
            return
        self.model.remove_line(row)
        if self.model.rowCount() == 0:
            self.model.append_line()
        self.focus_cell(min(row, self.model.rowCount() - 1), col)

    def move_line(self, delta: int) -> None:
        self.commit_edit()
        col = max(self.table.currentIndex().column(), 0)
        row = self.model.move_line(self.current_row(), delta)
        self.focus_cell(row, col)

    def duplicate_line(self) -> None:
        row = self.model.duplicate_line(self.current_row())
        self.focus_cell(row, Col.NAME)

    def add_discount(self) -> None:
        row = self.model.add_discount(self.current_row())
        if row >= 0:
            self.focus_cell(row, Col.AMOUNT, edit=True)

    def _enter_in_table(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        if row >= self.model.rowCount() - 1:
            self.model.append_line()
            self.focus_cell(self.model.rowCount() - 1, Col.NAME, edit=True)
        else:
            self.focus_cell(row + 1, max(index.column(), 0))

    def browse_codes(self) -> None:
        """按编码浏览 for the current line: the chosen code goes into its code cell only."""
        from invoicedesk.ui.code_browser import CodeBrowser

        row = self.current_row()
        if row < 0:
            return
        if self.browser is None:
            self.browser = CodeBrowser(self._catalog.catalog, self, self._search_entries)
            self.browser.codeChosen.connect(self._code_chosen)
        self._browse_target = QPersistentModelIndex(self.model.index(row, Col.TAX_CODE))
        self.browser.show_code(self.model.line(row).tax_code)
        self.browser.open()
        self.browser.filter.setFocus()

    def _code_chosen(self, entry: CatalogEntry) -> None:
        target = self._browse_target
        if target.isValid():
            self.model.set_tax_code(target.row(), self._catalog.choice_for(entry))
            self.focus_cell(target.row(), Col.TAX_CODE)

    def _search_entries(self, text: str) -> list[CatalogEntry]:
        return self._catalog.catalog.search(text, limit=500)

    def first_cell(self) -> QModelIndex:
        return self.model.index(0, Col.NAME)
