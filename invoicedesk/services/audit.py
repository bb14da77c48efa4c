"""The audit log: every vendor call and every journal transition, appended to the store.

Texts pass through `scrub` before they are written: the transport's pattern redaction
(passwords, keys, tokens, signatures) plus every secret value this session has handed to a
vendor, so that even a vendor echoing a password back cannot put it in the log.

The transport reports calls through a plain callback (`on_call`) running in the event loop; the
store write goes to a thread, and the tasks are kept so `drain()` can wait for them at shutdown.
The serial of the request being sent is carried in a context variable set by the issuing service,
so a call can be tied to its journal row without the transport knowing about journals.
"""

from __future__ import annotations

import asyncio
import contextvars
import csv
import io
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
        await asyncio.to_thread(
            self.store.audit,
            event,
            profile=profile,
            vendor=vendor,
            endpoint=self.scrub(endpoint) or None,
            serial=serial,
            outcome=self.scrub(outcome) or None,
            duration_ms=duration_ms,
            detail=self.scrub(detail),
        )

    def on_call(self, profile: str) -> Callable[[str, str, float, str], None]:
        """The transport's `on_call(vendor, endpoint, duration_ms, outcome)` for one profile."""

        def callback(vendor: str, endpoint: str, duration_ms: float, outcome: str) -> None:
            self.spawn(
                self.record(
                    "vendor_call",
                    profile=profile,
                    vendor=vendor,
                    endpoint=endpoint,
                    serial=current_serial.get(),
                    outcome=outcome,
                    duration_ms=round(duration_ms),
                )
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
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

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
