"""The issuance journal (architecture.md "Issuing exactly once") as functions over a connection
already inside a write transaction. Store wraps them in its locking and transactions."""

from __future__ import annotations

import sqlite3

from invoicedesk.store.records import (
    JOURNAL_STATES,
    TRANSITIONS,
    DuplicateSerial,
    IllegalTransition,
    JournalEvent,
    JournalRow,
    NotFound,
    SendBlocked,
)

_COLUMNS = (
    "id, profile, serial, kind, draft_id, content_hash, draft_json, state, invoice_number, "
    "invoice_date, error_code, error_message, created_at, updated_at"
)


def _row(r: tuple[object, ...]) -> JournalRow:
    return JournalRow(*r)  # type: ignore[arg-type]


def begin_send(
    conn: sqlite3.Connection,
    now: str,
    *,
    draft_id: str | None,
    profile: str,
    serial: str,
    content_hash: str,
    draft_json: str,
    kind: str,
) -> int:
    if not serial:
        raise ValueError("serial is required")
    if conn.execute(
        "SELECT 1 FROM journal WHERE profile = ? AND serial = ?", (profile, serial)
    ).fetchone():
        raise DuplicateSerial(f"serial {serial!r} already used in profile {profile!r}")
    if draft_id is not None:
        if not conn.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone():
            raise NotFound(f"no draft {draft_id!r}")
        # a new serial only after the vendor said REJECTED: anything else may already be issued
        earlier = conn.execute(
            "SELECT id, state FROM journal WHERE draft_id = ? AND kind = ? AND state <> 'REJECTED'",
            (draft_id, kind),
        ).fetchone()
        if earlier:
            raise SendBlocked(
                f"draft {draft_id!r} has journal row {earlier[0]} in state {earlier[1]}"
            )
    cur = conn.execute(
        "INSERT INTO journal (profile, serial, kind, draft_id, content_hash, draft_json, state, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'SENDING', ?, ?)",
        (profile, serial, kind, draft_id, content_hash, draft_json, now, now),
    )
    journal_id = int(cur.lastrowid or 0)
    conn.execute(
        "INSERT INTO journal_events (journal_id, state, at, detail) VALUES (?, 'SENDING', ?, ?)",
        (journal_id, now, f"serial={serial}"),
    )
    if draft_id is not None:
        conn.execute(
            "UPDATE drafts SET serial_no = ?, updated_at = ? WHERE id = ?", (serial, now, draft_id)
        )
    return journal_id


def mark(
    conn: sqlite3.Connection,
    now: str,
    journal_id: int,
    state: str,
    *,
    invoice_number: str | None,
    invoice_date: str | None,
    error_code: str | None,
    error_message: str | None,
) -> None:
    if state not in JOURNAL_STATES:
        raise ValueError(f"unknown journal state {state!r}")
    found = conn.execute(
        "SELECT state, draft_id, kind FROM journal WHERE id = ?", (journal_id,)
    ).fetchone()
    if found is None:
        raise NotFound(f"no journal row {journal_id}")
    old, draft_id, kind = found
    if state not in TRANSITIONS[old]:
        raise IllegalTransition(f"journal {journal_id}: {old} -> {state} is not allowed")
    conn.execute(
        "UPDATE journal SET state = ?, invoice_number = COALESCE(?, invoice_number), "
        "invoice_date = COALESCE(?, invoice_date), error_code = ?, error_message = ?, "
        "updated_at = ? WHERE id = ?",
        (state, invoice_number, invoice_date, error_code, error_message, now, journal_id),
    )
    detail = "; ".join(
        f"{k}={v}"
        for k, v in (
            ("number", invoice_number),
            ("date", invoice_date),
            ("error_code", error_code),
            ("error", error_message),
        )
        if v
    )
    conn.execute(
        "INSERT INTO journal_events (journal_id, state, at, detail) VALUES (?, ?, ?, ?)",
        (journal_id, state, now, detail),
    )
    # the draft is done once its blue invoice exists; same transaction, so they never disagree
    if state == "ISSUED" and draft_id is not None and kind == "blue":
        conn.execute(
            "UPDATE drafts SET status = 'issued', updated_at = ? WHERE id = ?", (now, draft_id)
        )


def get(conn: sqlite3.Connection, journal_id: int) -> JournalRow | None:
    r = conn.execute(f"SELECT {_COLUMNS} FROM journal WHERE id = ?", (journal_id,)).fetchone()
    return None if r is None else _row(r)


def by_serial(conn: sqlite3.Connection, profile: str, serial: str) -> JournalRow | None:
    r = conn.execute(
        f"SELECT {_COLUMNS} FROM journal WHERE profile = ? AND serial = ?", (profile, serial)
    ).fetchone()
    return None if r is None else _row(r)


def unresolved(
    conn: sqlite3.Connection, profile: str | None, states: tuple[str, ...]
) -> list[JournalRow]:
    marks = ", ".join("?" * len(states))
    sql = f"SELECT {_COLUMNS} FROM journal WHERE state IN ({marks})"
    params: list[object] = list(states)
    if profile is not None:
        sql += " AND profile = ?"
        params.append(profile)
    return [_row(r) for r in conn.execute(sql + " ORDER BY id", params)]


def latest_for_content(
    conn: sqlite3.Connection, profile: str, content_hash: str
) -> JournalRow | None:
    r = conn.execute(
        f"SELECT {_COLUMNS} FROM journal WHERE profile = ? AND content_hash = ? "
        "ORDER BY id DESC LIMIT 1",
        (profile, content_hash),
    ).fetchone()
    return None if r is None else _row(r)


def events(conn: sqlite3.Connection, journal_id: int) -> list[JournalEvent]:
    return [
        JournalEvent(*r)
        for r in conn.execute(
            "SELECT state, at, detail FROM journal_events WHERE journal_id = ? ORDER BY id",
            (journal_id,),
        )
    ]


# An ISSUED blue row whose vendor answered "issued" without a number (ws-invoice's documented
# invoice_pdf) carries this error_code until the number is found; the row never leaves ISSUED.
NUMBER_PENDING = "number_pending"
# ...and, once found, this one when the platform's figures differ from the draft (the warning
# text is in error_message).
FIGURES_DIFFER = "figures_differ"


def number_pending(conn: sqlite3.Connection, profile: str | None) -> list[JournalRow]:
    sql = f"SELECT {_COLUMNS} FROM journal WHERE state = 'ISSUED' AND error_code = ?"
    params: list[object] = [NUMBER_PENDING]
    if profile is not None:
        sql += " AND profile = ?"
        params.append(profile)
    return [_row(r) for r in conn.execute(sql + " ORDER BY id", params)]


def fill_number(
    conn: sqlite3.Connection,
    now: str,
    journal_id: int,
    *,
    invoice_number: str,
    invoice_date: str | None,
    warning: str | None,
) -> None:
    """The number found for an ISSUED row (state unchanged), with the figures warning if any."""
    conn.execute(
        "UPDATE journal SET invoice_number = ?, invoice_date = COALESCE(?, invoice_date), "
        "error_code = ?, error_message = ?, updated_at = ? WHERE id = ? AND state = 'ISSUED'",
        (
            invoice_number,
            invoice_date,
            FIGURES_DIFFER if warning else None,
            warning,
            now,
            journal_id,
        ),
    )
    detail = f"number={invoice_number}" + (f"; warning={warning}" if warning else "")
    conn.execute(
        "INSERT INTO journal_events (journal_id, state, at, detail) VALUES (?, 'ISSUED', ?, ?)",
        (journal_id, now, detail),
    )
