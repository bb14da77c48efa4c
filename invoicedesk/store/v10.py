"""Schema v10 (issue 16): the tax treatments an invoice was issued with.

Adds a line's `tax_treatment` (免税, 不征税, ...) and the draft's `seller_type`, `rate_note` and
差额征税 (`deduction_mode`, `deduction_cents`) to the history, so that its detail, its export and
a red letter read them from the invoice itself. Rows written before v10 are filled from the
draft the journal kept for the same account and serial, where that draft has the fields and its
lines match the stored lines one for one; anything else stays ordinary ("" / NULL), which is
what an older version could have issued.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

DDL = """
ALTER TABLE invoice_lines ADD COLUMN tax_treatment TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN seller_type TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN rate_note TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN deduction_mode TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices ADD COLUMN deduction_cents INTEGER;
"""


def upgrade(conn: sqlite3.Connection, statements: Callable[[str], list[str]]) -> None:
    for statement in statements(DDL):
        conn.execute(statement)
    rows = conn.execute(
        "SELECT i.id, j.draft_json FROM invoices i JOIN journal j "
        "ON j.profile = i.profile AND j.serial = i.serial "
        "WHERE i.serial <> '' AND i.color = 'blue' AND j.kind = 'blue'"
    ).fetchall()
    for invoice_id, draft_json in rows:
        draft = _json_object(draft_json)
        if draft is not None:
            _fill(conn, invoice_id, draft)


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _cents(text: str) -> int | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int((value * 100).to_integral_value())


def _fill(conn: sqlite3.Connection, invoice_id: int, draft: dict[str, Any]) -> None:
    deduction = draft.get("deduction")
    mode, cents = "", None
    if isinstance(deduction, dict):
        mode = _text(deduction.get("mode"))
        cents = _cents(_text(deduction.get("amount")))
    conn.execute(
        "UPDATE invoices SET seller_type = ?, rate_note = ?, deduction_mode = ?, "
        "deduction_cents = ? WHERE id = ?",
        (_text(draft.get("seller_type")), _text(draft.get("rate_note")), mode, cents, invoice_id),
    )
    lines = draft.get("lines")
    if not isinstance(lines, list):
        return
    treatments = [_text(x.get("tax_treatment")) if isinstance(x, dict) else "" for x in lines]
    stored = conn.execute(
        "SELECT line_no FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no", (invoice_id,)
    ).fetchall()
    if len(stored) != len(treatments) or not any(treatments):
        return  # not the lines the draft had: leave them as they are rather than guess
    conn.executemany(
        "UPDATE invoice_lines SET tax_treatment = ? WHERE invoice_id = ? AND line_no = ?",
        [(t, invoice_id, n) for t, (n,) in zip(treatments, stored, strict=True)],
    )
