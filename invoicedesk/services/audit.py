"""The audit log: every vendor call and every journal transition, appended to the store.

Texts pass through `scrub` before they are written: the transport's pattern redaction
(passwords, keys, tokens, signatures) plus every secret value this session has handed to a
vendor, so that even a vendor echoing a password back cannot put it in the log.

The transport reports calls through a plain callback (`on_call`) running in the event loop.
Rows are queued in memory and written in groups: one transaction (not fsynced, see store/db.py)
every FLUSH_INTERVAL_S or FLUSH_ROWS rows, whichever comes first, by a task running the scrub and
the write in a thread. A batch issuing 150 drafts a second then costs a few writes a second, not
three fsynced transactions per draft. The audit log is a record, not part of the exactly-once
guarantee (the journal is): a crash loses at most the rows of the last unwritten group (~100 ms),
a power cut at most those written since the last fsynced store write. `drain()` (called by
AppServices.aclose and export_csv) writes everything queued.
The serial of the request being sent is carried in a context variable set by the issuing service,
so a call can be tied to its journal row without the transport knowing about journals.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import csv
import io
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

current_serial: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "invoicedesk_current_serial", default=None
)
current_profile: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "invoicedesk_current_profile", default=None
)

MASK = "***"
FLUSH_INTERVAL_S = 0.1
FLUSH_ROWS = 100

log = logging.getLogger(__name__)

# (at, event, profile, vendor, endpoint, serial, outcome, duration_ms, detail), not yet scrubbed
_Row = tuple[str, str, str | None, str | None, str | None, str | None, str | None, int | None, str]

# coroutine methods of vendors/base.py BaseVendor worth a line in the audit log
AUDITED_METHODS = (
    "check_connection",
    "issue",
    "query",
    "find_issued",
    "get_invoice",
    "batch_submit",
    "batch_status",
    "tax_login",
    "sms_login_start",
    "sms_login_finish",
    "face_status",
    "face_qr",
    "face_poll",
    "line_items",
    "download",
    "credit_line",
    "red_check",
    "red_apply",
    "red_status",
    "red_issue",
    "update_print_info",
)


class SecretRegistry:
    """Secret values seen this session, so any text can be scrubbed of them. Memory only."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, value: str) -> None:
        if len(value) >= 4:  # shorter values would mask ordinary text
            self._values.add(value)

    def scrub(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, MASK)
        return text


def _pattern_redact(text: str) -> str:
    from invoicedesk.vendors.transport import redact

    result: str = redact(text)
    return result


