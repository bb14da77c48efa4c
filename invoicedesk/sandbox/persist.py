"""The sandbox's state on disk, so that yesterday's sandbox invoices still open, sync and
red-letter today (`invoicedesk --sandbox` keeps it in the data folder, `invoicedesk sandbox
--state DIR` where asked).

What is kept: the invoices and their numbering, red forms, the credit used, the clock's offset,
face-authentication scans, and whatever of each simulator's scratch space can be written
(tokens, batches; live sockets and futures cannot and are dropped: clients log in again). The
file is written by the server's own event loop, so nothing changes under it while it is
written, into a temporary file that then replaces the old one (a crash leaves the previous
state). It is a pickle: it holds only what this program wrote into the user's own data folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invoicedesk.sandbox.core import SandboxState

FILE_NAME = "sandbox-state.pickle"
FORMAT = 1


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # a live object (socket, future, lock): not part of the saved state
        return False
    return True


def snapshot(state: SandboxState) -> dict[str, Any]:
    with state.invoices.lock:
        invoices = list(state.invoices.by_key.values())
        sequence = state.invoices.sequence
    scratch = {
        vendor: {k: v for k, v in data.items() if _picklable(v)}
        for vendor, data in state.vendor_data.items()
    }
    return {
        "format": FORMAT,
        "invoices": invoices,
        "sequence": sequence,
        "red_forms": list(state.red.forms.values()),
        "red_sequence": state.red.sequence,
        "credit_used": state.credit.used,
        "clock_offset": state.clock.offset,
        "face_last_scan": dict(state.face.last_scan),
        "face_last_result": dict(state.face.last_result),
        "scratch": scratch,
    }


_last_written: dict[Path, bytes] = {}


def save(state: SandboxState, directory: Path) -> None:
    """Write the state unless it is what was last written there (the server calls this every
    second: an idle sandbox does not touch the disk)."""
    data = pickle.dumps(snapshot(state))
    target = directory / FILE_NAME
    if _last_written.get(target) == data and target.exists():
        return
    directory.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(".tmp")
    temp.write_bytes(data)
    os.replace(temp, target)
    _last_written[target] = data


def load(state: SandboxState, directory: Path) -> bool:
    """Restore a saved state into a fresh `state`; False when there is none (or it cannot be
    read: the sandbox then starts empty rather than not at all; numbers still never repeat,
    see core.Invoices.next_number)."""
    target = directory / FILE_NAME
    if not target.exists():
        return False
    try:
        saved = pickle.loads(target.read_bytes())
    except Exception:
        with contextlib.suppress(OSError):
            target.replace(target.with_suffix(".unreadable"))
        return False
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        return False
    with state.invoices.lock:
        for invoice in saved["invoices"]:
            state.invoices.by_key[(invoice.vendor, invoice.serial)] = invoice
            if invoice.number:
                state.invoices.by_number[invoice.number] = invoice
        state.invoices.sequence = max(state.invoices.sequence, saved["sequence"])
    for form in saved["red_forms"]:
        state.red.forms[form.form_no] = form
    state.red.sequence = max(state.red.sequence, saved["red_sequence"])
    state.credit.used = saved["credit_used"]
    state.clock.offset = saved["clock_offset"]
    state.face.last_scan.update(saved["face_last_scan"])
    state.face.last_result.update(saved["face_last_result"])
    for vendor, data in saved["scratch"].items():
        state.scratch(vendor).update(data)
    return True
