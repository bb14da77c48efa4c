"""Schema v9 (issue 14): one invoice, one row.

Adds the seller's tax ID and a flag to invoices, the accounts that have seen each invoice
(`invoice_sightings`) and the reports that were not applied (`invoice_reports`), then upgrades
the rows written by earlier versions:
- dates: v1-v8 stored this computer's local time without an offset (a date-only value read as
  Beijing midnight, then shown as local time). Each is read back as local time - the migration
  runs on the computer that wrote them - and stored in Beijing time with its offset; Beijing
  midnight becomes the bare date it came from.
- status: one vocabulary (domain/invoice_status.py); the text as reported stays in the sightings.
- duplicates: rows with the same seller and number merge into one (the issued row, else the
  oldest), keeping the richest data (lines, buyer fields, files, draft, serial, a time over a
  date). Each merged row is kept whole as a "merged" report of the row it went into, so
  nothing is lost; a row that is another invoice under the same number is kept as a conflict
  report and the kept row is flagged, as a sync would do today.
Pre-migration backup: Store.open copies the file first, as for every migration.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from invoicedesk.domain.invoice_status import status_word
from invoicedesk.store import identity
from invoicedesk.store.money import from_cents
from invoicedesk.store.records import FLAG_CONFLICT, FLAG_MISMATCH, InvoiceRecord

BEIJING = dt.timezone(dt.timedelta(hours=8))

DDL = """
ALTER TABLE invoices ADD COLUMN seller_tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN flag TEXT NOT NULL DEFAULT '';
CREATE TABLE invoice_sightings (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    profile    TEXT NOT NULL,
    vendor     TEXT NOT NULL,
    source     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    PRIMARY KEY (invoice_id, profile)
) WITHOUT ROWID;
CREATE INDEX ix_invoice_sightings_profile ON invoice_sightings(profile, invoice_id);
CREATE TABLE invoice_reports (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('mismatch', 'conflict', 'merged')),
    profile       TEXT NOT NULL,
    at            TEXT NOT NULL,
    stored_json   TEXT NOT NULL,
    reported_json TEXT NOT NULL,
    -- what makes two reports the same report (identity.report_facts): kept once per account
    facts         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_invoice_reports_invoice ON invoice_reports(invoice_id, id);
