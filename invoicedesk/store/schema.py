"""Schema as an ordered list of migration steps; PRAGMA user_version = steps applied.

Each step upgrades version N-1 to N in one transaction and is never edited once released:
later changes (batches, red forms, ...) are appended as new steps. tests/store/test_migrations.py
builds a database at every earlier version and upgrades it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from invoicedesk.store import v9, v10

# v1: the core tables. Sortable/filterable history text columns are NOT NULL DEFAULT '' so that
# keyset paging compares plain values (NULLs would need special cases in every row comparison).
_V1 = """
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE profiles (
    name          TEXT PRIMARY KEY,
    vendor        TEXT NOT NULL,
    base_url      TEXT NOT NULL,
    seller_name   TEXT NOT NULL DEFAULT '',
    seller_tax_id TEXT NOT NULL DEFAULT '',
    user_name     TEXT NOT NULL DEFAULT '',
    options_json  TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE drafts (
    id          TEXT PRIMARY KEY,
    json        TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    buyer_name  TEXT NOT NULL DEFAULT '',
    total_cents INTEGER,
    status      TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'pending', 'issued', 'deleted')),
    serial_no   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX ix_drafts_status ON drafts(status, updated_at);
CREATE TABLE journal (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    profile        TEXT NOT NULL,
    serial         TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT 'blue',
    draft_id       TEXT REFERENCES drafts(id) ON DELETE SET NULL,
    content_hash   TEXT NOT NULL,
    draft_json     TEXT NOT NULL,
    state          TEXT NOT NULL
                   CHECK (state IN ('SENDING', 'ISSUED', 'ACCEPTED', 'REJECTED', 'UNKNOWN')),
    invoice_number TEXT,
    invoice_date   TEXT,
    error_code     TEXT,
    error_message  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (profile, serial)
);
CREATE INDEX ix_journal_state ON journal(state);
CREATE INDEX ix_journal_content ON journal(profile, content_hash, id);
CREATE INDEX ix_journal_draft ON journal(draft_id);
CREATE TABLE journal_events (
    id         INTEGER PRIMARY KEY,
    journal_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    at         TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_journal_events_journal ON journal_events(journal_id, id);
CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    profile      TEXT NOT NULL,
    vendor       TEXT NOT NULL,
    number       TEXT NOT NULL DEFAULT '',
    serial       TEXT NOT NULL DEFAULT '',
    issued_at    TEXT NOT NULL DEFAULT '',
    color        TEXT NOT NULL DEFAULT 'blue' CHECK (color IN ('blue', 'red')),
    blue_number  TEXT NOT NULL DEFAULT '',
    invoice_type TEXT NOT NULL DEFAULT '',
    buyer_name   TEXT NOT NULL DEFAULT '',
    buyer_tax_id TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL,
    tax_cents    INTEGER NOT NULL,
    total_cents  INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT '',
    red_status   TEXT NOT NULL DEFAULT '',
    draft_id     TEXT REFERENCES drafts(id) ON DELETE SET NULL,
    source       TEXT NOT NULL DEFAULT 'issued' CHECK (source IN ('issued', 'synced')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (number <> '' OR serial <> '')
);
CREATE UNIQUE INDEX ux_invoices_number ON invoices(profile, number) WHERE number <> '';
CREATE UNIQUE INDEX ux_invoices_serial ON invoices(profile, serial)
    WHERE number = '' AND serial <> '';
CREATE INDEX ix_invoices_serial ON invoices(profile, serial);
CREATE TABLE invoice_lines (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'normal',
    name         TEXT NOT NULL,
    tax_code     TEXT NOT NULL DEFAULT '',
    spec         TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    quantity     TEXT,
    unit_price   TEXT,
    amount_cents INTEGER NOT NULL,
    tax_rate     TEXT NOT NULL,
    tax_cents    INTEGER NOT NULL,
    UNIQUE (invoice_id, line_no)
);
"""

# v2: history at scale. One (column, id) index per sortable column: id is the unique tiebreak
# that keyset paging needs, in both directions. Buyer substring search goes through an FTS5
# trigram index kept in sync by triggers (external content: no second copy of the text).
_SORTED = (
    "issued_at", "number", "color", "invoice_type", "buyer_name", "buyer_tax_id",
    "amount_cents", "tax_cents", "total_cents", "status", "red_status", "profile",
)  # fmt: skip
_V2 = (
    "".join(f"CREATE INDEX ix_invoices_{c} ON invoices({c}, id);\n" for c in _SORTED)
    + """
CREATE VIRTUAL TABLE invoices_fts USING fts5(
    buyer_name, buyer_tax_id, content='invoices', content_rowid='id', tokenize='trigram'
);
INSERT INTO invoices_fts(rowid, buyer_name, buyer_tax_id)
    SELECT id, buyer_name, buyer_tax_id FROM invoices;
CREATE TRIGGER invoices_fts_ai AFTER INSERT ON invoices BEGIN
    INSERT INTO invoices_fts(rowid, buyer_name, buyer_tax_id)
        VALUES (new.id, new.buyer_name, new.buyer_tax_id);
END;
CREATE TRIGGER invoices_fts_ad AFTER DELETE ON invoices BEGIN
    INSERT INTO invoices_fts(invoices_fts, rowid, buyer_name, buyer_tax_id)
        VALUES ('delete', old.id, old.buyer_name, old.buyer_tax_id);
END;
CREATE TRIGGER invoices_fts_au AFTER UPDATE OF buyer_name, buyer_tax_id ON invoices BEGIN
    INSERT INTO invoices_fts(invoices_fts, rowid, buyer_name, buyer_tax_id)
        VALUES ('delete', old.id, old.buyer_name, old.buyer_tax_id);
    INSERT INTO invoices_fts(rowid, buyer_name, buyer_tax_id)
        VALUES (new.id, new.buyer_name, new.buyer_tax_id);
END;
"""
)

# v3: downloaded files, sync cursors, and the append-only audit log.
_V3 = """
CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (invoice_id, kind, sha256)
);
CREATE INDEX ix_files_sha256 ON files(sha256);
CREATE TABLE sync_cursors (
    profile    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (profile, kind)
);
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,
    profile     TEXT,
    vendor      TEXT,
    endpoint    TEXT,
    serial      TEXT,
    outcome     TEXT,
    duration_ms INTEGER,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_audit_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- INSERT OR REPLACE deletes the old row without firing DELETE triggers (unless
-- recursive_triggers is on), so an insert onto an existing id is refused as well
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = new.id) BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
"""

# v4: customer and product catalogs (the draft editor's completers).
_V4 = """
CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    tax_id     TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    bank       TEXT NOT NULL DEFAULT '',
    account    TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_customers_name ON customers(name);
