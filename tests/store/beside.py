"""A second connection to a store's database file, for the tests that set up or look at what
no Store method writes or reads: a raw UPDATE, a trigger's table, a query plan, a constraint.

It opens the file as another program beside the app would (the CLI next to the GUI, the sqlite3
shell): in WAL mode it reads and writes next to the Store's own connections, so the tests never
reach into those, and it sees only what the Store committed. It turns on what the Store turns on
for its own connections (foreign keys, recursive triggers, a busy timeout), so that the schema's
cascades and triggers act as they do in the app."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from invoicedesk.store import Store
from invoicedesk.store.db import BUSY_TIMEOUT_S


@contextmanager
def beside(store: Store) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode: each statement is its own transaction."""
    conn = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")
        yield conn
    finally:
        conn.close()


@contextmanager
def write_beside(store: Store) -> Iterator[sqlite3.Connection]:
    """A connection in one write transaction, committed when the block ends and rolled back if
    it raises."""
    with beside(store) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
