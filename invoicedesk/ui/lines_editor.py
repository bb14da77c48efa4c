"""The invoice form's lines editor: the line tool bar, the table and the line operations."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
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
from invoicedesk.domain.models import Line
from invoicedesk.ui.async_dialog import confirm
from invoicedesk.ui.catalog_choices import CatalogChoices
from invoicedesk.ui.line_delegates import CodeDelegate, NameDelegate, RateDelegate, TextDelegate
from invoicedesk.ui.lines_model import Col, LinesModel
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.treatment_widgets import TreatmentDelegate

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

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        # Shift+Tab at the first cell does not wrap round to the last one
        current = self.currentIndex()
        at_start = not current.isValid() or (current.row() == 0 and current.column() == 0)
        if cursorAction == QAbstractItemView.CursorAction.MovePrevious and at_start:
            return current
        return super().moveCursor(cursorAction, modifiers)

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Tab from the last buyer field lands in the first line's name
        model = self.model()
        if not self.currentIndex().isValid() and model is not None and model.rowCount() > 0:
            self.setCurrentIndex(model.index(0, 0))
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        if event.key() == Qt.Key.Key_Backtab and (
            not current.isValid() or (current.row() == 0 and current.column() == 0)
        ):
            # leave the table backwards, to the buyer fields (QWidget's own: the view's would
            # send itself another Shift+Tab)
            QWidget.focusNextPrevChild(self, False)
            event.accept()
            return
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
        self._tasks: set[asyncio.Task[Any]] = set()
        self._in_step = False  # inside a table-wide step: row edits are part of it
        self._undoing = False
        self.undo_stack = QUndoStack(self)
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
        self.table.setItemDelegateForColumn(Col.TREATMENT, TreatmentDelegate(self))
        self.table.setToolTip(
            _tr("直接输入即可编辑；Tab 下一格，Enter 确认（最后一行时新增一行），Esc 取消编辑")
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
            Col.TREATMENT: 84,
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
        self.model.rowEdited.connect(self._row_edited)
        self.undo_action = self.undo_stack.createUndoAction(self, _tr("撤销"))
        self.redo_action = self.undo_stack.createRedoAction(self, _tr("重做"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            # only in the table: Ctrl+Z in a buyer field undoes that field's typing
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
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
        with self._step(_tr("添加行")):
            row = self.model.insert_line(self.current_row() + 1)
        self.focus_cell(row, Col.NAME, edit=True)

    def remove_line(self) -> None:
        """删除行: a discount row alone; a discounted line with its discount after asking."""
        row = self.current_row()
        if row < 0:
            return
        first, last = self.model.group_of(row)
        if last > first and self.model.line(row).kind != "discount":
            spawn(self._remove_group(row), self._tasks)
        else:
            self._remove(row)

    async def _remove_group(self, row: int) -> None:
        ok = await confirm(
            self,
            _tr("删除行"),
            _tr("第 %1 行带有折扣行，将一起删除。要删除这两行吗？").replace("%1", str(row + 1)),
            yes=_tr("一起删除"),
        )
        if ok and row < self.model.rowCount():
            self._remove(row)

    def _remove(self, row: int) -> None:
        col = max(self.table.currentIndex().column(), 0)
        with self._step(_tr("删除行")):
            self.model.remove_line(row)
            if self.model.rowCount() == 0:
                self.model.append_line()
        self.focus_cell(min(row, self.model.rowCount() - 1), col)

    def move_line(self, delta: int) -> None:
        self.commit_edit()
        col = max(self.table.currentIndex().column(), 0)
        with self._step(_tr("移动行")):
            row = self.model.move_line(self.current_row(), delta)
        self.focus_cell(row, col)

    def duplicate_line(self) -> None:
        with self._step(_tr("复制行")):
            row = self.model.duplicate_line(self.current_row())
        self.focus_cell(row, Col.NAME)

    def add_discount(self) -> None:
        with self._step(_tr("添加折扣行")):
            row = self.model.add_discount(self.current_row())
        if row >= 0:
            self.focus_cell(row, Col.AMOUNT, edit=True)

    # ---- undo -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _step(self, text: str) -> Iterator[None]:
        """One undoable step over the whole table (lines added, removed, moved)."""
        before = self.model.snapshot()
        self._in_step = True
        try:
            yield
        finally:
            self._in_step = False
        after = self.model.snapshot()
        if after != before:
            self.undo_stack.push(_Snapshot(self, text, before, after, self._where()))

    def _row_edited(self, row: int, before: Line, after: Line) -> None:
        if not self._in_step and not self._undoing and before != after:
            self.undo_stack.push(_RowEdit(self, row, before, after))

    def _where(self) -> tuple[int, int]:
        index = self.table.currentIndex()
        return (index.row(), index.column()) if index.isValid() else (0, 0)

    def clear_undo(self) -> None:
        """Another draft was opened: its lines have no history here."""
        self.undo_stack.clear()

    def _enter_in_table(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        if row >= self.model.rowCount() - 1:
            with self._step(_tr("添加行")):
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


class _Snapshot(QUndoCommand):
    """Lines added, removed or moved: the whole table before and after."""

    def __init__(
        self,
        editor: LinesEditor,
        text: str,
        before: list[dict[str, Any]],
        after: list[dict[str, Any]],
        where: tuple[int, int],
    ) -> None:
        super().__init__(text)
        self._editor, self._before, self._after, self._where = editor, before, after, where
        self._first = True  # pushed after the change was made: the first redo does nothing

    def undo(self) -> None:
        self._apply(self._before)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self._after)

    def _apply(self, lines: list[dict[str, Any]]) -> None:
        editor = self._editor
        editor._undoing = True
        try:
            editor.model.restore(lines)
        finally:
            editor._undoing = False
        row, col = self._where
        editor.focus_cell(min(row, editor.model.rowCount() - 1), col)


class _RowEdit(QUndoCommand):
    """One row edited (a cell typed, a completion taken, 含税 toggled)."""

    def __init__(self, editor: LinesEditor, row: int, before: Line, after: Line) -> None:
        super().__init__(
            QCoreApplication.translate("InvoiceForm", "编辑第 %1 行").replace("%1", str(row + 1))
        )
        self._editor, self._row, self._before, self._after = editor, row, before, after
        self._first = True

    def undo(self) -> None:
        self._apply(self._before)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(self._after)

    def _apply(self, line: Line) -> None:
        editor = self._editor
        editor._undoing = True
        try:
            editor.model.replace_line(self._row, line)
        finally:
            editor._undoing = False
        col = max(editor.table.currentIndex().column(), 0)
        editor.focus_cell(min(self._row, editor.model.rowCount() - 1), col)


def _tr(text: str) -> str:
    # the form's own context: these texts were the InvoiceForm's before the split
    return QCoreApplication.translate("InvoiceForm", text)
