"""The dry-run table's paint path: BandedTableView paints a tall dirty area a band of rows per
loop turn and still paints all of it; DryRunModel's kept cells follow skips and arriving drafts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPaintEvent

from invoicedesk.services import batch_io
from invoicedesk.ui.batch.banded_table import BAND_ROWS, BandedTableView
from invoicedesk.ui.batch.models import ERROR_BG, SKIPPED_FG, DryRunModel, row_layout


class Rows(QAbstractTableModel):
    """200 rows of 3 cells; records the rows whose text the view asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[int] = set()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 200

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        self.asked.add(index.row())
        return f"{index.row()}"


class Recording(BandedTableView):
    """Records, per paint event, the rows painted (the rows whose text was asked for)."""

    def __init__(self, model: Rows) -> None:
        super().__init__()
        self.rows = model
        self.painted: list[set[int]] = []
        self.setModel(model)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.rows.asked = set()
        super().paintEvent(event)
        self.painted.append(self.rows.asked)


def test_a_full_screen_is_painted_in_bands_and_completely(qtbot: Any) -> None:
    view = Recording(Rows())
    view.banding = True
    qtbot.addWidget(view)
    view.resize(400, 600)
    view.show()
    qtbot.waitExposed(view)
    viewport = view.viewport()
    shown = set(range(view.rowAt(0), view.rowAt(viewport.height() - 1) + 1))
    assert len(shown) > 2 * BAND_ROWS  # the screen takes several bands

    view.painted.clear()
    viewport.update()

    def covered() -> bool:
        return shown <= set().union(*view.painted)

    qtbot.waitUntil(covered)
    assert len(view.painted) >= 3
    assert all(0 < len(rows) <= BAND_ROWS for rows in view.painted)


def _draft(label: str, row: int, amount: str, problems: list[batch_io.RowProblem]) -> Any:
    return batch_io.ImportedDraft(
        label=label,
        rows=[row],
        cells=[{"buyer.name": "测试购买方有限公司", "lines.amount": amount}],
        problems=problems,
    )


def test_kept_cells_follow_skips_and_arriving_drafts(qtbot: Any) -> None:
    model = DryRunModel()
    amount_col = next(
        c for c in range(model.columnCount()) if model.column_name(c) == "lines.amount"
    )
    bad = batch_io.RowProblem(3, "lines.amount", "lines[0].amount", "x", "error", "金额有误")
    model.expect_drafts(row_layout([1, 1]))
    waiting = model.index(1, amount_col)
    assert model.data(waiting) == ""
    assert model.data(model.index(1, model.columnCount() - 1)) == "检查中…"

    model.add_drafts([_draft("D0", 2, "100.00", [])], ["a"])
    model.rows_changed(0, 0)
    model.add_drafts([_draft("D1", 3, "12x", [bad])], ["b"])
    # the placeholder painted before is not kept: the arrived draft shows
    assert model.data(waiting) == "12x"
    assert model.data(waiting, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert model.data(waiting, Qt.ItemDataRole.ToolTipRole) == "金额有误"
    assert "金额有误" in model.data(model.index(1, model.columnCount() - 1))
    assert model.data(waiting, Qt.ItemDataRole.DecorationRole) is None

    first = model.index(0, 0)
    assert model.data(first, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(first, Qt.ItemDataRole.ForegroundRole) is None
    model.set_skip(0, True)
    assert model.data(first, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.data(first, Qt.ItemDataRole.ForegroundRole).color() == SKIPPED_FG
    # a skipped draft's problems are not coloured
    model.set_skip(1, True)
    assert model.data(waiting, Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(QModelIndex()) == ""


def test_without_banding_one_paint_covers_the_screen(qtbot: Any) -> None:
    """What grab() and render() need (one paint event): the default, and after an import."""
    view = Recording(Rows())
    qtbot.addWidget(view)
    view.resize(400, 600)
    view.show()
    qtbot.waitExposed(view)
    viewport = view.viewport()
    shown = set(range(view.rowAt(0), view.rowAt(viewport.height() - 1) + 1))
    view.painted.clear()
    view.grab()
    assert view.painted and shown <= view.painted[0]
