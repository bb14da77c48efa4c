"""Table models of the batch pages: the dry run (one row per sheet row, editable cells, problems
on the cells they concern) and the progress (one row per draft, its state).

Both are flat QAbstractTableModels over lists built off the GUI thread; data() only looks up.
"""

from __future__ import annotations

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

from invoicedesk.services import batch_io
from invoicedesk.services.batches import ItemView

Index = QModelIndex | QPersistentModelIndex

ERROR_BG = QColor("#fbd5d5")
WARNING_BG = QColor("#fff1c2")
SKIPPED_FG = QColor("#9a9a9a")
STATE_COLORS = {
    "issued": QColor("#1e7b34"),
    "rejected": QColor("#b3261e"),
    "unknown": QColor("#a15c00"),
    "sending": QColor("#1f5fa8"),
}


def state_label(state: str) -> str:
    labels = {
        "waiting": QCoreApplication.translate("Batch", "等待"),
        "sending": QCoreApplication.translate("Batch", "发送中"),
        "issued": QCoreApplication.translate("Batch", "已开具"),
        "rejected": QCoreApplication.translate("Batch", "被拒绝"),
        "unknown": QCoreApplication.translate("Batch", "结果未知，核对中"),
        "skipped": QCoreApplication.translate("Batch", "已跳过"),
    }
    return labels.get(state, state)


# (header shown, sheet column) of the editable cells in the dry run
DRY_RUN_FIELDS: tuple[tuple[str, str], ...] = (
    ("购买方名称", "buyer.name"),
    ("购买方税号", "buyer.tax_id"),
    ("项目名称", "lines.name"),
    ("税收分类编码", "lines.tax_code"),
    ("数量", "lines.quantity"),
    ("单价", "lines.unit_price"),
    ("金额", "lines.amount"),
    ("税率", "lines.tax_rate"),
    ("含税", "lines.price_includes_tax"),
    ("备注", "remark"),
)
_FIXED = ("开具", "草稿", "行号")
_TAIL = ("价税合计", "问题")


def flat_rows(drafts: list[batch_io.ImportedDraft]) -> list[tuple[int, int]]:
    """(draft index, line index) of every sheet row, in order."""
    return [(di, li) for di, d in enumerate(drafts) for li in range(len(d.rows))]


