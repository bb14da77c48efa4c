"""The issuing service's store side: the journal rows of a send (its serial, committed before
the call; its outcome, recorded with the invoice in one transaction), the results built from
them, and the store thread they all run on (services/issuing.py has the rules)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.services import numbers
from invoicedesk.services.audit import AuditLog
from invoicedesk.services.catalogs import remember_buyer
from invoicedesk.services.convert import (
    invoice_record,
    iso,
    platform_figures,
)
from invoicedesk.services.issue_outcomes import (
    FINAL_OK,
    IssueResult,
    IssueSettings,
    VendorGetter,
    check_draft,
    content_hash,
    error_text,
    new_serial,
)
from invoicedesk.services.store_queue import StoreQueue
from invoicedesk.store.journal import FIGURES_DIFFER, NUMBER_PENDING
from invoicedesk.vendors.base import (
    BaseVendor,
    IssuedInvoice,
    Profile,
    VendorError,
)
from invoicedesk.vendors.errors import fields_from_message

log = logging.getLogger(__name__)


class IssueJournal:
    """State and store work shared by the issuing service's parts (IssueService is the one to
    use)."""

    def __init__(
        self,
        store: Any,
        vendors: VendorGetter,
        audit: AuditLog,
        settings: IssueSettings | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.store = store
        self.vendors = vendors
        self.audit = audit
        self.settings = settings or IssueSettings()
        self.clock = clock
        self._limits: dict[str, asyncio.Semaphore] = {}
        self._row_locks: dict[int, asyncio.Lock] = {}
        self._claim_locks: dict[str, asyncio.Lock] = {}
        # called with (profile, number) once an invoice is issued: the composition root
        # points it at FileService.archive_soon so its files are kept from the start
        self.on_issued: Callable[[str, str], None] | None = None
        self._files_held = 0  # batches running: on_issued waits until the last one ends
        self._files_later: list[tuple[str, str]] = []
        self._releasing: set[asyncio.Task[None]] = set()
        self._built: dict[int, IssueResult] = {}  # results made by _record_row, for _final
        self._fields: dict[int, tuple[str, ...]] = {}  # journal id -> fields its refusal named
        self._store_work = StoreQueue(store, "issuing-store")
        # invoices issued this session, by (profile, number or serial): file downloads use
        # their URLs without asking the vendor again
        self.recent: dict[tuple[str, str], IssuedInvoice] = {}

    def close(self) -> None:
        """Wait for the store work in progress and end the service's store thread (shutdown;
        blocking: call it from a thread)."""
        self._store_work.close()

    @contextlib.contextmanager
    def files_after(self) -> Iterator[None]:
        """Hold `on_issued` (the archiving of an issued invoice's files: three downloads and
        their writes) until the block ends, then call it for every invoice issued meanwhile.
        A batch runs inside it: its drafts need none of that, and it would take a fifth of the
        GUI thread's time from them. Should the program end first, those invoices have no
        files yet, which `FileService.archive_missing` (after a sync) and opening a file mend.
        The held calls are made one per turn of the event loop (`_release_files`): a thousand
        at once would stall the window for tens of milliseconds."""
        self._files_held += 1
        try:
            yield
        finally:
            self._files_held -= 1
            if not self._files_held and self._files_later:
                later, self._files_later = self._files_later, []
                task = asyncio.get_running_loop().create_task(self._release_files(later))
                self._releasing.add(task)
                task.add_done_callback(self._releasing.discard)

    async def _release_files(self, later: list[tuple[str, str]]) -> None:
        for profile, number in later:
            self._issued(profile, number)  # held again if another batch started meanwhile
            await asyncio.sleep(0)

    async def files_released(self) -> None:
        """Wait until the held `on_issued` calls were made (tests, orderly shutdown)."""
        while self._releasing:
            await asyncio.gather(*list(self._releasing))

    def _issued(self, profile: str, number: str) -> None:
        if self.on_issued is None:
            return
        if self._files_held:
            self._files_later.append((profile, number))
        else:
            self.on_issued(profile, number)

    # ---- recording outcomes -------------------------------------------------------------------

    async def _record(
        self, profile: Profile, row: Any, draft: Draft, found: Any, vendor: BaseVendor | None = None
    ) -> IssueResult:
        return await self._final(await self._record_row(profile, row, draft, found, vendor))

    async def _record_row(
        self, profile: Profile, row: Any, draft: Draft, found: Any, vendor: BaseVendor | None = None
    ) -> Any:
        """The invoice into history and the row to ISSUED/ACCEPTED, in one transaction (rule 6
        holds: they can no longer be apart). Returns the row. For a vendor without a serial
        (`vendor` given), an ISSUED invoice without a number is marked number-pending, and one
        with a number gets the figures warning when it differs from the draft."""
        state, inv = found
        inv = platform_figures(inv, draft)
        self.recent[(profile.name, inv.number or row.serial)] = inv
        date = iso(inv.date) or None
        note_code = note = None
        if vendor is not None and state == "ISSUED" and numbers.unkeyed(vendor):
            if inv.number is None:
                note_code, note = NUMBER_PENDING, numbers.PENDING_NOTE
                # history's status column says so until the platform's row replaces it
                inv = replace(inv, status=numbers.PENDING_STATUS)
            else:
                note = numbers.figures_warning(inv, draft)
                note_code = FIGURES_DIFFER if note else None

        def write() -> Any:
            record = invoice_record(
                profile,
                inv,
                serial=row.serial,
                draft=draft,
                draft_id=row.draft_id,
                fallback_date=None,
            )
            done = self.store.record_issued(
                row.id,
                record,
                state,
                invoice_number=inv.number,
                invoice_date=date,
                note_code=note_code,
                note=note,
            )
            # built here, off the loop: `_final` takes it instead of another thread hop
            # (the total from the draft in hand rather than parsing the row's copy of it)
            self._built[done.id] = self._result(done, total=money.compute_totals(draft).total)
            if draft.buyer.name.strip() or draft.buyer.tax_id.strip():
                try:  # every buyer issued to joins the customers (issue 15), whatever the flow
                    remember_buyer(self.store, draft.buyer)
                except Exception:
                    log.exception("adding the buyer to the customers failed")
            return done

        done = await self._to_thread_unsynced(write)
        if state == "ISSUED" and inv.number:
            self._issued(profile.name, inv.number)
        await self.audit.transition(
            profile=profile.name,
            vendor=profile.vendor.value,
            serial=row.serial,
            state=state,
            detail=f"number={inv.number or ''}",
        )
        return done

    async def _mark(
        self,
        profile: Profile,
        row: Any,
        state: str,
        *,
        code: str,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> Any:
        """Move the row (UNKNOWN/REJECTED) with its reason; returns the row as stored."""
        text = self.audit.scrub(message if message is not None else error_text(exc or Exception()))
        if isinstance(exc, VendorError) and exc.fields:
            self._fields[row.id] = exc.fields

        def mark() -> Any:
            self.store.mark(row.id, state, error_code=code, error_message=text)
            return self.store.journal_row(row.id)

        marked = await self._to_thread(mark)
        await self.audit.transition(
            profile=profile.name,
            vendor=profile.vendor.value,
            serial=row.serial,
            state=state,
            detail=f"{code}: {text}",
        )
        return marked

    # ---- helpers ---------------------------------------------------------------------------

    async def _check(self, draft: Draft) -> None:
        await asyncio.to_thread(check_draft, draft)

    def _prepare(
        self, profile: Profile, draft: Draft, draft_id: str | None, again: bool
    ) -> tuple[str, Any, tuple[Any, Draft] | None]:
        """Worker thread: check the draft (InvalidDraft), then its content hash and the latest
        journal row of that content. When that leaves nothing to resume or to look up (no row
        and no draft id, a REJECTED row, or an issued one with `again`), also begin the new
        send: (digest, row, (new row, draft as sent)); otherwise (digest, row, None)."""
        check_draft(draft)
        digest = content_hash(draft)
        row = self.store.latest_for_content(profile.name, digest)
        if row is None:
            new = draft_id is None
        else:
            new = row.state == "REJECTED" or (row.state in FINAL_OK and again)
        fresh = self._begin(draft_id, profile, digest, draft) if new else None
        return digest, row, fresh

    def _begin(
        self, draft_id: str | None, profile: Profile, digest: str, draft: Draft
    ) -> tuple[Any, Draft]:
        """Worker thread: a new serial and its SENDING row, committed (fsynced) before the
        network call. Returns the row and the draft as it will be sent (with the serial)."""
        serial = new_serial(profile, self.clock())
        sent = draft.model_copy(update={"serial_no": serial})
        jid = self.store.begin_send(
            draft_id=draft_id,
            profile=profile.name,
            serial=serial,
            content_hash=digest,
            draft_json=sent.to_json(),
        )
        return self.store.journal_row(jid), sent

    async def _final(self, row: Any) -> IssueResult:
        """The result of a settled row (a row, or a journal id to read); built in a thread,
        since it parses the stored draft for its total."""

        if not isinstance(row, int):
            built = self._built.pop(row.id, None)
            if built is not None and built.state == row.state:
                return built

        def build() -> IssueResult:
            got = self.store.journal_row(row) if isinstance(row, int) else row
            return self._result(got)

        result: IssueResult = await self._to_thread_unsynced(build)
        return result

    async def _open_row_for_draft(self, profile: str, draft_id: str) -> Any:
        rows = await self._to_thread(self.store.unresolved, profile)
        for r in rows:
            if r.draft_id == draft_id:
                return r
        return None

    def _limit(self, profile: str) -> asyncio.Semaphore:
        if profile not in self._limits:
            self._limits[profile] = asyncio.Semaphore(self.settings.concurrency)
        return self._limits[profile]

    def _result(
        self, row: Any, resumed: bool = False, *, total: Decimal | None = None
    ) -> IssueResult:
        """The result of a row; `total`: the draft's, when the caller has the draft at hand."""
        if total is None:
            try:
                total = money.compute_totals(draft_from_json(row.draft_json)).total
            except ValueError:
                total = None
        return IssueResult(
            state=row.state,
            serial=row.serial,
            journal_id=row.id,
            invoice_no=row.invoice_number,
            invoice_date=row.invoice_date,
            total=total,
            error_code=None if row.state in FINAL_OK else row.error_code,
            error_message=None if row.state in FINAL_OK else row.error_message,
            resumed=resumed,
            fields=() if row.state in FINAL_OK else self._fields_of(row),
            number_pending=row.state == "ISSUED" and row.error_code == NUMBER_PENDING,
            warning=row.error_message
            if row.state == "ISSUED" and row.error_code == FIGURES_DIFFER
            else None,
        )

    def _fields_of(self, row: Any) -> tuple[str, ...]:
        """The fields the vendor's refusal named; after a restart, read back from its text."""
        return self._fields.get(row.id) or fields_from_message(row.error_message or "")

    async def _to_thread(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Store work off the loop, on this service's own thread: the writes queue there in
        order instead of a pool's threads contending for the store's write lock (and for the
        interpreter lock the loop needs), and those queued together share one transaction and
        one fsync (services/store_queue.py)."""
        return await self._store_work.run(functools.partial(fn, *args, **kw))

    async def _to_thread_unsynced(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """As `_to_thread`, for work that needs no fsync of its own: recording an answer (the
        store commits `record_issued` at NORMAL: a power cut may lose it, and the row is then
        SENDING again, settled by its serial, never sent under a new one) and reads. A group
        of only such work commits without an fsync; one with a SENDING row is fsynced whole."""
        return await self._store_work.run(functools.partial(fn, *args, **kw), durable=False)
