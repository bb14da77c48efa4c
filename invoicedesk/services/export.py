"""Export the invoices of a history filter to Excel (.xlsx) or CSV, with a totals row.

Runs in a worker thread (call it through asyncio.to_thread) and streams: keyset pages from the
store go straight to the file (openpyxl's write-only workbook, the csv module), so a million rows
never sit in memory at once. The file is written under a temporary name and renamed at the end:
a cancelled or failed export leaves no half file behind.

CSV is UTF-8 with a BOM so that Excel opens Chinese text correctly. Money is exact Decimal
(numbers in Excel with a thousands format; plain "1234.56" in CSV so Excel reads numbers).
Text that a spreadsheet would take for a formula (=, +, -, @ first) is kept as text.
"""

from __future__ import annotations

import csv
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.store import InvoiceFilter, InvoiceRow

PAGE = 2000
MONEY_KEYS = frozenset({"amount", "tax", "total", "deduction"})
SUMMED_KEYS = frozenset({"amount", "tax", "total"})  # the totals row adds these up
TEXT_KEYS = frozenset(
    {
        "issued_at",
        "number",
        "serial",
        "color",
        "invoice_type",
        "buyer_name",
        "buyer_tax_id",
        "status",
        "red_status",
        "profile",
        "vendor",
        "blue_number",
        "source",
        # tax treatments as issued (issue 16): 差额征税 mode, seller type, 税率说明
        "deduction_mode",
        "seller_type",
        "rate_note",
    }
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"


class ExportError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportColumn:
    key: str  # an InvoiceRow field: a TEXT_KEYS or MONEY_KEYS name
    header: str
    labels: Mapping[str, str] = field(default_factory=dict)  # code -> shown text ("red" -> 红字)

    def __post_init__(self) -> None:
        if self.key not in TEXT_KEYS | MONEY_KEYS:
            raise ValueError(f"unknown export column {self.key!r}")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    amount: Decimal
    tax: Decimal
    total: Decimal
    cancelled: bool = False


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _safe_text(text: str) -> str:
    """A leading apostrophe keeps a formula-looking text from running in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cells(row: InvoiceRow, columns: Sequence[ExportColumn]) -> list[Any]:
    out: list[Any] = []
    for col in columns:
        value = getattr(row, col.key)
        if col.key in MONEY_KEYS:
            out.append(value)
        else:
            text = _text(value)
            out.append(col.labels.get(text, text))
    return out


def _rows(
    store: Any, flt: InvoiceFilter, sort: str, descending: bool
) -> Any:  # Iterator[InvoiceRow]
    after: tuple[Any, int] | None = None
    while True:
        page = store.query_invoices(flt, sort, descending, after, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].sort_key(sort)


class _CsvSink:
    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)

    def row(self, values: Sequence[Any], money: Sequence[bool]) -> None:
        self._writer.writerow(
            [
                f"{v:f}" if is_money and isinstance(v, Decimal) else _safe_text(_text(v))
                for v, is_money in zip(values, money, strict=True)
            ]
        )

    def close(self) -> None:
        self._file.close()


class _XlsxSink:
    def __init__(self, path: Path, title: str) -> None:
        from openpyxl import Workbook

        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title)

    def row(self, values: Sequence[Any], money: Sequence[bool], bold: bool = False) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cells = []
        for v, is_money in zip(values, money, strict=True):
            if is_money and isinstance(v, Decimal):
                cell = WriteOnlyCell(self._sheet, value=v)
                cell.number_format = MONEY_FORMAT
            else:
                text = _text(v)
                cell = WriteOnlyCell(self._sheet, value=text)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        self._sheet.append(cells)

    def widths(self, widths: Sequence[int]) -> None:
        from openpyxl.utils import get_column_letter

        for i, w in enumerate(widths, 1):
            self._sheet.column_dimensions[get_column_letter(i)].width = w

    def close(self) -> None:
        self._book.save(self._path)


def export_invoices(
    store: Any,
    path: Path,
    flt: InvoiceFilter,
    columns: Sequence[ExportColumn],
    *,
    sort: str = "issued_at",
    descending: bool = True,
    totals_label: str = "合计",
    sheet_title: str = "发票历史",
    progress: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Blocking: write every invoice of `flt` to `path` (.xlsx or .csv, by suffix)."""
    if not columns:
        raise ExportError("请至少选择一列再导出。")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportError(f"不支持的导出格式“{path.suffix}”，请选择 .xlsx 或 .csv 文件。")
    money = [c.key in MONEY_KEYS for c in columns]
    tmp = path.with_name(path.name + ".part")
    sink: _CsvSink | _XlsxSink
    try:
        sink = _CsvSink(tmp) if suffix == ".csv" else _XlsxSink(tmp, sheet_title)
    except OSError as exc:
        raise ExportError(f"无法写入文件“{path}”：{exc.strerror or exc}。请换一个位置。") from exc
    n = 0
    amount = tax = total = Decimal("0.00")
    cancelled = False
    try:
        if isinstance(sink, _XlsxSink):
            sink.widths(
                [
                    16 if m else max(10, len(c.header) * 2 + 2)
                    for c, m in zip(columns, money, strict=True)
                ]
            )
            sink.row([c.header for c in columns], [False] * len(columns), bold=True)
        else:
            sink.row([c.header for c in columns], [False] * len(columns))
        for row in _rows(store, flt, sort, descending):
            sink.row(_cells(row, columns), money)
            amount += row.amount
            tax += row.tax
            total += row.total
            n += 1
            if n % PAGE == 0:
                if progress is not None:
                    progress(n)
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
        if not cancelled:
            sums = {"amount": amount, "tax": tax, "total": total}
            label_at = next((i for i, c in enumerate(columns) if c.key not in SUMMED_KEYS), None)
            totals: list[Any] = [sums.get(c.key, "") for c in columns]
            if label_at is not None:
                totals[label_at] = f"{totals_label}（{n} 张）"
            if isinstance(sink, _XlsxSink):
                sink.row(totals, money, bold=True)
            else:
                sink.row(totals, money)
        sink.close()
        if cancelled:
            tmp.unlink(missing_ok=True)
        else:
            os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(
            f"写入文件“{path}”失败：{exc.strerror or exc}。请换一个位置再试。"
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(n)
    return ExportResult(path, n, amount, tax, total, cancelled)
