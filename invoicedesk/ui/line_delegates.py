"""Editors for the line table: a name field that completes from the catalogs, a rate combo
limited to what the tax code allows, and right-aligned figure fields."""

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


@dataclass(frozen=True)
class CatalogChoice:
    """One completion: the line name it produces, its tax code, and a rate when only one fits."""

    label: str  # what the popup shows (name · code)
    name: str  # the line name it fills in, e.g. *信息技术服务*软件开发服务
    tax_code: str
    tax_rate: str = ""  # the rate to take when the line's rate is not among allowed_rates
    allowed_rates: tuple[str, ...] = ()


ChoiceSearch = Callable[[str], list[CatalogChoice]]
RatesForCode = Callable[[str], list[str]]


class NameDelegate(QStyledItemDelegate):
    """The name cell: a line edit whose completer searches the catalogs as you type."""

    def __init__(self, search: ChoiceSearch, parent: Any = None) -> None:
        super().__init__(parent)
        self._search = search

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        choices = QStandardItemModel(editor)
        completer = QCompleter(choices, editor)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCompletionRole(Qt.ItemDataRole.EditRole)
        completer.setMaxVisibleItems(10)
        editor.setCompleter(completer)
        row = QPersistentModelIndex(index)
        search = self._search

        def refresh(text: str) -> None:
            choices.clear()
            if len(text.strip()) < 1:
                return
            for choice in search(text.strip()):
                item = QStandardItem(choice.label)
                item.setData(choice.name, Qt.ItemDataRole.EditRole)
                item.setData(choice.label, Qt.ItemDataRole.DisplayRole)
                item.setData(choice, CHOICE_ROLE)
                choices.appendRow(item)
            if choices.rowCount():
                completer.complete()

        def chosen(picked: QModelIndex) -> None:
            choice = picked.data(CHOICE_ROLE)
            model = row.model()
            if isinstance(choice, CatalogChoice) and isinstance(model, LinesModel):
                model.set_catalog_item(row.row(), choice)
                editor.setText(choice.name)

        editor.textEdited.connect(refresh)
        completer.activated[QModelIndex].connect(chosen)  # type: ignore[index]
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class RateDelegate(QStyledItemDelegate):
    """The rate cell: a combo of the rates the line's tax code allows."""

    def __init__(self, rates_for_code: RatesForCode, parent: Any = None) -> None:
        super().__init__(parent)
        self._rates_for_code = rates_for_code

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
            model.setData(index, str(editor.currentData()), Qt.ItemDataRole.EditRole)


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
