"""History: fetch one invoice, and sync the vendor's invoice list into the store.

Sync is incremental: after every page the vendor's cursor is saved (`store.set_cursor(profile,
"history", cursor)`), and the next sync starts from the last cursor saved. A page read twice is
harmless: `upsert_invoice` updates a known invoice (same number, or same serial without number)
and never duplicates it. Progress is reported per page; cancellation (an Event, or cancelling
the task) stops between pages with everything read so far kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from invoicedesk.services.audit import AuditLog
from invoicedesk.services.convert import invoice_record
from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    IssuedInvoice,
    NotSupported,
    Profile,
    VendorError,
)

CURSOR_KIND = "history"

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]


@dataclass(frozen=True)
class SyncReport:
    pages: int
    seen: int  # invoices read from the vendor
    new: int  # of which not known before
    cancelled: bool = False


@dataclass(frozen=True)
class SyncProgress:
    pages: int
    seen: int
    new: int


class HistoryService:
    def __init__(
        self,
        store: Any,
        vendors: VendorGetter,
        audit: AuditLog,
        fill_pending: Callable[[str], Awaitable[Any]] | None = None,
    ) -> None:
        self.store = store
        self.vendors = vendors
        self.audit = audit
        # IssueService.fill_pending: issued invoices still without a number (号码待查) get it
        # before and, when still missing, after a sync (a synced row of it is merged in)
        self.fill_pending = fill_pending

    async def fetch_one(
        self, profile_name: str, *, number: str | None = None, serial: str | None = None
    ) -> IssuedInvoice:
        """Ask the vendor for one invoice (by number, else by serial) and store it."""
        profile, vendor = await self.vendors(profile_name)
        inv: IssuedInvoice | None
        if number is not None:
            inv = await vendor.get_invoice(number)
        elif serial is not None:
            inv = await vendor.query(serial)
            if inv is None:
                raise VendorError(
                    f"平台上没有流水号为 {serial} 的发票。",
                    code="not_found",
                    vendor=profile.vendor.value,
                )
        else:
            raise ValueError("number or serial is required")
        inv = await self._with_lines(vendor, inv)
        await asyncio.to_thread(
            self.store.upsert_invoice,
            invoice_record(profile, inv, source="synced"),
        )
        return inv

    async def sync(
        self,
        profile_name: str,
        *,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: asyncio.Event | None = None,
        with_lines: bool = True,
        from_start: bool = False,
    ) -> SyncReport:
        profile, vendor = await self.vendors(profile_name)
        if not vendor.capabilities & Capability.SYNC_HISTORY:
            raise NotSupported(
                f"开票账户“{profile.name}”的平台不提供发票列表，无法同步历史。",
                code="not_supported",
                next_step="可按发票号码逐张查询。",
                vendor=profile.vendor.value,
            )
        store = self.store
        if self.fill_pending is not None:
            await self.fill_pending(profile.name)
        cursor = (
            None
            if from_start
            else await asyncio.to_thread(
                store.get_cursor,
                profile.name,
                CURSOR_KIND,
            )
        )
        pages = seen = new = 0
        async for page in vendor.history(cursor):
            for inv in page.invoices:
                if with_lines:
                    inv = await self._with_lines(vendor, inv)
                known = await asyncio.to_thread(self._known, profile, inv)
                await asyncio.to_thread(
                    store.upsert_invoice,
                    invoice_record(profile, inv, source="synced"),
                )
                seen += 1
                new += 0 if known else 1
            pages += 1
            if page.cursor is not None:
                await asyncio.to_thread(
                    store.set_cursor,
                    profile.name,
                    CURSOR_KIND,
                    page.cursor,
                )
            if progress is not None:
                progress(SyncProgress(pages, seen, new))
            if cancel is not None and cancel.is_set():
                return SyncReport(pages, seen, new, cancelled=True)
        if self.fill_pending is not None and await asyncio.to_thread(
            store.number_pending, profile.name
        ):
            await self.fill_pending(profile.name)
        await self.audit.record(
            "sync",
            profile=profile.name,
            vendor=profile.vendor.value,
            outcome="ok",
            detail=f"pages={pages} seen={seen} new={new}",
        )
        return SyncReport(pages, seen, new)

    def _known(self, profile: Profile, inv: IssuedInvoice) -> bool:
        if inv.number is None:
            return False
        return self.store.invoice_by_number(inv.number, profile.name) is not None

    async def _with_lines(self, vendor: BaseVendor, inv: IssuedInvoice) -> IssuedInvoice:
        if inv.lines or inv.number is None or not vendor.capabilities & Capability.LINE_ITEMS:
            return inv
        try:
            lines = await vendor.line_items(inv.number)
        except VendorError:
            return inv  # lines are a nicety: the next sync or fetch fills them
        from dataclasses import replace

        return replace(inv, lines=tuple(lines))
