"""Issuing exactly once, through the journal (architecture.md "Issuing exactly once").

The rules, as this module implements them:

1. A serial is made and committed (`store.begin_send`, journal row SENDING) before any network
   call. The draft sent carries that serial.
2. The vendor's answer moves the row: ISSUED / ACCEPTED (FAW) / REJECTED (the vendor said no).
   Anything else leaves it UNKNOWN with an `error_code`.
3. Failures that certainly sent nothing (NotSent, AuthExpired, AuthFailed, RateLimited,
   FaceAuthRequired) ALSO leave the row UNKNOWN, with one of `UNSENT_CODES` as its error code.
   That is how the journal shows "not sent, serial kept": the row still owns the serial, the
   next attempt resends it as it is, and no new serial is made until the vendor says REJECTED.
4. An UNKNOWN (or, after a crash, SENDING) row is reconciled before anything is sent again:
   by the SAME serial (`vendor.query`), or for a vendor without a serial (ws-invoice:
   FIND_ISSUED), by buyer tax ID + total + a time window (`vendor.find_issued`, services/
   numbers.py), skipping invoices another row already owns.
   FAW has no query: its `openApplyCode` is deduplicated by the platform, so the resend with the
   same serial IS the query ("order exists" = accepted). Found → ISSUED/ACCEPTED. Not found →
   resent with the same serial (vendors deduplicate on it).
5. open-api answers PROCESSING: poll `query(serial)` until done (or leave UNKNOWN "processing").
5b. A vendor may answer "issued" without a number (ws-invoice's documented invoice_pdf): the
   row is ISSUED at once, marked number-pending (store journal.NUMBER_PENDING), and never sent
   again; its number is found by the same search (`fill_pending`, run by reconcile and sync),
   and the platform's figures are compared with the draft (a warning when they differ).
6. The invoice is written to history and the row marked ISSUED in ONE transaction
   (`store.record_issued`), so a row is never ISSUED without its invoice. That transaction is
   not fsynced (store/db.py): after a power cut it may be gone, and the row is SENDING again,
   which reconciliation settles by its serial (upsert is idempotent), never by a new send.
   `begin_send` is fsynced before the network call, as rule 1 needs.

Face authentication: `issue()` raises `FaceAuthNeeded` (row UNKNOWN "face_auth", nothing sent);
the GUI shows its dialog and calls `issue()` again with the same draft, which resumes the row.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.services import numbers
from invoicedesk.services.audit import AuditLog, current_profile, current_serial
from invoicedesk.services.catalogs import remember_buyer
from invoicedesk.services.convert import (
    invoice_from_draft,
    invoice_record,
    iso,
    platform_figures,
)
from invoicedesk.services.store_queue import StoreQueue
from invoicedesk.store.journal import FIGURES_DIFFER, NUMBER_PENDING
from invoicedesk.vendors.base import (
    AuthExpired,
    AuthFailed,
    BaseVendor,
    Capability,
    FaceAuthRequired,
    FaceHandler,
    IssuedInvoice,
    IssueOutcome,
    NotSent,
    NotSupported,
    Profile,
    RateLimited,
    Rejected,
    TreatmentNotCarried,
    VendorError,
    VendorKey,
)
from invoicedesk.vendors.errors import fields_from_message

log = logging.getLogger(__name__)

# error codes of an UNKNOWN row that certainly sent nothing (see rule 3)
UNSENT_CODES = frozenset({"not_sent", "face_auth", "auth_expired", "auth_failed", "rate_limited"})
FACE_PENDING = "face_auth_pending"
FINAL_OK = frozenset({"ISSUED", "ACCEPTED"})
# A further limit on the vendor calls that send: an asyncio.Semaphore, or a batch's gate that
# also marks its draft 发送中 while it holds the semaphore (services/batches.py).
Gate = contextlib.AbstractAsyncContextManager[Any]
UNRESOLVED = frozenset({"SENDING", "UNKNOWN"})

FIND_WINDOW = numbers.FIND_WINDOW

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]


class FaceAuthNeeded(Exception):
    """The tax bureau wants a face scan before issuing for this profile. Nothing was sent; the
    draft is as it was. Show the face dialog, then call `issue()` again with the same draft."""

    def __init__(self, profile: str, journal_id: int, message: str) -> None:
        super().__init__(message)
        self.profile = profile
        self.journal_id = journal_id
        self.message = message


class InvalidDraft(Exception):
    """The draft has errors (domain rules); nothing was sent and no serial was used."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssueSettings:
    concurrency: int = 4  # requests in flight per profile
    retries: int = 3  # reconcile-and-resend rounds inside one issue() call
    retry_delay_s: float = 0.2
    poll_interval_s: float = 0.3  # open-api PROCESSING
    poll_timeout_s: float = 30.0
    # ws-invoice has no serial: before resending after an unknown outcome, wait this long and
    # look again, so a request the vendor was still processing is found instead of repeated
    unkeyed_settle_s: float = 5.0


