"""A batch's items as the progress page sees them, and how their states reach the store: the
item view and its states, the progress figures, an issue result applied to an item, the rows of
the results workbook, and the batch run's helpers (the vendor-call gate that marks an item
发送中, the writer that stores item states a few times a second). services/batches.py runs the
batch."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from invoicedesk.domain import money
from invoicedesk.domain.models import draft_from_json
from invoicedesk.services import batch_io
from invoicedesk.services.issuing import (
    IssueResult,
)

STATE_LABELS = {
    "waiting": "等待",
    "sending": "发送中",
    "issued": "已开具",
    "rejected": "被拒绝",
    "unknown": "结果未知，核对中",
    "skipped": "已跳过",
    # in memory only, between the vendor's answer and its record (stored as "sending")
    "recording": "正在记录结果",
}
DONE_STATES = frozenset({"issued", "rejected", "skipped"})


@dataclass
class ItemView:
    """What the progress page shows for one draft (kept in memory, mirrored in the store)."""

    id: int
    position: int
    label: str
    draft_json: str
    state: str
    total: Decimal | None
    serial: str = ""
    journal_id: int | None = None
    number: str = ""
    date: str = ""
    error_code: str = ""
    reason: str = ""

    @classmethod
    def from_row(cls, row: Any) -> ItemView:
        return cls(
            id=row.id,
            position=row.position,
            label=row.draft_label,
            draft_json=row.draft_json,
            state=row.state,
            total=row.total,
            serial=row.serial,
            journal_id=row.journal_id,
            number=row.invoice_number,
            date=row.invoice_date,
            error_code=row.error_code,
            reason=row.error_message,
        )


@dataclass
class Progress:
    total: int  # items not skipped
    done: int  # issued or rejected
    issued: int
    rejected: int
    unknown: int
    seconds_left: float | None


@dataclass
class RunControl:
    running: asyncio.Event = field(default_factory=asyncio.Event)
    cancelled: bool = False


def result_state(result: IssueResult) -> str:
    if result.state in ("ISSUED", "ACCEPTED"):
        return "issued"
    if result.state == "REJECTED":
        return "rejected"
    return "unknown"


def apply_state(view: ItemView, state: str, *, code: str = "", reason: str = "") -> None:
    view.state, view.error_code, view.reason = state, code, reason


def apply_result(view: ItemView, result: IssueResult) -> None:
    state = result_state(result)
    view.serial = result.serial or view.serial
    view.journal_id = result.journal_id or view.journal_id
    view.number = result.invoice_no or ""
    view.date = result.invoice_date or ""
    apply_state(view, state, code=result.error_code or "", reason=result.error_message or "")


def stored_values(view: ItemView) -> dict[str, Any]:
    """The item's columns as the store keeps them."""
    return {
        "state": stored_state(view),
        "serial": view.serial,
        "journal_id": view.journal_id,
        "invoice_number": view.number,
        "invoice_date": view.date,
        "error_code": view.error_code,
        "error_message": view.reason,
    }


def result_rows(views: list[ItemView]) -> list[batch_io.ResultRow]:
    """The results workbook's rows, one per item."""
    rows = []
    for v in views:
        amount = tax = total = None
        try:
            t = money.compute_totals(draft_from_json(v.draft_json))
            amount, tax, total = t.amount, t.tax, t.total
        except ValueError:
            pass
        rows.append(
            batch_io.ResultRow(
                v.label,
                STATE_LABELS.get(v.state, v.state),
                v.number,
                v.date,
                amount,
                tax,
                total,
                v.serial,
                v.reason,
            )
        )
    return rows


def stored_state(view: ItemView) -> str:
    if view.state == "sending" and not view.serial:
        return "waiting"
    return "sending" if view.state == "recording" else view.state


class SendingGate:
    """The batch's vendor-call limit for one draft: while the draft holds it, it is 发送中."""

    def __init__(
        self,
        gate: asyncio.Semaphore,
        view: ItemView,
        changed: Callable[[ItemView, dict[str, Any]], None],
    ) -> None:
        self.gate, self.view, self.changed = gate, view, changed

    async def __aenter__(self) -> None:
        await self.gate.acquire()
        self.view.state = "sending"
        self.changed(self.view, {})

    async def __aexit__(self, *exc: object) -> None:
        self.gate.release()
        if self.view.state == "sending":  # the answer is in; it is being recorded
            self.view.state = "recording"
            self.changed(self.view, {})


class ItemWriter:
    """Item states go to the store in small transactions, a few per second, not one per draft:
    the journal already holds every serial and outcome, and `IssueService.issue` resumes by
    content, so an item state lost in a crash is recovered, never resent under a new serial."""

    def __init__(self, store: Any, interval_s: float = 0.2) -> None:
        self.store = store
        self.interval_s = interval_s
        self._pending: dict[int, dict[str, Any]] = {}
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    def put(self, item_id: int, values: dict[str, Any]) -> None:
        if values:
            self._pending.setdefault(item_id, {}).update(values)

    async def _flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = list(self._pending.items()), {}
        await asyncio.to_thread(self.store.update_batch_items, batch)

    async def _loop(self) -> None:
        while not self._closing:
            await asyncio.sleep(self.interval_s)
            await self._flush()

    async def close(self) -> None:
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._flush()
