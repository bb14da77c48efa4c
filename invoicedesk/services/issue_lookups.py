"""The issuing service's look-ups at the vendor: polling a request still processing, asking
by serial whether a row's invoice exists, and for a vendor without a serial (ws-invoice) finding
it by buyer and total and claiming it for its row (services/issuing.py has the rules)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.services import numbers
from invoicedesk.services.convert import (
    invoice_record,
    iso,
)
from invoicedesk.services.issue_journal import IssueJournal
from invoicedesk.services.issue_outcomes import (
    NOTHING,
    NOTHING_MARKED,
    UNSENT_CODES,
    IssueResult,
)
from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    IssuedInvoice,
    Profile,
    Rejected,
    VendorError,
)

log = logging.getLogger(__name__)


class IssueLookups(IssueJournal):
    """What the vendor has for a journal row, asked without sending (IssueService is the one to
    use)."""

    async def _poll(self, profile: Profile, vendor: BaseVendor, row: Any) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.poll_timeout_s
        while loop.time() < deadline:
            await asyncio.sleep(self.settings.poll_interval_s)
            try:
                inv = await vendor.query(row.serial)
            except Rejected as exc:
                await self._mark(profile, row, "REJECTED", code=exc.code or "rejected", exc=exc)
                return NOTHING
            except VendorError:
                continue  # still processing, or a read that failed: ask again
            if inv is not None:
                return ("ISSUED", inv)
        return None

    async def _lookup(self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft) -> Any:
        """("ISSUED"/"ACCEPTED", invoice) when the vendor has it; NOTHING when it certainly
        has not; None when it cannot tell now."""
        if row.error_code in UNSENT_CODES:
            return NOTHING
        try:
            if vendor.capabilities & Capability.QUERY_ONE:
                inv = await vendor.query(row.serial)
                return ("ISSUED", inv) if inv is not None else NOTHING
            if vendor.capabilities & Capability.FIND_ISSUED:
                return await self._find_by_buyer(profile, vendor, row, draft)
        except Rejected as exc:
            await self._mark(profile, row, "REJECTED", code=exc.code or "rejected", exc=exc)
            return NOTHING_MARKED
        except VendorError as exc:
            await self._mark(profile, row, "UNKNOWN", code=exc.code or type(exc).__name__, exc=exc)
            return None
        # FAW (and any vendor without a query): the resend with the same serial is the query
        return NOTHING

    async def _find_by_buyer(
        self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft
    ) -> Any:
        """("ISSUED", invoice) claimed for this row, or NOTHING."""
        inv = await self._claim(profile, vendor, row, draft, pending=False)
        return NOTHING if inv is None else ("ISSUED", inv)

    async def _claim(
        self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft, *, pending: bool
    ) -> IssuedInvoice | None:
        """Claim this row's invoice (`_claim_one`). Invoices to one buyer with one total are
        told apart only by their order, so older rows still 号码待查 for the same buyer and
        total claim theirs first (send order = issue order)."""
        key = (draft.buyer.tax_id, money.compute_totals(draft).total)
        for older in await self._to_thread(self.store.number_pending, profile.name):
            if older.id >= row.id:
                break
            older_draft = draft_from_json(older.draft_json)
            if (older_draft.buyer.tax_id, money.compute_totals(older_draft).total) != key:
                continue
            try:
                await self._claim_one(profile, vendor, older, older_draft, pending=True)
            except VendorError:
                break  # the list cannot be read now; this row's own search says so too
        return await self._claim_one(profile, vendor, row, draft, pending=pending)

    async def _claim_one(
        self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft, *, pending: bool
    ) -> IssuedInvoice | None:
        """The likeliest invoice to this buyer with this total in the row's window that no
        other row owns (numbers.best_first), claimed for the row inside the profile's claim
        lock (so a parallel search skips it): a pending row gets its number filled in
        (store.fill_number), an unknown one gets the invoice into history (the caller then
        marks it ISSUED)."""
        total = money.compute_totals(draft).total
        since, until = numbers.search_window(row.created_at, self.clock())
        lock = self._claim_locks.setdefault(profile.name, asyncio.Lock())
        async with lock:
            found = await vendor.find_issued(draft.buyer.tax_id, total, since, until)
            free = []
            for inv in found:
                if inv.number is None:
                    continue
                owner = await self._to_thread(
                    self.store.invoice_by_number, inv.number, profile.name
                )
                if owner is not None and owner.serial not in (None, row.serial):
                    continue  # another row's invoice
                free.append((inv, owner is not None and owner.serial is None))
            for inv in numbers.best_first(free, row.created_at):
                record = invoice_record(
                    profile, inv, serial=row.serial, draft=draft, draft_id=row.draft_id
                )
                if pending:
                    warning = numbers.figures_warning(inv, draft)
                    date = iso(inv.date) or None
                    await self._to_thread(
                        self.store.fill_number,
                        row.id,
                        record,
                        invoice_date=date,
                        warning=warning,
                    )
                    await self.audit.transition(
                        profile=profile.name,
                        vendor=profile.vendor.value,
                        serial=row.serial,
                        state="ISSUED",
                        detail=f"number={inv.number} found" + (f"; {warning}" if warning else ""),
                    )
                else:
                    await self._to_thread(self.store.upsert_invoice, record)
                return inv
        return None

    async def fill_pending(self, profile: str | None = None) -> list[IssueResult]:
        """Look up the numbers of ISSUED rows whose vendor answered without one (号码待查).
        Never sends anything; a row not found yet stays pending."""
        rows = await self._to_thread(self.store.number_pending, profile)
        results = []
        for row in rows:
            try:
                prof, vendor = await self.vendors(row.profile)
                done = await self._fill(prof, vendor, row, draft_from_json(row.draft_json))
            except Exception:  # a profile gone or a bug: the row stays as it is
                log.exception("looking up the number of journal row %s failed", row.id)
                done = row
            results.append(self._result(done))
        return results

    async def _fill(self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft) -> Any:
        """The row with its number when the vendor lists it now; else the row as it is."""
        try:
            await self._claim(profile, vendor, row, draft, pending=True)
        except VendorError as exc:
            log.info("number of %s not found yet: %s", row.serial, exc)
        return await self._to_thread(self.store.journal_row, row.id)

    @staticmethod
    def _needs_settling(vendor: BaseVendor, row: Any) -> bool:
        return numbers.unkeyed(vendor) and row.error_code not in UNSENT_CODES
