"""Table models of the batch pages: the dry run (one row per sheet row, editable cells, problems
on the cells they concern) and the progress (one row per draft, its state).

Both are flat QAbstractTableModels over lists built off the GUI thread; data() only looks up.
"""

from __future__ import annotations

from array import array
from decimal import Decimal
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
from invoicedesk.ui.column_names import label as column_label
from invoicedesk.ui.problem_text import shown

Index = QModelIndex | QPersistentModelIndex

ERROR_BG = QColor("#fbd5d5")
WARNING_BG = QColor("#fff1c2")
SKIPPED_FG = QColor("#9a9a9a")
# brushes and check states built once: data() hands out these objects, it never builds one
_ERROR_BRUSH = QBrush(ERROR_BG)
_WARNING_BRUSH = QBrush(WARNING_BG)
_SKIPPED_BRUSH = QBrush(SKIPPED_FG)
# text on the light error/warning marks: dark in either theme (the dark theme's light text
# would vanish on them)
ON_MARK_FG = QColor("#1f2937")
_ON_MARK_BRUSH = QBrush(ON_MARK_FG)
_CHECKED = Qt.CheckState.Checked
_UNCHECKED = Qt.CheckState.Unchecked
_ZERO = Decimal("0.00")
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
        "recording": QCoreApplication.translate("Batch", "正在记录结果"),
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
_FIELD_START = len(_FIXED)
_FIELD_STOP = _FIELD_START + len(DRY_RUN_FIELDS)
_LAST = _FIELD_STOP + len(_TAIL) - 1  # the 问题 column
_COLUMNS = _LAST + 1
# roles as plain ints (Qt passes ints; comparing with enum members is slower)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_CHECK = int(Qt.ItemDataRole.CheckStateRole)
# the roles answered besides DisplayRole; the delegate also asks for decoration, font and
# alignment on every paint, and those get None at once
_OTHER_ROLES = frozenset({_EDIT, _TOOLTIP, _BACKGROUND, _FOREGROUND, _CHECK})
_NEVER_CHILDREN = Qt.ItemFlag.ItemNeverHasChildren
_PLAIN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | _NEVER_CHILDREN
_CHECKABLE = _PLAIN | Qt.ItemFlag.ItemIsUserCheckable
_EDITABLE = _PLAIN | Qt.ItemFlag.ItemIsEditable
# flags per column once every draft is checked (column 0 is checkable on a draft's first row)
_COLUMN_FLAGS = tuple(
    _EDITABLE if _FIELD_START <= c < _FIELD_STOP else _PLAIN for c in range(_COLUMNS)
)
_SHOWN_CACHE = 400  # rows whose cells are kept (a few screens)


class _Cells:
    """What one model row paints, built once per row and kept while it may be painted again:
    the texts, the background brush per column (None: no problems), the foreground brush and
    the check state of column 0."""

    __slots__ = ("background", "check", "foreground", "texts")

    def __init__(
        self,
        texts: tuple[str, ...],
        background: tuple[QBrush | None, ...] | None,
        foreground: QBrush | None,
        check: Qt.CheckState | None,
    ) -> None:
        self.texts = texts
        self.background = background
        self.foreground = foreground
        self.check = check


_NO_CELLS = _Cells(("",) * _COLUMNS, None, None, None)

RowLayout = tuple["array[int]", "array[int]", "array[int]"]


def row_layout(sizes: list[int]) -> RowLayout:
    """Each model row's draft and line index, and each draft's first row, from the drafts'
    row counts (for DryRunModel.expect_drafts). Arrays, not lists of tuples: 10,000 rows are
    three flat buffers, nothing for the garbage collector to go through."""
    draft_of: array[int] = array("i")
    line_of: array[int] = array("i")
    first: array[int] = array("i")
    for di, size in enumerate(sizes):
        first.append(len(draft_of))
        draft_of.extend([di] * size)
        line_of.extend(range(size))
    return draft_of, line_of, first