@dataclass(frozen=True)
class IssueResult:
    """How one draft ended. `state`: ISSUED | ACCEPTED | REJECTED | UNKNOWN."""

    state: str
    serial: str | None
    journal_id: int | None
    invoice_no: str | None = None
    invoice_date: str | None = None
    total: Decimal | None = None
    error_code: str | None = None
    error_message: str | None = None
    resumed: bool = False  # already issued earlier: reported, not issued again
    fields: tuple[str, ...] = ()  # draft fields a refusal concerns ("buyer.tax_id", "lines[0]")
    number_pending: bool = False  # ISSUED, the number is still to be found (号码待查)
    warning: str | None = None  # ISSUED, but the platform's figures differ from the draft

    @property
    def ok(self) -> bool:
        return self.state in FINAL_OK


def content_hash(draft: Draft) -> str:
    """Same content → same hash, whatever the JSON layout; the serial is not content."""
    data = draft.model_dump(mode="json")
    data.pop("serial_no", None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_serial(profile: Profile, now: dt.datetime) -> str:
    """A fresh request serial. piaodanyun wants "税号_自定义编号" within 40 characters."""
    tail = now.strftime("%y%m%d%H%M%S") + secrets.token_hex(4).upper()
    if profile.vendor is VendorKey.PIAODANYUN:
        return f"{profile.seller.tax_id}_{tail}"
    return f"ID{tail}"


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, VendorError):
        return f"{exc.message} {exc.next_step}".strip()
    return f"内部错误（{type(exc).__name__}），开票结果未知，将按原流水号核对。"


def _unsent_code(exc: VendorError, vendor: BaseVendor) -> str | None:
    if isinstance(exc, FaceAuthRequired):
        if numbers.unkeyed(vendor):
            # the request may sit at the vendor waiting for the scan (ws-invoice); a later scan
            # may still issue it and no serial would deduplicate a resend: look first
            return FACE_PENDING
        return "face_auth"
    if isinstance(exc, NotSent):
        return "not_sent"
    if isinstance(exc, AuthExpired):
        return "auth_expired"
    if isinstance(exc, AuthFailed):
        return "auth_failed"
    if isinstance(exc, RateLimited):
        return "rate_limited"
    return None


