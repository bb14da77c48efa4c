"""Batch spreadsheets: template, .xlsx/.csv import (UTF-8 and GBK), dry-run problems placed on
rows and columns, in-place fixes, duplicates, results export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from invoicedesk.services import batch_io

GOOD = {
    "buyer.name": "测试购买方有限公司",
    "buyer.tax_id": "91110108MA01K2P4XY",
    "lines.name": "*信息技术服务*软件开发服务",
    "lines.tax_code": "3040201010000000000",
    "lines.amount": "100.00",
    "lines.tax_rate": "0.06",
}


def write_xlsx(
    path: Path, rows: list[dict[str, object]], headers: tuple[str, ...] = batch_io.COLUMNS
) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def test_template_has_every_column_with_a_comment_and_an_example_that_imports(
    tmp_path: Path,
) -> None:
    path = tmp_path / "模板.xlsx"
    batch_io.write_template(path)
    book = load_workbook(path)
    assert book.sheetnames == ["发票", "示例"]
    head = [c.value for c in book["发票"][1]]
    assert head == list(batch_io.COLUMNS)
    assert all(c.comment is not None and c.comment.text for c in book["发票"][1])
    # the example sheet, copied as the first sheet, is a valid batch of two drafts
    example = tmp_path / "example.xlsx"
    rows = [
        dict(zip(head, (c.value for c in r), strict=True))
        for r in book["示例"].iter_rows(min_row=2)
    ]
    write_xlsx(example, rows)
    result = batch_io.import_file(example)
    assert [d.label for d in result.drafts] == ["A001", "A002"]
    assert [len(d.draft.lines) for d in result.drafts] == [2, 1]
    assert not any(d.has_errors for d in result.drafts), [d.problems for d in result.drafts]
    assert result.drafts[1].draft.buyer.natural_person is True


def test_rows_group_into_drafts_with_totals_and_problems_on_their_cells(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {
            "lines.name": "*信息技术服务*软件开发服务",
            "lines.tax_code": "3040201010000000000",
            "lines.amount": 50.1,
            "lines.tax_rate": "6%",
        },  # empty draft cell: same draft as above
        {"draft": "B", **GOOD, "lines.amount": "abc"},
        {},  # an empty row is ignored
        {"draft": "C", **GOOD, "buyer.tax_id": "91110108MA01K2P4X0", "remark": "x"},
    ]
    result = batch_io.import_file(write_xlsx(tmp_path / "b.xlsx", rows))
    a, b, c = result.drafts
    assert (a.rows, b.rows, c.rows) == ([2, 3], [4], [6])
    assert a.draft.lines[1].amount == "50.1" and a.draft.lines[1].tax_rate == "0.06"
    assert a.totals is not None and a.totals.total == Decimal("150.10")
    assert not a.problems
    [bad] = [p for p in b.problems if p.severity == "error"]
    assert (bad.row, bad.column, bad.field) == (4, "lines.amount", "lines[0].amount")
    assert "金额" in bad.message
    assert not b.issuable
    [warn] = c.problems
    assert (warn.row, warn.column, warn.severity) == (6, "buyer.tax_id", "warning")
    assert c.issuable  # a warning does not block


def test_fix_a_cell_in_place_clears_its_problem(tmp_path: Path) -> None:
    result = batch_io.import_file(
        write_xlsx(tmp_path / "b.xlsx", [{"draft": "B", **GOOD, "lines.amount": "abc"}])
    )
    [d] = result.drafts
    assert d.has_errors
    batch_io.edit_cell(d, 2, "lines.amount", "88.00")
    assert not d.has_errors and d.totals is not None and d.totals.total == Decimal("88.00")
    with pytest.raises(ValueError):
        batch_io.edit_cell(d, 2, "draft", "Z")


def test_same_content_twice_is_an_error_until_told_apart(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [{"draft": "A", **GOOD}, {"draft": "B", **GOOD}]
    result = batch_io.import_file(write_xlsx(tmp_path / "d.xlsx", rows))
    a, b = result.drafts
    assert not a.has_errors
    assert [p.code for p in b.problems] == ["batch.duplicate"]
    batch_io.edit_cell(b, 3, "remark", "第二期")
    batch_io.mark_duplicates(result.drafts)
    assert not b.has_errors


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(tmp_path: Path, encoding: str) -> None:
    headers = ["draft", *GOOD]
    lines = [
        ",".join(headers),
        ",".join(["A", *GOOD.values()]),
        ",".join(["B", *GOOD.values()]).replace("100.00", "200.00"),
    ]
    path = tmp_path / "b.csv"
    path.write_bytes("\n".join(lines).encode(encoding))
    result = batch_io.import_file(path)
    assert [d.draft.buyer.name for d in result.drafts] == ["测试购买方有限公司"] * 2
    assert [d.totals.total for d in result.drafts if d.totals] == [
        Decimal("100.00"),
        Decimal("200.00"),
    ]


def test_unreadable_files_say_what_to_do(tmp_path: Path) -> None:
    junk = tmp_path / "x.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(batch_io.ImportFailed, match="xlsx"):
        batch_io.import_file(junk)
    with pytest.raises(batch_io.ImportFailed, match=r"xlsx 或 \.csv"):
        batch_io.import_file(tmp_path / "x.json")
    bad = tmp_path / "h.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(batch_io.ImportFailed, match="下载模板"):
        batch_io.import_file(bad)
    unknown = write_xlsx(
        tmp_path / "u.xlsx",
        [{"draft": "A", **GOOD, "colour": "red"}],
        headers=(*batch_io.COLUMNS, "colour"),
    )
    result = batch_io.import_file(unknown)
    assert [p.code for p in result.file_problems] == ["column.unknown"]


def test_results_export(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    batch_io.write_results(
        path,
        [
            batch_io.ResultRow(
                "A", "已开具", "2533", "2026-05-20", "94.34", "5.66", "100.00", "S1", ""
            )
        ],
    )
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == list(batch_io.RESULT_COLUMNS)
    assert rows[1][:3] == ["A", "已开具", "2533"]


def test_a_stored_draft_comes_back_as_the_same_cells() -> None:
    from tests.services.helpers import make_draft

    draft = make_draft(3).model_copy(update={"remark": "三月"})
    d = batch_io.from_draft("X", draft)
    assert not d.problems
    assert batch_io.content_key(d.draft) == batch_io.content_key(draft)


def openpyxl_values(path: Path) -> list[list[object]]:
    """What openpyxl's read-only reader gives, trailing empty cells left off (as the fast
    reader leaves them)."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


