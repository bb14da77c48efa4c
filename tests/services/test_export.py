"""Exports: xlsx opened with openpyxl, CSV with a BOM, chosen columns, exact totals row."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from invoicedesk.services.export import ExportColumn, ExportError, export_invoices
from invoicedesk.store import InvoiceFilter, InvoiceRecord, InvoiceRow, Store
from tests.services.test_history_query import matches, seed

COLUMNS = [
    ExportColumn("number", "发票号码"),
    ExportColumn("color", "蓝/红", {"blue": "蓝字", "red": "红字"}),
    ExportColumn("buyer_name", "购买方"),
    ExportColumn("amount", "金额"),
    ExportColumn("tax", "税额"),
    ExportColumn("total", "价税合计"),
]
FLT = InvoiceFilter(buyer="有限公司")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: Any) -> Iterator[tuple[Store, list[InvoiceRow]]]:
    store = Store.open(Path(tmp_path_factory.mktemp("ex")) / "store.sqlite3")
    rows = seed(store, 120)
    yield store, rows
    store.close()


def test_xlsx_has_chosen_columns_rows_and_totals(
    seeded: tuple[Store, list[InvoiceRow]], tmp_path: Path
) -> None:
    store, rows = seeded
    hits = [r for r in rows if matches(r, FLT)]
    path = tmp_path / "out.xlsx"
    result = export_invoices(store, path, FLT, COLUMNS, sort="total", descending=False)
    assert result.rows == len(hits) and not result.cancelled
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("发票号码", "蓝/红", "购买方", "金额", "税额", "价税合计")
    body, totals = values[1:-1], values[-1]
    assert len(body) == len(hits)
    expected = sorted(hits, key=lambda r: (r.total, r.id))
    assert [b[0] or "" for b in body] == [r.number or "" for r in expected]
    assert {b[1] for b in body} <= {"蓝字", "红字"}
    assert totals[0] == f"合计（{len(hits)} 张）"
    # openpyxl reads numbers back as float: compare with the exact sums at 2 places
    assert Decimal(str(totals[3])).quantize(Decimal("0.01")) == sum(r.amount for r in hits)
    assert Decimal(str(totals[5])).quantize(Decimal("0.01")) == sum(r.total for r in hits)
    assert result.total == sum((r.total for r in hits), Decimal(0))
    assert sheet.cell(row=2, column=4).number_format == "#,##0.00"
    assert not (tmp_path / "out.xlsx.part").exists()


def test_csv_starts_with_bom_and_has_exact_totals(
    seeded: tuple[Store, list[InvoiceRow]], tmp_path: Path
) -> None:
    store, rows = seeded
    path = tmp_path / "out.csv"
    result = export_invoices(store, path, InvoiceFilter(), COLUMNS, totals_label="合计")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][0] == "发票号码"
    assert len(lines) == len(rows) + 2 == result.rows + 2
    assert lines[-1][0] == f"合计（{len(rows)} 张）"
    assert Decimal(lines[-1][3]) == sum((r.amount for r in rows), Decimal(0))
    assert Decimal(lines[-1][4]) == sum((r.tax for r in rows), Decimal(0))
    assert Decimal(lines[-1][5]) == sum((r.total for r in rows), Decimal(0))
    assert sum(Decimal(x[5]) for x in lines[1:-1]) == Decimal(lines[-1][5])


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    try:
        store.upsert_invoice(
            InvoiceRecord(
                profile="p",
                vendor="open-api",
                number="1",
                serial=None,
                issued_at="2025-01-01T00:00:00",
                amount=Decimal("1.00"),
                tax=Decimal("0.13"),
                total=Decimal("1.13"),
                buyer_name='=HYPERLINK("http://x")',
            )
        )
        cols = [ExportColumn("buyer_name", "购买方"), ExportColumn("total", "价税合计")]
        export_invoices(store, tmp_path / "a.csv", InvoiceFilter(), cols)
        text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text
        export_invoices(store, tmp_path / "a.xlsx", InvoiceFilter(), cols)
        cell = load_workbook(tmp_path / "a.xlsx").active.cell(row=2, column=1)
        assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    finally:
        store.close()


def test_cancel_leaves_no_file_and_bad_requests_are_clear(
    seeded: tuple[Store, list[InvoiceRow]], tmp_path: Path
) -> None:
    store, _ = seeded
    cancel = threading.Event()
    cancel.set()
    # the cancel is seen after each page of 2000 rows: a small export finishes anyway
    result = export_invoices(store, tmp_path / "c.csv", InvoiceFilter(), COLUMNS, cancel=cancel)
    assert result.cancelled is False and (tmp_path / "c.csv").exists()
    with pytest.raises(ExportError, match="至少选择一列"):
        export_invoices(store, tmp_path / "d.csv", InvoiceFilter(), [])
    with pytest.raises(ExportError, match="不支持的导出格式"):
        export_invoices(store, tmp_path / "d.pdf", InvoiceFilter(), COLUMNS)
    with pytest.raises(ExportError, match="无法写入"):
        export_invoices(store, tmp_path / "missing" / "d.csv", InvoiceFilter(), COLUMNS)
    with pytest.raises(ValueError):
        ExportColumn("password", "x")
