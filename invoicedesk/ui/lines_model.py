"""The invoice lines as a Qt table model over the domain's Line objects.

The model keeps every figure as the text the user typed (like the domain model does); computed
figures (the tax per line) and problems found by domain.rules are pushed in by the form.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from invoicedesk.domain.models import Line
from invoicedesk.domain.money import (
    FigureError,
    lookalike_digit,
    normalize_figure_text,
    parse_amount,
    round_money,
    round_price,
)
from invoicedesk.domain.treatments import TREATMENTS, treatment_rate

Index = QModelIndex | QPersistentModelIndex


ERROR_BRUSH = QBrush(QColor("#f8d0d0"))
WARNING_BRUSH = QBrush(QColor("#fbeec0"))


def amount_label(text: str) -> str:
    """A typed 金额 as shown when not edited: "5000" → "5000.00", like a computed one next to
    it. The draft keeps what was typed (the editor shows it too); text that is not a valid
    amount is shown as typed (its problem says why)."""
    try:
        return f"{parse_amount(text):f}" if text.strip() else text
    except FigureError:
        return text


class Col(IntEnum):
    NAME = 0
    TAX_CODE = 1
    SPEC = 2
    UNIT = 3
    QUANTITY = 4
    UNIT_PRICE = 5
    AMOUNT = 6
    INCLUDES_TAX = 7
    TAX_RATE = 8
    TAX = 9
    TREATMENT = 10  # 税收优惠 (issue 16), last so the other columns keep their places


# column -> the Line attribute it edits (TAX is computed, not stored)
FIELDS: dict[Col, str] = {
    Col.NAME: "name",
    Col.TAX_CODE: "tax_code",
    Col.SPEC: "spec",
    Col.UNIT: "unit",
    Col.QUANTITY: "quantity",
    Col.UNIT_PRICE: "unit_price",
    Col.AMOUNT: "amount",
    Col.INCLUDES_TAX: "price_includes_tax",
    Col.TAX_RATE: "tax_rate",
    Col.TREATMENT: "tax_treatment",
}
COLUMN_OF_FIELD: dict[str, Col] = {f: c for c, f in FIELDS.items()}

NUMERIC = {Col.QUANTITY, Col.UNIT_PRICE, Col.AMOUNT, Col.TAX}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LinesModel", text)


def parse_decimal(text: str) -> Decimal | None:
    """The typed figure as a Decimal, or None when it is empty or not a finite number."""
    if lookalike_digit(text) is not None:  # "10²" is not 102: the rules say so at the field
        return None
    try:
        value = Decimal(normalize_figure_text(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def plain(value: Decimal) -> str:
    """A Decimal as plain text, without exponent or trailing zeros."""
    return f"{value.normalize():f}"


def rate_label(rate: str) -> str:
    """'0.06' -> '6%'; text that is not a number is shown as typed."""
    value = parse_decimal(rate)
    if value is None:
        return rate
    return f"{(value * 100).normalize():f}%"


class LinesModel(QAbstractTableModel):
    """Rows are domain Line objects (the very objects of `lines()`; copies go to the outside)."""

    linesChanged = Signal()  # any edit, insert, removal or move
    rowEdited = Signal(int, object, object)  # row, Line before, Line after (for undo)

    def __init__(self, lines: list[Line] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[Line] = [line.model_copy() for line in (lines or [])]
        self._taxes: list[str] = []
        self._problems: dict[tuple[int, int], tuple[str, str]] = {}
        # cells the user has left or set, by line object (rows move; the objects stay)
        self._touched: dict[int, set[int]] = {}

    # ---- the outside view ----------------------------------------------------------------

    def lines(self) -> list[Line]:
        return [line.model_copy() for line in self._lines]

    def set_lines(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self._lines = [line.model_copy() for line in lines]
        self._taxes = []
        self._problems = {}
        self._touched = {}
        self.endResetModel()
        self.linesChanged.emit()

    def line(self, row: int) -> Line:
        return self._lines[row]

    def set_taxes(self, taxes: list[str]) -> None:
        """The computed tax per row, as text, from domain.money."""
        self._taxes = taxes
        if self._lines:
            self.dataChanged.emit(self.index(0, Col.TAX), self.index(len(self._lines) - 1, Col.TAX))

    def set_problems(self, problems: dict[tuple[int, int], tuple[str, str]]) -> None:
        """(row, column) -> (severity, message); paints the cells and fills their tooltips."""
        if problems == self._problems:
            return
        self._problems = problems
        if self._lines:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._lines) - 1, len(Col) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
            )

    def mark_touched(self, row: int, *columns: int) -> None:
        """The user left these cells of a row (or set them): their problems may show."""
        if 0 <= row < len(self._lines):
            self._touched.setdefault(id(self._lines[row]), set()).update(columns)

    def touched(self, row: int, column: int) -> bool:
        if not 0 <= row < len(self._lines):
            return False
        touched = self._touched.get(id(self._lines[row]), set())
        if column in touched:
            return True
        # a computed cell (金额 from 数量 × 单价) is never typed in: it shows its problem once
        # the figures it is computed from were entered
        return column in (Col.AMOUNT, Col.TAX) and bool(touched & {Col.QUANTITY, Col.UNIT_PRICE})

    def any_touched(self) -> bool:
        live = {id(line) for line in self._lines}
        return any(key in live and cols for key, cols in self._touched.items())

    def problem_at(self, row: int, column: int) -> tuple[str, str] | None:
        return self._problems.get((row, column))

    # ---- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            if 0 <= section < len(self._lines) and self._lines[section].kind == "discount":
                return _tr("折扣")
            return str(section + 1)
        titles = {
            Col.NAME: _tr("项目名称"),
            Col.TAX_CODE: _tr("税收分类编码"),
            Col.SPEC: _tr("规格型号"),
            Col.UNIT: _tr("单位"),
            Col.QUANTITY: _tr("数量"),
            Col.UNIT_PRICE: _tr("单价"),
            Col.AMOUNT: _tr("金额"),
            Col.INCLUDES_TAX: _tr("含税"),
            Col.TAX_RATE: _tr("税率"),
            Col.TAX: _tr("税额"),
            Col.TREATMENT: _tr("税收优惠"),
        }
        return titles.get(Col(section)) if 0 <= section < len(Col) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = Col(index.column())
        if col == Col.TAX:
            return base
        if col == Col.INCLUDES_TAX:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        row, col = index.row(), Col(index.column())
        line = self._lines[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == Col.TAX:
                return self._taxes[row] if row < len(self._taxes) else ""
            if col == Col.INCLUDES_TAX:
                return None
            if col == Col.TAX_RATE and role == Qt.ItemDataRole.DisplayRole:
                return rate_label(line.tax_rate)
            if col == Col.AMOUNT and role == Qt.ItemDataRole.DisplayRole:
                return amount_label(line.amount)
            if col == Col.TREATMENT and role == Qt.ItemDataRole.DisplayRole:
                treatment = line.tax_treatment
                return _tr(TREATMENTS[treatment]) if treatment else ""
            if col == Col.TREATMENT:
                return line.tax_treatment
            return str(getattr(line, FIELDS[col]))
        if role == Qt.ItemDataRole.CheckStateRole and col == Col.INCLUDES_TAX:
            return Qt.CheckState.Checked if line.price_includes_tax else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC | {Col.TAX_RATE}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        problem = self._problems.get((row, col))
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return ERROR_BRUSH if problem[0] == "error" else WARNING_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem[1]
            if col == Col.INCLUDES_TAX:
                return _tr("金额和单价是否含税（空格键切换）")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return False
        row, col = index.row(), Col(index.column())
        line = self._lines[row]
        before = line.model_copy()
        if col == Col.INCLUDES_TAX and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            if line.price_includes_tax == checked:
                return False
            line.price_includes_tax = checked
            self.mark_touched(row, Col.INCLUDES_TAX)
            self._changed(row, Col.INCLUDES_TAX, Col.INCLUDES_TAX)
            self.rowEdited.emit(row, before, line.model_copy())
            return True
        if role != Qt.ItemDataRole.EditRole or col in (Col.TAX, Col.INCLUDES_TAX):
            return False
        text = "" if value is None else str(value).strip()
        self.mark_touched(row, col)
        if getattr(line, FIELDS[col]) == text:
            return False
        if col == Col.AMOUNT and line.kind == "discount":
            text = _negative(text)
        setattr(line, FIELDS[col], text)
        first, last = col, col
        fixed = treatment_rate(text) if col == Col.TREATMENT else None
        if fixed is not None and parse_decimal(line.tax_rate) != fixed:
            line.tax_rate = plain(fixed)  # 免税 … are at 0%, 减按1.5% at 1.5%
            first = Col.TAX_RATE
        if col in (Col.QUANTITY, Col.UNIT_PRICE) and self._fill_amount(line):
            first, last = min(col, Col.AMOUNT), max(col, Col.AMOUNT)
        elif col == Col.AMOUNT and self._fill_price(line):
            first, last = Col.UNIT_PRICE, Col.AMOUNT
        self._changed(row, first, last)
        self.rowEdited.emit(row, before, line.model_copy())
        return True

    # ---- line operations (each one is one undoable-looking step for the user) ----------------

    def insert_line(self, row: int, line: Line | None = None) -> int:
        row = max(0, min(row, len(self._lines)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.insert(row, line.model_copy() if line else Line())
        self.endInsertRows()
        self.linesChanged.emit()
        return row

    def append_line(self, line: Line | None = None) -> int:
        return self.insert_line(len(self._lines), line)

    def remove_line(self, row: int) -> None:
        """Remove a line. A discount row goes alone (the line it discounted becomes a plain
        line again); a discounted line takes its discount with it (the form asks first)."""
        if not 0 <= row < len(self._lines):
            return
        if self._lines[row].kind == "discount":
            first = last = row
            if row > 0 and self._lines[row - 1].kind == "discounted":
                self._lines[row - 1].kind = "normal"
                self.headerDataChanged.emit(Qt.Orientation.Vertical, row - 1, row - 1)
        else:
            first, last = self._group(row)
        self.beginRemoveRows(QModelIndex(), first, last)
        del self._lines[first : last + 1]
        self.endRemoveRows()
        self.linesChanged.emit()

    def group_of(self, row: int) -> tuple[int, int]:
        """The rows a line shares with its discount (first, last); (row, row) when alone."""
        return self._group(row) if 0 <= row < len(self._lines) else (row, row)

    def snapshot(self) -> list[dict[str, Any]]:
        """The lines as plain field dicts: cheap to take on every step of a 1,000-line table."""
        return [dict(line.__dict__) for line in self._lines]

    def restore(self, snapshot: list[dict[str, Any]]) -> None:
        """Undo/redo: show these lines again; which cells were left is kept row by row."""
        touched = [self._touched.get(id(line), set()) for line in self._lines]
        self.beginResetModel()
        # the fields were validated when they were typed: no need to check them again
        self._lines = [Line.model_construct(**fields) for fields in snapshot]
        self._taxes = []
        self._touched = {
            id(line): set(cols) for line, cols in zip(self._lines, touched, strict=False) if cols
        }
        self.endResetModel()
        self.linesChanged.emit()

    def replace_line(self, row: int, line: Line) -> None:
        """Undo/redo of one row's edit: the row holds this line again."""
        if not 0 <= row < len(self._lines):
            return
        old = self._lines[row]
        self._lines[row] = line.model_copy()
        cols = self._touched.pop(id(old), None)
        if cols:
            self._touched[id(self._lines[row])] = cols
        self._changed(row, 0, len(Col) - 1)

    def duplicate_line(self, row: int) -> int:
        """Copy a line (with its discount) right after it; returns the new row."""
        if not 0 <= row < len(self._lines):
            return -1
        first, last = self._group(row)
        copies = [line.model_copy() for line in self._lines[first : last + 1]]
        self.beginInsertRows(QModelIndex(), last + 1, last + len(copies))
        self._lines[last + 1 : last + 1] = copies
        self.endInsertRows()
        self.linesChanged.emit()
        return last + 1

    def move_line(self, row: int, delta: int) -> int:
        """Move a line (with its discount) up (-1) or down (+1) past the next group."""
        if not 0 <= row < len(self._lines) or delta not in (-1, 1):
            return row
        first, last = self._group(row)
        if delta < 0:
            if first == 0:
                return row
            o_first, o_last = self._group(first - 1)
            dest = o_first
        else:
            if last == len(self._lines) - 1:
                return row
            o_first, o_last = self._group(last + 1)
            dest = o_last + 1
        if not self.beginMoveRows(QModelIndex(), first, last, QModelIndex(), dest):
            return row
        group = self._lines[first : last + 1]
        del self._lines[first : last + 1]
        insert_at = dest if delta < 0 else dest - len(group)
        self._lines[insert_at:insert_at] = group
        self.endMoveRows()
        self.linesChanged.emit()
        return insert_at + (row - first)

    def add_discount(self, row: int) -> int:
        """Add a 折扣行 after a normal line; returns its row (or -1 when not possible)."""
        if not 0 <= row < len(self._lines):
            return -1
        first, last = self._group(row)
        target = self._lines[first]
        if target.kind != "normal" or last != first:
            return -1  # one discount per line; a discount line cannot be discounted
        target.kind = "discounted"
        discount = Line(
            kind="discount",
            name=target.name,
            tax_code=target.tax_code,
            tax_rate=target.tax_rate,
            price_includes_tax=target.price_includes_tax,
        )
        self.beginInsertRows(QModelIndex(), first + 1, first + 1)
        self._lines.insert(first + 1, discount)
        self.endInsertRows()
        self.headerDataChanged.emit(Qt.Orientation.Vertical, first, first + 1)
        self.linesChanged.emit()
        return first + 1

    def set_catalog_item(self, row: int, choice: Any) -> None:
        """A name completion (a CatalogChoice) was chosen: name and code; the rate when it is
        the user's remembered one or the line's rate does not fit the code; a product's spec,
        unit and price where those cells are empty."""
        if not 0 <= row < len(self._lines):
            return
        line = self._lines[row]
        before = line.model_copy()
        line.name = choice.name
        self._apply_code(line, choice)
        for attr in ("spec", "unit", "unit_price"):
            value = getattr(choice, attr, "")
            if value and not getattr(line, attr):
                setattr(line, attr, value)
        self._fill_amount(line)
        self.mark_touched(row, Col.NAME, Col.TAX_CODE, Col.TAX_RATE)
        self._changed(row, Col.NAME, Col.TAX_RATE)
        self.rowEdited.emit(row, before, line.model_copy())

    def set_tax_code(self, row: int, choice: Any) -> None:
        """A code completion was chosen: the code (and the rate as above), never the name."""
        if not 0 <= row < len(self._lines):
            return
        before = self._lines[row].model_copy()
        self._apply_code(self._lines[row], choice)
        self.mark_touched(row, Col.TAX_CODE, Col.TAX_RATE)
        self._changed(row, Col.TAX_CODE, Col.TAX_RATE)
        self.rowEdited.emit(row, before, self._lines[row].model_copy())

    @staticmethod
    def _apply_code(line: Line, choice: Any) -> None:
        line.tax_code = choice.tax_code
        allowed = choice.allowed_rates
        fits = line.tax_rate in allowed if allowed else bool(line.tax_rate)
        if choice.tax_rate and (choice.rate_remembered or not fits):
            line.tax_rate = choice.tax_rate

    # ---- helpers ---------------------------------------------------------------------------

    def _group(self, row: int) -> tuple[int, int]:
        """The rows of a line together with its discount (discounted line, discount line)."""
        if self._lines[row].kind == "discount" and row > 0:
            return row - 1, row
        nxt = row + 1
        if self._lines[row].kind == "discounted" and nxt < len(self._lines):
            return (row, nxt) if self._lines[nxt].kind == "discount" else (row, row)
        return row, row

    def _changed(self, row: int, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(row, first), self.index(row, last))
        self.linesChanged.emit()

    @staticmethod
    def _fill_amount(line: Line) -> bool:
        quantity, price = parse_decimal(line.quantity), parse_decimal(line.unit_price)
        if quantity is None or price is None:
            return False
        amount = f"{round_money(quantity * price):f}"
        if line.amount == amount:
            return False
        line.amount = amount
        return True

    @staticmethod
    def _fill_price(line: Line) -> bool:
        """Amount typed with a quantity: the unit price follows (13 places, zeros cut)."""
        quantity, amount = parse_decimal(line.quantity), parse_decimal(line.amount)
        if quantity is None or amount is None or quantity == 0:
            return False
        price = plain(round_price(amount / quantity))
        if line.unit_price == price:
            return False
        line.unit_price = price
        return True


def _negative(text: str) -> str:
    """A discount is negative: '10' becomes '-10' (what the user means on a 折扣行)."""
    value = parse_decimal(text)
    if value is not None and value > 0:
        return "-" + text
    return text
