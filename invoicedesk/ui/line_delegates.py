"""Editors for the line table: name and tax-code fields that complete from the catalogs, a rate
combo limited to what the tax code allows, and right-aligned figure fields.

A completion writes only its own field: the popup shows a label (name and code) but what the
line edit receives is the role COMPLETION_ROLE holds, the clean name in the name cell, the code
in the code cell. (QStandardItem keeps DisplayRole and EditRole as one value, so the label must
not live in either of them for the completer to read.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from invoicedesk.ui.lines_model import Col, LinesModel, rate_label

Index = QModelIndex | QPersistentModelIndex

CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1
COMPLETION_ROLE = Qt.ItemDataRole.UserRole + 2
POPUP_MIN_WIDTH = 460


@dataclass(frozen=True)
class CatalogChoice:
    """One completion: the line name it produces, its tax code, and a rate when only one fits."""

    label: str  # what the popup shows (name · code)
    name: str  # the line name it fills in, e.g. *信息技术服务*软件开发服务
    tax_code: str
    tax_rate: str = ""  # the rate to take when the line's rate is not among allowed_rates
    allowed_rates: tuple[str, ...] = ()
    rate_remembered: bool = False  # tax_rate is the user's own last choice: take it anyway
    spec: str = ""  # a product's own details, filled into empty cells
    unit: str = ""
    unit_price: str = ""


ChoiceSearch = Callable[[str], list[CatalogChoice]]
RatesForCode = Callable[[str], list[str]]
RememberRate = Callable[[str, str], None]


class CompletingDelegate(QStyledItemDelegate):
    """A cell edited in a line edit whose completer searches the catalogs as you type; taking a
    choice hands it to `apply` (which sets the line's fields) and writes `field` into the edit."""

    field = "name"

    def __init__(self, search: ChoiceSearch, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = search

    def apply(self, model: LinesModel, row: int, choice: CatalogChoice) -> None:
        model.set_catalog_item(row, choice)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        choices = QStandardItemModel(editor)
        completer = QCompleter(choices, editor)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCompletionRole(COMPLETION_ROLE)
        completer.setMaxVisibleItems(10)
        # wide enough for a name and its 19-digit code, however narrow the column is
        popup = completer.popup()
        if popup is not None:
            popup.setMinimumWidth(max(POPUP_MIN_WIDTH, option.rect.width()))
        editor.setCompleter(completer)
        row = QPersistentModelIndex(index)
        search = self._search

        def refresh(text: str) -> None:
            choices.clear()
            if len(text.strip()) < 1:
                return
            for choice in search(text.strip()):
                item = QStandardItem(choice.label)
                item.setData(getattr(choice, self.field), COMPLETION_ROLE)
                item.setData(choice, CHOICE_ROLE)
                item.setToolTip(choice.label)
                choices.appendRow(item)
            if choices.rowCount():
                completer.complete()

        def chosen(picked: QModelIndex) -> None:
            choice = picked.data(CHOICE_ROLE)
            model = row.model()
            if not isinstance(choice, CatalogChoice):
                return
            if isinstance(model, LinesModel):
                self.apply(model, row.row(), choice)
            editor.setText(getattr(choice, self.field))

        editor.textEdited.connect(refresh)
        completer.activated[QModelIndex].connect(chosen)  # type: ignore[index]
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class NameDelegate(CompletingDelegate):
    """The name cell: a choice sets the name (*简称*名称 where the 简称 is known), the code and,
    where needed, the rate."""

    field = "name"


class CodeCellDelegate(CompletingDelegate):
    """A 税收分类编码 cell outside the lines (the 商品 page): a choice writes the code only."""

    field = "tax_code"

    def apply(self, model: LinesModel, row: int, choice: CatalogChoice) -> None:
        pass  # the editor's text becomes the code; the table takes it when the editor closes


class CodeDelegate(CompletingDelegate):
    """The 税收分类编码 cell: same search, but a choice sets the code only (and the rate when
    the line's rate does not fit the new code); the name is the user's."""

    field = "tax_code"

    def apply(self, model: LinesModel, row: int, choice: CatalogChoice) -> None:
        model.set_tax_code(row, choice)


class RateDelegate(QStyledItemDelegate):
    """The rate cell: a combo of the rates the line's tax code allows."""

    def __init__(
        self,
        rates_for_code: RatesForCode,
        parent: Any = None,
        remember: RememberRate | None = None,
    ) -> None:
        super().__init__(parent)
        self._rates_for_code = rates_for_code
        self._remember = remember

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        code = str(index.model().index(index.row(), Col.TAX_CODE).data() or "")
        current = str(index.data(Qt.ItemDataRole.EditRole) or "")
        rates = list(self._rates_for_code(code))
        if current and current not in rates:
            rates.append(current)  # keep what is there visible; rules say if it is not allowed
        for rate in rates:
            combo.addItem(rate_label(rate), rate)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox) and editor.currentIndex() >= 0:
            rate = str(editor.currentData())
            model.setData(index, rate, Qt.ItemDataRole.EditRole)
            code = str(model.index(index.row(), Col.TAX_CODE).data() or "")
            if self._remember is not None and code:
                self._remember(code, rate)


class TextDelegate(QStyledItemDelegate):
    """Plain cells; figures are right-aligned. Nothing is refused while typing: the rules say
    what is wrong with a figure next to it instead."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        align = index.data(Qt.ItemDataRole.TextAlignmentRole)
        if align:
            editor.setAlignment(Qt.AlignmentFlag(align))
        if index.column() == Col.UNIT:
            units = ["个", "件", "台", "套", "项", "次", "批", "千克", "吨", "米", "小时", "月"]
            completer = QCompleter(QStringListModel(units, editor), editor)
            editor.setCompleter(completer)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