class DryRunModel(QAbstractTableModel):
    """Rows: every sheet row of every draft. Column 0 (开具) is checkable on a draft's first row
    (unchecked = skip the draft); field columns are editable in place; the last column lists the
    problems of that row. `changed` is emitted after an edit or a skip (summary refresh)."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.drafts: list[batch_io.ImportedDraft] = []
        self._rows: list[tuple[int, int]] = []  # (draft index, line index)
        self._marks: dict[int, dict[tuple[int, str], list[batch_io.RowProblem]]] = {}
        self._keys: list[str] = []

    # ---- content -------------------------------------------------------------------------------

    def set_drafts(
        self,
        drafts: list[batch_io.ImportedDraft],
        keys: list[str],
        rows: list[tuple[int, int]] | None = None,
    ) -> None:
        """`keys`: each draft's content key (batch_io.content_key) and `rows` (flat_rows), both
        computed off the GUI thread for big sheets."""
        self.beginResetModel()
        self.drafts = drafts
        self._keys = keys
        self._rows = rows if rows is not None else flat_rows(drafts)
        self._marks = {}
        self.endResetModel()

    def draft_at(self, row: int) -> int:
        return self._rows[row][0]

    def first_row_of(self, draft_index: int) -> int:
        for row, (di, _li) in enumerate(self._rows):
            if di == draft_index:
                return row
        raise IndexError(draft_index)

    def _problems(self, di: int) -> dict[tuple[int, str], list[batch_io.RowProblem]]:
        marks = self._marks.get(di)
        if marks is None:
            marks = {}
            for p in self.drafts[di].problems:
                marks.setdefault((p.row, p.column), []).append(p)
                marks.setdefault((p.row, ""), []).append(p)
            self._marks[di] = marks
        return marks

    # ---- Qt --------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_FIXED) + len(DRY_RUN_FIELDS) + len(_TAIL)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        names = [*_FIXED, *(h for h, _c in DRY_RUN_FIELDS), *_TAIL]
        if role == Qt.ItemDataRole.DisplayRole:
            return names[section]
        if role == Qt.ItemDataRole.ToolTipRole and len(_FIXED) <= section < len(_FIXED) + len(
            DRY_RUN_FIELDS
        ):
            return DRY_RUN_FIELDS[section - len(_FIXED)][1]
        return None

    def column_name(self, column: int) -> str:
        """The sheet column ('lines.amount') of a model column, '' for the others."""
        i = column - len(_FIXED)
        return DRY_RUN_FIELDS[i][1] if 0 <= i < len(DRY_RUN_FIELDS) else ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        _di, li = self._rows[index.row()]
        if index.column() == 0 and li == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if self.column_name(index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        di, li = self._rows[index.row()]
        d = self.drafts[di]
        col = index.column()
        sheet_row = d.rows[li]
        name = self.column_name(col)
        last = self.columnCount() - 1
        if role == Qt.ItemDataRole.CheckStateRole and col == 0 and li == 0:
            return Qt.CheckState.Unchecked if d.skip else Qt.CheckState.Checked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 1:
                return d.label if li == 0 else ""
            if col == 2:
                return str(sheet_row)
            if name:
                cells = d.cells[li]
                if name.startswith("lines.") or li == 0:
                    return cells.get(name, "")
                return ""
            if col == last - 1:
                return f"{d.totals.total:.2f}" if li == 0 and d.totals is not None else ""
            if col == last:
                found = self._problems(di).get((sheet_row, ""), [])
                # errors first: they are what blocks the draft
                found = sorted(found, key=lambda p: p.severity != "error")
                return "；".join(p.message for p in found)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if d.skip:
                return None
            found = self._cell_problems(di, sheet_row, name, col, last)
            if any(p.severity == "error" for p in found):
                return QBrush(ERROR_BG)
            if found:
                return QBrush(WARNING_BG)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and d.skip:
            return QBrush(SKIPPED_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self._cell_problems(di, sheet_row, name, col, last)
            return "\n".join(p.message for p in found) or None
        return None

    def _cell_problems(
        self, di: int, sheet_row: int, name: str, col: int, last: int
    ) -> list[batch_io.RowProblem]:
        marks = self._problems(di)
        if name:
            return marks.get((sheet_row, name), [])
        if col in (1, last):
            return marks.get((sheet_row, ""), [])
        return []

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        di, li = self._rows[index.row()]
        d = self.drafts[di]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            self.set_skip(di, Qt.CheckState(value) != Qt.CheckState.Checked)
            return True
        name = self.column_name(index.column())
        if role != Qt.ItemDataRole.EditRole or not name:
            return False
        text = "" if value is None else str(value)
        if d.cells[li].get(name, "") == text.strip():
            return False
        # draft-level columns live on the draft's first row
        row = d.rows[li] if name.startswith("lines.") else d.rows[0]
        batch_io.edit_cell(d, row, name, text)  # one draft: well under a millisecond
        self._recheck_duplicates(di)
        self._draft_changed(di)
        return True

    def set_skip(self, draft_index: int, skip: bool) -> None:
        self.drafts[draft_index].skip = skip
        self._recheck_duplicates(draft_index)
        self._draft_changed(draft_index)

    def _recheck_duplicates(self, di: int) -> None:
        """Only the edited draft's content changed: compare its key with the others'."""
        d = self.drafts[di]
        self._keys[di] = batch_io.content_key(d.draft)
        d.problems = [p for p in d.problems if p.code != "batch.duplicate"]
        if d.skip:
            return
        for other, key in enumerate(self._keys):
            if other != di and key == self._keys[di] and not self.drafts[other].skip:
                d.problems.append(batch_io.duplicate_problem(d, self.drafts[other]))
                break

    def _draft_changed(self, di: int) -> None:
        self._marks.pop(di, None)
        first = self.first_row_of(di)
        last = first + len(self.drafts[di].rows) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self.changed.emit()


class ProgressModel(QAbstractTableModel):
    """One row per draft of a batch: 草稿, 状态, 发票号码, 价税合计, 说明."""

    HEADERS = ("草稿", "状态", "发票号码", "开票日期", "价税合计", "说明")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.views: list[ItemView] = []
        self._row_of: dict[int, int] = {}

    def set_items(self, views: list[ItemView]) -> None:
        self.beginResetModel()
        self.views = views
        self._row_of = {v.id: i for i, v in enumerate(views)}
        self.endResetModel()

    def item_changed(self, view: ItemView) -> None:
        row = self._row_of.get(view.id)
        if row is None:
            return
        self.views[row] = view
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.views)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self.views[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return v.label
            if col == 1:
                return state_label(v.state)
            if col == 2:
                return v.number
            if col == 3:
                return v.date[:10]
            if col == 4:
                return "" if v.total is None else f"{v.total:.2f}"
            if col == 5:
                return v.reason
        if role == Qt.ItemDataRole.ForegroundRole and col == 1 and v.state in STATE_COLORS:
            return QBrush(STATE_COLORS[v.state])
        if role == Qt.ItemDataRole.ToolTipRole and col == 5 and v.reason:
            return v.reason
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