class AuditLog:
    def __init__(self, store: Any, secrets: SecretRegistry) -> None:
        self.store = store
        self.secrets = secrets
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: list[_Row] = []
        self._flusher: asyncio.Task[None] | None = None
        self._full: asyncio.Event | None = None  # set: write the queue now

    def scrub(self, text: str | None) -> str:
        if not text:
            return ""
        return self.secrets.scrub(_pattern_redact(self.secrets.scrub(text)))

    async def record(
        self,
        event: str,
        *,
        profile: str | None = None,
        vendor: str | None = None,
        endpoint: str | None = None,
        serial: str | None = None,
        outcome: str | None = None,
        duration_ms: int | None = None,
        detail: str = "",
    ) -> None:
        """Queue one row (written within FLUSH_INTERVAL_S; `drain` writes it now)."""
        self._queue(event, profile, vendor, endpoint, serial, outcome, duration_ms, detail)

    def _queue(
        self,
        event: str,
        profile: str | None,
        vendor: str | None,
        endpoint: str | None,
        serial: str | None,
        outcome: str | None,
        duration_ms: int | None,
        detail: str,
    ) -> None:
        row = (self.store.now_text(), event, profile, vendor, endpoint, serial, outcome)
        self._pending.append((*row, duration_ms, detail))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a callback after shutdown): drain() writes it, if any
            return
        if self._flusher is not None and self._flusher.get_loop() is not loop:
            self._tasks.discard(self._flusher)  # left behind by a loop that has ended
            self._flusher = None
        if self._flusher is None:
            self._full = asyncio.Event()
            self._flusher = loop.create_task(self._flush_loop(self._full))
            self._tasks.add(self._flusher)
            self._flusher.add_done_callback(self._flushed)
        if len(self._pending) >= FLUSH_ROWS and self._full is not None:
            self._full.set()

    def _flushed(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._flusher is task:
            self._flusher = self._full = None

    async def _flush_loop(self, full: asyncio.Event) -> None:
        while self._pending:
            if len(self._pending) < FLUSH_ROWS:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(full.wait(), FLUSH_INTERVAL_S)
            full.clear()
            rows, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self._write, rows)
            except Exception:  # the audit log must never break issuing
                log.exception("audit log: %d rows could not be written", len(rows))

    def _write(self, rows: list[_Row]) -> None:
        """Worker thread: scrub the texts, then one transaction. A group's rows repeat the same
        few endpoints and outcomes ("/blueTicket", "ok", "ISSUED"): each is scrubbed once."""
        done: dict[str, str] = {}

        def scrub(text: str | None) -> str:
            if not text:
                return ""
            if text not in done:
                done[text] = self.scrub(text)
            return done[text]

        self.store.audit_many(
            [
                (at, ev, prof, ven, scrub(ep) or None, ser, scrub(out) or None, ms, scrub(det))
                for at, ev, prof, ven, ep, ser, out, ms, det in rows
            ]
        )

    def on_call(self, profile: str) -> Callable[[str, str, float, str], None]:
        """The transport's `on_call(vendor, endpoint, duration_ms, outcome)` for one profile."""

        def callback(vendor: str, endpoint: str, duration_ms: float, outcome: str) -> None:
            self._queue(
                "vendor_call",
                profile,
                vendor,
                endpoint,
                current_serial.get(),
                outcome,
                round(duration_ms),
                "",
            )

        return callback

    def wrap_methods(self, vendor: Any, profile: str) -> None:
        """Audit each call of the vendor's coroutine methods (for clients whose transport does
        not report calls): endpoint = method name, outcome = "ok" or the error class."""
        for name in AUDITED_METHODS:
            method = getattr(vendor, name, None)
            if method is not None:
                setattr(vendor, name, self._audited(method, vendor.key.value, name, profile))

    def _audited(
        self, method: Callable[..., Any], vendor: str, name: str, profile: str
    ) -> Callable[..., Any]:
        report = self.on_call(profile)

        async def call(*args: Any, **kwargs: Any) -> Any:
            started = time.monotonic()
            outcome = "ok"
            try:
                return await method(*args, **kwargs)
            except BaseException as exc:
                outcome = type(exc).__name__
                raise
            finally:
                report(vendor, name, (time.monotonic() - started) * 1000, outcome)

        return call

    def spawn(self, coro: Any) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coro)
        except RuntimeError:  # no loop (a callback after shutdown): nothing to record into
            coro.close()
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def transition(
        self,
        *,
        profile: str,
        vendor: str,
        serial: str,
        state: str,
        detail: str = "",
    ) -> None:
        await self.record(
            "journal", profile=profile, vendor=vendor, serial=serial, outcome=state, detail=detail
        )

    async def drain(self) -> None:
        """Wait for the spawned tasks and write every queued row."""
        while self._tasks or self._pending:
            if self._full is not None:
                self._full.set()
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
            elif self._pending:
                rows, self._pending = self._pending, []
                await asyncio.to_thread(self._write, rows)

    async def export_csv(self, path: Path, since: str | None = None) -> int:
        """Write the audit log as UTF-8 CSV with a BOM (Excel opens it right). Returns rows."""
        await self.drain()
        rows = await asyncio.to_thread(self.store.audit_rows, since)
        out = io.StringIO()
        writer = csv.writer(out)
        columns = ["at", "event", "profile", "vendor", "endpoint", "serial", "outcome"]
        columns += ["duration_ms", "detail"]
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    self.scrub(str(_field(row, c))) if c == "detail" else _field(row, c)
                    for c in columns
                ]
            )
        await asyncio.to_thread(path.write_text, out.getvalue(), "utf-8-sig")
        return len(rows)


def _field(row: Any, name: str) -> Any:
    value = row[name] if isinstance(row, dict) else getattr(row, name, "")
    return "" if value is None else value
