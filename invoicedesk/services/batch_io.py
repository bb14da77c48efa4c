"""Batch spreadsheets: the Excel template, importing .xlsx/.csv into drafts with problems per row
and field (the dry run), and exporting a batch's results.

Everything here is plain, synchronous and pure apart from file reads and writes: callers run it
off the GUI loop (the import page in a worker process, services/batch_import.py; the command
line in a thread).

The sheet (draft-format.md): one row per invoice line; the column headers are the draft's field
names (`buyer.name`, `lines.quantity`, ...); the `draft` column groups rows into drafts.
Decisions where the spec is silent:
- An empty `draft` cell continues the draft of the row above (merged cells read that way); a
  sheet without a `draft` column makes each row its own draft.
- Draft-level columns (buyer, remark, type) are read from the first row of a draft that fills
  them; a later row that fills them differently is a warning, the first value wins.
- Excel stores numbers as binary doubles; a numeric cell is read as the shortest decimal text
  that round-trips (what Excel shows), never through arithmetic. The template formats every
  column as text so typed figures stay text.
- Two drafts with exactly the same content would be the same invoice to the journal (it
  resumes by content), so the second is an error: the user tells them apart (e.g. remark).
- CSV: UTF-8 (with or without BOM) first, else GB18030 (a superset of GBK).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from invoicedesk.domain import money, rules, treatments
from invoicedesk.domain.models import Buyer, Draft, Line, draft_from_json

DRAFT_COLUMN = "draft"
DRAFT_FIELDS = ("invoice_type", "remark", "seller_type", "rate_note")
# 差额征税 (draft-format.md § Tax treatments): the draft's `deduction` object as two columns
DEDUCTION_FIELDS = ("deduction.mode", "deduction.amount")
BUYER_FIELDS = tuple(f"buyer.{name}" for name in Buyer.model_fields)
LINE_FIELDS = tuple(f"lines.{name}" for name in Line.model_fields)
COLUMNS: tuple[str, ...] = (
    DRAFT_COLUMN,
    *DRAFT_FIELDS,
    *DEDUCTION_FIELDS,
    *BUYER_FIELDS,
    *LINE_FIELDS,
)
# The sheet may say the treatments in Chinese; the draft keeps the format's keys.
CHINESE_VALUES: dict[str, dict[str, str]] = {
    "lines.tax_treatment": {name: key for key, name in treatments.TREATMENTS.items() if key},
    "seller_type": {name: key for key, name in treatments.SELLER_TYPES.items() if key},
    "deduction.mode": {name: key for key, name in money.DEDUCTION_MODES.items()},
}
BOOL_COLUMNS = frozenset({"buyer.natural_person", "lines.price_includes_tax"})

COLUMN_HELP: dict[str, str] = {
    "draft": "草稿编号：同一编号的各行是同一张发票的各个明细行；留空表示与上一行同一张",
    "invoice_type": "发票类型：81 数电专票，82 数电普票（默认 82）",
    "remark": "备注（可空）",
    "buyer.name": "购买方名称（必填）",
    "buyer.tax_id": "购买方纳税人识别号（专票必填；自然人可空）",
    "buyer.natural_person": "购买方是否为自然人：是 / 否（默认 否）",
    "buyer.address": "购买方地址（可空）",
    "buyer.phone": "购买方电话（可空）",
    "buyer.bank": "购买方开户银行（可空）",
    "buyer.bank_account": "购买方银行账号（可空）",
    "buyer.email": "接收发票的邮箱（可空）",
    "lines.kind": "行性质：normal 正常行，discounted 被折扣行，discount 折扣行（默认 normal）",
    "lines.name": "项目名称，如 *信息技术服务*软件开发服务",
    "lines.tax_code": "税收分类编码（19 位数字）",
    "lines.spec": "规格型号（可空）",
    "lines.unit": "单位（可空）",
    "lines.quantity": "数量（与单价同时填写或同时留空）",
    "lines.unit_price": "单价（与数量同时填写或同时留空）",
    "lines.amount": "金额，含税或不含税由 lines.price_includes_tax 决定",
    "lines.tax_rate": "税率，如 0.06 或 6%",
    "lines.price_includes_tax": "金额和单价是否含税：是 / 否（默认 是）",
    "seller_type": "销售方类型：一般纳税人 / 小规模纳税人（可空：按开票账户）",
    "rate_note": "税率说明（小规模纳税人按 3% 开具时必填）：2 开红字或重开，3 放弃减按1%",
    "deduction.mode": "差额征税（可空）：差额开具 / 全额开具；差额发票只能有一行，按含税金额填写",
    "deduction.amount": "差额征税的扣除额（0 到含税金额之间）",
    "lines.tax_treatment": "税收优惠（可空）：免税、不征税、普通零税率、出口零税率、简易征收、"
    "按5%简易征收减按1.5%计征；税率为 0 的行必填",
}

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "draft": "A001",
        "invoice_type": "82",
        "buyer.name": "测试购买方有限公司",
        "buyer.tax_id": "91110108MA01K2P4XY",
        "lines.name": "*信息技术服务*软件开发服务",
        "lines.tax_code": "3040201010000000000",
        "lines.unit": "项",
        "lines.quantity": "1",
        "lines.unit_price": "100.00",
        "lines.amount": "100.00",
        "lines.tax_rate": "0.06",
        "lines.price_includes_tax": "是",
    },
    {
        "draft": "A001",
        "lines.name": "*信息技术服务*信息系统运维服务",
        "lines.tax_code": "3040201030000000000",
        "lines.amount": "50.00",
        "lines.tax_rate": "0.06",
    },
    {
        "draft": "A002",
        "invoice_type": "82",
        "buyer.name": "张三",
        "buyer.natural_person": "是",
        "lines.name": "*信息技术服务*软件开发服务",
        "lines.tax_code": "3040201010000000000",
        "lines.amount": "200.00",
        "lines.tax_rate": "0.06",
    },
)

_TRUE = frozenset({"true", "1", "是", "y", "yes", "t", "含税", "√"})
_FALSE = frozenset({"false", "0", "否", "n", "no", "f", "不含税", ""})


class ImportFailed(Exception):
    """The file cannot be read as a batch at all (message in Chinese, says what to do)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowProblem:
    """A problem placed on the sheet: row number (1-based, as the spreadsheet shows it; 0 for
    the whole file), column header ('' when none), and the domain problem's field path."""

    row: int
    column: str
    field: str
    code: str
    severity: str
    message: str


