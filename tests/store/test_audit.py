"""The audit log is append-only, and the schema has nowhere to put a secret."""

from __future__ import annotations

import re
import sqlite3

import pytest

from invoicedesk.store import Store
from tests.store.beside import beside


def test_audit_appends_and_reads_back(store: Store) -> None:
    a = store.audit(
        "issue",
        profile="p",
        vendor="baiwang",
        endpoint="/invoice/issue",
        serial="S1",
        outcome="ISSUED",
        duration_ms=412,
        detail="number=2531",
    )
    b = store.audit("login")
    rows = store.audit_rows()
    assert [r.id for r in rows] == [a, b]
    first = rows[0]
    assert (
        first.event,
        first.profile,
        first.vendor,
        first.endpoint,
        first.serial,
        first.outcome,
        first.duration_ms,
        first.detail,
    ) == (
        "issue",
        "p",
        "baiwang",
        "/invoice/issue",
        "S1",
        "ISSUED",
        412,
        "number=2531",
    )
    assert rows[1].profile is None and rows[1].detail == ""
    assert [r.id for r in store.audit_rows(since=rows[1].at)] == [b]
    assert store.audit_rows(since="9999") == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET detail = 'x'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
        "INSERT OR REPLACE INTO audit_log (id, at, event) VALUES (1, 'x', 'y')",
    ],
)
def test_audit_rows_cannot_be_changed_or_removed(store: Store, sql: str) -> None:
    store.audit("issue", detail="original")
    with beside(store) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(sql)
    assert [r.detail for r in store.audit_rows()] == ["original"]


SECRETISH = re.compile(r"pass|secret|token|(^|_)key($|_)|apikey|credential|bearer", re.I)


def test_no_column_is_named_like_a_secret(store: Store) -> None:
    with beside(store) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {f"{t}.{c[1]}" for t in tables for c in conn.execute(f"PRAGMA table_info('{t}')")}
    assert {"profiles", "settings", "journal", "audit_log", "invoices"} <= set(tables)
    assert "profiles.user_name" in columns  # the check does see columns
    assert [c for c in columns if SECRETISH.search(c.split(".", 1)[1])] == []