CREATE INDEX ix_invoices_flag ON invoices(flag) WHERE flag <> '';
"""

UNIQUE = """
DROP INDEX ux_invoices_number;
CREATE UNIQUE INDEX ux_invoices_number ON invoices(seller_tax_id, number) WHERE number <> '';
"""


def beijing_text(stored: str) -> str:
    """A v8 issued_at (local time, no offset) as v9 stores it (module doc)."""
    if not stored:
        return ""
    try:
        when = dt.datetime.fromisoformat(stored)
    except ValueError:
        return stored  # not a date we wrote: kept as it is rather than guessed at
    if when.tzinfo is None:
        when = when.astimezone()  # naive = this computer's local time
    when = when.astimezone(BEIJING)
    if when.time() == dt.time(0):
        return when.date().isoformat()
    return when.isoformat()


def _status(status: str, number: str) -> str:
    return status_word(status, has_number=bool(number))


def upgrade(conn: sqlite3.Connection, statements: Any) -> None:
    for statement in statements(DDL):
        conn.execute(statement)
    conn.execute(
        "UPDATE invoices SET seller_tax_id = COALESCE((SELECT seller_tax_id FROM profiles "
        "WHERE profiles.name = invoices.profile), '')"
    )
    # the sightings keep each platform's status as it was reported
    conn.execute(
        "INSERT INTO invoice_sightings (invoice_id, profile, vendor, source, status, first_seen, "
        "last_seen) SELECT id, profile, vendor, source, status, created_at, updated_at "
        "FROM invoices"
    )
    # one statement over all rows (a million-row history upgrades in seconds, not minutes)
    conn.create_function("v9_beijing", 1, beijing_text, deterministic=True)
    conn.create_function("v9_status", 2, _status, deterministic=True)
    conn.execute(
        "UPDATE invoices SET issued_at = v9_beijing(issued_at), status = v9_status(status, number) "
        "WHERE issued_at <> v9_beijing(issued_at) OR status <> v9_status(status, number)"
    )
    _merge_duplicates(conn)
    for statement in statements(UNIQUE):
        conn.execute(statement)


def _merge_duplicates(conn: sqlite3.Connection) -> None:
    groups = conn.execute(
        "SELECT seller_tax_id, number FROM invoices WHERE number <> '' "
        "GROUP BY seller_tax_id, number HAVING COUNT(*) > 1"
    ).fetchall()
    for seller, number in groups:
        ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM invoices WHERE seller_tax_id = ? AND number = ? "
                "ORDER BY source <> 'issued', id",
                (seller, number),
            )
        ]
        keeper = ids[0]
        for other in ids[1:]:
            _merge_into(conn, keeper, other)


def _as_record(row: dict[str, Any]) -> InvoiceRecord:
    return InvoiceRecord(
        profile=row["profile"],
        vendor=row["vendor"],
        number=row["number"] or None,
        serial=row["serial"] or None,
        issued_at=row["issued_at"],
        amount=from_cents(row["amount_cents"]),
        tax=from_cents(row["tax_cents"]),
        total=from_cents(row["total_cents"]),
        color="red" if row["color"] == "red" else "blue",
        blue_number=row["blue_number"] or None,
        invoice_type=row["invoice_type"],
        buyer_name=row["buyer_name"],
        buyer_tax_id=row["buyer_tax_id"],
        status=row["status"],
        red_status=row["red_status"],
        draft_id=row["draft_id"],
        source="issued" if row["source"] == "issued" else "synced",
        seller_tax_id=row["seller_tax_id"],
    )


def _merge_into(conn: sqlite3.Connection, keeper: int, other: int) -> None:
    kept = identity.stored_row(conn, keeper)
    gone = identity.stored_row(conn, other)
    now = conn.execute("SELECT updated_at FROM invoices WHERE id = ?", (other,)).fetchone()[0]
    verdict = identity.judge(kept, _as_record(gone))
    snapshot = identity.row_dict(conn, other)
    if verdict == FLAG_CONFLICT:
        identity.add_report(
            conn, now, keeper, verdict, gone["profile"], identity.row_dict(conn, keeper), snapshot
        )
        conn.execute("DELETE FROM invoices WHERE id = ?", (other,))
        return
    if verdict == FLAG_MISMATCH:
        identity.add_report(
            conn, now, keeper, verdict, gone["profile"], identity.row_dict(conn, keeper), snapshot
        )
    identity.add_report(conn, now, keeper, "merged", gone["profile"], {}, snapshot)
    changes = identity.merged_values(kept, _as_record(gone))
    if verdict == FLAG_MISMATCH:
        changes = {k: v for k, v in changes.items() if k not in ("amount_cents", "tax_cents")}
    # the kept row's account stays (it is the issuing one when there is one)
    changes = {k: v for k, v in changes.items() if k not in ("profile", "vendor", "source")}
    if "number" in changes or "serial" in changes:
        changes.pop("serial", None)  # the other row's serial belongs to its own journal row
    if changes:
        sets = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(f"UPDATE invoices SET {sets} WHERE id = ?", (*changes.values(), keeper))
    has_lines = conn.execute(
        "SELECT 1 FROM invoice_lines WHERE invoice_id = ? LIMIT 1", (keeper,)
    ).fetchone()
    if not has_lines:
        conn.execute(
            "UPDATE invoice_lines SET invoice_id = ? WHERE invoice_id = ?", (keeper, other)
        )
    conn.execute("UPDATE OR IGNORE files SET invoice_id = ? WHERE invoice_id = ?", (keeper, other))
    conn.execute(
        "INSERT OR IGNORE INTO invoice_sightings SELECT ?, profile, vendor, source, status, "
        "first_seen, last_seen FROM invoice_sightings WHERE invoice_id = ?",
        (keeper, other),
    )
    conn.execute("DELETE FROM invoices WHERE id = ?", (other,))