class ImportedDraft:
    """One draft of the sheet: its rows (cells by header) and what the dry run found.

    A draft checked in the import worker process arrives as compact text (`from_compact`): its
    Draft and Totals are rebuilt from that text only when first asked for, so taking in 5,000
    drafts costs the GUI thread milliseconds, not seconds."""

    __slots__ = (
        "_draft",
        "_draft_json",
        "_total_text",
        "_totals",
        "cells",
        "label",
        "problems",
        "rows",
        "skip",
    )

    def __init__(
        self,
        label: str,
        rows: list[int],  # sheet row numbers, one per line
        cells: list[dict[str, str]],  # one dict per row: header -> text
        draft: Draft | None = None,
        totals: money.Totals | None = None,
        problems: list[RowProblem] | None = None,
        skip: bool = False,
    ) -> None:
        self.label = label
        self.rows = rows
        self.cells = cells
        self._draft = draft  # None: built from _draft_json, or empty, when first asked for
        self._draft_json: str | None = None
        self._totals = totals
        self._total_text: str | None = None  # 价税合计 while the Totals are not built yet
        self.problems: list[RowProblem] = problems if problems is not None else []
        self.skip = skip

    @property
    def draft(self) -> Draft:
        if self._draft is None:
            self._draft = Draft() if self._draft_json is None else draft_from_json(self._draft_json)
            self._draft_json = None
        return self._draft

    @draft.setter
    def draft(self, value: Draft) -> None:
        self._draft = value
        self._draft_json = None

    @property
    def totals(self) -> money.Totals | None:
        if self._total_text is not None:
            self._totals = money.compute_totals(self.draft)
            self._total_text = None
        return self._totals

    @totals.setter
    def totals(self, value: money.Totals | None) -> None:
        self._totals = value
        self._total_text = None

    @property
    def total(self) -> Decimal | None:
        """价税合计 without building the Totals (the table and the summary show only this)."""
        if self._total_text is not None:
            return Decimal(self._total_text)
        return self._totals.total if self._totals is not None else None

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def issuable(self) -> bool:
        return not self.skip and not self.has_errors

    @classmethod
    def from_compact(cls, data: CompactDraft) -> tuple[ImportedDraft, str]:
        """A draft and its content key back from check_chunk's tuple (Draft and Totals are
        built when first asked for)."""
        label, rows, cells, problems, draft_json, total, key = data
        d = cls(label, rows, cells, problems=[RowProblem(*p) for p in problems])
        d._draft_json = draft_json
        d._total_text = total
        return d, key


