"""Issuing a batch of drafts (issue 9): persisted in the store, sent through the journal.

- A batch and its items are stored before anything is sent (`create`), so the batch page can
  reopen where it was after a crash or a closed window.
- Vendors with a native batch (open-api) get their serials and journal rows (SENDING) committed
  first, then one submit per chunk, then the batch is polled; each finished item is settled by its
  own serial through `IssueService.reconcile`, which records the invoice in the history.
- Other vendors: one draft at a time through `IssueService.issue`, with a per-vendor limit on the
  requests in flight at the vendor (setting `batch.concurrency.<vendor>`, default 4). The
  IssueService's own per-profile limit (`issue.concurrency`) also applies: the smaller one wins.
  The limit gates the vendor call only: PIPELINE times as many drafts are worked on at once, so
  the local work of one (checks, the fsynced SENDING row, recording the answer) overlaps the
  calls of the others, and the vendor sees `limit` requests at a time, every time. A draft
  waiting for the gate already holds its SENDING row, so a cancel lets it go out (it is "in
  flight"), like those on the wire.
- Exactly once: `IssueService.issue` resumes a draft by its content, so an item whose final state
  never reached the store (crash, closed window) is settled by the serial it went out with, never
  sent under a new one. A new serial is made only after the vendor said REJECTED (the journal).
  That is why two drafts with the same content cannot be in one batch (batch_io rejects them).
- Pause: no new draft is started until `resume`. Cancel: no new draft is started; the ones in
  flight finish and are settled; the rest stay waiting (`run` again continues them).
- Item states: waiting, sending, issued, rejected, unknown (being checked), skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import math
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft, draft_from_json
from invoicedesk.domain.treatments import uncarried_summary
from invoicedesk.services import batch_io
from invoicedesk.services.batch_items import (
    DONE_STATES,
    STATE_LABELS,
    ItemView,
    ItemWriter,
    Progress,
    RunControl,
    SendingGate,
    apply_result,
    apply_state,
    result_rows,
    result_state,
    stored_values,
)
from invoicedesk.services.issuing import (
    FaceAuthNeeded,
    Gate,
    InvalidDraft,
    IssueService,
    content_hash,
    new_serial,
)
from invoicedesk.store.money import opt_to_cents
from invoicedesk.vendors.base import BaseVendor, Capability, Profile, VendorError

DEFAULT_CONCURRENCY = 4
PIPELINE = 2  # drafts worked on per request the vendor limit allows in flight
NATIVE_CHUNK = 100  # drafts per open-api batch submit

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DONE_STATES",
    "NATIVE_CHUNK",
    "PIPELINE",
    "STATE_LABELS",
    "BatchService",
    "ItemView",
    "Progress",
    "VendorGetter",
    "result_state",
]

VendorGetter = Callable[[str], Any]


class BatchService:
    def __init__(
        self,
        store: Any,
        issuing: IssueService,
        vendors: VendorGetter,
        *,
        account: Any = None,
        face: Any = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        poll_interval_s: float = 1.0,
        poll_timeout_s: float = 600.0,
        seconds_per_draft: float = 2.0,
    ) -> None:
        self.store = store
        self.issuing = issuing
        self.vendors = vendors
        self.account = account
        self.face = face
        self.clock = clock
        self.poll_interval_s = poll_interval_s
        self.poll_timeout_s = poll_timeout_s
        # for the face-auth check before starting: a guess of one draft's round trip
        self.seconds_per_draft = seconds_per_draft
        self._controls: dict[int, RunControl] = {}
        self._items: dict[int, list[ItemView]] = {}
        self._started: dict[int, tuple[float, int]] = {}

    @classmethod
    def for_services(cls, services: Any) -> BatchService:
        """A BatchService over an AppServices (its store, issuing, vendors and account)."""
        from invoicedesk.services.face import FaceAuthService

        return cls(
            services.store,
            services.issuing,
            services.vendor,
            account=services.account,
            face=FaceAuthService(services.vendor, store=services.store),
        )

    # ---- creating and reading ----------------------------------------------------------------

    async def create(
        self, profile: str, source: str, drafts: Sequence[batch_io.ImportedDraft]
    ) -> int:
        """Store a confirmed dry run. Drafts with errors or marked skip are stored as skipped."""
        items = [
            (
                d.label,
                d.draft.to_json(),
                d.totals.total if d.totals is not None else None,
                not d.issuable,
            )
            for d in drafts
        ]
        return int(await asyncio.to_thread(self.store.create_batch, profile, source, items))

    async def load(self, batch_id: int) -> list[ItemView]:
        rows = await asyncio.to_thread(self.store.batch_items, batch_id)
        views = [ItemView.from_row(r) for r in rows]
        self._items[batch_id] = views
        return views

    def items(self, batch_id: int) -> list[ItemView]:
        return self._items.get(batch_id, [])

    async def batch(self, batch_id: int) -> Any:
        return await asyncio.to_thread(self.store.get_batch, batch_id)

    async def open_batches(self) -> list[Any]:
        """Batches not finished, newest first (to reopen after a crash)."""
        return list(await asyncio.to_thread(self.store.open_batches))

    def progress(self, batch_id: int) -> Progress:
        views = [v for v in self.items(batch_id) if v.state != "skipped"]
        issued = sum(v.state == "issued" for v in views)
        rejected = sum(v.state == "rejected" for v in views)
        unknown = sum(v.state == "unknown" for v in views)
        done = issued + rejected
        left: float | None = None
        started = self._started.get(batch_id)
        if started is not None:
            t0, done0 = started
            elapsed = time.monotonic() - t0
            rate = (done - done0) / elapsed if elapsed > 0 else 0.0
            if rate > 0:
                left = (len(views) - done) / rate
        return Progress(len(views), done, issued, rejected, unknown, left)

    # ---- controls ------------------------------------------------------------------------------

    def _control(self, batch_id: int) -> RunControl:
        if batch_id not in self._controls:
            ctl = RunControl()
            ctl.running.set()
            self._controls[batch_id] = ctl
        return self._controls[batch_id]

    def is_running(self, batch_id: int) -> bool:
        return batch_id in self._started

    def pause(self, batch_id: int) -> None:
        self._control(batch_id).running.clear()

    def resume(self, batch_id: int) -> None:
        self._control(batch_id).running.set()

    def is_paused(self, batch_id: int) -> bool:
        return not self._control(batch_id).running.is_set()

    def cancel(self, batch_id: int) -> None:
        ctl = self._control(batch_id)
        ctl.cancelled = True
        ctl.running.set()  # paused workers wake up to see the cancel

    async def edit_item(self, batch_id: int, item_id: int, draft: Draft) -> ItemView:
        """Replace a rejected (or waiting) item's draft, e.g. after fixing what was refused."""
        view = next(v for v in self.items(batch_id) if v.id == item_id)
        if view.state not in ("rejected", "waiting", "skipped"):
            raise ValueError(f"item {item_id} is {view.state}; only rejected or waiting can change")
        view.draft_json = draft.to_json()
        view.total = money.compute_totals(draft).total
        values = {"draft_json": view.draft_json, "total_cents": opt_to_cents(view.total)}
        if view.state == "skipped":
            view.state = "waiting"
            values["state"] = "waiting"
        await asyncio.to_thread(self.store.update_batch_items, [(item_id, values)])
        return view

    # ---- checks before starting ----------------------------------------------------------------

    async def preflight(self, batch_id: int, profile_name: str) -> list[str]:
        """Warnings (Chinese, with the figures) to show before starting: the credit line left
        versus the batch total, and the face authentication left versus the expected time."""
        views = self.items(batch_id) or await self.load(batch_id)
        todo = [v for v in views if v.state not in DONE_STATES]
        total = sum((v.total or Decimal("0") for v in todo), Decimal("0.00"))
        profile, vendor = await self.vendors(profile_name)
        # drafts whose tax treatment the platform cannot carry (refused before sending)
        drafts = ((v.label, v.draft_json) for v in todo)
        warnings = uncarried_summary(drafts, vendor.treatments, f"开票账户“{profile.name}”的平台")
        if vendor.capabilities & Capability.CREDIT_LINE and self.account is not None:
            try:
                credit = (await self.account.credit_line(profile_name, refresh=True)).value
            except VendorError as exc:
                warnings.append(f"无法查询剩余开票额度：{exc.message}")
            else:
                if credit.left < total:
                    warnings.append(
                        f"剩余开票额度 {credit.left:.2f} 元，少于这批待开发票的价税合计 "
                        f"{total:.2f} 元：超出额度的发票会被拒绝。请先申请调整额度，"
                        "或减少本批张数。"
                    )
        if vendor.capabilities & Capability.FACE_AUTH and self.face is not None:
            from invoicedesk.services.face import batch_outlasts_face

            concurrency = await self.concurrency(profile)
            expected = dt.timedelta(
                seconds=math.ceil(len(todo) / concurrency) * self.seconds_per_draft
            )
            try:
                reading = await self.face.status(profile_name)
            except VendorError as exc:
                warnings.append(f"无法查询人脸认证状态：{exc.message}")
            else:
                text = batch_outlasts_face(expected, reading, self.face.clock())
                if text:
                    warnings.append(text)
        return warnings

    async def concurrency(self, profile: Profile) -> int:
        key = f"batch.concurrency.{profile.vendor.value}"
        raw = await asyncio.to_thread(self.store.get_setting, key)
        try:
            return max(1, int(raw)) if raw else DEFAULT_CONCURRENCY
        except ValueError:
            return DEFAULT_CONCURRENCY

    async def set_concurrency(self, vendor: str, value: int) -> None:
        if value < 1:
            raise ValueError(value)
        await asyncio.to_thread(self.store.set_setting, f"batch.concurrency.{vendor}", str(value))

    # ---- running -------------------------------------------------------------------------------

    async def run(
        self,
        batch_id: int,
        *,
        on_item: Callable[[ItemView], None] | None = None,
        retry_rejected: bool = False,
        concurrency: int | None = None,
    ) -> Progress:
        """Send every waiting (and unknown, and with retry_rejected the rejected) item; returns
        when all are settled, or after a cancel once those in flight are settled."""
        batch = await self.batch(batch_id)
        if batch is None:
            raise LookupError(f"no batch {batch_id}")
        views = await self.load(batch_id)
        ctl = self._control(batch_id)
        ctl.cancelled = False
        wanted = {"waiting", "sending", "unknown"} | ({"rejected"} if retry_rejected else set())
        todo = [v for v in views if v.state in wanted]
        profile, vendor = await self.vendors(batch.profile)
        limit = concurrency or await self.concurrency(profile)
        await asyncio.to_thread(self.store.set_batch_state, batch_id, "running")
        self._started[batch_id] = (time.monotonic(), self.progress(batch_id).done)
        writer = ItemWriter(self.store)
        writer.start()
        # A batch allocates steadily, so the cycle collector's full pass comes round mid-run,
        # and it walks every object of the program (Qt wrappers, modules, models): ~40 ms on
        # the GUI thread at once. Objects older than the run are kept out of its passes until
        # the run ends (unfreeze: they are collected as usual again).
        gc.freeze()

        def changed(view: ItemView, values: dict[str, Any]) -> None:
            writer.put(view.id, values)
            if on_item is not None:
                on_item(view)

        try:
            with self.issuing.files_after():  # the invoices' files are fetched after the run
                if vendor.capabilities & Capability.BATCH_ISSUE:
                    await self._run_native(batch_id, profile, vendor, todo, ctl, changed)
                else:
                    await self._run_each(profile, todo, ctl, limit, changed)
        finally:
            gc.unfreeze()
            await writer.close()
            self._started.pop(batch_id, None)
        final = "cancelled" if ctl.cancelled else "done"
        if not ctl.cancelled and any(v.state not in DONE_STATES for v in self.items(batch_id)):
            final = "paused"  # something is still unknown: the page offers to check again
        await asyncio.to_thread(self.store.set_batch_state, batch_id, final)
        return self.progress(batch_id)

    async def _run_each(
        self,
        profile: Profile,
        todo: list[ItemView],
        ctl: RunControl,
        limit: int,
        changed: Callable[[ItemView, dict[str, Any]], None],
    ) -> None:
        queue: asyncio.Queue[ItemView] = asyncio.Queue()
        for view in todo:
            queue.put_nowait(view)

        gate = asyncio.Semaphore(limit)  # vendor calls in flight

        async def worker() -> None:
            while not queue.empty():
                await ctl.running.wait()
                if ctl.cancelled:
                    return
                try:
                    view = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                # 发送中 only while the vendor call holds the gate: the page shows as many
                # drafts sending as the limit allows, not the PIPELINE being prepared
                await self._issue_one(profile.name, view, changed, SendingGate(gate, view, changed))

        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, min(limit * PIPELINE, len(todo)))):
                group.create_task(worker())

    async def _issue_one(
        self,
        profile: str,
        view: ItemView,
        changed: Callable[[ItemView, dict[str, Any]], None],
        gate: Gate | None = None,
    ) -> None:
        try:
            draft = draft_from_json(view.draft_json)
            result = await self.issuing.issue(profile, draft, gate=gate)
        except FaceAuthNeeded as exc:
            apply_state(view, "unknown", code="face_auth", reason=exc.message)
        except InvalidDraft as exc:
            apply_state(view, "rejected", code="invalid_draft", reason=exc.message)
        except VendorError as exc:  # e.g. the profile's secret is missing: nothing was sent
            apply_state(view, "unknown", code=exc.code or "vendor", reason=exc.message)
        else:
            apply_result(view, result)
        changed(view, stored_values(view))

    async def _run_native(
        self,
        batch_id: int,
        profile: Profile,
        vendor: BaseVendor,
        todo: list[ItemView],
        ctl: RunControl,
        changed: Callable[[ItemView, dict[str, Any]], None],
    ) -> None:
        # items already holding a journal row are settled by their serial, never resubmitted
        fresh = [v for v in todo if v.journal_id is None or v.state == "rejected"]
        held = [v for v in todo if v not in fresh]
        await self._settle_many(held, changed)
        for start in range(0, len(fresh), NATIVE_CHUNK):
            await ctl.running.wait()
            if ctl.cancelled:
                return
            chunk = fresh[start : start + NATIVE_CHUNK]
            sent = await asyncio.to_thread(self._begin_chunk, profile, chunk)
            for view in chunk:
                changed(view, stored_values(view))
            batch_no = f"B{batch_id}X{sent[0][1][-8:]}"
            await asyncio.to_thread(self.store.set_batch_state, batch_id, "running", batch_no)
            # whether the submit arrived or not, each item is settled by its serial below
            with contextlib.suppress(VendorError):
                await vendor.batch_submit(batch_no, sent)
            await self._poll_native(vendor, batch_no, chunk, changed)

    def _begin_chunk(self, profile: Profile, chunk: list[ItemView]) -> list[tuple[Draft, str]]:
        """Serials and journal rows (SENDING), committed before the submit. Worker thread."""
        sent: list[tuple[Draft, str]] = []
        for view in chunk:
            draft = draft_from_json(view.draft_json)
            serial = new_serial(profile, self.clock())
            with_serial = draft.model_copy(update={"serial_no": serial})
            jid = self.store.begin_send(
                draft_id=None,
                profile=profile.name,
                serial=serial,
                content_hash=content_hash(draft),
                draft_json=with_serial.to_json(),
            )
            view.serial, view.journal_id, view.state = serial, int(jid), "sending"
            view.number = view.date = view.error_code = view.reason = ""
            self.store.update_batch_items([(view.id, stored_values(view))])
            sent.append((with_serial, serial))
        return sent

    async def _poll_native(
        self,
        vendor: BaseVendor,
        batch_no: str,
        chunk: list[ItemView],
        changed: Callable[[ItemView, dict[str, Any]], None],
    ) -> None:
        open_ = {v.serial: v for v in chunk}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.poll_timeout_s
        while open_ and loop.time() < deadline:
            await asyncio.sleep(self.poll_interval_s)
            try:
                statuses = await vendor.batch_status(batch_no)
            except VendorError:
                continue
            if not statuses:
                break  # the platform never saw this batch: settle each by its serial
            ready = [
                open_.pop(st.serial)
                for st in statuses
                if st.serial in open_ and st.state != "PROCESSING"
            ]
            await self._settle_many(ready, changed)
        await self._settle_many(list(open_.values()), changed)

    async def _settle_many(
        self, views: list[ItemView], changed: Callable[[ItemView, dict[str, Any]], None]
    ) -> None:
        gate = asyncio.Semaphore(DEFAULT_CONCURRENCY)

        async def one(view: ItemView) -> None:
            async with gate:
                await self._settle(view, changed)

        async with asyncio.TaskGroup() as group:
            for view in views:
                group.create_task(one(view))

    async def _settle(
        self, view: ItemView, changed: Callable[[ItemView, dict[str, Any]], None]
    ) -> None:
        if view.journal_id is None:
            return
        result = await self.issuing.reconcile(view.journal_id)
        apply_result(view, result)
        changed(view, stored_values(view))

    def result_rows(self, batch_id: int) -> list[batch_io.ResultRow]:
        return result_rows(self.items(batch_id))

    async def export(self, batch_id: int, path: Path) -> None:
        if not self.items(batch_id):
            await self.load(batch_id)
        rows = await asyncio.to_thread(self.result_rows, batch_id)
        await asyncio.to_thread(batch_io.write_results, path, rows)
