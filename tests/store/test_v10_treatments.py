"""Issue 16: the history keeps the tax treatments an invoice was issued with (schema v10), and
the v10 migration fills them for invoices a v9 file holds, from the draft the journal kept."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from invoicedesk.store import InvoiceRecord, LineRecord, Store, schema

NOW = "2026-11-02T10:00:00+08:00"


def _line(name: str, treatment: str = "", rate: str = "0") -> LineRecord:
    return LineRecord(
        name=name, tax_code="3040201", amount=Decimal("100.00"), tax_rate=Decimal(rate),
        tax=Decimal("0"), tax_treatment=treatment,
    )  # fmt: skip


def test_an_issued_invoice_keeps_its_treatments(store: Store) -> None:
    invoice_id = store.upsert_invoice(
        InvoiceRecord(
            profile="p", vendor="piaodanyun", number="26312000000000000901", serial="S9",
            issued_at=NOW, amount=Decimal("10300.00"), tax=Decimal("300.00"),
            total=Decimal("10600.00"), seller_type="small_scale", rate_note="3",
            deduction_mode="partial", deduction=Decimal("5300.00"),
            lines=(_line("免税服务", "exempt"), _line("预付卡", "non_taxable"),
                   _line("纸", rate="0.13")),
        )
    )  # fmt: skip
    row = store.get_invoice(invoice_id)
    assert row is not None
    assert [x.tax_treatment for x in row.lines] == ["exempt", "non_taxable", ""]
    assert (row.seller_type, row.rate_note, row.deduction_mode, row.deduction) == (
        "small_scale", "3", "partial", Decimal("5300.00"),
    )  # fmt: skip
    by_number = store.invoice_by_number("26312000000000000901")
    assert by_number is not None and by_number.lines[0].tax_treatment == "exempt"


def test_an_ordinary_invoice_stays_ordinary(store: Store) -> None:
    invoice_id = store.upsert_invoice(
        InvoiceRecord(
            profile="p", vendor="baiwang", number="26312000000000000902", serial="S2",
            issued_at=NOW, amount=Decimal("100.00"), tax=Decimal("13.00"),
            total=Decimal("113.00"), lines=(_line("纸", rate="0.13"),),
        )
    )  # fmt: skip
    row = store.get_invoice(invoice_id)
    assert row is not None and row.lines[0].tax_treatment == ""
    assert (row.seller_type, row.rate_note, row.deduction_mode, row.deduction) == ("", "", "", None)


def _v9_file(path: Path, drafts: dict[str, dict[str, object]], lines: dict[str, int]) -> None:
    """A database at v9 with one issued invoice per serial, each with `lines[serial]` lines,
    and the journal's draft of each."""
    conn = sqlite3.connect(path, isolation_level=None)
    assert schema.migrate(conn, target=9) == 9
    conn.execute("BEGIN")
    for n, (serial, draft) in enumerate(drafts.items(), 1):
        conn.execute(
            "INSERT INTO journal (profile, serial, content_hash, draft_json, state, created_at, "
            "updated_at) VALUES ('p', ?, 'h', ?, 'ISSUED', ?, ?)",
            (serial, json.dumps(draft, ensure_ascii=False), NOW, NOW),
        )
        conn.execute(
            "INSERT INTO invoices (id, profile, vendor, number, serial, issued_at, amount_cents, "
            "tax_cents, total_cents, status, created_at, updated_at) "
            "VALUES (?, 'p', 'piaodanyun', ?, ?, ?, 10000, 0, 10000, '正常', ?, ?)",
            (n, f"2631200000000000000{n}", serial, NOW, NOW, NOW),
        )
        for k in range(1, lines[serial] + 1):
            conn.execute(
                "INSERT INTO invoice_lines (invoice_id, line_no, name, amount_cents, tax_rate, "
                "tax_cents) VALUES (?, ?, '服务', 5000, '0', 0)",
                (n, k),
            )
    conn.execute("COMMIT")
    conn.close()


def test_the_v10_migration_fills_treatments_from_the_journal(data_dir: Path) -> None:
    path = data_dir / "v9.sqlite"
    treated = {
        "seller_type": "small_scale", "rate_note": "3",
        "deduction": {"mode": "full", "amount": "5300.00"},
        "lines": [{"name": "服务", "tax_treatment": "exempt"},
                  {"name": "卡", "tax_treatment": "non_taxable"}],
    }  # fmt: skip
    # a draft whose lines are not the stored ones: the lines are left alone, not guessed
    mismatched = {"lines": [{"name": "服务", "tax_treatment": "exempt"}]}
    _v9_file(
        path,
        {"S1": treated, "S2": mismatched, "S3": {"lines": [{"name": "纸"}]}},
        {"S1": 2, "S2": 2, "S3": 1},
    )
    store = Store.open(path)
    try:
        assert store.schema_version == schema.CURRENT_VERSION
        one = store.invoice_by_number("26312000000000000001")
        assert one is not None
        assert [x.tax_treatment for x in one.lines] == ["exempt", "non_taxable"]
        assert (one.seller_type, one.rate_note, one.deduction_mode, one.deduction) == (
            "small_scale", "3", "full", Decimal("5300.00"),
        )  # fmt: skip
        two = store.invoice_by_number("26312000000000000002")
        assert two is not None and [x.tax_treatment for x in two.lines] == ["", ""]
        three = store.invoice_by_number("26312000000000000003")
        assert three is not None and three.lines[0].tax_treatment == ""
        assert (three.seller_type, three.deduction_mode, three.deduction) == ("", "", None)
    finally:
        store.close()
