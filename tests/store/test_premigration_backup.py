"""Before an existing database is migrated, a copy of it goes to <data_dir>/backups/."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from invoicedesk.store import Store, schema


def _clock() -> dt.datetime:
    return dt.datetime(2026, 11, 21, 9, 30, 15)


def _old_database(path: Path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=version)
    conn.execute("INSERT INTO settings VALUES ('ui.language', 'en')")
    conn.close()


def test_existing_database_is_copied_before_migration(tmp_path: Path) -> None:
    db = tmp_path / "invoicedesk.sqlite3"
    _old_database(db, 2)
    store = Store.open(db, clock=_clock)
    try:
        assert store.schema_version == schema.CURRENT_VERSION
    finally:
        store.close()
    copy = tmp_path / "backups" / "pre-migration-v2-20261121-093015.sqlite3"
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [copy.name]
    conn = sqlite3.connect(copy)
    try:
        # the copy is the database as it was: the old version, with its rows
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        rows = conn.execute("SELECT value FROM settings WHERE name = 'ui.language'").fetchall()
        assert rows == [("en",)]
    finally:
        conn.close()


def test_new_and_current_databases_are_not_copied(tmp_path: Path) -> None:
    db = tmp_path / "invoicedesk.sqlite3"
    Store.open(db, clock=_clock).close()  # new: created at the current version
    Store.open(db, clock=_clock).close()  # current: nothing to migrate
    assert not (tmp_path / "backups").exists()
