"""upsert_invoice idempotency, lines, lookups."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from invoicedesk.store import InvoiceFilter, InvoiceRecord, LineRecord, Store
from tests.store.beside import beside


def record(**kw: object) -> InvoiceRecord:
    base: dict[str, object] = dict(
        profile="p",
        vendor="baiwang",
        number="25310000000000000001",
        serial="S1",
        issued_at="2025-03-01T10:00:00",
        amount=Decimal("100.00"),
        tax=Decimal("13.00"),
        total=Decimal("113.00"),
        buyer_name="上海甲科技有限公司",
        buyer_tax_id="91310000MA1FL0001X",
        invoice_type="82",
        status="正常",
    )
    base.update(kw)
    return InvoiceRecord(**base)  # type: ignore[arg-type]


LINES = (
    LineRecord(
        name="*纸制品*A4纸",
        tax_code="1060201",
        unit="包",
        quantity=Decimal("3"),
        unit_price=Decimal("23.00884956"),
        amount=Decimal("69.03"),
        tax_rate=Decimal("0.13"),
        tax=Decimal("8.97"),
    ),
    LineRecord(
        name="*纸制品*折扣",
        amount=Decimal("-1.00"),
        tax_rate=Decimal("0.13"),
        tax=Decimal("-0.13"),
        kind="discount",
    ),
)


def test_insert_and_read_back_exactly(store: Store) -> None:
    inv_id = store.upsert_invoice(record(lines=LINES, draft_id=None, source="synced"))
    row = store.get_invoice(inv_id)
    assert row is not None
    assert row.number == "25310000000000000001" and row.serial == "S1"
    assert (row.amount, row.tax, row.total) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    assert row.blue_number is None and row.color == "blue" and row.source == "synced"
    assert row.lines == LINES
    assert str(row.lines[0].unit_price) == "23.00884956"
    by_number = store.invoice_by_number("25310000000000000001")
    assert by_number == row
    assert store.invoice_by_number("25310000000000000001", profile="other") is None
    assert store.invoice_by_number("nope") is None and store.get_invoice(inv_id + 1) is None


def test_same_number_merges_and_keeps_the_richest_data(store: Store) -> None:
    first = store.upsert_invoice(record(lines=LINES))
    again = store.upsert_invoice(
        record(status="04", red_status="全额", lines=LINES[:1], serial=None, source="synced")
    )
    assert again == first
    row = store.get_invoice(first)
    assert row is not None
    # the platform's status in the one vocabulary; serial and the full lines are kept
    assert (row.status, row.red_status, row.serial) == ("已红冲", "全额", "S1")
    assert row.lines == LINES
    assert store.invoice_summary(InvoiceFilter()).count == 1
    # the same number listed by another account of the same seller is the same invoice ...
    assert store.upsert_invoice(record(profile="q", source="synced")) == first
    assert [s.profile for s in store.invoice_sightings(first)] == ["p", "q"]
    # ... and from another seller it is another invoice
    assert store.upsert_invoice(record(profile="q", seller_tax_id="91110000X")) != first


def test_serial_only_then_number_is_one_invoice(store: Store) -> None:
    pending = store.upsert_invoice(record(number=None, serial="FAW-1", status="已受理"))
    assert store.upsert_invoice(record(number=None, serial="FAW-1", status="处理中")) == pending
    done = store.upsert_invoice(record(number="25310000000000000009", serial="FAW-1"))
    assert done == pending
    row = store.get_invoice(done)
    assert row is not None and row.number == "25310000000000000009" and row.status == "正常"
    # a later record with the serial but no number still finds it
    assert store.upsert_invoice(record(number=None, serial="FAW-1", status="x")) == done
    assert store.invoice_summary(InvoiceFilter()).count == 1


def test_a_different_number_with_the_same_serial_is_not_merged(store: Store) -> None:
    a = store.upsert_invoice(record(number="1", serial="S"))
    b = store.upsert_invoice(record(number="2", serial="S"))
    assert a != b


def test_red_invoice_with_blue_number_and_negative_money(store: Store) -> None:
    inv = store.upsert_invoice(
        record(
            number="2",
            serial="R",
            color="red",
            blue_number="1",
            amount=Decimal("-100"),
            tax=Decimal("-13"),
            total=Decimal("-113"),
        )
    )
    row = store.get_invoice(inv)
    assert row is not None and row.color == "red" and row.blue_number == "1"
    assert row.total == Decimal("-113.00")


def test_bad_records_are_refused_without_writing(store: Store) -> None:
    with pytest.raises(ValueError, match="number or a serial"):
        store.upsert_invoice(record(number=None, serial=None))
    with pytest.raises(ValueError, match="color"):
        store.upsert_invoice(record(color="green"))
    with pytest.raises(ValueError, match="2 decimal"):
        store.upsert_invoice(record(total=Decimal("113.001")))
    bad_line = dataclasses.replace(LINES[0], amount=Decimal("0.005"))
    with pytest.raises(ValueError, match="2 decimal"):
        store.upsert_invoice(record(lines=(bad_line,)))
    assert store.invoice_summary(InvoiceFilter()).count == 0


def test_draft_link_and_cascade_of_lines(store: Store) -> None:
    draft_id = store.save_draft(None, "{}", title="", buyer_name="", total=None)
    inv = store.upsert_invoice(record(draft_id=draft_id, lines=LINES))
    row = store.get_invoice(inv)
    assert row is not None and row.draft_id == draft_id
    with beside(store) as conn:
        conn.execute("DELETE FROM invoices WHERE id = ?", (inv,))
        assert conn.execute("SELECT COUNT(*) FROM invoice_lines").fetchone()[0] == 0
