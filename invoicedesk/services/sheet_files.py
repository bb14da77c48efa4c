"""Reading a batch spreadsheet's cells: .xlsx (straight from the worksheet XML, with
openpyxl for the package) and .csv (UTF-8 or GB18030), each cell as the text the user meant."""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from invoicedesk.services.batch_results import (  # noqa: F401 - the results export, re-exported
    RESULT_COLUMNS,
    ResultRow,
    write_results,
)


class ImportFailed(Exception):
    """The file cannot be read as a batch at all (message in Chinese, says what to do)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---- cells -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell's value as the text the user meant (never through float arithmetic)."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same double: what Excel shows
        text = format(Decimal(repr(value)), "f")
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


# ---- reading files ---------------------------------------------------------------------------


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    try:
        return iter(read_xlsx_values(path))
    except Exception:  # a file the fast reader cannot take: openpyxl reads it or says why not
        return _openpyxl_rows(path)


def _openpyxl_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFailed(
            f"无法读取 Excel 文件“{path.name}”（{type(exc).__name__}）：请确认它是 .xlsx 格式，"
            "可用 Excel 或 WPS 另存为 .xlsx 后再导入。"
        ) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


# The first worksheet's cell values, read straight from its XML: what openpyxl's read-only
# iter_rows(values_only=True) gives (same types, dates, shared and inline strings, empty rows
# for missing ones; trailing empty cells left off), about five times faster, because openpyxl
# builds objects for every cell. openpyxl still reads the package, workbook and styles (small).
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _IS, _V, _T, _RUN, _SI = (_NS + n for n in ("row", "is", "v", "t", "r", "si"))


def read_xlsx_values(path: Path) -> list[list[Any]]:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    reader = ExcelReader(str(path), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        strings: list[str] = []
        part = reader.package.find(SHARED_STRINGS)
        if part is not None:
            with reader.archive.open(part.PartName[1:]) as src:
                strings = _shared_strings(src)
        names = set(reader.archive.namelist())
        for _sheet, rel in reader.parser.find_sheets():
            if rel.target not in names or "chartsheet" in rel.Type:
                continue  # as openpyxl's book.worksheets: only worksheets that exist
            book = reader.wb
            with reader.archive.open(rel.target) as src:
                return _sheet_values(
                    src, strings, book._date_formats, book._timedelta_formats, book.epoch
                )
        return []
    finally:
        reader.archive.close()


def _rich_text(node: Any) -> str:
    """An <si> or <is> element's text: its <t>, or its runs' <t> (phonetic runs left out)."""
    parts: list[str] = []
    for child in node:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(t.text or "" for t in child if t.tag == _T)
    return "".join(parts)


def _shared_strings(src: IO[bytes]) -> list[str]:
    strings: list[str] = []
    for _event, node in iterparse(src):
        if node.tag == _SI:
            strings.append(_rich_text(node).replace("x005F_", ""))  # as openpyxl does
            node.clear()
    return strings


def _sheet_values(
    src: IO[bytes],
    strings: list[str],
    date_styles: set[int],
    timedelta_styles: set[int],
    epoch: dt.datetime,
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    row_no = 0
    columns: dict[str, int] = {}  # "AB" -> 28
    for _event, element in iterparse(src):
        if element.tag != _ROW:
            continue
        ref = element.get("r")
        row_no = int(float(ref)) if ref else row_no + 1
        if row_no <= len(rows):  # a row out of order: openpyxl skips it too
            element.clear()
            continue
        while len(rows) < row_no - 1:
            rows.append([])  # a missing row reads as an empty one
        values: list[Any] = []
        col = 0
        for cell in element:
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                found = columns.get(letters)
                if found is None:
                    found = columns[letters] = _column_number(letters)
                col = found
            else:
                col += 1
            value = _cell_value(cell, strings, date_styles, timedelta_styles, epoch)
            if value is None:
                continue
            if len(values) < col - 1:
                values.extend([None] * (col - 1 - len(values)))
            if len(values) == col - 1:
                values.append(value)
            else:
                values[col - 1] = value
        rows.append(values)
        element.clear()
    return rows


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _cell_value(
    cell: Any,
    strings: list[str],
    date_styles: set[int],
    timedelta_styles: set[int],
    epoch: dt.datetime,
) -> Any:
    """One <c> as openpyxl's read-only parser gives it with data_only=True."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        child = cell.find(_IS)
        return None if child is None else _rich_text(child)
    raw = cell.findtext(_V) or None
    if raw is None:
        return None
    if kind == "n":
        number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        style = cell.get("s")
        if style and int(style) in date_styles:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, epoch, timedelta=int(style) in timedelta_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"  # what openpyxl gives for a date out of range
        return number
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return bool(int(raw))
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        return from_ISO8601(raw)
    return raw  # "str" (a formula's text result) and "e" (an error such as #N/A)


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not) first, else GB18030 (covers GBK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFailed(
            "CSV 文件的编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV 后再导入。"
        ) from None


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    text = decode_csv(path.read_bytes())
    yield from csv.reader(io.StringIO(text, newline=""))


def read_rows(path: Path) -> Iterator[list[Any]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise ImportFailed(f"不支持的文件类型“{suffix or path.name}”：请导入 .xlsx 或 .csv 文件。")
