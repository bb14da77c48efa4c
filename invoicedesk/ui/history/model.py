"""`HistoryModel`: the invoice history as a table model over SQL (architecture.md, "Large tables").

Filtering and sorting happen in SQL; rows come in keyset pages through canFetchMore/fetchMore;
every query runs in the query service's worker threads. Each filter or sort change starts a new
generation: answers of an older generation are dropped (and requests still queued for it are
skipped by the service), so fast typing never shows a stale table. The old rows stay on screen
until the new first page arrives, then the model resets in one step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from invoicedesk.services.history_query import (
    FIRST_PAGE,
    FLAG_CONFLICT,
    FLAG_MISMATCH,
    NEXT_PAGE,
    SORTS,
    HistoryQueryService,
    HistoryRow,
    InvoiceFilter,
    InvoiceSummary,
    Page,
    PageRequest,
)
from invoicedesk.ui.column_names import label as column_label
from invoicedesk.ui.history.columns import (
    CENTER,
    LEFT,
    RIGHT,
    color_labels,
    columns,
    format_cents,
    format_date,
    type_labels,
)
from invoicedesk.ui.history.header import order_tip
from invoicedesk.ui.history.rows import RowStore
from invoicedesk.ui.tasks import spawn

Index = QModelIndex | QPersistentModelIndex
RED = QColor(200, 30, 30)
ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1  # the invoice id of a row
MONEY_COLUMNS = (6, 7, 8)
CENTER_COLUMNS = (2,)
# roles as plain ints: comparing enum members costs more than the rest of data() together
DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
ROW_FLAGS = (  # built once: combining enum flags per call is slow
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
SHOWN_CACHE = 400  # rows whose display texts are kept


class _Generation:
    """A counter shared with the worker threads (plain Python: no Qt call off the GUI thread)."""

    def __init__(self) -> None:
        self.value = 0

    def wanted(self, gen: int) -> Any:
        return lambda: self.value == gen


class HistoryModel(QAbstractTableModel):
    """Public API: set_service(query), set_filter(flt), sort(column, order), refresh(),
    row_data(row) -> HistoryRow, invoice_id(row), row_of(invoice_id), update_row(HistoryRow),
    shutdown(); attributes flt, sort_key, descending, done, summary (None while a reload's
    totals are on their way: never the totals of another filter).
    Signals: firstPageLoaded(int generation), summaryChanged(object: InvoiceSummary | None),
    loadingChanged(bool), failed(str)."""

    firstPageLoaded = Signal(int)
    summaryChanged = Signal(object)
    loadingChanged = Signal(bool)
    failed = Signal(str)

    def __init__(self, query: HistoryQueryService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.query = query
        self.columns = columns()
        self._colors = color_labels()
        self._types = type_labels()
        self._rows = RowStore()
        self._shown: dict[int, tuple[str, ...]] = {}  # row -> display texts (see _texts)
        self._red = QBrush(RED)
        self._align = tuple(
            int((RIGHT if c in MONEY_COLUMNS else CENTER if c in CENTER_COLUMNS else LEFT).value)
            for c in range(len(self.columns))
        )
        self.flt = InvoiceFilter()
        self.sort_key = "issued_at"
        self.descending = True
        self.summary: InvoiceSummary | None = None
        self.done = True  # no more rows to fetch for the current generation
        self._gen = _Generation()
        self._after: tuple[Any, int] | None = None
        self._first_pending = False
        self._more_pending = False
        self._started = False
        self._tasks: set[asyncio.Task[Any]] = set()

    # ---- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if section in MONEY_COLUMNS else LEFT)
        if role == Qt.ItemDataRole.ToolTipRole and SORTS[section] == self.sort_key:
            order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
            return order_tip(self.columns[section].header, order)
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every role of every visible cell on each paint (about 1,200 calls for one
        # screen): plain int compares and one cached tuple of texts per row keep it cheap.
        if role in (DISPLAY, TOOLTIP):
            row = index.row()
            texts = self._shown.get(row)
            if texts is None:
                if not 0 <= row < len(self._rows):
                    return None
                texts = self._texts(row)
            col = index.column()
            return texts[col] if 0 <= col < len(texts) else None
        if role == ALIGN:
            col = index.column()
            return self._align[col] if 0 <= col < len(self._align) else None
        if role == FOREGROUND:
            row = index.row()
            if 0 <= row < len(self._rows) and self._rows.color_at(row) == "red":
                return self._red
            return None
        if role == ID_ROLE:
            row = index.row()
            return self._rows.id_at(row) if 0 <= row < len(self._rows) else None
        return None

    def _texts(self, row: int) -> tuple[str, ...]:
        """The twelve display texts of a row, kept while it is likely to be painted again."""
        r = self._rows.get(row)
        texts = (
            format_date(r.issued_at),
            r.number or r.serial,
            self._colors.get(r.color, r.color),
            self._types.get(r.invoice_type, r.invoice_type),
            r.buyer_name,
            r.buyer_tax_id,
            format_cents(r.amount_cents),
            format_cents(r.tax_cents),
            format_cents(r.total_cents),
            self._flagged(column_label(r.status), r.flag),  # stored in Chinese
            column_label(r.red_status),
            r.profile,
        )
        if len(self._shown) >= SHOWN_CACHE:
            self._shown.clear()  # a few screens' worth; scrolling far away starts afresh
        self._shown[row] = texts
        return texts

    def _flagged(self, status: str, flag: str) -> str:
        """The 状态 text; a row whose platform report was not applied says so instead (the
        details show the platform's status and both versions)."""
        if flag == FLAG_MISMATCH:
            return self.tr("⚠ 数据与平台不一致")
        if flag == FLAG_CONFLICT:
            return self.tr("⚠ 号码冲突")
        return status

    def flags(self, index: Index) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORTS):
            return
        key, descending = SORTS[column], order == Qt.SortOrder.DescendingOrder
        if self._started and (key, descending) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, descending
        self.reload()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._started and not self.done

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self.done or self._more_pending or self._first_pending:
            return
        if self.query is None:
            return
        self._more_pending = True
        gen = self._gen.value
        request = PageRequest(self.flt, self.sort_key, self.descending, self._after, NEXT_PAGE)
        self._spawn(self._more(gen, request))

    # ---- loading -----------------------------------------------------------------------------

    def set_service(self, query: HistoryQueryService | None) -> None:
        self.query = query
        if self._started:
            self.reload()

    def set_filter(self, flt: InvoiceFilter) -> None:
        self.flt = flt
        self.reload()

    def refresh(self) -> None:
        self.reload()

    @property
    def generation(self) -> int:
        return self._gen.value

    @property
    def loading(self) -> bool:
        return self._first_pending

    def reload(self) -> int:
        """Start a new generation: first page and totals of the current filter and sort."""
        self._started = True
        self._gen.value += 1
        gen = self._gen.value
        self._more_pending = False
        if self.query is None:
            return gen
        self._first_pending = True
        if self.summary is not None:
            # the totals belong to the previous filter: gone until the new ones arrive
            self.summary = None
            self.summaryChanged.emit(None)
        self.loadingChanged.emit(True)
        wanted = self._gen.wanted(gen)
        request = PageRequest(self.flt, self.sort_key, self.descending, None, FIRST_PAGE)
        self._spawn(self._first(gen, request, wanted))
        return gen

    async def _first(self, gen: int, request: PageRequest, wanted: Any) -> None:
        assert self.query is not None
        try:
            page = await self.query.page(request, wanted)
        except Exception as exc:
            self._fail(gen, exc)
            return
        if page is None or gen != self._gen.value:
            return  # stale: a newer filter or sort is on its way
        # the totals only now: on two cores they would slow down the page everyone waits for
        self._spawn(self._summary(gen, request.flt, wanted))
        self.beginResetModel()
        self._rows.clear()
        self._shown.clear()
        self._rows.extend(page.rows)
        self._after, self.done = page.after, page.done
        self._first_pending = False
        self.endResetModel()
        self.loadingChanged.emit(False)
        self.firstPageLoaded.emit(gen)

    async def _more(self, gen: int, request: PageRequest) -> None:
        assert self.query is not None
        try:
            page = await self.query.page(request, self._gen.wanted(gen))
        except Exception as exc:
            self._fail(gen, exc)
            return
        if page is None or gen != self._gen.value:
            return
        self._more_pending = False
        self._add(page)

    def _add(self, page: Page) -> None:
        self._after, self.done = page.after, page.done
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()

    async def _summary(self, gen: int, flt: InvoiceFilter, wanted: Any) -> None:
        assert self.query is not None
        try:
            summary = await self.query.summary(flt, wanted)
        except Exception as exc:
            self._fail(gen, exc)
            return
        if summary is None or gen != self._gen.value:
            return
        self.summary = summary
        self.summaryChanged.emit(summary)

    def _fail(self, gen: int, exc: Exception) -> None:
        if gen != self._gen.value:
            return
        self._first_pending = self._more_pending = False
        self.done = True
        self.loadingChanged.emit(False)
        self.failed.emit(self.tr("读取发票历史失败：") + str(exc))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        spawn(coro, self._tasks)

    def shutdown(self) -> None:
        """Cancel the queries in flight (before the model goes away)."""
        self._gen.value += 1
        for task in list(self._tasks):
            task.cancel()

    # ---- rows --------------------------------------------------------------------------------

    def row_data(self, row: int) -> HistoryRow:
        return self._rows.get(row)

    def invoice_id(self, row: int) -> int:
        return self._rows.id_at(row)

    def row_of(self, invoice_id: int) -> int | None:
        return self._rows.row_of(invoice_id)

    def update_row(self, fresh: HistoryRow) -> None:
        """Show a re-read invoice in place (after a status refresh); not there: nothing."""
        row = self._rows.row_of(fresh.id)
        if row is None:
            return
        self._rows.replace(row, fresh)
        self._shown.pop(row, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def rows_nbytes(self) -> int:
        return self._rows.nbytes()
