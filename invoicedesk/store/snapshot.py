"""Consistent copies of the database file, for backups: SQLite's online backup API, so a copy
taken while the program runs is never half-written, and an integrity check for a copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def copy_database(source: Path, target: Path) -> None:
    """Copy a live database (WAL included) into a single self-contained file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def check_database(path: Path) -> tuple[bool, int, str]:
    """(ok, schema version, detail) of a database file, without changing it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return False, 0, str(exc)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        return result == "ok", version, str(result)
    except sqlite3.Error as exc:
        return False, 0, str(exc)
    finally:
        conn.close()
