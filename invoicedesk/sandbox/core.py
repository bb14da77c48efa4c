"""The sandbox's shared state: clock, faults, invoices, face authentication, red forms, credit.

Every vendor simulator reads and writes one `SandboxState`, so an invoice issued through one
vendor shows up in another vendor's list (signed-api lists everything the seller issued).
All state lives in memory and is touched from the server's event loop; a lock guards the few
places a test thread may also write (seeding invoices).

Readings made here where the documents are silent:
- Sandbox time (`state.clock`) is the real local time plus an offset that the control API can
  advance; business time (issue dates, face-auth expiry, 72-hour red forms, token expiry) uses it.
- Numbers are 20 digits: 2-digit year + province `33` + one channel digit per vendor
  (`CHANNEL_DIGITS`) + a 15-digit sequence shared by all vendors. FAW orders get no number.
  Numbers never repeat, like a real platform's, also across restarts and resets: the sequence
  is at least the microseconds since 2020 on the real clock (see `Invoices.next_number`), and a
  saved state (sandbox/persist.py) brings its sequence back.
- Credit (发票额度) is consumed by a blue invoice's amount excluding tax, and restored by a red
  invoice issued in the same month as its blue invoice (domain-reference §6.5).
- A red form may be raised only by the seller while the buyer has not used the invoice (status
  01); once used, either side may raise it (02 seller / 03 buyer) and the other must confirm.
- Faults fire in the order they were added; a `count` fault fires on the next N matching calls,
  a `rate` fault on each matching call with that probability. Latencies of several faults add.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.websockets import WebSocket

from invoicedesk.sandbox import persist
from invoicedesk.sandbox.basics import (  # noqa: F401 - re-exported
    _DEC_MARK,
    _DEC_PATTERN,
    BEIJING,
    CENT,
    CHANNEL_DIGITS,
    FAULT_KINDS,
    LINE_TAX_TOLERANCE,
    SECOND_BUYER_TAX_ID,
    SELLER_NAME,
    SELLER_TAX_ID,
    SELLER_USER,
    TOTAL_TAX_TOLERANCE,
    TOTAL_TOLERANCE,
    VENDORS,
    Clock,
    DecimalJSONResponse,
    Refused,
    SandboxSettings,
    beijing_now,
    json_body,
    q2,
    to_decimal,
)
from invoicedesk.sandbox.faults import (  # noqa: F401 - re-exported
    FaultDraw,
    Faults,
    FaultSpec,
    Handler,
    _DroppedResponse,
    http_with_faults,
    malformed_body,
    parse_fault,
)
from invoicedesk.sandbox.invoices import (  # noqa: F401 - re-exported
    _EPOCH,
    Credit,
    Invoices,
    Redeemable,
    SbInvoice,
    SbLine,
    check_figures,
    unique_sequence,
)
from invoicedesk.sandbox.red_forms import (  # noqa: F401 - re-exported
    OPEN_FORM_STATUSES,
    RED_REASONS,
    RedForm,
    RedForms,
    _red_line,
)

# ---------------------------------------------------------------------------------------------
# Face authentication
# ---------------------------------------------------------------------------------------------


class FaceAuth:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.required: set[tuple[str, str]] = set()
        self.last_scan: dict[tuple[str, str], datetime] = {}
        self.last_result: dict[tuple[str, str], bool] = {}
        # every scan's ok flag in order: a QR counts the scans after it (the clock has whole
        # seconds, too coarse to order a scan and a QR made in the same second)
        self.scans: dict[tuple[str, str], list[bool]] = {}
        self.waiters: dict[
            tuple[str, str], list[tuple[asyncio.AbstractEventLoop, asyncio.Future[bool]]]
        ] = {}

    def require(self, vendor: str, tax_id: str) -> None:
        self.required.add((vendor, tax_id))
        self.last_result.pop((vendor, tax_id), None)

    def scan(self, vendor: str, tax_id: str, ok: bool) -> None:
        key = (vendor, tax_id)
        self.last_result[key] = ok
        if ok:
            self.last_scan[key] = self.state.clock.now()
            self.required.discard(key)
        self.scans.setdefault(key, []).append(ok)
        for loop, future in self.waiters.pop(key, []):
            loop.call_soon_threadsafe(_settle, future, ok)

    def needed(self, vendor: str, tax_id: str) -> bool:
        key = (vendor, tax_id)
        if key in self.required:
            return True
        until = self.valid_until(vendor, tax_id)
        return until is not None and self.state.clock.now() > until

    def valid_until(self, vendor: str, tax_id: str) -> datetime | None:
        last = self.last_scan.get((vendor, tax_id))
        if last is None:
            return None
        hours = float(self.state.settings.face_window_hours)
        return last + timedelta(hours=hours)

    def result(self, vendor: str, tax_id: str) -> bool | None:
        """The last scan's outcome since the last `require` (None: not scanned yet)."""
        return self.last_result.get((vendor, tax_id))

    async def wait_scan(self, vendor: str, tax_id: str, timeout: float) -> bool | None:
        """Wait for the next control-API scan; its ok flag, or None after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self.waiters.setdefault((vendor, tax_id), []).append((loop, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None


def _settle(future: asyncio.Future[bool], ok: bool) -> None:
    if not future.done():
        future.set_result(ok)


# ---------------------------------------------------------------------------------------------
# WebSockets (ws-invoice)
# ---------------------------------------------------------------------------------------------


class OpenSockets:
    """The simulators' open WebSockets, so that the control API can say how many there are and
    drop them as a network outage or a platform restart would (clients must reconnect)."""

    def __init__(self) -> None:
        self.open: set[WebSocket] = set()
        self.opened = 0  # accepted since the last reset

    def add(self, ws: WebSocket) -> None:
        self.open.add(ws)
        self.opened += 1

    def discard(self, ws: WebSocket) -> None:
        self.open.discard(ws)

    async def drop(self) -> int:
        """Close every open socket (1001 going away); how many there were."""
        sockets, self.open = list(self.open), set()
        for ws in sockets:
            with contextlib.suppress(RuntimeError, OSError):  # already closing
                await ws.close(code=1001)
        return len(sockets)

    def as_json(self) -> dict[str, int]:
        return {"open": len(self.open), "opened": self.opened}


# ---------------------------------------------------------------------------------------------
# The state
# ---------------------------------------------------------------------------------------------


class SandboxState:
    """Everything the simulators share. `reset()` empties it and restores the first settings."""

    def __init__(
        self, settings: SandboxSettings | None = None, state_dir: Path | None = None
    ) -> None:
        self.initial_settings = copy.deepcopy(settings or SandboxSettings())
        self.settings = copy.deepcopy(self.initial_settings)
        self.clock = Clock()
        self.faults = Faults()
        self.base_http = ""  # "http://127.0.0.1:PORT", set by the server once listening
        self.sockets = OpenSockets()  # kept over a reset: those open then can still be dropped
        # where the state is kept between runs (sandbox/persist.py); None: memory only
        self.state_dir = state_dir
        self._fresh()
        if state_dir is not None:
            persist.load(self, state_dir)

    def save(self) -> None:
        """Write the state to `state_dir` (no-op without one). Call on the server's loop."""
        if self.state_dir is not None:
            persist.save(self, self.state_dir)

    def _fresh(self) -> None:
        self.credit = Credit(self.settings.credit_total)
        self.invoices = Invoices(self)
        self.face = FaceAuth(self)
        self.red = RedForms(self)
        # per-vendor scratch space (tokens, sessions, batches); emptied by reset()
        self.vendor_data: dict[str, dict[str, Any]] = {v: {} for v in VENDORS}

    def reset(self) -> None:
        self.settings = copy.deepcopy(self.initial_settings)
        self.clock.reset()
        self.faults.clear()
        self.sockets.opened = 0
        self._fresh()

    def scratch(self, vendor: str) -> dict[str, Any]:
        return self.vendor_data.setdefault(vendor, {})

    def issue_red(self, vendor: str, serial: str, form_no: str, **fields_: Any) -> SbInvoice:
        """Issue the red invoice of a form (01/04, once); same vendor+serial → the first one."""
        existing = self.invoices.find_serial(vendor, serial)
        if existing is not None:
            return existing
        form = self.red.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        blue = self.invoices.get(form.blue_number)
        if blue is None:
            raise Refused(f"蓝字发票 {form.blue_number} 不存在", "no_blue")
        self.red.use(form_no)
        for name in (
            "buyer_name",
            "buyer_tax_id",
            "invoice_type",
            "buyer_address",
            "buyer_phone",
            "buyer_bank",
            "buyer_account",
        ):
            fields_.setdefault(name, getattr(blue, name))
        invoice = self.invoices.issue(
            vendor,
            serial,
            lines=[replace(x) for x in form.lines],
            color="red",
            blue_number=blue.number,
            red_form_no=form.form_no,
            **fields_,
        )
        form.red_number = invoice.number
        left = self.invoices.redeemable(blue.number or "")
        blue.status = "red_fully" if all(r.amount <= 0 for r in left) else "red_partly"
        return invoice
