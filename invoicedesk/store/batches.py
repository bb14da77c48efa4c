"""Batches (tables batches and batch_items, schema v6): an imported spreadsheet's drafts and how
far each got, so that the batch page reopens where it was after a crash or a closed window.

The journal stays the authority on what the vendor issued; an item only remembers the serial and
journal row it went out with, and the last state shown. `BatchesMixin` adds the methods to
`Store`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from invoicedesk.store.money import opt_from_cents, opt_to_cents

BATCH_STATES = ("ready", "running", "paused", "cancelled", "done")
ITEM_STATES = ("waiting", "sending", "issued", "rejected", "unknown", "skipped")
_ITEM_EDITABLE = frozenset(
    {
        "draft_json",
        "state",
        "serial",
        "journal_id",
        "invoice_number",
        "invoice_date",
        "total_cents",
        "error_code",
        "error_message",
    }
)
_ITEM_COLUMNS = (
    "id, batch_id, position, draft_label, draft_json, state, serial, journal_id, invoice_number, "
    "invoice_date, total_cents, error_code, error_message, updated_at"
)
_BATCH_COLUMNS = "id, profile, source, state, vendor_batch_no, created_at, updated_at"


@dataclass(frozen=True)
class BatchRow:
    id: int
    profile: str
    source: str
    state: str
    vendor_batch_no: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class BatchItemRow:
    id: int
    batch_id: int
    position: int
    draft_label: str
    draft_json: str
    state: str
    serial: str
    journal_id: int | None
    invoice_number: str
    invoice_date: str
    total: Any  # Decimal | None
    error_code: str
    error_message: str
    updated_at: str


def _item(r: Any) -> BatchItemRow:
    values = list(r)
    values[10] = opt_from_cents(values[10])
    return BatchItemRow(*values)


class _StoreLike(Protocol):
    def _conn(self) -> sqlite3.Connection: ...
    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def _now(self) -> str: ...


class BatchesMixin:
    """Mixed into Store (which supplies _conn, _write and _now)."""

    def create_batch(
        self: _StoreLike,
        profile: str,
        source: str,
        items: Sequence[tuple[str, str, Any, bool]],
    ) -> int:
        """One transaction: the batch and its items, each (draft_label, draft_json, total, skip)."""
        now = self._now()
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO batches (profile, source, state, created_at, updated_at) "
                "VALUES (?, ?, 'ready', ?, ?)",
                (profile, source, now, now),
            )
            batch_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO batch_items (batch_id, position, draft_label, draft_json, state, "
                "total_cents, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        batch_id,
                        i,
                        key,
                        text,
                        "skipped" if skip else "waiting",
                        opt_to_cents(total),
                        now,
                    )
                    for i, (key, text, total, skip) in enumerate(items)
                ],
            )
        return batch_id

    def get_batch(self: _StoreLike, batch_id: int) -> BatchRow | None:
        r = (
            self._conn()
            .execute(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,))
            .fetchone()
        )
        return None if r is None else BatchRow(*r)

    def open_batches(self: _StoreLike) -> list[BatchRow]:
        """Batches not finished (ready, running, paused), newest first: to reopen on start."""
        rows = self._conn().execute(
            f"SELECT {_BATCH_COLUMNS} FROM batches WHERE state IN ('ready', 'running', 'paused') "
            "ORDER BY id DESC"
        )
        return [BatchRow(*r) for r in rows]

    def set_batch_state(
        self: _StoreLike, batch_id: int, state: str, vendor_batch_no: str | None = None
    ) -> None:
        if state not in BATCH_STATES:
            raise ValueError(f"unknown batch state {state!r}")
        with self._write() as conn:
            if vendor_batch_no is None:
                cur = conn.execute(
                    "UPDATE batches SET state = ?, updated_at = ? WHERE id = ?",
                    (state, self._now(), batch_id),
                )
            else:
                cur = conn.execute(
                    "UPDATE batches SET state = ?, vendor_batch_no = ?, updated_at = ? "
                    "WHERE id = ?",
                    (state, vendor_batch_no, self._now(), batch_id),
                )
            if cur.rowcount != 1:
                raise LookupError(f"no batch {batch_id}")

    def batch_items(self: _StoreLike, batch_id: int) -> list[BatchItemRow]:
        rows = self._conn().execute(
            f"SELECT {_ITEM_COLUMNS} FROM batch_items WHERE batch_id = ? ORDER BY position",
            (batch_id,),
        )
        return [_item(r) for r in rows]

    def batches_of_journal_rows(
        self: _StoreLike, journal_ids: Sequence[int]
    ) -> dict[int, BatchRow]:
        """The batch each of these journal rows went out in (rows sent alone are absent)."""
        wanted = sorted(set(journal_ids))
        found: dict[int, BatchRow] = {}
        conn = self._conn()
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT i.journal_id, b.{_BATCH_COLUMNS.replace(', ', ', b.')} "
                "FROM batch_items i JOIN batches b ON b.id = i.batch_id "
                f"WHERE i.journal_id IN ({marks}) ORDER BY b.id",
                chunk,
            )
            for journal_id, *batch in rows:
                found.setdefault(int(journal_id), BatchRow(*batch))
        return found

    def update_batch_items(self: _StoreLike, changes: Sequence[tuple[int, dict[str, Any]]]) -> None:
        """Set columns of several items (item id, {column: value}) in one transaction."""
        if not changes:
            return
        now = self._now()
        with self._write() as conn:
            for item_id, values in changes:
                unknown = set(values) - _ITEM_EDITABLE
                if unknown:
                    raise ValueError(f"batch_items has no editable column(s) {sorted(unknown)}")
                if "state" in values and values["state"] not in ITEM_STATES:
                    raise ValueError(f"unknown item state {values['state']!r}")
                cols = ", ".join(f"{name} = ?" for name in values)
                cur = conn.execute(
                    f"UPDATE batch_items SET {cols}, updated_at = ? WHERE id = ?",
                    (*values.values(), now, item_id),
                )
                if cur.rowcount != 1:
                    raise LookupError(f"no batch item {item_id}")
