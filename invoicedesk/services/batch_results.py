"""A batch's results as an .xlsx sheet (批量开票 → 导出结果), typed so that Excel can add them up:
amounts are numbers (two decimals, thousands grouped), 开票日期 a date, the rest text (invoice
numbers and serials are text: 20 digits would lose their last digits as numbers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

RESULT_COLUMNS = (
    "草稿",
    "状态",
    "发票号码",
    "开票日期",
    "金额",
    "税额",
    "价税合计",
    "流水号",
    "原因",
)
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TEXT_FORMAT = "@"
_WIDTHS = (14, 12, 24, 20, 14, 12, 14, 36, 40)


@dataclass(frozen=True)
class ResultRow:
    label: str
    state: str  # Chinese label
    number: str
    date: str  # as the vendor gave it (Beijing time): "2026-05-20" or with a time of day
    amount: Decimal | str | None
    tax: Decimal | str | None
    total: Decimal | str | None
    serial: str
    reason: str


def _money(value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


def _date(text: str) -> dt.date | dt.datetime | None:
    """The invoice date as a date (or a date and time when the vendor gave one); None when
    there is none or it cannot be read (the text is written then)."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)  # already Beijing time; Excel has no time zones


def write_results(path: Path, rows: Sequence[ResultRow]) -> None:
    """The batch result as .xlsx (draft, state, number, date, totals, serial, reason)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("开票结果")
    for col, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in RESULT_COLUMNS:
        heading = WriteOnlyCell(sheet, value=name)
        heading.font = bold
        header.append(heading)
    sheet.append(header)

    def cell(value: Any, number_format: str) -> WriteOnlyCell:
        c = WriteOnlyCell(sheet, value=value)
        c.number_format = number_format
        return c

    for r in rows:
        when = _date(r.date)
        date_cell = (
            cell(r.date, TEXT_FORMAT)
            if when is None and r.date
            else cell(when, DATETIME_FORMAT if isinstance(when, dt.datetime) else DATE_FORMAT)
        )
        sheet.append(
            [
                cell(r.label, TEXT_FORMAT),
                cell(r.state, TEXT_FORMAT),
                cell(r.number, TEXT_FORMAT),
                date_cell,
                cell(_money(r.amount), MONEY_FORMAT),
                cell(_money(r.tax), MONEY_FORMAT),
                cell(_money(r.total), MONEY_FORMAT),
                cell(r.serial, TEXT_FORMAT),
                cell(r.reason, TEXT_FORMAT),
            ]
        )
    book.save(path)
