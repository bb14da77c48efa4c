"""Red-letter cases (table red_forms, schema v5): one row per wizard run against a blue invoice.

The row is the wizard's memory across restarts: the step reached, the vendor's verdict, the
chosen reason and lines (JSON of positive magnitudes keyed by the blue line), the serials of the
form application and of the red invoice (committed before anything is sent), the form number
and status, the red invoice number. `RedFormsMixin` adds the methods to `Store`.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from typing import Any, Protocol

_COLUMNS = (
    "id",
    "profile",
    "vendor",
    "blue_number",
    "step",
    "check_ok",
    "check_message",
    "reason",
    "full",
    "lines_json",
    "form_serial",
    "form_no",
    "form_uuid",
    "form_status",
    "applied_at",
    "issue_serial",
    "red_number",
    "created_at",
    "updated_at",
)
_EDITABLE = frozenset(_COLUMNS) - {"id", "profile", "vendor", "blue_number", "created_at"}


@dataclass(frozen=True)
class RedFormRow:
    id: int
    profile: str
    vendor: str
    blue_number: str
    step: str
    check_ok: bool | None
    check_message: str
    reason: str
    full: bool
    lines_json: str
    form_serial: str
    form_no: str
    form_uuid: str
    form_status: str
    applied_at: str
    issue_serial: str
    red_number: str
    created_at: str
    updated_at: str


def _row(r: Any) -> RedFormRow:
    values = list(r)
    values[5] = None if values[5] is None else bool(values[5])
    values[8] = bool(values[8])
    return RedFormRow(*values)


assert [f.name for f in fields(RedFormRow)] == list(_COLUMNS)


class _StoreLike(Protocol):
    def _conn(self) -> sqlite3.Connection: ...
    def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...
    def _now(self) -> str: ...


class RedFormsMixin:
    """Mixed into Store (which supplies _conn, _write and _now)."""

    def add_red_form(
        self: _StoreLike, profile: str, vendor: str, blue_number: str, step: str
    ) -> int:
        now = self._now()
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO red_forms (profile, vendor, blue_number, step, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (profile, vendor, blue_number, step, now, now),
            )
            return int(cur.lastrowid or 0)

    def update_red_form(self: _StoreLike, red_id: int, **values: Any) -> None:
        """Set the given columns (step, reason, form_no, ...) in one transaction."""
        unknown = set(values) - _EDITABLE
        if unknown:
            raise ValueError(f"red_forms has no editable column(s) {sorted(unknown)}")
        cols = ", ".join(f"{name} = ?" for name in values)
        args = [int(v) if isinstance(v, bool) else v for v in values.values()]
        with self._write() as conn:
            cur = conn.execute(
                f"UPDATE red_forms SET {cols}, updated_at = ? WHERE id = ?",
                (*args, self._now(), red_id),
            )
            if cur.rowcount != 1:
                raise LookupError(f"no red form {red_id}")

    def get_red_form(self: _StoreLike, red_id: int) -> RedFormRow | None:
        r = (
            self._conn()
            .execute(f"SELECT {', '.join(_COLUMNS)} FROM red_forms WHERE id = ?", (red_id,))
            .fetchone()
        )
        return None if r is None else _row(r)

    def red_forms_of(self: _StoreLike, profile: str, blue_number: str) -> list[RedFormRow]:
        """Every case against this blue invoice, oldest first."""
        rows = self._conn().execute(
            f"SELECT {', '.join(_COLUMNS)} FROM red_forms WHERE profile = ? AND blue_number = ? "
            "ORDER BY id",
            (profile, blue_number),
        )
        return [_row(r) for r in rows]

    def red_forms_in(self: _StoreLike, steps: tuple[str, ...]) -> list[RedFormRow]:
        """Cases at one of these steps (all profiles), oldest first."""
        marks = ", ".join("?" for _ in steps)
        rows = self._conn().execute(
            f"SELECT {', '.join(_COLUMNS)} FROM red_forms WHERE step IN ({marks}) ORDER BY id",
            steps,
        )
        return [_row(r) for r in rows]
