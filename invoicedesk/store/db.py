"""The SQLite store: one file in the data folder, WAL, foreign keys on, a busy timeout.

Threading: a connection per thread (threading.local), created on first use. In WAL mode readers
never block the writer nor the writer readers, so the history page can page through a million
rows in its worker thread while a service writes. Writes additionally take one in-process lock
and start with BEGIN IMMEDIATE: in-process writers queue on the lock instead of spinning on
SQLITE_BUSY, and another process (the CLI next to the GUI) is covered by the busy timeout.
Every connection is in autocommit mode; a write is one explicit transaction (`_write`).

Durability: every write is synchronous=FULL (the WAL is fsynced at commit, so it survives a power
cut) unless it passes `durable=False`, which commits at NORMAL (no fsync: it survives a crash or
SIGKILL of this process, not a power cut). In WAL mode a FULL commit fsyncs the whole WAL, so it
also makes every earlier NORMAL commit durable: what may be lost on a power cut is only a suffix
of NORMAL commits after the last FULL one. Only writes whose loss is healed are NORMAL: the
audit log (at most the last unsynced rows are lost) and `record_issued` (a lost ISSUED row falls
back to SENDING, which start-up reconciliation settles by its serial, as for a crash between
the vendor's answer and the mark). `begin_send`, which must be on disk before the network call,
stays FULL. `grouped()` runs several writes of one thread as savepoints of ONE FULL transaction
(the issuing service's store thread: one fsynced commit for the drafts of a batch that are ready
together, instead of two commits, one fsynced, per draft). A group is FULL even when it holds
only NORMAL writes: SQLite does not change the safety level inside a transaction, and which
writes a group will hold is known only at its end.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.store import identity, invoices, journal, schema
from invoicedesk.store.audit_log import AuditMixin
from invoicedesk.store.batches import BatchesMixin
from invoicedesk.store.catalogs import CatalogsMixin
from invoicedesk.store.files import FilesMixin
from invoicedesk.store.money import opt_from_cents, opt_to_cents
from invoicedesk.store.records import (
    DRAFT_STATUSES,
    DraftRow,
    InvoiceFilter,
    InvoiceRecord,
    InvoiceReport,
    InvoiceRow,
    InvoiceSummary,
    JournalEvent,
    JournalRow,
    NotFound,
    ProfileRow,
    Sighting,
    StoreError,
    Upserted,
)
from invoicedesk.store.red_forms import RedFormsMixin
from invoicedesk.store.snapshot import copy_database

BUSY_TIMEOUT_S = 10.0
# A key that looks like it names a secret: profile options and settings refuse it, because
# secrets belong in the SecretStore (OS keyring) only.
SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|api_?key|private_?key|credential", re.I)

Clock = Callable[[], dt.datetime]


class StoreClosed(StoreError):
    """The store was closed."""


def _refuse_secret_names(names: Iterable[str], what: str) -> None:
    for name in names:
        if SECRET_NAME.search(name):
            raise ValueError(f"{what} {name!r} looks like a secret; keep it in the SecretStore")


class Store(RedFormsMixin, BatchesMixin, FilesMixin, CatalogsMixin, AuditMixin):
    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self._clock = clock
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, path: Path, *, clock: Clock | None = None) -> Store:
        """Open (creating or migrating) the store at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path, clock or dt.datetime.now)
        try:
            conn = store._conn()
            conn.execute("PRAGMA journal_mode = WAL")
            with store._write_lock:
                store._backup_before_migration(conn)
                schema.migrate(conn)
        except BaseException:
            store.close()
            raise
        return store

    def _backup_before_migration(self, conn: sqlite3.Connection) -> None:
        """An existing database about to be migrated is first copied to
        <data_dir>/backups/pre-migration-v<old>-<timestamp>.sqlite3: a failed or regretted
        upgrade can then be undone by hand. A new (empty) database needs no copy."""
        old = schema.version(conn)
        if old == 0 or old >= schema.CURRENT_VERSION:
            return
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        target = self.path.parent / "backups" / f"pre-migration-v{old}-{stamp}.sqlite3"
        copy_database(self.path, target)

    # ---- plumbing ----------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreClosed("store is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # check_same_thread=False only so that close() may close every thread's connection;
            # each connection is otherwise used by its own thread alone
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA foreign_keys = ON")
            # a REPLACE then fires DELETE triggers too (FTS sync, audit guard)
            conn.execute("PRAGMA recursive_triggers = ON")
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # FULL: a committed SENDING row must survive a power cut (exactly-once issuing)
            conn.execute("PRAGMA synchronous = FULL")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction. durable=False commits without an fsync (module doc).
        Inside `grouped()` it is a savepoint of the group's (fsynced) transaction instead."""
        conn = self._conn()
        with self._write_lock:
            if conn.in_transaction:
                with self._savepoint(conn):
                    yield conn
                return
            if not durable:
                conn.execute("PRAGMA synchronous = NORMAL")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                if not durable:
                    conn.execute("PRAGMA synchronous = FULL")

    @staticmethod
    @contextmanager
    def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("SAVEPOINT write")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO write")
            conn.execute("RELEASE write")
            raise
        conn.execute("RELEASE write")

    @contextmanager
    def grouped(self, *, durable: bool = True) -> Iterator[None]:
        """One transaction, committed with an fsync, around several writes made by this thread:
        each write is a savepoint in it (a write that fails undoes itself alone), and all are on
        disk together once the block ends. Reads inside see the writes before them.
        durable=False: committed without the fsync, for a group of writes that may each be
        NORMAL (module doc); the next FULL commit makes it durable too."""
        conn = self._conn()
        with self._write_lock:
            if not durable:
                conn.execute("PRAGMA synchronous = NORMAL")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                if not durable:
                    conn.execute("PRAGMA synchronous = FULL")

    @property
    def sync_level(self) -> str:
        """How this thread's connection commits: "FULL" (fsynced) between writes, so that a
        committed SENDING row survives a power cut; "NORMAL" only inside a `durable=False`
        group. The level is each connection's own setting, read here for diagnostics."""
        level = self._conn().execute("PRAGMA synchronous").fetchone()[0]
        return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(level, str(level))

    @contextmanager
    def traced(self, sink: Callable[[str], None]) -> Iterator[None]:
        """Diagnostics: every SQL statement this thread's connection runs inside the block is
        passed to `sink` (benchmarks/history_plans.py shows which query answered a page)."""
        conn = self._conn()
        conn.set_trace_callback(sink)
        try:
            yield
        finally:
            conn.set_trace_callback(None)

    def _now(self) -> str:
        return self._clock().replace(microsecond=0).isoformat()

    def now_text(self) -> str:
        """The store clock's time as stored in its `at`/`created_at` columns."""
        return self._now()

    def close(self) -> None:
        """Close every thread's connection. Callers make sure no store call is still running
        (the GUI settles its tasks first); the write lock at least lets a write finish."""
        self._closed = True
        with self._write_lock, self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()

    @property
    def schema_version(self) -> int:
        return schema.version(self._conn())

    # ---- drafts ------------------------------------------------------------------------------

    def save_draft(
        self,
        draft_id: str | None,
        draft_json: str,
        *,
        title: str,
        buyer_name: str,
        total: Decimal | None,
        status: str = "draft",
    ) -> str:
        if status not in DRAFT_STATUSES:
            raise ValueError(f"unknown draft status {status!r}")
        draft_id = draft_id or uuid.uuid4().hex
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO drafts (id, json, title, buyer_name, total_cents, status, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET json = excluded.json, title = excluded.title, "
                "buyer_name = excluded.buyer_name, total_cents = excluded.total_cents, "
                "status = excluded.status, updated_at = excluded.updated_at",
                (draft_id, draft_json, title, buyer_name, opt_to_cents(total), status, now, now),
            )
        return draft_id

    _DRAFT = (
        "SELECT id, json, title, buyer_name, total_cents, status, serial_no, created_at, "
        "updated_at FROM drafts"
    )

    @staticmethod
    def _draft(r: Any) -> DraftRow:
        return DraftRow(r[0], r[1], r[2], r[3], opt_from_cents(r[4]), *r[5:])

    def get_draft(self, draft_id: str) -> DraftRow | None:
        r = self._conn().execute(self._DRAFT + " WHERE id = ?", (draft_id,)).fetchone()
        return None if r is None else self._draft(r)

    def list_drafts(
        self, search: str = "", statuses: Iterable[str] = ("draft", "pending")
    ) -> list[DraftRow]:
        states = tuple(statuses)
        sql = self._DRAFT + f" WHERE status IN ({', '.join('?' * len(states))})"
        params: list[object] = list(states)
        if search.strip():
            pattern = "%" + invoices._like_escape(search.strip()) + "%"
            sql += " AND (title LIKE ? ESCAPE '\\' OR buyer_name LIKE ? ESCAPE '\\')"
            params += [pattern, pattern]
        rows = self._conn().execute(sql + " ORDER BY updated_at DESC, id", params)
        return [self._draft(r) for r in rows]

    def set_draft_status(self, draft_id: str, status: str) -> None:
        if status not in DRAFT_STATUSES:
            raise ValueError(f"unknown draft status {status!r}")
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE drafts SET status = ?, updated_at = ? WHERE id = ?",
                (status, self._now(), draft_id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no draft {draft_id!r}")

    # ---- profiles and settings (never secrets) -----------------------------------------------

    def save_profile(
        self,
        name: str,
        vendor: str,
        base_url: str,
        seller_name: str,
        seller_tax_id: str,
        user_name: str,
        options: dict[str, Any],
    ) -> None:
        _refuse_secret_names(options, "profile option")
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO profiles (name, vendor, base_url, seller_name, seller_tax_id, "
                "user_name, options_json, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET vendor = excluded.vendor, "
                "base_url = excluded.base_url, seller_name = excluded.seller_name, "
                "seller_tax_id = excluded.seller_tax_id, user_name = excluded.user_name, "
                "options_json = excluded.options_json, updated_at = excluded.updated_at",
                (
                    name,
                    vendor,
                    base_url,
                    seller_name,
                    seller_tax_id,
                    user_name,
                    json.dumps(options, ensure_ascii=False, sort_keys=True),
                    now,
                    now,
                ),
            )

    _PROFILE = (
        "SELECT name, vendor, base_url, seller_name, seller_tax_id, user_name, options_json, "
        "created_at, updated_at FROM profiles"
    )

    @staticmethod
    def _profile(r: Any) -> ProfileRow:
        return ProfileRow(
            name=r[0],
            vendor=r[1],
            base_url=r[2],
            seller_name=r[3],
            seller_tax_id=r[4],
            user_name=r[5],
            options=json.loads(r[6]),
            created_at=r[7],
            updated_at=r[8],
        )

    def get_profile(self, name: str) -> ProfileRow | None:
        r = self._conn().execute(self._PROFILE + " WHERE name = ?", (name,)).fetchone()
        return None if r is None else self._profile(r)

    def list_profiles(self) -> list[ProfileRow]:
        return [self._profile(r) for r in self._conn().execute(self._PROFILE + " ORDER BY name")]

    def delete_profile(self, name: str) -> None:
        """Removes the profile only; its journal rows and invoices stay (they are history)."""
        with self._write() as conn:
            conn.execute("DELETE FROM profiles WHERE name = ?", (name,))

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        r = self._conn().execute("SELECT value FROM settings WHERE name = ?", (key,)).fetchone()
        return default if r is None else str(r[0])

    def set_setting(self, key: str, value: str | None) -> None:
        """value None removes the setting."""
        _refuse_secret_names([key], "setting")
        with self._write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE name = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # ---- journal -----------------------------------------------------------------------------

    def begin_send(
        self,
        *,
        draft_id: str | None,
        profile: str,
        serial: str,
        content_hash: str,
        draft_json: str,
        kind: str = "blue",
    ) -> int:
        """One transaction: journal row SENDING + the draft's serial_no. Raises DuplicateSerial
        if the profile used the serial before, SendBlocked if the draft has a send (same kind)
        that is not REJECTED, NotFound for an unknown draft."""
        with self._write() as conn:
            return journal.begin_send(
                conn,
                self._now(),
                draft_id=draft_id,
                profile=profile,
                serial=serial,
                content_hash=content_hash,
                draft_json=draft_json,
                kind=kind,
            )

    def mark(
        self,
        journal_id: int,
        state: str,
        *,
        invoice_number: str | None = None,
        invoice_date: str | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        """Move a journal row (IllegalTransition if not allowed) and append a journal event.
        ISSUED on a blue send also sets the draft's status to "issued"."""
        with self._write() as conn:
            journal.mark(
                conn,
                self._now(),
                journal_id,
                state,
                invoice_number=invoice_number,
                invoice_date=invoice_date,
                error_code=error_code,
                error_message=error_message,
            )

    def record_issued(
        self,
        journal_id: int,
        inv: InvoiceRecord,
        state: str = "ISSUED",
        *,
        invoice_number: str | None = None,
        invoice_date: str | None = None,
        note_code: str | None = None,
        note: str | None = None,
    ) -> JournalRow:
        """One transaction: the invoice into history (upsert) and the journal row to ISSUED or
        ACCEPTED (an ACCEPTED blue send also marks its draft issued). Returns the row.
        `note_code`/`note` go to the row's error_code/error_message (an ISSUED row whose number
        is still to be found: journal.NUMBER_PENDING).

        Not fsynced (module doc): on a power cut it may be lost as a whole, and the row is then
        SENDING again with its serial, which reconciliation settles without a new send."""
        with self._write(durable=False) as conn:
            invoices.upsert(conn, self._now(), inv)
            journal.mark(
                conn,
                self._now(),
                journal_id,
                state,
                invoice_number=invoice_number,
                invoice_date=invoice_date,
                error_code=note_code,
                error_message=note,
            )
            row = journal.get(conn, journal_id)
            assert row is not None  # mark raised NotFound otherwise
            if state == "ACCEPTED" and row.draft_id is not None:
                conn.execute(
                    "UPDATE drafts SET status = 'issued', updated_at = ? WHERE id = ?",
                    (self._now(), row.draft_id),
                )
            return row

    def fill_number(
        self,
        journal_id: int,
        inv: InvoiceRecord,
        *,
        invoice_date: str | None,
        warning: str | None,
    ) -> JournalRow:
        """One transaction: the number found for an ISSUED row whose vendor gave none, into its
        history row (a synced row of that number is merged in) and onto the row, with the
        figures warning (None when the platform's figures match the draft)."""
        if not inv.number or not inv.serial:
            raise ValueError("a number and the row's serial are required")
        with self._write(durable=False) as conn:
            invoices.merge_synced_duplicate(conn, inv.profile, inv.serial, inv.number)
            invoices.upsert(conn, self._now(), inv)
            journal.fill_number(
                conn,
                self._now(),
                journal_id,
                invoice_number=inv.number,
                invoice_date=invoice_date,
                warning=warning,
            )
            row = journal.get(conn, journal_id)
            if row is None:
                raise NotFound(f"no journal row {journal_id}")
            return row

    def number_pending(self, profile: str | None = None) -> list[JournalRow]:
        """ISSUED rows whose invoice number is still to be found (journal.NUMBER_PENDING)."""
        return journal.number_pending(self._conn(), profile)

    def journal_row(self, journal_id: int) -> JournalRow | None:
        return journal.get(self._conn(), journal_id)

    def journal_by_serial(self, profile: str, serial: str) -> JournalRow | None:
        return journal.by_serial(self._conn(), profile, serial)

    def unresolved(
        self, profile: str | None = None, *, include_accepted: bool = False
    ) -> list[JournalRow]:
        """SENDING or UNKNOWN rows (plus ACCEPTED ones when asked), oldest first."""
        states = ("SENDING", "UNKNOWN") + (("ACCEPTED",) if include_accepted else ())
        return journal.unresolved(self._conn(), profile, states)

    def latest_for_content(self, profile: str, content_hash: str) -> JournalRow | None:
        return journal.latest_for_content(self._conn(), profile, content_hash)

    def journal_events(self, journal_id: int) -> list[JournalEvent]:
        return journal.events(self._conn(), journal_id)

    # ---- invoices ----------------------------------------------------------------------------

    def upsert_invoice(self, inv: InvoiceRecord) -> int:
        """Merge a report into its invoice's row (store/identity.py); returns the row's id."""
        return self.merge_invoice(inv).id

    def merge_invoice(self, inv: InvoiceRecord) -> Upserted:
        """As upsert_invoice, and says whether the report was new, merged, a mismatch or a
        conflict (records.Upserted)."""
        with self._write() as conn:
            return invoices.upsert(conn, self._now(), inv)

    def set_red_status(self, invoice_id: int, red_status: str) -> None:
        with self._write() as conn:
            invoices.set_red_status(conn, self._now(), invoice_id, red_status)

    def invoice_sightings(self, invoice_id: int) -> list[Sighting]:
        """The accounts that issued or listed the invoice, first seen first."""
        return identity.sightings(self._conn(), invoice_id)

    def invoice_reports(self, invoice_id: int) -> list[InvoiceReport]:
        """Reports not applied as they came (mismatch, conflict) and merged duplicates."""
        return identity.reports(self._conn(), invoice_id)

    def get_invoice(self, invoice_id: int) -> InvoiceRow | None:
        return invoices.get(self._conn(), invoice_id)

    def invoice_by_number(self, number: str, profile: str | None = None) -> InvoiceRow | None:
        return invoices.by_number(self._conn(), number, profile)

    def invoice_by_serial_unnumbered(self, serial: str, profile: str) -> InvoiceRow | None:
        """An issued invoice whose number is still to be found (号码待查), by our serial."""
        return invoices.by_serial_unnumbered(self._conn(), serial, profile)

    def query_invoices(
        self,
        flt: InvoiceFilter,
        sort: str = "issued_at",
        descending: bool = True,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> list[InvoiceRow]:
        """One keyset page; `after` is `last_row.sort_key(sort)` of the previous page."""
        return invoices.query(self._conn(), flt, sort, descending, after, limit)

    def table_rows(
        self,
        flt: InvoiceFilter,
        sort: str = "issued_at",
        descending: bool = True,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> list[tuple[Any, ...]]:
        """query_invoices as plain tuples of invoices.TABLE_COLUMNS (money in cents), for the
        history table: cheap to build in a worker thread."""
        return invoices.table_rows(self._conn(), flt, sort, descending, after, limit)

    def invoice_summary(
        self, flt: InvoiceFilter, stop: Callable[[], bool] | None = None
    ) -> InvoiceSummary:
        """Count and totals of a filter. With `stop`, the query ends early raising
        invoices.Interrupted once stop() is True (the caller moved on)."""
        return invoices.summary(self._conn(), flt, stop)

    def red_invoices_of(self, blue_number: str) -> list[InvoiceRow]:
        """The red invoices that reverse the blue invoice `blue_number`, oldest first."""
        return invoices.reds_of(self._conn(), blue_number)
