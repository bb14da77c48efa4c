"""One invoice, one row: how a report about an invoice finds its row and merges into it.

An invoice is identified by its number and its seller's tax ID, whichever account issued or
listed it. Every report (the issue reply, a reconciliation, each account's sync) merges into
that one row; `invoice_sightings` remembers which accounts have seen it.

A report is judged against the stored row before anything is applied:
- another buyer, another issue day or another colour under the same number is another invoice
  (a CONFLICT): the stored row stays as it is, the report is kept in `invoice_reports`;
- the same invoice with other figures is a MISMATCH: the stored figures stay, the row is
  flagged, both versions are kept in `invoice_reports`;
- otherwise the row keeps the richest data: lines, buyer fields, a time over a bare date,
  the issuing account, and the platform's latest status.

A report that carries only the total (tax 0 and amount = total: what the clients fill in when
the reply has no split) is compared on its total only, and never replaces a stored split.

A row without a number yet (FAW orders, ws-invoice's "号码待查") is keyed by its journal serial.
It receives the number when a report names the same serial (reconciliation), or, from a sync
(which does not know our serials), when exactly that seller's oldest unnumbered row has the same
buyer tax ID, colour and total.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from invoicedesk.domain.invoice_status import status_word
from invoicedesk.store.money import from_cents, to_cents
from invoicedesk.store.records import (
    FLAG_CONFLICT,
    FLAG_MISMATCH,
    InvoiceRecord,
    InvoiceReport,
    Sighting,
)

# the invoices columns a judgement and a merge read, in this order
STORED = (
    "id, profile, vendor, number, serial, issued_at, color, blue_number, invoice_type, "
    "buyer_name, buyer_tax_id, amount_cents, tax_cents, total_cents, status, red_status, "
    "draft_id, source, seller_tax_id, flag"
)
_NAMES = [c.strip() for c in STORED.split(",")]


def stored_row(conn: sqlite3.Connection, invoice_id: int) -> dict[str, Any]:
    r = conn.execute(f"SELECT {STORED} FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    return dict(zip(_NAMES, r, strict=True))


def find(conn: sqlite3.Connection, inv: InvoiceRecord) -> int | None:
    """The row this record is about (module doc), or None for a new invoice."""
    if inv.number:
        r = conn.execute(
            "SELECT id FROM invoices WHERE seller_tax_id = ? AND number = ?",
            (inv.seller_tax_id, inv.number),
        ).fetchone()
        if r:
            return int(r[0])
    if inv.serial:
        r = conn.execute(
            "SELECT id FROM invoices WHERE profile = ? AND serial = ? AND (number = '' OR ? = '') "
            "ORDER BY id LIMIT 1",
            (inv.profile, inv.serial, inv.number or ""),
        ).fetchone()
        if r:
            return int(r[0])
    if inv.number and inv.source == "synced" and inv.buyer_tax_id:
        r = conn.execute(
            "SELECT id FROM invoices WHERE number = '' AND seller_tax_id = ? AND buyer_tax_id = ? "
            "AND color = ? AND total_cents = ? ORDER BY id LIMIT 1",
            (inv.seller_tax_id, inv.buyer_tax_id, inv.color, to_cents(inv.total)),
        ).fetchone()
        if r:
            return int(r[0])
    return None


def total_only(amount_cents: int, tax_cents: int, total_cents: int) -> bool:
    return tax_cents == 0 and amount_cents == total_cents


def _differs(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a != b


def judge(stored: dict[str, Any], inv: InvoiceRecord) -> str:
    """ "same", FLAG_MISMATCH or FLAG_CONFLICT (module doc)."""
    if stored["number"] and inv.number and stored["number"] != inv.number:
        return FLAG_CONFLICT  # an unnumbered row matched by serial cannot get another number
    if stored["color"] != inv.color:
        return FLAG_CONFLICT
    if stored["buyer_tax_id"] and inv.buyer_tax_id:
        if stored["buyer_tax_id"] != inv.buyer_tax_id:
            return FLAG_CONFLICT
    elif _differs(stored["buyer_name"], inv.buyer_name):
        return FLAG_CONFLICT
    if _differs(stored["issued_at"][:10], inv.issued_at[:10]):
        return FLAG_CONFLICT
    if not stored["number"] and inv.number:
        # a row still without its number holds the draft's figures: the first report of the
        # numbered invoice is the platform's own (the journal warns when they differ)
        return "same"
    amount, tax, total = to_cents(inv.amount), to_cents(inv.tax), to_cents(inv.total)
    if total != stored["total_cents"]:
        return FLAG_MISMATCH
    split_known = not total_only(amount, tax, total)
    stored_split_known = not total_only(
        stored["amount_cents"], stored["tax_cents"], stored["total_cents"]
    )
    if (
        split_known
        and stored_split_known
        and (amount, tax)
        != (
            stored["amount_cents"],
            stored["tax_cents"],
        )
    ):
        return FLAG_MISMATCH
    return "same"


def merged_values(stored: dict[str, Any], inv: InvoiceRecord) -> dict[str, Any]:
    """The columns that change when `inv` (judged "same") merges into `stored`."""
    out: dict[str, Any] = {}
    issued = inv.source == "issued"
    if issued and stored["source"] != "issued":
        # the issuing account owns the row (its 账户 column, red letters go through it)
        out.update(profile=inv.profile, vendor=inv.vendor, source="issued")
    if inv.number and not stored["number"]:
        out["number"] = inv.number
    if inv.serial and not stored["serial"]:
        out["serial"] = inv.serial
    if inv.blue_number and not stored["blue_number"]:
        out["blue_number"] = inv.blue_number
    if inv.draft_id and not stored["draft_id"]:
        out["draft_id"] = inv.draft_id
    for column in ("invoice_type", "buyer_name", "buyer_tax_id", "seller_tax_id"):
        value = getattr(inv, column)
        if value and not stored[column]:
            out[column] = value
    # a time beats a bare date of the same day; a date beats nothing
    if len(inv.issued_at) > len(stored["issued_at"]):
        out["issued_at"] = inv.issued_at
    amount, tax, total = to_cents(inv.amount), to_cents(inv.tax), to_cents(inv.total)
    if inv.number and not stored["number"]:
        out.update(amount_cents=amount, tax_cents=tax, total_cents=total)  # see judge()
    elif total_only(stored["amount_cents"], stored["tax_cents"], stored["total_cents"]) and (
        not total_only(amount, tax, total)
    ):
        out.update(amount_cents=amount, tax_cents=tax)  # the platform's split, now known
    if inv.status:
        word = status_word(inv.status, has_number=bool(inv.number or stored["number"]))
        if word != stored["status"]:
            out["status"] = word
    elif inv.number and not stored["number"]:
        out["status"] = status_word("", has_number=True)
    if inv.red_status and inv.red_status != stored["red_status"]:
        out["red_status"] = inv.red_status
    return {k: v for k, v in out.items() if stored[k] != v}


def record_dict(inv: InvoiceRecord) -> dict[str, Any]:
    """A report as kept in invoice_reports (money as exact text)."""
    return {
        "profile": inv.profile,
        "vendor": inv.vendor,
        "number": inv.number or "",
        "serial": inv.serial or "",
        "issued_at": inv.issued_at,
        "color": inv.color,
        "invoice_type": inv.invoice_type,
        "buyer_name": inv.buyer_name,
        "buyer_tax_id": inv.buyer_tax_id,
        "amount": str(inv.amount),
        "tax": str(inv.tax),
        "total": str(inv.total),
        "status": inv.status,
        "source": inv.source,
        "lines": [
            {
                "name": x.name,
                "amount": str(x.amount),
                "tax_rate": str(x.tax_rate),
                "tax": str(x.tax),
            }
            for x in inv.lines
        ],
    }


def row_dict(conn: sqlite3.Connection, invoice_id: int) -> dict[str, Any]:
    """The stored row as kept in invoice_reports: its columns (money as text), lines and files."""
    row = stored_row(conn, invoice_id)
    out = {k: v for k, v in row.items() if not k.endswith("_cents")}
    for k in ("amount", "tax", "total"):
        out[k] = str(from_cents(row[f"{k}_cents"]))
    out["lines"] = [
        {
            "name": r[0],
            "amount": str(from_cents(r[1])),
            "tax_rate": r[2],
            "tax": str(from_cents(r[3])),
        }
        for r in conn.execute(
            "SELECT name, amount_cents, tax_rate, tax_cents FROM invoice_lines "
            "WHERE invoice_id = ? ORDER BY line_no",
            (invoice_id,),
        )
    ]
    out["files"] = [
        {"kind": r[0], "path": r[1], "sha256": r[2]}
        for r in conn.execute(
            "SELECT kind, path, sha256 FROM files WHERE invoice_id = ? ORDER BY id", (invoice_id,)
        )
    ]
    return out


def report_facts(reported: dict[str, Any]) -> str:
    """The facts a judgement rests on: a list page and a detail read of the same invoice (one
    with lines, one without) are one report."""
    facts = ("number", "color", "amount", "tax", "total")
    return json.dumps(
        [reported.get(k, "") for k in facts] + [str(reported.get("issued_at", ""))[:10]],
        ensure_ascii=False,
    )


def known_conflict(conn: sqlite3.Connection, invoice_id: int, inv: InvoiceRecord) -> bool:
    """Whether a report without buyer fields is the other invoice of a conflict already kept
    (same total and day): it is that invoice again, not new figures for this one."""
    for (reported,) in conn.execute(
        "SELECT reported_json FROM invoice_reports WHERE invoice_id = ? AND kind = ?",
        (invoice_id, FLAG_CONFLICT),
    ):
        other = json.loads(reported)
        if other.get("total") == str(inv.total) and not _differs(
            str(other.get("issued_at", ""))[:10], inv.issued_at[:10]
        ):
            return True
    return False


def add_report(
    conn: sqlite3.Connection,
    now: str,
    invoice_id: int,
    kind: str,
    profile: str,
    stored: dict[str, Any],
    reported: dict[str, Any],
) -> bool:
    """Keep a report beside the row (and flag it for a mismatch or conflict). The same report
    from the same account again (every sync lists it) is kept once: returns False then."""
    key = report_facts(reported)
    known = conn.execute(
        "SELECT 1 FROM invoice_reports WHERE invoice_id = ? AND kind = ? AND profile = ? "
        "AND facts = ?",
        (invoice_id, kind, profile, key),
    ).fetchone()
    if known:
        return False
    conn.execute(
        "INSERT INTO invoice_reports (invoice_id, kind, profile, at, stored_json, reported_json, "
        "facts) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            invoice_id,
            kind,
            profile,
            now,
            json.dumps(stored, ensure_ascii=False, sort_keys=True),
            json.dumps(reported, ensure_ascii=False, sort_keys=True),
            key,
        ),
    )
    if kind in (FLAG_MISMATCH, FLAG_CONFLICT):
        # a conflict outranks a mismatch: it is the one the user must look at first
        conn.execute(
            "UPDATE invoices SET flag = CASE WHEN flag = ? THEN flag ELSE ? END WHERE id = ?",
            (FLAG_CONFLICT, kind, invoice_id),
        )
    return True


def add_sighting(conn: sqlite3.Connection, now: str, invoice_id: int, inv: InvoiceRecord) -> None:
    conn.execute(
        "INSERT INTO invoice_sightings (invoice_id, profile, vendor, source, status, first_seen, "
        "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (invoice_id, profile) DO UPDATE SET "
        "source = CASE WHEN source = 'issued' THEN source ELSE excluded.source END, "
        "status = CASE WHEN excluded.status <> '' THEN excluded.status ELSE status END, "
        "last_seen = excluded.last_seen",
        (invoice_id, inv.profile, inv.vendor, inv.source, inv.status, now, now),
    )


# ---- reading what was recorded ----


def sightings(conn: sqlite3.Connection, invoice_id: int) -> list[Sighting]:
    return [
        Sighting(*r)
        for r in conn.execute(
            "SELECT profile, vendor, source, status, first_seen, last_seen FROM invoice_sightings "
            "WHERE invoice_id = ? ORDER BY first_seen, profile",
            (invoice_id,),
        )
    ]


def reports(conn: sqlite3.Connection, invoice_id: int) -> list[InvoiceReport]:
    return [
        InvoiceReport(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), json.loads(r[6]))
        for r in conn.execute(
            "SELECT id, invoice_id, kind, profile, at, stored_json, reported_json "
            "FROM invoice_reports WHERE invoice_id = ? ORDER BY id",
            (invoice_id,),
        )
    ]
