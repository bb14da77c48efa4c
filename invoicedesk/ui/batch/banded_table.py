"""`BandedTableView`: a QTableView that paints a large dirty area a band of rows per loop turn.

Why: each cell of a Python model costs ~10 calls from C++ into Python per paint (seven roles,
flags, the index's bounds), ~25 µs a cell, so one screen of the dry run (~300 cells) takes
8-10 ms to paint on an idle machine and twice that when the CPU is shared: one such paint is a
visible stall of the event loop. Painting BAND_ROWS rows now and the rest on the next turn
keeps every paint a few milliseconds; the rest follows within a frame. Scrolling by a few rows
repaints only the exposed strip and is unaffected.

Only while `banding` is on (the import page turns it on while an import runs): a grab() or
render() is a single paint event, and with banding it would capture one band only.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QPaintEvent, QRegion
from PySide6.QtWidgets import QTableView, QWidget

BAND_ROWS = 8  # rows painted per paint event at most


class BandedTableView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rest = QRegion()  # dirty area left for the next turn
        self._pending = False
        self.banding = False

    def paintEvent(self, event: QPaintEvent) -> None:
        region = event.region()
        box = region.boundingRect()
        band = self.verticalHeader().defaultSectionSize() * BAND_ROWS
        if not self.banding or box.height() <= band:
            super().paintEvent(event)
            return
        # end the band on a row boundary: a row cut in two would be painted twice
        bottom = box.top() + band
        row = self.rowAt(bottom)
        if row >= 0 and self.rowViewportPosition(row) > box.top():
            bottom = self.rowViewportPosition(row)
        now = region.intersected(
            QRegion(QRect(box.left(), box.top(), box.width(), bottom - box.top()))
        )
        super().paintEvent(QPaintEvent(now))
        self._rest = self._rest.united(region.subtracted(now))
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._paint_rest)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # the viewport's pixels move, unpainted ones too: the area left for later moves along
        self._rest.translate(dx, dy)
        super().scrollContentsBy(dx, dy)

    def _paint_rest(self) -> None:
        self._pending = False
        rest, self._rest = self._rest, QRegion()
        if not rest.isEmpty():
            self.viewport().update(rest)