# label, rows, cells, problems as tuples, draft JSON, 价税合计 text, content key
CompactDraft = tuple[
    str,
    list[int],
    list[dict[str, str]],
    list[tuple[int, str, str, str, str, str]],
    str,
    str | None,
    str,
]


@dataclass
class ImportResult:
    source: str
    columns: list[str]  # the headers found, in sheet order
    drafts: list[ImportedDraft]
    file_problems: list[RowProblem]


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


def _bool(text: str, default: bool) -> bool | None:
    low = text.strip().lower()
    if not low:
        return default
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


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


# ---- building drafts -------------------------------------------------------------------------


def import_file(
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    known_hashes: Callable[[Draft], str | None] | None = None,
) -> ImportResult:
    """Read a sheet into drafts and run the dry run on each. Raises ImportFailed only when the
    file as a whole cannot be read; every row-level problem is a RowProblem instead."""
    headers, rows = _open_sheet(path)
    return import_rows(str(path), headers, rows, progress=progress, known_hashes=known_hashes)


def read_sheet(path: Path) -> ImportResult:
    """The sheet grouped into drafts, not checked yet: `check_chunk` checks them (the import
    worker process does so a chunk at a time, so the dry run shows while it goes on)."""
    headers, rows = _open_sheet(path)
    return group_rows(str(path), headers, rows)


def _open_sheet(path: Path) -> tuple[list[str], Iterator[list[Any]]]:
    try:
        rows = read_rows(path)
        header_row = next(rows, None)
    except OSError as exc:
        raise ImportFailed(f"无法打开文件“{path.name}”：{exc.strerror or exc}。") from None
    if header_row is None:
        raise ImportFailed(f"文件“{path.name}”是空的：请按模板填写后再导入。")
    return [cell_text(v) for v in header_row], rows


def check_chunk(
    drafts: Sequence[ImportedDraft], seen: dict[str, ImportedDraft]
) -> list[CompactDraft]:
    """check_draft each draft and mark it a duplicate of an earlier one with the same content
    (`seen`: content key -> first draft, extended here), as import_rows does; the results as
    compact tuples (ImportedDraft.from_compact takes them back)."""
    out: list[CompactDraft] = []
    for d in drafts:
        check_draft(d)
        data = d.draft.model_dump(mode="json")
        draft_json = json.dumps(data, ensure_ascii=False)
        data.pop("serial_no", None)
        key = json.dumps(data, ensure_ascii=False, sort_keys=True)  # == content_key(d.draft)
        first = seen.setdefault(key, d)
        if first is not d:
            d.problems.append(duplicate_problem(d, first))
        problems = [(p.row, p.column, p.field, p.code, p.severity, p.message) for p in d.problems]
        total = str(d.totals.total) if d.totals is not None else None
        out.append((d.label, d.rows, d.cells, problems, draft_json, total, key))
    return out


