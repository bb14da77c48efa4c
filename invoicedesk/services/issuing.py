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

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.services.audit import current_profile, current_serial
from invoicedesk.services.convert import (
    invoice_from_draft,
)
from invoicedesk.services.issue_lookups import IssueLookups
from invoicedesk.services.issue_outcomes import (
    FACE_PENDING,
    FINAL_OK,
    FIND_WINDOW,
    NOTHING,
    NOTHING_MARKED,
    UNRESOLVED,
    UNSENT_CODES,
    FaceAuthNeeded,
    Gate,
    InvalidDraft,
    IssueResult,
    IssueSettings,
    VendorGetter,
    account_seller_type,
    content_hash,
    new_serial,
    uncarried_result,
    unsent_code,
)
from invoicedesk.store.journal import NUMBER_PENDING
from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    FaceHandler,
    IssueOutcome,
    NotSupported,
    Profile,
    Rejected,
    VendorError,
)

__all__ = [
    "FACE_PENDING",
    "FINAL_OK",
    "FIND_WINDOW",
    "UNRESOLVED",
    "UNSENT_CODES",
    "FaceAuthNeeded",
    "Gate",
    "InvalidDraft",
    "IssueResult",
    "IssueService",
    "IssueSettings",
    "VendorGetter",
    "content_hash",
    "new_serial",
]


class IssueService(IssueLookups):
    """Issues drafts exactly once (module doc). The parts: issue_outcomes (results and checks),
    issue_journal (the store side), issue_lookups (asking the vendor without sending)."""

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
        draft, refused = account_seller_type(profile, draft)
        refused = refused or uncarried_result(vendor, draft)
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
            draft, refused = account_seller_type(profile, draft)
            refused = refused or uncarried_result(vendor, draft)
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
            code = unsent_code(exc, vendor) or (exc.code or type(exc).__name__)
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
                    if found is NOTHING and self._needs_settling(vendor, row):
                        # no serial to deduplicate on: a request still in flight at the vendor
                        # could land after this look. Give it time, then look again.
                        await asyncio.sleep(self.settings.unkeyed_settle_s)
                        found = await self._lookup(profile, vendor, row, draft)
                    if found is None or found is NOTHING_MARKED:
                        # the vendor could not tell (UNKNOWN) or said REJECTED: row is marked
                        return await self._final(jid)
                    if found is not NOTHING:
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
            code = unsent_code(exc, vendor) or (exc.code or type(exc).__name__)
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
            if found is NOTHING:  # marked REJECTED by _poll
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