class IssueService:
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
        files yet, which `FileService.archive_missing` (after a sync) and opening a file mend."""
        self._files_held += 1
        try:
            yield
        finally:
            self._files_held -= 1
            if not self._files_held:
                later, self._files_later = self._files_later, []
                for profile, number in later:
                    self._issued(profile, number)

    def _issued(self, profile: str, number: str) -> None:
        if self.on_issued is None:
            return
        if self._files_held:
            self._files_later.append((profile, number))
        else:
            self.on_issued(profile, number)

    # ---- public ---------------------------------------------------------------------------

    async def issue(
        self,
        profile_name: str,
        draft: Draft,
        *,
        draft_id: str | None = None,
        again: bool = False,
        face: FaceHandler | None = None,
        gate: Gate | None = None,
    ) -> IssueResult:
        """Issue one draft exactly once. Resumes when the same content was sent before.

        `gate`: a further limit on the vendor calls that send (a batch's per-vendor limit),
        held only around the call itself, like the per-profile limit.

        Raises FaceAuthNeeded (nothing sent) and InvalidDraft (nothing sent, no serial)."""
        profile, vendor = await self.vendors(profile_name)
        if not vendor.capabilities & Capability.ISSUE:
            return IssueResult(
                "REJECTED",
                None,
                None,
                error_code="not_supported",
                error_message=f"开票账户“{profile.name}”的平台不支持开具发票。",
            )
        draft, refused = _account_seller_type(profile, draft)
        refused = refused or _uncarried_result(vendor, draft)
        if refused is not None:
            return refused
        # one worker-thread hop: the checks, the content hash, the row of that content and, in
        # the usual case of nothing to resume, the new SENDING row
        digest, row, fresh = await self._to_thread(self._prepare, profile, draft, draft_id, again)
        if fresh is not None:
            return await self._sending(profile, vendor, fresh, face, gate)
        if row is None and draft_id is not None:
            # the draft was edited after a send that is not settled
            row = await self._open_row_for_draft(profile.name, draft_id)
            if row is not None and row.error_code in UNSENT_CODES:
                # certainly never issued: that serial is retired, the new content gets its own
                await self._mark(
                    profile,
                    row,
                    "REJECTED",
                    code="superseded",
                    message="草稿已修改，原请求从未发出，已作废；按新内容开具。",
                )
                row = None
            # otherwise the earlier send is settled first (it may already be issued)
        if row is not None:
            if row.state in UNRESOLVED:
                return await self._settle(profile, vendor, row.id, face=face, gate=gate)
            if row.state in FINAL_OK and not again:
                return self._result(row, resumed=True)
        fresh = await self._to_thread(self._begin, draft_id, profile, digest, draft)
        return await self._sending(profile, vendor, fresh, face, gate)

    async def _sending(
        self,
        profile: Profile,
        vendor: BaseVendor,
        fresh: tuple[Any, Draft],
        face: FaceHandler | None,
        gate: Gate | None,
    ) -> IssueResult:
        row, _ = fresh
        await self.audit.transition(
            profile=profile.name, vendor=profile.vendor.value, serial=row.serial, state="SENDING"
        )
        return await self._settle(profile, vendor, row.id, face=face, fresh=fresh, gate=gate)

    async def issue_many(
        self,
        profile_name: str,
        drafts: Sequence[Draft],
        *,
        again: bool = False,
        concurrency: int | None = None,
        on_result: Callable[[int, IssueResult], None] | None = None,
    ) -> list[IssueResult]:
        """Issue several drafts (in parallel up to the limit); results in the input order.

        Face authentication and bad drafts become results (UNKNOWN "face_auth", REJECTED
        "invalid_draft") instead of exceptions, so one draft cannot stop the others."""
        gate = asyncio.Semaphore(concurrency or self.settings.concurrency)

        async def one(i: int, draft: Draft) -> IssueResult:
            async with gate:
                try:
                    result = await self.issue(profile_name, draft, again=again)
                except FaceAuthNeeded as exc:
                    row = await self._to_thread(self.store.journal_row, exc.journal_id)
                    result = self._result(row)
                except InvalidDraft as exc:
                    result = IssueResult(
                        "REJECTED",
                        None,
                        None,
                        error_code="invalid_draft",
                        error_message=exc.message,
                    )
            if on_result is not None:
                on_result(i, result)
            return result

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(i, d)) for i, d in enumerate(drafts)]
        return [t.result() for t in tasks]

    async def issue_batch(
        self, profile_name: str, drafts: Sequence[Draft], *, again: bool = False
    ) -> list[IssueResult]:
        """Issue several drafts in one native batch (open-api); other vendors one by one.

        Every draft gets its own serial and journal row before the batch is sent, exactly as
        for a single issue; items the batch leaves unsettled are reconciled one by one by
        their serial (and resent alone with that same serial if the vendor has nothing)."""
        profile, vendor = await self.vendors(profile_name)
        if not vendor.capabilities & Capability.BATCH_ISSUE:
            return await self.issue_many(profile_name, drafts, again=again)
        results: list[IssueResult | None] = [None] * len(drafts)
        fresh: list[tuple[int, Draft, Any]] = []  # (index, draft as sent, journal row)
        for i, draft in enumerate(drafts):
            try:
                await self._check(draft)
            except InvalidDraft as exc:
                results[i] = IssueResult(
                    "REJECTED", None, None, error_code="invalid_draft", error_message=exc.message
                )
                continue
            draft, refused = _account_seller_type(profile, draft)
            refused = refused or _uncarried_result(vendor, draft)
            if refused is not None:
                results[i] = refused
                continue
            digest = content_hash(draft)
            row = await self._to_thread(self.store.latest_for_content, profile.name, digest)
            if row is not None and row.state in UNRESOLVED:
                results[i] = await self.reconcile(row.id)
                continue
            if row is not None and row.state in FINAL_OK and not again:
                results[i] = self._result(row, resumed=True)
                continue
            serial = new_serial(profile, self.clock())
            sent = draft.model_copy(update={"serial_no": serial})
            jid = await self._to_thread(
                self.store.begin_send,
                draft_id=None,
                profile=profile.name,
                serial=serial,
                content_hash=digest,
                draft_json=sent.to_json(),
            )
            fresh.append((i, sent, await self._to_thread(self.store.journal_row, jid)))
        if fresh:
            await self._run_batch(profile, vendor, fresh)
            for i, _, row in fresh:
                results[i] = await self.reconcile(row.id)
        return [r for r in results if r is not None]

    async def _run_batch(
        self, profile: Profile, vendor: BaseVendor, fresh: list[tuple[int, Draft, Any]]
    ) -> None:
        batch_no = "B" + new_serial(profile, self.clock())[-20:]
        rows = {row.serial: (draft, row) for _, draft, row in fresh}
        try:
            async with self._limit(profile.name):
                await vendor.batch_submit(batch_no, [(d, r.serial) for d, r in rows.values()])
        except Rejected as exc:
            for _, row in rows.values():
                await self._mark(profile, row, "REJECTED", code=exc.code or "rejected", exc=exc)
            return
        except VendorError as exc:
            code = _unsent_code(exc, vendor) or (exc.code or type(exc).__name__)
            for _, row in rows.values():
                await self._mark(profile, row, "UNKNOWN", code=code, exc=exc)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.poll_timeout_s
        while rows and loop.time() < deadline:
            await asyncio.sleep(self.settings.poll_interval_s)
            try:
                statuses = await vendor.batch_status(batch_no)
            except VendorError:
                continue
            for item in statuses:
                if item.serial not in rows or item.state == "PROCESSING":
                    continue
                draft, row = rows.pop(item.serial)
                if item.state == "ISSUED" and item.invoice is not None:
                    await self._record(profile, row, draft, ("ISSUED", item.invoice))
                elif item.state == "REJECTED":
                    err = item.error or Rejected("开票平台拒绝了这张发票。")
                    await self._mark(profile, row, "REJECTED", code=err.code or "rejected", exc=err)
        for _, row in rows.values():  # still processing, or never listed: settle one by one
            await self._mark(
                profile,
                row,
                "UNKNOWN",
                code="processing",
                message="批量开票结果尚未确定，将按流水号逐张核对。",
            )

    async def reconcile(self, journal_id: int, *, resend: bool = True) -> IssueResult:
        """Settle one SENDING/UNKNOWN row: ask the vendor, then resend the same serial if it
        has nothing. A settled row is returned as it is."""
        row = await self._to_thread(self.store.journal_row, journal_id)
        if row.state == "ISSUED" and row.error_code == NUMBER_PENDING:
            profile, vendor = await self.vendors(row.profile)
            filled = await self._fill(profile, vendor, row, draft_from_json(row.draft_json))
            return self._result(filled)
        if row.state not in UNRESOLVED:
            return self._result(row)
        profile, vendor = await self.vendors(row.profile)
        try:
            return await self._settle(profile, vendor, journal_id, resend=resend)
        except FaceAuthNeeded:
            row = await self._to_thread(self.store.journal_row, journal_id)
            return self._result(row)

    async def reconcile_all(
        self, profile: str | None = None, *, resend: bool = True
    ) -> list[IssueResult]:
        """Every SENDING/UNKNOWN blue row (of one profile, or all): run on start-up. Red rows
        ("red_form", "red") hold no draft: RedService.reconcile_all settles those. Then the
        numbers of issued rows still 号码待查 are looked up (never sent again); their results
        follow the others."""
        rows = [
            r for r in await self._to_thread(self.store.unresolved, profile) if r.kind == "blue"
        ]
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def one(jid: int) -> IssueResult:
            async with gate:
                return await self.reconcile(jid, resend=resend)

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(r.id)) for r in rows]
        settled = [t.result() for t in tasks]
        return settled + await self.fill_pending(profile)

    # ---- the state machine ----------------------------------------------------------------

    async def _settle(
        self,
        profile: Profile,
        vendor: BaseVendor,
        jid: int,
        *,
        face: FaceHandler | None = None,
        fresh: tuple[Any, Draft] | None = None,
        resend: bool = True,
        gate: Gate | None = None,
    ) -> IssueResult:
        """`fresh`: the row just begun and the draft as sent; the first attempt sends at once,
        without reading the row again."""
        # one coroutine at a time per row: two callers never send the same serial at once
        lock = self._row_locks.setdefault(jid, asyncio.Lock())
        async with lock:
            for attempt in range(self.settings.retries + 1):
                if fresh is not None and attempt == 0:
                    row, draft = fresh
                else:
                    row = await self._to_thread(self.store.journal_row, jid)
                    if row.state not in UNRESOLVED:
                        return await self._final(row)
                    draft = draft_from_json(row.draft_json)
                    found = await self._lookup(profile, vendor, row, draft)
                    if found is _NOTHING and self._needs_settling(vendor, row):
                        # no serial to deduplicate on: a request still in flight at the vendor
                        # could land after this look. Give it time, then look again.
                        await asyncio.sleep(self.settings.unkeyed_settle_s)
                        found = await self._lookup(profile, vendor, row, draft)
                    if found is None or found is _NOTHING_MARKED:
                        # the vendor could not tell (UNKNOWN) or said REJECTED: row is marked
                        return await self._final(jid)
                    if found is not _NOTHING:
                        return await self._record(profile, row, draft, found, vendor)
                    if not resend:
                        return self._result(row)
                row = await self._send(profile, vendor, row, draft, face, gate)
                if row.state not in UNRESOLVED:
                    return await self._final(row)
                if row.error_code in ("face_auth", FACE_PENDING):
                    raise FaceAuthNeeded(profile.name, jid, row.error_message or "")
                if row.error_code in ("auth_failed", "processing"):
                    break  # retrying cannot help now
                await asyncio.sleep(self.settings.retry_delay_s * (attempt + 1))
            return await self._final(jid)

    async def _send(
        self,
        profile: Profile,
        vendor: BaseVendor,
        row: Any,
        draft: Draft,
        face: FaceHandler | None,
        gate: Gate | None = None,
    ) -> Any:
        """Send the row's serial once; returns the journal row as the answer left it."""
        s_token = current_serial.set(row.serial)
        p_token = current_profile.set(profile.name)
        try:
            async with gate or contextlib.nullcontext(), self._limit(profile.name):
                outcome = await vendor.issue(draft, row.serial, face)
        except Rejected as exc:
            return await self._mark(profile, row, "REJECTED", code=exc.code or "rejected", exc=exc)
        except NotSupported as exc:
            return await self._mark(profile, row, "REJECTED", code="not_supported", exc=exc)
        except VendorError as exc:
            code = _unsent_code(exc, vendor) or (exc.code or type(exc).__name__)
            return await self._mark(profile, row, "UNKNOWN", code=code, exc=exc)
        except Exception as exc:  # a bug must not lose the row: it stays UNKNOWN
            return await self._mark(profile, row, "UNKNOWN", code="internal", exc=exc)
        finally:
            current_serial.reset(s_token)
            current_profile.reset(p_token)
        return await self._outcome(profile, vendor, row, draft, outcome)

    async def _outcome(
        self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft, out: IssueOutcome
    ) -> Any:
        if out.state == "PROCESSING":
            found = await self._poll(profile, vendor, row)
            if found is None:
                return await self._mark(
                    profile,
                    row,
                    "UNKNOWN",
                    code="processing",
                    message="平台仍在处理这张发票，请稍后点击“核对”查询结果。",
                )
            if found is _NOTHING:  # marked REJECTED by _poll
                return await self._to_thread(self.store.journal_row, row.id)
            return await self._record_row(profile, row, draft, found, vendor)
        inv = out.invoice or invoice_from_draft(draft, row.serial)
        done = await self._record_row(profile, row, draft, (out.state, inv), vendor)
        if done.state == "ISSUED" and done.error_code == NUMBER_PENDING:
            # issued, no number in the answer: one look now (the platform may list it later;
            # reconcile and sync look again). Never a resend.
            self._built.pop(done.id, None)
            done = await self._fill(profile, vendor, done, draft)
        return done

    async def _poll(self, profile: Profile, vendor: BaseVendor, row: Any) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.poll_timeout_s
        while loop.time() < deadline:
            await asyncio.sleep(self.settings.poll_interval_s)
            try:
                inv = await vendor.query(row.serial)
            except Rejected as exc:
                await self._mark(profile, row, "REJECTED", code=exc.code or "rejected", exc=exc)
                return _NOTHING
            except VendorError:
                continue  # still processing, or a read that failed: ask again
            if inv is not None:
                return ("ISSUED", inv)
        return None

    async def _lookup(self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft) -> Any:
        """("ISSUED"/"ACCEPTED", invoice) when the vendor has it; _NOTHING when it certainly
        has not; None when it cannot tell now."""
        if row.error_code in UNSENT_CODES:
            return _NOTHING
        try:
            if vendor.capabilities & Capability.QUERY_ONE:
                inv = await vendor.query(row.serial)
                return ("ISSUED", inv) if inv is not None else _NOTHING
            if vendor.capabilities & Capability.FIND_ISSUED:
                return await self._find_by_buyer(profile, vendor, row, draft)
        except Rejected as exc:
            await self._mark(profile, row, "REJECTED", code=exc.code or "rejected", exc=exc)
            return _NOTHING_MARKED
        except VendorError as exc:
            await self._mark(profile, row, "UNKNOWN", code=exc.code or type(exc).__name__, exc=exc)
            return None
        # FAW (and any vendor without a query): the resend with the same serial is the query
        return _NOTHING

    async def _find_by_buyer(
        self, profile: Profile, vendor: BaseVendor, row: Any, draft: Draft
    ) -> Any:
        """("ISSUED", invoice) claimed for this row, or _NOTHING."""
        inv = await self._claim(profile, vendor, row, draft, pending=False)
        return _NOTHING if inv is None else ("ISSUED", inv)

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
            self._built[done.id] = self._result(done)
            if draft.buyer.name.strip() or draft.buyer.tax_id.strip():
                try:  # every buyer issued to joins the customers (issue 15), whatever the flow
                    remember_buyer(self.store, draft.buyer)
                except Exception:
                    log.exception("adding the buyer to the customers failed")
            return done

        done = await self._to_thread(write)
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
        text = self.audit.scrub(message if message is not None else _error_text(exc or Exception()))
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
        await asyncio.to_thread(_check_draft, draft)

    def _prepare(
        self, profile: Profile, draft: Draft, draft_id: str | None, again: bool
    ) -> tuple[str, Any, tuple[Any, Draft] | None]:
        """Worker thread: check the draft (InvalidDraft), then its content hash and the latest
        journal row of that content. When that leaves nothing to resume or to look up (no row
        and no draft id, a REJECTED row, or an issued one with `again`), also begin the new
        send: (digest, row, (new row, draft as sent)); otherwise (digest, row, None)."""
        _check_draft(draft)
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

        result: IssueResult = await self._to_thread(build)
        return result

    async def _open_row_for_draft(self, profile: str, draft_id: str) -> Any:
        rows = await self._to_thread(self.store.unresolved, profile)
        for r in rows:
            if r.draft_id == draft_id:
                return r
        return None

    @staticmethod
    def _needs_settling(vendor: BaseVendor, row: Any) -> bool:
        return numbers.unkeyed(vendor) and row.error_code not in UNSENT_CODES

    def _limit(self, profile: str) -> asyncio.Semaphore:
        if profile not in self._limits:
            self._limits[profile] = asyncio.Semaphore(self.settings.concurrency)
        return self._limits[profile]

    def _result(self, row: Any, resumed: bool = False) -> IssueResult:
        total: Decimal | None = None
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


def _account_seller_type(profile: Profile, draft: Draft) -> tuple[Draft, IssueResult | None]:
    """The draft with the account's 纳税人类型 (profile option `seller_type`) when it says none;
    REJECTED when it says another one than the account (the rules for 3% depend on it)."""
    from invoicedesk.domain.treatments import SELLER_TYPES

    account = profile.options.get("seller_type", "")
    if account not in SELLER_TYPES or not account or draft.seller_type == account:
        return draft, None
    if not draft.seller_type:
        return draft.model_copy(update={"seller_type": account}), None
    message = (
        f"草稿的销售方类型是{SELLER_TYPES.get(draft.seller_type, draft.seller_type)}，"
        f"开票账户“{profile.name}”是{SELLER_TYPES[account]}：请核对草稿的 seller_type "
        "或账户设置后再开票。"
    )
    return draft, IssueResult(
        "REJECTED",
        None,
        None,
        error_code="seller_type_mismatch",
        error_message=message,
        fields=("seller_type",),
    )


def _uncarried_result(vendor: BaseVendor, draft: Draft) -> IssueResult | None:
    """REJECTED, before any serial or send, when the draft has a tax treatment the platform's
    document cannot carry (sent anyway, it would be read as an ordinary invoice)."""
    try:
        vendor.refuse_uncarried(draft)
    except TreatmentNotCarried as exc:
        return IssueResult(
            "REJECTED",
            None,
            None,
            error_code=exc.code,
            error_message=_error_text(exc),
            fields=exc.fields,
        )
    return None


def _check_draft(draft: Draft) -> None:
    from invoicedesk.domain import rules

    problems = rules.validate(draft)
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        raise InvalidDraft("；".join(str(getattr(p, "message", p)) for p in errors))


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __iter__(self) -> Any:  # so `state, inv = found` fails loudly, never silently
        raise TypeError(self.name)


_NOTHING = _Sentinel("nothing")  # the vendor certainly has no invoice for this row
_NOTHING_MARKED = _Sentinel("rejected")  # ...and the row is already marked REJECTED