def import_rows(
    source: str,
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    *,
    progress: Callable[[int], None] | None = None,
    known_hashes: Callable[[Draft], str | None] | None = None,
) -> ImportResult:
    result = group_rows(source, headers, rows, progress=progress)
    drafts = result.drafts
    for i, d in enumerate(drafts):
        check_draft(d)
        if i % 100 == 0:
            time.sleep(0)
    mark_duplicates(drafts)
    if known_hashes is not None:
        for d in drafts:
            number = known_hashes(d.draft)
            if number:
                d.problems.append(
                    RowProblem(
                        d.rows[0],
                        DRAFT_COLUMN,
                        "",
                        "batch.already_issued",
                        "warning",
                        f"草稿 {d.label} 与已开具的发票 {number} 内容完全相同，将视为已开具，"
                        "不会再开一张；如确需再开，请修改备注后再导入。",
                    )
                )
    return result


def group_rows(
    source: str,
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """The sheet's rows grouped into drafts, not checked yet (check_draft does that). Raises
    ImportFailed when the header row has none of the template's columns."""
    file_problems: list[RowProblem] = []
    index: dict[str, int] = {}
    for i, name in enumerate(headers):
        if not name:
            continue
        if name not in COLUMNS:
            file_problems.append(
                RowProblem(
                    1,
                    name,
                    "",
                    "column.unknown",
                    "warning",
                    f"第 1 行的列名“{name}”不是模板中的列，这一列将被忽略；请核对列名拼写。",
                )
            )
            continue
        index.setdefault(name, i)
    if not any(c in index for c in ("buyer.name", "lines.name", "lines.amount")):
        raise ImportFailed(
            "第 1 行没有找到模板的列名（如 buyer.name、lines.amount）：请先点“下载模板”，"
            "按模板的列填写后再导入。"
        )
    grouped = DRAFT_COLUMN in index
    drafts: list[ImportedDraft] = []
    by_label: dict[str, ImportedDraft] = {}
    current: ImportedDraft | None = None
    wanted = list(index.items())
    for n, raw in enumerate(rows, start=2):
        width = len(raw)
        cells: dict[str, str] = {}
        for name, i in wanted:
            if i < width:
                value = raw[i]
                if value is None:
                    continue
                # strings (nearly every cell) inline: this loop runs for every cell of the sheet
                text = value.strip() if type(value) is str else cell_text(value)
                if text:
                    cells[name] = text
        if not cells:
            continue  # an empty row
        label = cells.get(DRAFT_COLUMN, "") if grouped else ""
        if grouped and not label and current is not None:
            target = current
        else:
            label = label or f"第{n}行"
            found = by_label.get(label)
            if found is None:
                found = ImportedDraft(label=label, rows=[], cells=[])
                by_label[label] = found
                drafts.append(found)
            target = found
        target.rows.append(n)
        target.cells.append(cells)
        current = target
        if n % 200 == 0:
            time.sleep(0)  # hand the interpreter lock to the GUI thread now and then
            if progress is not None and n % 1000 == 0:
                progress(n)
    return ImportResult(source, [h for h in headers if h in index], drafts, file_problems)


def _first(cells: list[dict[str, str]], name: str, rows: list[int]) -> tuple[str, list[int]]:
    """The first non-empty value of a draft-level column, and rows that differ from it."""
    value = ""
    differing: list[int] = []
    for row, c in zip(rows, cells, strict=True):
        text = c.get(name, "")
        if not text:
            continue
        if not value:
            value = text
        elif text != value:
            differing.append(row)
    return value, differing


def _column_of(field_path: str) -> tuple[int | None, str]:
    """'lines[2].tax_rate' -> (2, 'lines.tax_rate'); 'buyer.tax_id' -> (None, 'buyer.tax_id')."""
    if field_path.startswith("lines["):
        close = field_path.index("]")
        line_no = int(field_path[6:close])
        rest = field_path[close + 2 :] if len(field_path) > close + 1 else ""
        return line_no, f"lines.{rest}" if rest else ""
    return None, field_path


def check_draft(d: ImportedDraft) -> ImportedDraft:
    """(Re)build the draft from its cells, compute totals and collect problems. Pure."""
    problems: list[RowProblem] = []
    head: dict[str, Any] = {}
    buyer: dict[str, Any] = {}
    for name in (*DRAFT_FIELDS, *DEDUCTION_FIELDS, *BUYER_FIELDS):
        value, differing = _first(d.cells, name, d.rows)
        for row in differing:
            problems.append(
                RowProblem(
                    row,
                    name,
                    name,
                    "batch.differs",
                    "warning",
                    f"第 {row} 行的 {name} 与本草稿第一行不同，将按第一行的“{value}”开具；"
                    "如有误请修改。",
                )
            )
        if name in BOOL_COLUMNS:
            flag = _bool(value, False)
            if flag is None:
                problems.append(_bool_problem(d.rows[0], name, value))
                flag = False
            buyer["natural_person"] = flag
        elif name.startswith("buyer."):
            buyer[name[6:]] = value
        elif name.startswith("deduction."):
            if value:
                deduction = head.setdefault("deduction", {"mode": "", "amount": ""})
                deduction[name[10:]] = CHINESE_VALUES.get(name, {}).get(value, value)
        elif value:
            head[name] = CHINESE_VALUES.get(name, {}).get(value, value)
    lines: list[Line] = []
    for row, c in zip(d.rows, d.cells, strict=True):
        data: dict[str, Any] = {}
        for name in LINE_FIELDS:
            text = c.get(name, "")
            key = name[6:]
            if name in BOOL_COLUMNS:
                flag = _bool(text, True)
                if flag is None:
                    problems.append(_bool_problem(row, name, text))
                    flag = True
                data[key] = flag
            elif key == "kind":
                kind = text or "normal"
                if kind not in ("normal", "discount", "discounted"):
                    problems.append(
                        RowProblem(
                            row,
                            name,
                            f"lines[{len(lines)}].kind",
                            "line.kind",
                            "error",
                            f"第 {row} 行的行性质“{text}”不正确：应为 normal、discount 或 "
                            "discounted，请修改。",
                        )
                    )
                    kind = "normal"
                data[key] = kind
            elif key == "tax_rate" and text.endswith("%"):
                data[key] = _percent_to_rate(text)
            elif key == "tax_treatment":
                data[key] = CHINESE_VALUES[name].get(text, text)
            else:
                data[key] = text
        lines.append(Line(**data))
    draft = Draft(buyer=Buyer(**buyer), lines=lines, **head)
    for p in rules.validate(draft):
        line_no, column = _column_of(p.field)
        row = d.rows[line_no] if line_no is not None and line_no < len(d.rows) else d.rows[0]
        problems.append(RowProblem(row, column, p.field, p.code, p.severity, p.message))
    d.draft = draft
    d.totals = money.compute_totals(draft)
    d.problems = problems
    return d


def _percent_to_rate(text: str) -> str:
    try:
        return format(Decimal(text[:-1].strip()) / 100, "f")
    except ArithmeticError:
        return text  # the domain rules then name the bad figure


def _bool_problem(row: int, column: str, text: str) -> RowProblem:
    return RowProblem(
        row,
        column,
        column,
        "batch.bool",
        "error",
        f"第 {row} 行的 {column}“{text}”无法识别：请填写 是 或 否。",
    )


def content_key(draft: Draft) -> str:
    data = draft.model_dump(mode="json")
    data.pop("serial_no", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def mark_duplicates(drafts: list[ImportedDraft]) -> None:
    """A draft with the same content as an earlier one in the sheet is an error (see module)."""
    seen: dict[str, ImportedDraft] = {}
    for d in drafts:
        d.problems = [p for p in d.problems if p.code != "batch.duplicate"]
        if d.skip:
            continue
        key = content_key(d.draft)
        first = seen.get(key)
        if first is None:
            seen[key] = d
            continue
        d.problems.append(duplicate_problem(d, first))


def duplicate_problem(d: ImportedDraft, first: ImportedDraft) -> RowProblem:
    return RowProblem(
        d.rows[0],
        DRAFT_COLUMN,
        "",
        "batch.duplicate",
        "error",
        f"草稿 {d.label} 与草稿 {first.label}（第 {first.rows[0]} 行）内容完全相同，"
        "会被当作同一张发票：如确需开两张，请在备注中加以区分；否则请跳过其中一张。",
    )


def edit_cell(d: ImportedDraft, row: int, column: str, text: str) -> ImportedDraft:
    """Change one cell of a draft (sheet row number, column header) and check it again."""
    if column not in COLUMNS or column == DRAFT_COLUMN:
        raise ValueError(f"column {column!r} cannot be edited")
    i = d.rows.index(row)
    d.cells[i] = {**d.cells[i], column: text.strip()}
    return check_draft(d)


def from_draft(label: str, draft: Draft) -> ImportedDraft:
    """A stored draft back as sheet cells (to edit a rejected one the way the dry run does)."""

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "是" if value else "否"
        return "" if value is None else str(value)

    head = {name: text(getattr(draft, name)) for name in DRAFT_FIELDS}
    if draft.deduction is not None:
        head["deduction.mode"] = draft.deduction.mode
        head["deduction.amount"] = draft.deduction.amount
    head.update({f"buyer.{k}": text(v) for k, v in draft.buyer.model_dump().items()})
    cells = []
    for i, line in enumerate(draft.lines or [Line()]):
        row = {f"lines.{k}": text(v) for k, v in line.model_dump().items()}
        if i == 0:
            row.update(head)
        cells.append({k: v for k, v in row.items() if v})
    d = ImportedDraft(label=label, rows=list(range(1, len(cells) + 1)), cells=cells)
    return check_draft(d)


# ---- writing ---------------------------------------------------------------------------------


def write_template(path: Path) -> None:
    """The import template: headers with a comment each, text-formatted columns, an example."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "发票"
    example = book.create_sheet("示例")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for ws in (sheet, example):
        for col, name in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=1, column=col, value=name)
            cell.font = bold
            cell.fill = fill
            cell.comment = Comment(COLUMN_HELP[name], "InvoiceDesk", width=260, height=90)
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = max(12, min(30, len(name) + 6))
            # text format: figures typed here stay text (no binary float, no lost zeros)
            for row in range(2, 501 if ws is sheet else 2 + len(EXAMPLE_ROWS)):
                ws.cell(row=row, column=col).number_format = "@"
        ws.freeze_panes = "B2"
    for r, values in enumerate(EXAMPLE_ROWS, start=2):
        for col, name in enumerate(COLUMNS, start=1):
            if name in values:
                example.cell(row=r, column=col, value=values[name])
    book.save(path)


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


@dataclass(frozen=True)
class ResultRow:
    label: str
    state: str  # Chinese label
    number: str
    date: str
    amount: str
    tax: str
    total: str
    serial: str
    reason: str


def write_results(path: Path, rows: Sequence[ResultRow]) -> None:
    """The batch result as .xlsx (draft, state, number, date, totals, serial, reason)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("开票结果")
    sheet.append(list(RESULT_COLUMNS))
    for r in rows:
        sheet.append(
            [r.label, r.state, r.number, r.date, r.amount, r.tax, r.total, r.serial, r.reason]
        )
    book.save(path)
