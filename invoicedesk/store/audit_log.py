"""The append-only audit log, mixed into Store (durability of its writes: store/db.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from invoicedesk.store.records import AuditRow
from invoicedesk.store.store_like import StoreLike


class AuditMixin:
    """Mixed into Store (which supplies _conn, _write and _now)."""

    def audit(
        self: StoreLike,
        event: str,
        *,
        profile: str | None = None,
        vendor: str | None = None,
        endpoint: str | None = None,
        serial: str | None = None,
        outcome: str | None = None,
        duration_ms: int | None = None,
        detail: str = "",
    ) -> int:
        """Append one audit row (the table refuses UPDATE and DELETE). Callers remove secrets."""
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO audit_log (at, event, profile, vendor, endpoint, serial, outcome, "
                "duration_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._now(),
                    event,
                    profile,
                    vendor,
                    endpoint,
                    serial,
                    outcome,
                    duration_ms,
                    detail,
                ),
            )
            return int(cur.lastrowid or 0)

    def audit_many(self: StoreLike, rows: Sequence[tuple[Any, ...]]) -> None:
        """Append audit rows in one transaction, not fsynced (module doc). Each row is
        (at, event, profile, vendor, endpoint, serial, outcome, duration_ms, detail); callers
        remove secrets."""
        if not rows:
            return
        with self._write(durable=False) as conn:
            conn.executemany(
                "INSERT INTO audit_log (at, event, profile, vendor, endpoint, serial, outcome, "
                "duration_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def audit_rows(self: StoreLike, since: str | None = None) -> list[AuditRow]:
        """Rows with `at >= since` (ISO text), oldest first."""
        sql = (
            "SELECT id, at, event, profile, vendor, endpoint, serial, outcome, duration_ms, "
            "detail FROM audit_log"
        )
        params: list[object] = []
        if since is not None:
            sql += " WHERE at >= ?"
            params.append(since)
        return [AuditRow(*r) for r in self._conn().execute(sql + " ORDER BY id", params)]