class DryRunModel(QAbstractTableModel):
    """Rows: every sheet row of every draft. Column 0 (开具) is checkable on a draft's first row
    (unchecked = skip the draft); field columns are editable in place; the last column lists the
    problems of that row. `changed` is emitted after an edit or a skip (summary refresh)."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.drafts: list[batch_io.ImportedDraft] = []
        # each model row's draft and line index; each draft's first model row
        self._draft_of, self._line_of, self._first = row_layout([])
        self._marks: dict[int, dict[tuple[int, str], list[batch_io.RowProblem]]] = {}
        self._shown: dict[int, _Cells] = {}  # model row -> its cells (see _cells_of)
        # every row of a draft still being checked paints the same
        waiting = ("",) * _LAST + (QCoreApplication.translate("Batch", "检查中…"),)
        self._placeholder = _Cells(waiting, None, _SKIPPED_BRUSH, None)
        self._keys: list[str] = []
        # each draft's (state, 价税合计) and their sums, kept as drafts come and change, so the
        # summary after an edit or a chunk costs nothing per draft
        self._tally: list[tuple[int, Decimal]] = []
        self._counts = [0, 0, 0]  # issuable, with errors, skipped
        self._sum = _ZERO

    # ---- content -------------------------------------------------------------------------------

    def set_drafts(self, drafts: list[batch_io.ImportedDraft], keys: list[str]) -> None:
        """`keys`: each draft's content key (batch_io.content_key)."""
        self.beginResetModel()
        self.drafts = drafts
        self._keys = keys
        self._draft_of, self._line_of, self._first = row_layout([len(d.rows) for d in drafts])
        self._marks = {}
        self._shown = {}
        self._tally, self._counts, self._sum = [], [0, 0, 0], _ZERO
        for d in drafts:
            self._count(d)
        self.endResetModel()

    def expect_drafts(self, layout: RowLayout) -> None:
        """Rows for drafts still being checked (`layout`: row_layout of their row counts),
        shown as placeholders until `add_drafts` brings them; nothing is editable meanwhile.
        The rows are inserted, not reset: a reset makes the view lay itself out and paint
        twice, ~15 ms each."""
        if self._draft_of:
            self.set_drafts([], [])
        count = len(layout[0])
        if not count:
            return
        self.beginInsertRows(QModelIndex(), 0, count - 1)
        self.drafts = []
        self._keys = []
        self._marks = {}
        self._shown = {}
        self._tally, self._counts, self._sum = [], [0, 0, 0], _ZERO
        self._draft_of, self._line_of, self._first = layout
        self.endInsertRows()

    def add_drafts(self, drafts: list[batch_io.ImportedDraft], keys: list[str]) -> tuple[int, int]:
        """The next checked drafts (in order) in place of their placeholders; returns their
        model rows (first, last). Emits nothing: a view repaints all it shows on dataChanged
        (~15 ms), so the caller calls rows_changed for the rows it has on screen only."""
        start = len(self.drafts)
        self.drafts.extend(drafts)
        self._keys.extend(keys)
        for d in drafts:
            self._count(d)
        top = self._first[start] if start < len(self._first) else len(self._draft_of)
        return top, top + sum(len(d.rows) for d in drafts) - 1

    def rows_changed(self, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self._cells_of(row)  # built now rather than in the paint that follows
        self.dataChanged.emit(self.index(first, 0), self.index(last, _LAST))

    @property
    def loading(self) -> bool:
        return len(self.drafts) < len(self._first)

    def draft_at(self, row: int) -> int:
        return self._draft_of[row]

    def first_row_of(self, draft_index: int) -> int:
        return self._first[draft_index]

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
        return 0 if parent.isValid() else len(self._draft_of)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        names = [*_FIXED, *(h for h, _c in DRY_RUN_FIELDS), *_TAIL]
        if role == Qt.ItemDataRole.DisplayRole:
            return column_label(names[section])
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
        # asked for every cell on every paint: a tuple lookup, no enum arithmetic
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.loading:
            return _PLAIN  # edits and skips wait until every draft is checked
        col = index.column()
        if col == 0 and self._line_of[index.row()] == 0:
            return _CHECKABLE
        return _COLUMN_FLAGS[col]

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Asked for seven roles of every cell on each paint (~2,000 calls a screen): the row's
        # cells are built once (_cells_of) and each call is a lookup. Tooltips are built only
        # when asked for (on hover), never on paint.
        if role == _DISPLAY:
            return self._cells_of(index.row()).texts[index.column()]
        if role not in _OTHER_ROLES:
            return None
        row = index.row()
        if row < 0 or row >= len(self._draft_of):
            return None
        cells = self._cells_of(row)
        col = index.column()
        if role == _BACKGROUND:
            return None if cells.background is None else cells.background[col]
        if role == _FOREGROUND:
            if cells.background is not None and cells.background[col] is not None:
                return _ON_MARK_BRUSH
            return cells.foreground
        if role == _CHECK:
            return cells.check if col == 0 else None
        if role == _EDIT:
            return cells.texts[col]
        return self._tooltip(row, col)

    def _cells_of(self, row: int) -> _Cells:
        cells = self._shown.get(row)
        if cells is not None:
            return cells
        if not 0 <= row < len(self._draft_of):
            return _NO_CELLS  # an invalid index
        di = self._draft_of[row]
        if di >= len(self.drafts):
            return self._placeholder  # not cached: the row changes when its chunk arrives
        cells = self._build_cells(di, self._line_of[row])
        if len(self._shown) >= _SHOWN_CACHE:
            self._shown.clear()  # a few screens' worth; scrolling far away starts afresh
        self._shown[row] = cells
        return cells

    def _build_cells(self, di: int, li: int) -> _Cells:
        d = self.drafts[di]
        sheet_row = d.rows[li]
        texts = ["", d.label if li == 0 else "", str(sheet_row)]
        line = d.cells[li]
        for _header, name in DRY_RUN_FIELDS:
            texts.append(line.get(name, "") if li == 0 or name.startswith("lines.") else "")
        total = d.total if li == 0 else None
        texts.append("" if total is None else f"{total:.2f}")
        background: tuple[QBrush | None, ...] | None = None
        if d.problems:
            # errors first: they are what blocks the draft
            found = sorted(
                self._problems(di).get((sheet_row, ""), []), key=lambda p: p.severity != "error"
            )
            texts.append("；".join(shown(p) for p in found))  # English in the English window
            if not d.skip:
                background = tuple(
                    self._brush(self._cell_problems(di, sheet_row, col)) for col in range(_COLUMNS)
                )
        else:
            texts.append("")
        check = (_UNCHECKED if d.skip else _CHECKED) if li == 0 else None
        return _Cells(tuple(texts), background, _SKIPPED_BRUSH if d.skip else None, check)

    @staticmethod
    def _brush(found: list[batch_io.RowProblem]) -> QBrush | None:
        if any(p.severity == "error" for p in found):
            return _ERROR_BRUSH
        return _WARNING_BRUSH if found else None

    def _tooltip(self, row: int, col: int) -> str | None:
        di = self._draft_of[row]
        if di >= len(self.drafts) or not self.drafts[di].problems:
            return None
        found = self._cell_problems(di, self.drafts[di].rows[self._line_of[row]], col)
        return "\n".join(shown(p) for p in found) or None

    def _cell_problems(self, di: int, sheet_row: int, col: int) -> list[batch_io.RowProblem]:
        marks = self._problems(di)
        name = self.column_name(col)
        if name:
            return marks.get((sheet_row, name), [])
        if col in (1, _LAST):
            return marks.get((sheet_row, ""), [])
        return []

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.loading:
            return False  # edits wait until every draft is checked
        di = self._draft_of[index.row()]
        li = self._line_of[index.row()]
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

    def summary(self) -> tuple[int, int, int, Decimal]:
        """Drafts issuable, with errors, skipped; the issuable ones' 价税合计."""
        ok, bad, skipped = self._counts
        return ok, bad, skipped, self._sum

    def _count(self, d: batch_io.ImportedDraft, di: int | None = None) -> None:
        """Add a draft to the sums (append, or replace draft `di`'s share)."""
        state = 2 if d.skip else 1 if d.has_errors else 0
        total = (d.total or _ZERO) if state == 0 else _ZERO
        if di is None:
            self._tally.append((state, total))
        else:
            old_state, old_total = self._tally[di]
            self._counts[old_state] -= 1
            self._sum -= old_total
            self._tally[di] = (state, total)
        self._counts[state] += 1
        self._sum += total

    def _draft_changed(self, di: int) -> None:
        self._count(self.drafts[di], di)
        self._marks.pop(di, None)
        first = self.first_row_of(di)
        last = first + len(self.drafts[di].rows) - 1
        for row in range(first, last + 1):
            self._shown.pop(row, None)
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
            return column_label(self.HEADERS[section])
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