CREATE TABLE products (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    tax_code   TEXT NOT NULL DEFAULT '',
    spec       TEXT NOT NULL DEFAULT '',
    unit       TEXT NOT NULL DEFAULT '',
    unit_price TEXT,
    tax_rate   TEXT,
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_products_name ON products(name);
"""

# v5: red-letter cases (one per wizard run against a blue invoice): the chosen reason and lines,
# the form applied for, the red invoice. Serials are kept so a resumed step reuses them.
_V5 = """
CREATE TABLE red_forms (
    id           INTEGER PRIMARY KEY,
    profile      TEXT NOT NULL,
    vendor       TEXT NOT NULL,
    blue_number  TEXT NOT NULL,
    step         TEXT NOT NULL,
    check_ok     INTEGER,
    check_message TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    full         INTEGER NOT NULL DEFAULT 1,
    lines_json   TEXT NOT NULL DEFAULT '[]',
    form_serial  TEXT NOT NULL DEFAULT '',
    form_no      TEXT NOT NULL DEFAULT '',
    form_uuid    TEXT NOT NULL DEFAULT '',
    form_status  TEXT NOT NULL DEFAULT '',
    applied_at   TEXT NOT NULL DEFAULT '',
    issue_serial TEXT NOT NULL DEFAULT '',
    red_number   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX ix_red_forms_blue ON red_forms(profile, blue_number, id);
CREATE INDEX ix_red_forms_step ON red_forms(step);
"""

# v6: batches (issue 9): one row per imported batch and one per draft in it, so that the batch
# page reopens where it was after a crash. Each item keeps the serial and journal row it was
# sent with; the journal stays the authority on what was issued.
_V6 = """
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    profile     TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'ready'
                CHECK (state IN ('ready', 'running', 'paused', 'cancelled', 'done')),
    vendor_batch_no TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE batch_items (
    id             INTEGER PRIMARY KEY,
    batch_id       INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    draft_label      TEXT NOT NULL DEFAULT '',
    draft_json     TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'waiting'
                   CHECK (state IN ('waiting', 'sending', 'issued', 'rejected', 'unknown',
                                    'skipped')),
    serial         TEXT NOT NULL DEFAULT '',
    journal_id     INTEGER,
    invoice_number TEXT NOT NULL DEFAULT '',
    invoice_date   TEXT NOT NULL DEFAULT '',
    total_cents    INTEGER,
    error_code     TEXT NOT NULL DEFAULT '',
    error_message  TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    UNIQUE (batch_id, position)
);
CREATE INDEX ix_batch_items_state ON batch_items(batch_id, state);
"""

# v7: history at scale, part two. A filter on one of the few-valued columns (colour, status,
# account, type) with the default sort by date walks one (column, issued_at, id) index in order
# and stops after a page, instead of reading every match and sorting it. Red invoices are found
# from their blue one by blue_number (the details panel lists them).
_V7 = (
    "".join(
        f"CREATE INDEX ix_invoices_{c}_issued ON invoices({c}, issued_at, id);\n"
        for c in ("color", "status", "profile", "invoice_type")
    )
    + "CREATE INDEX ix_invoices_blue_number ON invoices(blue_number) WHERE blue_number <> '';\n"
)

# v8: history at scale, part three.
# - ix_invoices_kinds: several equality filters at once (状态 + 类型 + 账户 ...) seek straight
#   to their matches in one index instead of checking a wide single-column run row by row.
# - invoice_totals: count and sums per (account, colour, status, type, day), kept by triggers,
#   so the totals above the table for any filter of those and a date range add up a few
#   thousand rows instead of reading a million invoices. Day granularity is exact because the
#   date filter is by whole days.
_TOTALS_KEY = "profile, color, status, invoice_type, day"
_TOTALS_ADD = """
    INSERT INTO invoice_totals (profile, color, status, invoice_type, day, n, amount_cents,
                                tax_cents, total_cents)
    VALUES (new.profile, new.color, new.status, new.invoice_type, substr(new.issued_at, 1, 10),
            1, new.amount_cents, new.tax_cents, new.total_cents)
    ON CONFLICT (profile, color, status, invoice_type, day) DO UPDATE SET
        n = n + 1, amount_cents = amount_cents + excluded.amount_cents,
        tax_cents = tax_cents + excluded.tax_cents,
        total_cents = total_cents + excluded.total_cents;"""
_TOTALS_SUB = """
    UPDATE invoice_totals SET n = n - 1, amount_cents = amount_cents - old.amount_cents,
        tax_cents = tax_cents - old.tax_cents, total_cents = total_cents - old.total_cents
    WHERE profile = old.profile AND color = old.color AND status = old.status
      AND invoice_type = old.invoice_type AND day = substr(old.issued_at, 1, 10);"""
_V8 = f"""
CREATE INDEX ix_invoices_kinds ON invoices(status, invoice_type, profile, color);
CREATE TABLE invoice_totals (
    profile      TEXT NOT NULL,
    color        TEXT NOT NULL,
    status       TEXT NOT NULL,
    invoice_type TEXT NOT NULL,
    day          TEXT NOT NULL,
    n            INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    tax_cents    INTEGER NOT NULL,
    total_cents  INTEGER NOT NULL,
    PRIMARY KEY ({_TOTALS_KEY})
) WITHOUT ROWID;
INSERT INTO invoice_totals
    SELECT profile, color, status, invoice_type, substr(issued_at, 1, 10), COUNT(*),
           SUM(amount_cents), SUM(tax_cents), SUM(total_cents)
    FROM invoices GROUP BY profile, color, status, invoice_type, substr(issued_at, 1, 10);
CREATE TRIGGER invoices_totals_ai AFTER INSERT ON invoices BEGIN{_TOTALS_ADD}
END;
CREATE TRIGGER invoices_totals_ad AFTER DELETE ON invoices BEGIN{_TOTALS_SUB}
END;
CREATE TRIGGER invoices_totals_au AFTER UPDATE OF profile, color, status, invoice_type,
    issued_at, amount_cents, tax_cents, total_cents ON invoices BEGIN{_TOTALS_SUB}{_TOTALS_ADD}
END;
"""


def _v9(conn: sqlite3.Connection) -> None:
    v9.upgrade(conn, statements)


def _v10(conn: sqlite3.Connection) -> None:
    v10.upgrade(conn, statements)


# index i holds the step that upgrades version i to version i + 1: a script, or for steps that
# must rewrite rows, a function run inside the step's transaction
Step = str | Callable[[sqlite3.Connection], None]
STEPS: tuple[Step, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _v9, _v10)
CURRENT_VERSION = len(STEPS)


class SchemaTooNew(Exception):
    """The file was written by a newer InvoiceDesk; refuse rather than guess."""


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def statements(script: str) -> list[str]:
    """Split a script into complete statements (sqlite3.complete_statement knows triggers)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement: {buf.strip()[:80]}")
    return out


def migrate(conn: sqlite3.Connection, target: int = CURRENT_VERSION) -> int:
    """Apply the steps from the current user_version up to `target`, one transaction each.

    `conn` must be in autocommit mode (isolation_level=None). Returns the new version. DDL and
    user_version are transactional in SQLite, so a failing step leaves the previous version
    intact; the version is re-read inside BEGIN IMMEDIATE so that two processes opening the
    same file at once do not both apply a step."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version(conn)
            if current > CURRENT_VERSION:
                raise SchemaTooNew(f"database schema {current} is newer than {CURRENT_VERSION}")
            if current >= target:
                conn.execute("COMMIT")
                return current
            step = STEPS[current]
            if isinstance(step, str):
                for statement in statements(step):
                    conn.execute(statement)
            else:
                step(conn)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
