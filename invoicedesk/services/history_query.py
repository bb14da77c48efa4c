"""Read side of the invoice history for the UI: keyset pages, totals, one invoice's details and
exports, every store call in a worker thread (the GUI loop never waits on SQLite).

Pages come back as compact `HistoryRow` tuples (money in integer cents), so that a table holding
a million of them stays small. Two dedicated single-thread executors keep a slow aggregate (the
totals of a million rows) from delaying the next page: pages run on one, totals on the other.
A request whose caller no longer wants it (`still_wanted()` is False when its turn comes, e.g.
the filter changed while it queued) is skipped and answers None.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from invoicedesk.services.export import ExportColumn, ExportResult, export_invoices
from invoicedesk.store import (
    FLAG_CONFLICT,
    FLAG_MISMATCH,
    FileRow,
    InvoiceFilter,
    InvoiceReport,
    InvoiceRow,
    InvoiceSummary,
    JournalEvent,
    JournalRow,
    Sighting,
)
from invoicedesk.store.invoices import Interrupted

T = TypeVar("T")

__all__ = ["FLAG_CONFLICT", "FLAG_MISMATCH"]  # re-exported for the window (which knows no store)

FIRST_PAGE = 200  # rows of the first page: one screen and a bit, fast to fetch
NEXT_PAGE = 500  # rows of later pages (fetchMore while scrolling)

# the sort names of InvoiceRow.sort_key / Store.query_invoices, in table column order
SORTS: tuple[str, ...] = (
    "issued_at",
    "number",
    "color",
    "invoice_type",
    "buyer_name",
    "buyer_tax_id",
    "amount",
    "tax",
    "total",
    "status",
    "red_status",
    "profile",
)


class HistoryRow(NamedTuple):
    """One table row. Money in integer cents (exact, and small in memory)."""

    id: int
    issued_at: str
    number: str  # "" until the vendor gave a number
    serial: str
    color: str  # "blue" | "red"
    invoice_type: str
    buyer_name: str
    buyer_tax_id: str
    amount_cents: int
    tax_cents: int
    total_cents: int
    status: str
    red_status: str
    profile: str
    flag: str = ""  # "" | "mismatch" | "conflict" (store.records FLAG_*)


# where each sort's value is in a HistoryRow (money sorts: the cents, which keyset paging takes)
_SORT_FIELD: dict[str, int] = {
    "issued_at": 1,
    "number": 2,
    "color": 4,
    "invoice_type": 5,
    "buyer_name": 6,
    "buyer_tax_id": 7,
    "amount": 8,
    "tax": 9,
    "total": 10,
    "status": 11,
    "red_status": 12,
    "profile": 13,
}


@dataclass(frozen=True)
class PageRequest:
    flt: InvoiceFilter
    sort: str = "issued_at"
    descending: bool = True
    after: tuple[Any, int] | None = None
    limit: int = FIRST_PAGE


@dataclass(frozen=True)
class Page:
    rows: list[HistoryRow]
    after: tuple[Any, int] | None  # pass as PageRequest.after for the next page
    done: bool  # no more rows after these


@dataclass(frozen=True)
class InvoiceDetails:
    invoice: InvoiceRow  # with its lines
    files: list[FileRow]
    journal: JournalRow | None  # the issuance journal row (invoices issued here)
    events: list[JournalEvent]
    blue: InvoiceRow | None  # for a red invoice: the blue one it reverses, when known
    reds: tuple[InvoiceRow, ...] = ()  # for a blue invoice: the red ones reversing it
    sightings: tuple[Sighting, ...] = ()  # every account that issued or listed it
    reports: tuple[InvoiceReport, ...] = ()  # mismatches and conflicts not applied, merges


class Skipped(Exception):
    """Raised inside the worker when the caller stopped wanting the answer."""


def cents(value: Decimal) -> int:
    return int(value.scaleb(2))


def history_row(row: InvoiceRow) -> HistoryRow:
    return HistoryRow(
        row.id,
        row.issued_at,
        row.number or "",
        row.serial or "",
        row.color,
        row.invoice_type,
        row.buyer_name,
        row.buyer_tax_id,
        cents(row.amount),
        cents(row.tax),
        cents(row.total),
        row.status,
        row.red_status,
        row.profile,
        row.flag,
    )


class HistoryQueryService:
    """Public API (all coroutines but close):
    page(request, still_wanted) -> Page | None; summary(flt, still_wanted) -> InvoiceSummary |
    None; row(invoice_id) -> HistoryRow | None; details(invoice_id) -> InvoiceDetails | None;
    export(path, flt, columns, ...) -> ExportResult; close()."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._pages = ThreadPoolExecutor(1, thread_name_prefix="history-pages")
        self._totals = ThreadPoolExecutor(1, thread_name_prefix="history-totals")
        self._closed = False

    async def _run(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[], T],
        still_wanted: Callable[[], bool] | None,
    ) -> T | None:
        def job() -> T:
            if still_wanted is not None and not still_wanted():
                raise Skipped
            return fn()

        try:
            return await asyncio.get_running_loop().run_in_executor(executor, job)
        except Skipped:
            return None

    async def page(
        self, request: PageRequest, still_wanted: Callable[[], bool] | None = None
    ) -> Page | None:
        return await self._run(self._pages, lambda: self._page(request), still_wanted)

    def _page(self, r: PageRequest) -> Page:
        # plain tuples straight from SQLite: the worker holds the GIL as briefly as possible,
        # so the GUI thread painting meanwhile is not kept waiting for it
        rows = self.store.table_rows(r.flt, r.sort, r.descending, r.after, r.limit)
        if rows:
            last = rows[-1]
            after: tuple[Any, int] | None = (last[_SORT_FIELD[r.sort]], last[0])
        else:
            after = r.after
        return Page([HistoryRow._make(x) for x in rows], after, len(rows) < r.limit)

    async def summary(
        self, flt: InvoiceFilter, still_wanted: Callable[[], bool] | None = None
    ) -> InvoiceSummary | None:
        def totals() -> InvoiceSummary:
            if still_wanted is None:
                return self.store.invoice_summary(flt)
            try:  # a stale summary stops mid-query and frees the CPU for the next one
                return self.store.invoice_summary(flt, lambda: not still_wanted())
            except Interrupted:
                raise Skipped from None

        return await self._run(self._totals, totals, still_wanted)

    async def row(self, invoice_id: int) -> HistoryRow | None:
        inv = await asyncio.to_thread(self.store.get_invoice, invoice_id)
        return None if inv is None else history_row(inv)

    async def details(self, invoice_id: int) -> InvoiceDetails | None:
        return await asyncio.to_thread(self._details, invoice_id)

    def _details(self, invoice_id: int) -> InvoiceDetails | None:
        store = self.store
        inv: InvoiceRow | None = store.get_invoice(invoice_id)
        if inv is None:
            return None
        journal = store.journal_by_serial(inv.profile, inv.serial) if inv.serial else None
        events = store.journal_events(journal.id) if journal is not None else []
        blue = None
        if inv.color == "red" and inv.blue_number:
            # the same account first; another account of the same seller otherwise
            blue = store.invoice_by_number(inv.blue_number, inv.profile) or store.invoice_by_number(
                inv.blue_number
            )
        reds: tuple[InvoiceRow, ...] = ()
        if inv.color == "blue" and inv.number:
            reds = tuple(store.red_invoices_of(inv.number))
        return InvoiceDetails(
            inv,
            store.files(invoice_id),
            journal,
            events,
            blue,
            reds,
            tuple(store.invoice_sightings(invoice_id)),
            tuple(store.invoice_reports(invoice_id)),
        )

    async def export(
        self,
        path: Path,
        flt: InvoiceFilter,
        columns: Sequence[ExportColumn],
        *,
        sort: str = "issued_at",
        descending: bool = True,
        totals_label: str = "合计",
        progress: Callable[[int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ExportResult:
        """Write the whole filter to `path` (.xlsx or .csv by its suffix) in a worker thread.
        `progress(rows_written)` is called from that thread; make it thread-safe."""
        return await asyncio.to_thread(
            export_invoices,
            self.store,
            path,
            flt,
            columns,
            sort=sort,
            descending=descending,
            totals_label=totals_label,
            progress=progress,
            cancel=cancel,
        )

    def close(self) -> None:
        """Stop the worker threads (queued requests are dropped). The store is not closed."""
        if not self._closed:
            self._closed = True
            self._pages.shutdown(wait=False, cancel_futures=True)
            self._totals.shutdown(wait=False, cancel_futures=True)
