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


def test_export_keeps_what_an_invoice_was_issued_with(tmp_path: Path) -> None:
    """Issue 16: 差额征税, 扣除额, seller type and 税率说明 are exportable; the totals row adds up
    金额/税额/价税合计 only."""
    store = Store.open(tmp_path / "t.sqlite3")
    try:
        for number, extra in (
            ("26312000000000000701", {"deduction_mode": "partial",
                                      "deduction": Decimal("5300.00"),
                                      "seller_type": "general"}),
            ("26312000000000000702", {"seller_type": "small_scale", "rate_note": "3"}),
        ):  # fmt: skip
            store.upsert_invoice(
                InvoiceRecord(
                    profile="p", vendor="piaodanyun", number=number, serial=None,
                    issued_at="2026-11-02", amount=Decimal("10300.00"), tax=Decimal("300.00"),
                    total=Decimal("10600.00"), **extra,
                )
            )  # fmt: skip
        columns = [
            ExportColumn("number", "发票号码"),
            ExportColumn("deduction_mode", "征税方式", {"partial": "差额征税（差额开具）"}),
            ExportColumn("deduction", "扣除额"),
            ExportColumn("seller_type", "销售方类型", {"small_scale": "小规模纳税人"}),
            ExportColumn("rate_note", "税率说明"),
            ExportColumn("total", "价税合计"),
        ]
        path = tmp_path / "t.csv"
        export_invoices(store, path, InvoiceFilter(), columns, sort="number", descending=False)
        lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert lines[1] == [
            "26312000000000000701", "差额征税（差额开具）", "5300.00", "general", "", "10600.00",
        ]  # fmt: skip
        assert lines[2] == ["26312000000000000702", "", "", "小规模纳税人", "3", "10600.00"]
        assert lines[3] == ["合计（2 张）", "", "", "", "", "21200.00"]
        xlsx = tmp_path / "t.xlsx"
        export_invoices(store, xlsx, InvoiceFilter(), columns, sort="number", descending=False)
        values = list(load_workbook(xlsx).active.iter_rows(values_only=True))
        assert Decimal(str(values[1][2])).quantize(Decimal("0.01")) == Decimal("5300.00")
    finally:
        store.close()
