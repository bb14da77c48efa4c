"""Batch spreadsheets: the Excel template, importing .xlsx/.csv into drafts with problems per row
and field (the dry run), and exporting a batch's results.

Everything here is plain, synchronous and pure apart from file reads and writes: callers run it
off the GUI loop (the import page in a worker process, services/batch_import.py; the command
line in a thread).

The sheet (draft-format.md): one row per invoice line; each column fills one field of the draft
(keyed here by field: `buyer.name`, `lines.quantity`, ...). The template's headers are Chinese
(购买方名称, 数量, ...; services/batch_columns.py holds the one table of them); a sheet with the
field keys as headers (the first templates) is still read. The 草稿编号 column groups rows into
drafts.
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

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.domain import money, rules, treatments
from invoicedesk.domain.models import Buyer, Draft, Line, draft_from_json
from invoicedesk.services.batch_columns import (
    BUYER_FIELDS,
    COLUMNS,
    DEDUCTION_FIELDS,
    DRAFT_COLUMN,
    DRAFT_FIELDS,
    INVOICE_TYPE_NAMES,
    LINE_FIELDS,
    header_of,
    invoice_type_code,
    key_of,
    kind_code,
)
from invoicedesk.services.batch_results import (  # noqa: F401 - the results export, re-exported
    RESULT_COLUMNS,
    ResultRow,
    write_results,
)
from invoicedesk.services.batch_template import (  # noqa: F401 - re-exported
    COLUMN_HELP,
    write_template,
)
from invoicedesk.services.sheet_files import (  # noqa: F401 - re-exported
    ImportFailed,
    cell_text,
    decode_csv,
    read_rows,
    read_xlsx_values,
)

# The sheet may say the treatments in Chinese; the draft keeps the format's keys.
CHINESE_VALUES: dict[str, dict[str, str]] = {
    "lines.tax_treatment": {name: key for key, name in treatments.TREATMENTS.items() if key},
    "seller_type": {name: key for key, name in treatments.SELLER_TYPES.items() if key},
    "deduction.mode": {name: key for key, name in money.DEDUCTION_MODES.items()},
}
_COLUMN_SET = frozenset(COLUMNS)
BOOL_COLUMNS = frozenset({"buyer.natural_person", "lines.price_includes_tax"})


_TRUE = frozenset({"true", "1", "是", "y", "yes", "t", "含税", "√"})
_FALSE = frozenset({"false", "0", "否", "n", "no", "f", "不含税", ""})


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


def _bool(text: str, default: bool) -> bool | None:
    low = text.strip().lower()
    if not low:
        return default
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


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
    for i, header in enumerate(headers):
        if not header:
            continue
        name = key_of(header, _COLUMN_SET) or header
        if name not in _COLUMN_SET:
            file_problems.append(
                RowProblem(
                    1,
                    name,
                    "",
                    "column.unknown",
                    "warning",
                    f"第 1 行的列名“{header}”不是模板中的列，这一列将被忽略；请核对列名拼写。",
                )
            )
            continue
        index.setdefault(name, i)
    if not any(c in index for c in ("buyer.name", "lines.name", "lines.amount")):
        raise ImportFailed(
            "第 1 行没有找到模板的列名（如 购买方名称、项目名称、金额）：请先点“下载模板”，"
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
    return ImportResult(source, sorted(index, key=index.__getitem__), drafts, file_problems)


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
                    f"第 {row} 行的{header_of(name)}与本草稿第一行不同，将按第一行的“{value}”开具；"
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
        elif name == "invoice_type" and value:
            head[name] = invoice_type_code(value)  # 数电普票 / 数电专票, or the code
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
                kind = kind_code(text) or "normal"
                if kind not in ("normal", "discount", "discounted"):
                    problems.append(
                        RowProblem(
                            row,
                            name,
                            f"lines[{len(lines)}].kind",
                            "line.kind",
                            "error",
                            f"第 {row} 行的行性质“{text}”不正确：应为 正常、被折扣行 或 折扣行"
                            "（或 normal、discounted、discount），请修改。",
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
        f"第 {row} 行的{header_of(column)}“{text}”无法识别：请填写 是 或 否。",
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
    head["invoice_type"] = INVOICE_TYPE_NAMES.get(head["invoice_type"], head["invoice_type"])
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