def test_fast_reader_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    import datetime as dt

    # shared strings (a normal workbook), numbers, dates, booleans, gaps, a missing row
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["draft", "buyer.name", "lines.amount", "lines.quantity", "remark"])
    sheet.append(["A", "  甲公司 ", 100.5, 3, True])
    sheet.append([None, None, 0.1 + 0.2, None, dt.datetime(2026, 5, 20, 8, 30)])
    sheet["F5"] = "far right, two rows down"
    sheet["A6"] = 1e21
    sheet["B6"] = dt.date(2026, 1, 31)
    sheet["B6"].number_format = "yyyy-mm-dd"
    sheet["C6"] = "=1+1"  # a formula without a cached value reads as nothing
    sheet["D6"] = False
    book.create_sheet("second")["A1"] = "not read"
    shared = tmp_path / "shared.xlsx"
    book.save(shared)
    # inline strings (what a write-only workbook writes)
    inline = tmp_path / "inline.xlsx"
    wo = Workbook(write_only=True)
    ws = wo.create_sheet("发票")
    ws.append(["draft", "lines.name", "lines.amount"])
    ws.append(["B", "*信息技术服务*软件开发服务", "12.30"])
    ws.append([])
    ws.append([None, "x", -4])
    wo.save(inline)
    for path in (shared, inline):
        assert batch_io.read_xlsx_values(path) == openpyxl_values(path)
    assert batch_io.read_xlsx_values(shared)[5][1] == dt.datetime(2026, 1, 31)


def test_checking_in_chunks_gives_what_import_file_gives(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {"draft": "A", **GOOD, "lines.amount": "50.00"},
        {"draft": "B", **GOOD, "lines.amount": "12x"},
        {"draft": "C", **GOOD, "buyer.tax_id": "91110108MA01K2P4X0"},
        {"draft": "D", **GOOD},  # duplicate of nothing: A has two lines
        {"draft": "E", **GOOD},  # the same content as D, in the next chunk
    ]
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    whole = batch_io.import_file(path)
    grouped = batch_io.read_sheet(path)
    assert [d.problems for d in grouped.drafts] == [[]] * 5  # not checked yet
    seen: dict[str, batch_io.ImportedDraft] = {}
    compact = batch_io.check_chunk(grouped.drafts[:4], seen)
    compact += batch_io.check_chunk(grouped.drafts[4:], seen)
    back = [batch_io.ImportedDraft.from_compact(c) for c in compact]
    assert len(back) == len(whole.drafts) == 5
    for (d, key), w in zip(back, whole.drafts, strict=True):
        assert (d.label, d.rows, d.cells) == (w.label, w.rows, w.cells)
        assert d.problems == w.problems
        assert d.total == (w.totals.total if w.totals else None)
        assert key == batch_io.content_key(w.draft)
        # the Draft and Totals are built from the text when first asked for
        assert d.draft == w.draft and d.totals == w.totals
    assert [p.code for p in back[4][0].problems] == ["batch.duplicate"]


def test_treatment_columns_import_in_chinese_or_as_keys(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {**GOOD, "draft": "A", "lines.tax_rate": "0", "lines.tax_treatment": "免税"},
        {
            **GOOD,
            "draft": "B",
            "lines.tax_code": "3040803010000000000",
            "lines.name": "*人力资源服务*劳务派遣服务",
            "lines.amount": "10600.00",
            "seller_type": "一般纳税人",
            "deduction.mode": "差额开具",
            "deduction.amount": "5300.00",
        },
        {
            **GOOD,
            "draft": "C",
            "lines.tax_rate": "0.03",
            "lines.amount": "103.00",
            "seller_type": "small_scale",
        },
    ]
    result = batch_io.import_file(write_xlsx(tmp_path / "t.xlsx", rows))
    a, b, c = result.drafts
    assert a.draft.lines[0].tax_treatment == "exempt" and not a.has_errors
    assert b.draft.seller_type == "general"
    assert b.draft.deduction is not None and b.draft.deduction.mode == "partial"
    assert b.totals is not None and (b.totals.amount, b.totals.tax) == (
        Decimal("10300.00"),
        Decimal("300.00"),
    )
    assert not b.has_errors
    # a small-scale 3% draft without its 税率说明: the problem sits on the rate_note column
    problem = next(p for p in c.problems if p.code == "rate_note.required")
    assert (problem.column, problem.severity) == ("rate_note", "error")
    again = batch_io.from_draft("B", b.draft)
    assert again.draft == b.draft  # a stored draft comes back with its 差额 columns
    assert "lines.tax_treatment" in batch_io.COLUMN_HELP and "deduction.mode" in batch_io.COLUMNS
