"""Invoice history: idempotent upsert, keyset-paged queries and sums, all filtering in SQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from invoicedesk.domain.invoice_status import status_word
from invoicedesk.store import identity
from invoicedesk.store.money import from_cents, to_cents
from invoicedesk.store.records import (
    FLAG_CONFLICT,
    FLAG_MISMATCH,
    MONEY_SORTS,
    SORT_COLUMNS,
    InvoiceFilter,
    InvoiceRecord,
    InvoiceRow,
    InvoiceSummary,
    LineRecord,
    Upserted,
)

_COLUMNS = (
    "id, profile, vendor, number, serial, issued_at, color, blue_number, invoice_type, "
    "buyer_name, buyer_tax_id, amount_cents, tax_cents, total_cents, status, red_status, "
    "draft_id, source, created_at, updated_at, seller_tax_id, flag, seller_type, rate_note, "
    "deduction_mode, deduction_cents"
)
# The history table's row, in this order (services.history_query.HistoryRow): read as plain
# tuples so that a worker thread spends almost no time holding the GIL per page.
TABLE_COLUMNS = (
    "id, issued_at, number, serial, color, invoice_type, buyer_name, buyer_tax_id, "
    "amount_cents, tax_cents, total_cents, status, red_status, profile, flag"
)


def _row(r: Any, lines: tuple[LineRecord, ...] = ()) -> InvoiceRow:
    return InvoiceRow(
        id=r[0],
        profile=r[1],
        vendor=r[2],
        number=r[3] or None,
        serial=r[4] or None,
        issued_at=r[5],
        color=r[6],
        blue_number=r[7] or None,
        invoice_type=r[8],
        buyer_name=r[9],
        buyer_tax_id=r[10],
        amount=from_cents(r[11]),
        tax=from_cents(r[12]),
        total=from_cents(r[13]),
        status=r[14],
        red_status=r[15],
        draft_id=r[16],
        source=r[17],
        created_at=r[18],
        updated_at=r[19],
        lines=lines,
        seller_tax_id=r[20],
        flag=r[21],
        seller_type=r[22],
        rate_note=r[23],
        deduction_mode=r[24],
        deduction=None if r[25] is None else from_cents(r[25]),
    )


def upsert(conn: sqlite3.Connection, now: str, inv: InvoiceRecord) -> Upserted:
    """Merge one report about an invoice into its row (store/identity.py says how)."""
    if not inv.number and not inv.serial:
        raise ValueError("an invoice needs a number or a serial")
    if inv.color not in ("blue", "red"):
        raise ValueError(f"color must be 'blue' or 'red', got {inv.color!r}")
    lines = [_line_values(n, line) for n, line in enumerate(inv.lines, 1)]  # validate first
    existing = identity.find(conn, inv)
    if existing is None:
        invoice_id = _insert(conn, now, inv)
        _put_lines(conn, invoice_id, lines)
        identity.add_sighting(conn, now, invoice_id, inv)
        return Upserted(invoice_id, "new")
    stored = identity.stored_row(conn, existing)
    verdict = identity.judge(stored, inv)
    if verdict == FLAG_MISMATCH and identity.known_conflict(conn, existing, inv):
        return Upserted(existing, "known")
    fresh = False  # a mismatch or conflict not reported before (the user is told once)
    if verdict != "same":
        fresh = identity.add_report(
            conn, now, existing, verdict, inv.profile, identity.row_dict(conn, existing),
            identity.record_dict(inv),
        )  # fmt: skip
    if verdict == FLAG_CONFLICT:
        # another invoice: the stored row stays exactly as it is
        return Upserted(existing, verdict if fresh else "known")
    identity.add_sighting(conn, now, existing, inv)
    changes = identity.merged_values(stored, inv)
    if verdict == FLAG_MISMATCH:
        changes = {k: v for k, v in changes.items() if k not in ("amount_cents", "tax_cents")}
    if changes:
        sets = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(
            f"UPDATE invoices SET {sets}, updated_at = ? WHERE id = ?",
            (*changes.values(), now, existing),
        )
    has_lines = conn.execute(
        "SELECT 1 FROM invoice_lines WHERE invoice_id = ? LIMIT 1", (existing,)
    ).fetchone()
    if lines and not has_lines:
        _put_lines(conn, existing, lines)
    if verdict == FLAG_MISMATCH:
        return Upserted(existing, verdict if fresh else "known")
    return Upserted(existing, "merged")


def _insert(conn: sqlite3.Connection, now: str, inv: InvoiceRecord) -> int:
    cur = conn.execute(
        "INSERT INTO invoices (profile, vendor, issued_at, color, invoice_type, buyer_name, "
        "buyer_tax_id, amount_cents, tax_cents, total_cents, status, red_status, source, "
        "number, serial, blue_number, draft_id, seller_tax_id, seller_type, rate_note, "
        "deduction_mode, deduction_cents, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            inv.profile,
            inv.vendor,
            inv.issued_at,
            inv.color,
            inv.invoice_type,
            inv.buyer_name,
            inv.buyer_tax_id,
            to_cents(inv.amount),
            to_cents(inv.tax),
            to_cents(inv.total),
            status_word(inv.status, has_number=bool(inv.number)),
            inv.red_status,
            inv.source,
            inv.number or "",
            inv.serial or "",
            inv.blue_number or "",
            inv.draft_id,
            inv.seller_tax_id,
            inv.seller_type,
            inv.rate_note,
            inv.deduction_mode,
            None if inv.deduction is None else to_cents(inv.deduction),
            now,
            now,
        ),
    )
    return int(cur.lastrowid or 0)


def _put_lines(conn: sqlite3.Connection, invoice_id: int, lines: list[tuple[object, ...]]) -> None:
    conn.executemany(
        "INSERT INTO invoice_lines (invoice_id, line_no, kind, name, tax_code, spec, unit, "
        "quantity, unit_price, amount_cents, tax_rate, tax_cents, tax_treatment) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(invoice_id, *v) for v in lines],
    )


def set_red_status(conn: sqlite3.Connection, now: str, invoice_id: int, red_status: str) -> None:
    """Our own red-letter progress on a blue invoice (not a platform report: no judging)."""
    conn.execute(
        "UPDATE invoices SET red_status = ?, updated_at = ? WHERE id = ?",
        (red_status, now, invoice_id),
    )


def _text(d: Decimal | None) -> str | None:
    return None if d is None else str(d)


def _line_values(n: int, line: LineRecord) -> tuple[object, ...]:
    return (
        n,
        line.kind,
        line.name,
        line.tax_code,
        line.spec,
        line.unit,
        _text(line.quantity),
        _text(line.unit_price),
        to_cents(line.amount),
        str(line.tax_rate),
        to_cents(line.tax),
        line.tax_treatment,
    )


def lines(conn: sqlite3.Connection, invoice_id: int) -> tuple[LineRecord, ...]:
    return tuple(
        LineRecord(
            name=r[0],
            tax_code=r[1],
            spec=r[2],
            unit=r[3],
            quantity=None if r[4] is None else Decimal(r[4]),
            unit_price=None if r[5] is None else Decimal(r[5]),
            amount=from_cents(r[6]),
            tax_rate=Decimal(r[7]),
            tax=from_cents(r[8]),
            kind=r[9],
            tax_treatment=r[10],
        )
        for r in conn.execute(
            "SELECT name, tax_code, spec, unit, quantity, unit_price, amount_cents, tax_rate, "
            "tax_cents, kind, tax_treatment FROM invoice_lines WHERE invoice_id = ? "
            "ORDER BY line_no",
            (invoice_id,),
        )
    )


def get(conn: sqlite3.Connection, invoice_id: int) -> InvoiceRow | None:
    r = conn.execute(f"SELECT {_COLUMNS} FROM invoices WHERE id = ?", (invoice_id,)).fetchone()
    return None if r is None else _row(r, lines(conn, r[0]))


def by_number(conn: sqlite3.Connection, number: str, profile: str | None) -> InvoiceRow | None:
    if not number:
        return None
    sql = f"SELECT {_COLUMNS} FROM invoices WHERE number = ?"
    params: list[object] = [number]
    if profile is not None:
        # an invoice this account issued or has listed
        sql += (
            " AND (profile = ? OR id IN (SELECT invoice_id FROM invoice_sightings "
            "WHERE profile = ?))"
        )
        params += [profile, profile]
    r = conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
    return None if r is None else _row(r, lines(conn, r[0]))


def by_serial_unnumbered(conn: sqlite3.Connection, serial: str, profile: str) -> InvoiceRow | None:
    """The history row of an invoice known only by our serial (no number yet)."""
    r = conn.execute(
        f"SELECT {_COLUMNS} FROM invoices WHERE profile = ? AND serial = ? AND number = ''",
        (profile, serial),
    ).fetchone()
    return None if r is None else _row(r, lines(conn, r[0]))


def reds_of(conn: sqlite3.Connection, blue_number: str) -> list[InvoiceRow]:
    if not blue_number:
        return []
    rows = conn.execute(
        # "<> ''" lets SQLite use the partial index ix_invoices_blue_number
        f"SELECT {_COLUMNS} FROM invoices WHERE blue_number = ? AND blue_number <> '' "
        "AND color = 'red' ORDER BY issued_at, id",
        (blue_number,),
    ).fetchall()
    return [_row(r) for r in rows]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where(flt: InvoiceFilter, date_column: str = "issued_at") -> tuple[str, list[object]]:
    """The WHERE clause (possibly empty) and its parameters for a filter (`date_column`: the
    per-day totals table filters its "day" the same way)."""
    parts: list[str] = []
    params: list[object] = []
    if flt.date_from is not None:
        parts.append(f"{date_column} >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to is not None:
        parts.append(f"{date_column} < ?")  # inclusive end date: before the next day starts
        params.append((flt.date_to + dt.timedelta(days=1)).isoformat())
    buyer = flt.buyer.strip()
    if len(buyer) >= 3:
        # a quoted FTS5 phrase: trigram matches it as a plain substring, no query syntax
        parts.append("id IN (SELECT rowid FROM invoices_fts WHERE invoices_fts MATCH ?)")
        params.append('"' + buyer.replace('"', '""') + '"')
    elif buyer:
        # trigram cannot match 1-2 characters; a LIKE scan is correct (and the result is big
        # anyway, so the scan ends early when paging)
        pattern = f"%{_like_escape(buyer)}%"
        if buyer.isascii():
            parts.append("(buyer_name LIKE ? ESCAPE '\\' OR buyer_tax_id LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        else:
            # a tax ID is digits and Latin letters only: Chinese text can only be in the name,
            # which the (buyer_name, id) index holds, so walking it needs no table lookups
            parts.append("buyer_name LIKE ? ESCAPE '\\'")
            params.append(pattern)
    if flt.statuses:
        parts.append(f"status IN ({', '.join('?' * len(flt.statuses))})")
        params += flt.statuses
    if flt.color:
        parts.append("color = ?")
        params.append(flt.color)
    if flt.invoice_type:
        parts.append("invoice_type = ?")
        params.append(flt.invoice_type)
    if flt.min_total is not None:
        parts.append("total_cents >= ?")
        params.append(to_cents(flt.min_total))
    if flt.max_total is not None:
        parts.append("total_cents <= ?")
        params.append(to_cents(flt.max_total))
    if flt.profiles:
        parts.append(f"profile IN ({', '.join('?' * len(flt.profiles))})")
        params += flt.profiles
    return " AND ".join(parts), params


# How long a plan may run before the next one is tried (see query()).
PLAN_BUDGET_S = 0.12
PROGRESS_STEPS = 2000  # VM steps between two looks at the clock
_MONEY_COLUMNS = frozenset(SORT_COLUMNS[s] for s in MONEY_SORTS)
_COUNT_CAP = 20_000  # enough to tell a narrow value from a wide one


def query(
    conn: sqlite3.Connection,
    flt: InvoiceFilter,
    sort: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[InvoiceRow]:
    """One keyset page of full rows (see `_query`)."""
    return [_row(r) for r in _query(conn, flt, sort, descending, after, limit, _COLUMNS)]


def table_rows(
    conn: sqlite3.Connection,
    flt: InvoiceFilter,
    sort: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[tuple[Any, ...]]:
    """One keyset page as plain tuples of TABLE_COLUMNS (money in cents; `after` may give a
    money sort value in cents or as a Decimal)."""
    return _query(conn, flt, sort, descending, after, limit, TABLE_COLUMNS)


def _query(
    conn: sqlite3.Connection,
    flt: InvoiceFilter,
    sort: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
    columns: str,
) -> list[tuple[Any, ...]]:
    """One keyset page. Without statistics SQLite guesses plans badly over a million rows: for
    a wide filter (this year, an amount range) sorted by another column it reads every match and
    sorts it, where walking the sort column's index and checking the filter stops after a page;
    with several equality filters it may walk the widest one. So the likely best plan is chosen
    here (`plans_to_try`) and runs on a time budget, then the other one, and only if both ran
    out the first again without a budget (always correct, never stuck)."""
    if sort not in SORT_COLUMNS:
        raise ValueError(f"unknown sort {sort!r}; one of {sorted(SORT_COLUMNS)}")
    if limit <= 0:
        raise ValueError("limit must be positive")
    column = SORT_COLUMNS[sort]
    last = "invoices"  # with nothing to filter the planner walks the sort index anyway
    if where(flt)[0]:
        plans = plans_to_try(conn, flt, column)
        for source in plans:
            rows = page_through(
                conn, source, columns, flt, column, descending, after, limit, PLAN_BUDGET_S
            )
            if rows is not None:
                return rows
        # Both ran out: the likeliest best plan again, without a budget. The budget is wall
        # time, so load runs it out too (the progress handler waits for the interpreter lock
        # while the GUI thread holds it), and the planner's own choice for a wide date range
        # sorted by another column reads and sorts every match: seconds over a million rows.
        last = plans[0]
    rows = page_through(conn, last, columns, flt, column, descending, after, limit, None)
    assert rows is not None
    return rows


_KINDS = ("status", "invoice_type", "profile", "color")  # ix_invoices_kinds, in its order


def plans_to_try(conn: sqlite3.Connection, flt: InvoiceFilter, column: str) -> list[str]:
    """The two FROM clauses (the table, maybe with INDEXED BY) that query() tries for a page of
    `flt` sorted by `column` (a SORT_COLUMNS value), most promising first: for page_through."""
    walk = f"invoices INDEXED BY ix_invoices_{column}"
    equal = {
        "color": flt.color or None,
        "status": flt.statuses[0] if len(flt.statuses) == 1 else None,
        "invoice_type": flt.invoice_type or None,
        "profile": flt.profiles[0] if len(flt.profiles) == 1 else None,
    }
    equal = {c: v for c, v in equal.items() if v is not None}
    narrowed = equal or flt.statuses or flt.profiles or len(flt.buyer.strip()) >= 3
    ranged = set()
    if flt.date_from is not None or flt.date_to is not None:
        ranged.add("issued_at")
    if flt.min_total is not None or flt.max_total is not None:
        ranged.add("total_cents")
    if not narrowed and column not in ranged:
        return [walk, "invoices"]  # only wide ranges (or short text): walk in sort order
    if not equal:
        return ["invoices", walk]

    # How many rows each equality matches (up to a cap: enough to tell narrow from wide),
    # counted in its own index without touching the table.
    def count(c: str) -> int:
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM invoices WHERE {c} = ? LIMIT ?)"
        return int(conn.execute(sql, (equal[c], _COUNT_CAP)).fetchone()[0])

    if column == "issued_at" and len(equal) == 1:
        return [f"invoices INDEXED BY ix_invoices_{next(iter(equal))}_issued", "invoices"]
    counts = {c: count(c) for c in equal}
    best = min(counts, key=lambda c: counts[c])
    seek = f"invoices INDEXED BY ix_invoices_{best}_issued"
    if column == "issued_at":
        # walk the (column, issued_at, id) index of the narrowest equality in date order
        return [seek, "invoices"]
    # Otherwise: walk the sort column's index checking the filter (cost: about a page divided
    # by the share of rows that match), or seek the matches and sort them (cost: the rows
    # the seek finds). Several equalities that lead ix_invoices_kinds seek exactly their
    # matches; one alone seeks its own run.
    total = max(1, _row_estimate(conn))
    share = 1.0
    for n in counts.values():
        share *= n / total
    prefix = 0
    while prefix < len(_KINDS) and _KINDS[prefix] in equal:
        prefix += 1
    seek_rows: float
    if len(equal) > 1 and prefix == len(equal):
        seek, seek_rows = "invoices INDEXED BY ix_invoices_kinds", share * total
    elif counts[best] >= _COUNT_CAP:
        seek_rows = float(total)  # a wide run (its size unknown past the cap): sorting it is slow
    else:
        seek_rows = counts[best]
    if "issued_at" in ranged and "ix_invoices_kinds" not in seek:
        # a date range narrows both: the seek reads only the run's rows inside the dates (its
        # (column, issued_at, id) index has them together), the walk meets fewer matches
        dates, date_params = where(InvoiceFilter(date_from=flt.date_from, date_to=flt.date_to))
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {seek} WHERE {best} = ? AND {dates} LIMIT ?)"
        seek_rows = int(conn.execute(sql, (equal[best], *date_params, _COUNT_CAP)).fetchone()[0])
        if seek_rows >= _COUNT_CAP:
            seek_rows = float(total)
        share *= seek_rows / max(1, counts[best])
    walk_rows = min(float(total), PAGE_ESTIMATE / share) if share > 0 else float(total)
    return [walk, seek] if walk_rows < seek_rows else [seek, walk]


PAGE_ESTIMATE = 200  # rows of the first page (the one the user waits for)


def _row_estimate(conn: sqlite3.Connection) -> int:
    """About how many invoices there are (ids are dense enough; exact counts cost a scan)."""
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM invoices").fetchone()[0])


def page_through(
    conn: sqlite3.Connection,
    source: str,
    columns: str,
    flt: InvoiceFilter,
    column: str,
    descending: bool,
    after: tuple[Any, int] | None,
    limit: int,
    budget_s: float | None,
) -> list[tuple[Any, ...]] | None:
    """One keyset page of `columns` through `source` (a FROM clause of plans_to_try), sorted by
    `column` then id; None when `budget_s` ran out first (no budget: None never)."""
    clause, filter_params = where(flt)
    direction = "DESC" if descending else "ASC"
    order = f"ORDER BY {column} {direction}, id {direction} LIMIT ?"
    select = f"SELECT {columns} FROM {source} WHERE "
    extra = f" AND {clause}" if clause else ""
    if after is None:
        sql = f"SELECT {columns} FROM {source}" + (f" WHERE {clause}" if clause else "")
        sql, params = f"{sql} {order}", [*filter_params, limit]
    else:
        value, last_id = after
        if column in _MONEY_COLUMNS and isinstance(value, Decimal):
            value = to_cents(value)
        elif value is None:
            value = ""
        # Keyset paging as two index range scans: the rest of the current value's run (column
        # = v AND id beyond the last one), then the values beyond v. A row-value comparison
        # (column, id) > (v, id) would use only `column >= v` of the index and then skip the
        # whole run of v row by row, which is slow for columns with few distinct values.
        beyond = "<" if descending else ">"
        sql = (
            f"SELECT * FROM ({select}{column} = ? AND id {beyond} ?{extra} "
            f"ORDER BY id {direction} LIMIT ?) "
            f"UNION ALL SELECT * FROM ({select}{column} {beyond} ?{extra} {order}) {order}"
        )
        params = [value, last_id, *filter_params, limit, value, *filter_params, limit, limit]
    if budget_s is None:
        return conn.execute(sql, params).fetchall()
    deadline = time.perf_counter() + budget_s
    conn.set_progress_handler(lambda: time.perf_counter() > deadline, PROGRESS_STEPS)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            return None
        raise
    finally:
        conn.set_progress_handler(None, 0)


class Interrupted(Exception):
    """A summary stopped because its caller no longer wanted it."""


def summary(
    conn: sqlite3.Connection, flt: InvoiceFilter, stop: Callable[[], bool] | None = None
) -> InvoiceSummary:
    """Count and sums of a filter. Filters of account, colour, status, type and dates add up
    the per-day totals table (v8); others read the matching invoices. `stop()` is looked at
    while the query runs: once it is True the query ends with `Interrupted`."""
    fields = "COUNT(*), COALESCE(SUM(amount_cents), 0), COALESCE(SUM(tax_cents), 0), "
    fields += "COALESCE(SUM(total_cents), 0)"
    if sums_by_day(flt):
        clause, params = where(flt, date_column="day")
        fields = fields.replace("COUNT(*)", "COALESCE(SUM(n), 0)")
        sql = f"SELECT {fields} FROM invoice_totals"
    else:
        clause, params = where(flt)
        # a 1-2 character buyer is a LIKE over every row: one straight pass over the table
        # beats walking an index of a wide equality (blue, 正常) and looking up each row
        short_text = 0 < len(flt.buyer.strip()) < 3
        sql = f"SELECT {fields} FROM invoices" + (" NOT INDEXED" if short_text else "")
    if clause:
        sql += " WHERE " + clause
    if stop is not None:
        conn.set_progress_handler(stop, PROGRESS_STEPS * 10)
    try:
        n, amount, tax, total = conn.execute(sql, params).fetchone()
    except sqlite3.OperationalError as exc:
        if stop is not None and "interrupted" in str(exc):
            raise Interrupted from None
        raise
    finally:
        if stop is not None:
            conn.set_progress_handler(None, 0)
    return InvoiceSummary(int(n), from_cents(amount), from_cents(tax), from_cents(total))


def sums_by_day(flt: InvoiceFilter) -> bool:
    """Whether summary() of `flt` adds up the per-day totals table (no buyer, no amounts)."""
    return not flt.buyer.strip() and flt.min_total is None and flt.max_total is None


def merge_synced_duplicate(
    conn: sqlite3.Connection, profile: str, serial: str, number: str
) -> None:
    """Before the row issued under `serial` (no number yet) takes `number`: a row that a sync
    already made for that number (by any account of the same seller: one invoice, one row) is
    folded into it - its files, lines when the issued row has none, and the accounts that saw
    it move; the row goes."""
    keep = conn.execute(
        "SELECT id, seller_tax_id FROM invoices WHERE profile = ? AND serial = ? AND number = ''",
        (profile, serial),
    ).fetchone()
    if keep is None:
        return
    dup = conn.execute(
        "SELECT id FROM invoices WHERE seller_tax_id = ? AND number = ? AND id <> ?",
        (keep[1], number, keep[0]),
    ).fetchone()
    if dup is None:
        return
    keep_id, dup_id = keep[0], dup[0]
    conn.execute(
        "UPDATE OR IGNORE files SET invoice_id = ? WHERE invoice_id = ?", (keep_id, dup_id)
    )
    if not conn.execute(
        "SELECT 1 FROM invoice_lines WHERE invoice_id = ? LIMIT 1", (keep_id,)
    ).fetchone():
        conn.execute(
            "UPDATE invoice_lines SET invoice_id = ? WHERE invoice_id = ?", (keep_id, dup_id)
        )
    conn.execute(
        "INSERT OR IGNORE INTO invoice_sightings SELECT ?, profile, vendor, source, status, "
        "first_seen, last_seen FROM invoice_sightings WHERE invoice_id = ?",
        (keep_id, dup_id),
    )
    conn.execute("DELETE FROM invoices WHERE id = ?", (dup_id,))
