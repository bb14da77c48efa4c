"""Downloaded invoice files (table files) and sync cursors, mixed into Store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from invoicedesk.store.records import FileRow
from invoicedesk.store.store_like import StoreLike

_FILE = "SELECT id, invoice_id, kind, path, sha256, size, created_at FROM files"


def _file(r: Any) -> FileRow:
    return FileRow(r[0], r[1], r[2], Path(r[3]), r[4], r[5], r[6])


class FilesMixin:
    """Mixed into Store (which supplies _conn, _write and _now)."""

    def add_file(
        self: StoreLike, invoice_id: int, kind: str, path: Path | str, sha256: str, size: int
    ) -> int:
        """Idempotent on (invoice, kind, sha256): the same download twice is one row."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO files (invoice_id, kind, path, sha256, size, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(invoice_id, kind, sha256) "
                "DO UPDATE SET path = excluded.path, size = excluded.size",
                (invoice_id, kind, str(path), sha256, size, self._now()),
            )
            r = conn.execute(
                "SELECT id FROM files WHERE invoice_id = ? AND kind = ? AND sha256 = ?",
                (invoice_id, kind, sha256),
            ).fetchone()
            return int(r[0])

    def files(self: StoreLike, invoice_id: int) -> list[FileRow]:
        rows = self._conn().execute(_FILE + " WHERE invoice_id = ? ORDER BY id", (invoice_id,))
        return [_file(r) for r in rows]

    def numbers_without_files(self: StoreLike, profile: str, limit: int) -> list[str]:
        """The newest numbered invoices of an account with no archived file (to fetch again)."""
        rows = self._conn().execute(
            "SELECT number FROM invoices AS i INDEXED BY ix_invoices_profile_issued "
            "WHERE profile = ? AND number <> '' "
            "AND NOT EXISTS (SELECT 1 FROM files f WHERE f.invoice_id = i.id) "
            "ORDER BY issued_at DESC, id DESC LIMIT ?",
            (profile, limit),
        )
        return [r[0] for r in rows]

    def file_by_sha256(self: StoreLike, sha: str) -> FileRow | None:
        r = self._conn().execute(_FILE + " WHERE sha256 = ? ORDER BY id", (sha,)).fetchone()
        return None if r is None else _file(r)

    def get_cursor(self: StoreLike, profile: str, kind: str) -> str | None:
        r = (
            self._conn()
            .execute(
                "SELECT cursor FROM sync_cursors WHERE profile = ? AND kind = ?", (profile, kind)
            )
            .fetchone()
        )
        return None if r is None else str(r[0])

    def set_cursor(self: StoreLike, profile: str, kind: str, cursor: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO sync_cursors (profile, kind, cursor, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(profile, kind) DO UPDATE SET cursor = excluded.cursor, "
                "updated_at = excluded.updated_at",
                (profile, kind, cursor, self._now()),
            )
