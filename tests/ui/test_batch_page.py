"""The batch page through the sandbox: import a workbook with good and bad rows, fix one in the
dry-run table, skip one, issue, see the final states; reopen an unfinished batch after a
"crash"; retry the rejected after the credit line was raised; edit a rejected draft."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QApplication, QLineEdit

from invoicedesk.services.batches import BatchService
from invoicedesk.ui.batch.models import ERROR_BG
from invoicedesk.ui.batch.page import BatchPage
from invoicedesk.ui.batch.progress_page import EditDialog
from tests.conftest import run_in_loop
from tests.e2e.helpers import control, open_services, sandbox_invoices
from tests.services.test_batch_io import GOOD, write_xlsx
from tests.services.test_batches import imported


def shot(widget: Any, tmp_path: Path, name: str) -> Path:
    """Save a screenshot (also into $BATCH_SCREENSHOTS when set, to look at)."""
    folder = Path(os.environ.get("BATCH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


@pytest.fixture
def services(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> Iterator[Any]:
    s = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    yield s
    run_in_loop(qtbot, qloop, s.aclose())


def make_page(qtbot: Any, qloop: Any, services: Any) -> BatchPage:
    page = BatchPage(services)
    qtbot.addWidget(page)
    page.resize(1280, 640)
    page.show()
    qtbot.waitExposed(page)
    return page


def finished(page: BatchPage, runs: int = 1) -> bool:
    """The page's `runs`-th run is over and every draft is settled."""
    views = page.progress_page.model.views
    return page.runs_done >= runs and all(
        v.state in ("issued", "rejected", "skipped") for v in views
    )


def close_page(qtbot: Any, qloop: Any, page: BatchPage) -> None:
    run_in_loop(qtbot, qloop, page.aclose())


def test_import_fix_skip_issue(
    qtbot: Any, qloop: Any, services: Any, sandbox: Any, tmp_path: Path
) -> None:
    page = make_page(qtbot, qloop, services)
    assert run_in_loop(qtbot, qloop, page.restore()) is False
    page.import_page.profile_box.setCurrentText("piaodanyun")
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {"draft": "A", **GOOD, "lines.amount": "50.00"},
        {"draft": "B", **GOOD, "buyer.name": "乙公司", "lines.amount": "12x"},
        {"draft": "C", **GOOD, "buyer.name": "丙公司", "buyer.tax_id": "91110108MA01K2P4X0"},
        {"draft": "D", **GOOD, "buyer.name": "丁公司", "lines.tax_code": "123"},
    ]
    book = write_xlsx(tmp_path / "月末.xlsx", rows)
    assert run_in_loop(qtbot, qloop, page.import_page.load(book))
    ip = page.import_page
    model = ip.model
    assert model.rowCount() == 5
    assert "共 4 张" in ip.summary.text() and "有错误 2 张" in ip.summary.text()
    amount_col = next(
        c for c in range(model.columnCount()) if model.column_name(c) == "lines.amount"
    )
    bad = model.index(2, amount_col)  # B's amount (model row 2, sheet row 4)
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert "金额" in model.data(bad, Qt.ItemDataRole.ToolTipRole)
    ip.table.setCurrentIndex(bad)
    assert "金额" in ip.detail.text()
    shot(page, tmp_path, "batch-dry-run.png")

    # fix B's amount in place, through the table's own editor
    ip.table.setCurrentIndex(bad)
    ip.table.edit(bad)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "120.00")
    # what the delegate does on Return (offscreen, QTest's Return does not reach its filter)
    ip.table.commitData(editor)
    ip.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(2, model.columnCount() - 2)) == "120.00"
    # skip D (its tax code is wrong) with the skip button
    ip.table.selectRow(4)
    ip.skip_button.click()
    assert "可开具 3 张" in ip.summary.text() and "跳过 1 张" in ip.summary.text()
    assert ip.start_button.isEnabled()

    ip.concurrency.setValue(3)
    qtbot.mouseClick(ip.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: finished(page), timeout=30000)
    assert services.store.get_setting("batch.concurrency.piaodanyun") == "3"
    views = page.progress_page.model.views
    assert [(v.label, v.state) for v in views] == [
        ("A", "issued"),
        ("B", "issued"),
        ("C", "issued"),
        ("D", "skipped"),
    ]
    theirs = {i["number"] for i in sandbox_invoices(sandbox, "piaodanyun")}
    assert {v.number for v in views if v.state == "issued"} == theirs and len(theirs) == 3
    assert "已完成 3 / 3" in page.progress_page.status.text()
    assert not page.progress_page.continue_button.isEnabled()
    shot(page, tmp_path, "batch-progress.png")
    close_page(qtbot, qloop, page)


def test_reopens_an_unfinished_batch_and_continues(
    qtbot: Any, qloop: Any, services: Any, sandbox: Any
) -> None:
    # as if the program died after two of five: the store has the batch, two items issued
    batches = BatchService.for_services(services)
    batch_id = run_in_loop(qtbot, qloop, batches.create("piaodanyun", "crash.xlsx", imported(5)))
    cancel_after_two = {"n": 0}

    def on_item(view: Any) -> None:
        if view.state == "issued":
            cancel_after_two["n"] += 1
            if cancel_after_two["n"] == 2:
                batches.cancel(batch_id)

    run_in_loop(qtbot, qloop, batches.run(batch_id, on_item=on_item, concurrency=1))
    services.store.set_batch_state(batch_id, "running")  # the crash left it running
    # a draft already in flight when the cancel came went out too (the batch service works on
    # more drafts than the vendor limit, so its local work overlaps the calls)
    issued = len(sandbox_invoices(sandbox, "piaodanyun"))
    assert 2 <= issued < 5

    page = make_page(qtbot, qloop, services)
    assert run_in_loop(qtbot, qloop, page.restore()) is True
    assert page.currentWidget() is page.progress_page
    assert page.progress_page.banner.isVisible()
    assert f"已开具 {issued} 张，还有 {5 - issued} 张" in page.progress_page.banner.text()
    assert page.progress_page.continue_button.isEnabled()
    qtbot.mouseClick(page.progress_page.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: finished(page), timeout=30000)
    assert [v.state for v in page.progress_page.model.views] == ["issued"] * 5
    assert len(sandbox_invoices(sandbox, "piaodanyun")) == 5
    assert services.store.open_batches() == []
    close_page(qtbot, qloop, page)


def test_rejected_for_credit_then_edited_and_retried(
    qtbot: Any, qloop: Any, services: Any, sandbox: Any, tmp_path: Path
) -> None:
    control(sandbox, "settings", {"credit_total": "150.00"})
    batches = BatchService.for_services(services)
    batch_id = run_in_loop(qtbot, qloop, batches.create("piaodanyun", "c.xlsx", imported(2)))
    page = make_page(qtbot, qloop, services)
    assert run_in_loop(qtbot, qloop, page.restore()) is True
    qtbot.mouseClick(page.progress_page.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: finished(page), timeout=30000)
    views = page.progress_page.model.views
    assert sorted(v.state for v in views) == ["issued", "rejected"]
    row = next(i for i, v in enumerate(views) if v.state == "rejected")
    kept = next(v for v in views if v.state == "issued")
    assert "额度" in views[row].reason
    assert page.progress_page.retry_button.isEnabled()
    shot(page, tmp_path, "batch-progress-rejected.png")

    # edit the rejected draft (修改 on its row): a smaller amount that fits the credit left
    page.progress_page.table.selectRow(row)
    page.progress_page.edit_button.click()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, EditDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EditDialog))
    m = dialog.model
    amount_col = next(c for c in range(m.columnCount()) if m.column_name(c) == "lines.amount")
    price_col = next(c for c in range(m.columnCount()) if m.column_name(c) == "lines.unit_price")
    assert m.setData(m.index(0, amount_col), "20.00")
    assert m.setData(m.index(0, price_col), "20.00")
    dialog.accept()
    qtbot.waitUntil(lambda: str(views[row].total) == "20.00")  # the edit is in the batch
    qtbot.mouseClick(page.progress_page.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: finished(page, 2), timeout=30000)
    assert [v.state for v in page.progress_page.model.views] == ["issued", "issued"]
    theirs = sandbox_invoices(sandbox, "piaodanyun")
    assert sorted(str(i["total"]) for i in theirs) == sorted([f"{kept.total:.2f}", "20.00"])
    assert batch_id == page.batch_id
    close_page(qtbot, qloop, page)


def test_a_sheet_of_several_chunks_fills_the_dry_run_in_order(
    qtbot: Any, qloop: Any, tmp_path: Path
) -> None:
    import multiprocessing

    from invoicedesk.services import batch_import
    from invoicedesk.ui.batch.import_page import ImportPage
    from invoicedesk.ui.batch.models import row_layout

    page = ImportPage()
    qtbot.addWidget(page)
    page.resize(1280, 640)
    page.show()
    n = batch_import.CHUNK + 20
    rows: list[dict[str, object]] = [
        {"draft": f"D{i}", **GOOD, "remark": f"第{i}号"} for i in range(n)
    ]
    rows[-1]["lines.amount"] = "12x"  # an error in the second chunk
    book = write_xlsx(tmp_path / "大表.xlsx", rows)
    try:
        assert run_in_loop(qtbot, qloop, page.load(book))
        model = page.model
        assert model.rowCount() == n and len(model.drafts) == n and not model.loading
        assert [d.label for d in model.drafts] == [f"D{i}" for i in range(n)]
        assert f"共 {n} 张" in page.summary.text() and "有错误 1 张" in page.summary.text()
        amount_col = next(
            c for c in range(model.columnCount()) if model.column_name(c) == "lines.amount"
        )
        bad = model.index(n - 1, amount_col)
        assert model.data(bad, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
        assert model.flags(bad) & Qt.ItemFlag.ItemIsEditable
        assert model.setData(bad, "12.00")
        assert "有错误 0 张" in page.summary.text()
        # while drafts are still being checked: placeholders, nothing editable
        first = model.drafts[0]
        model.expect_drafts(row_layout([1, 2]))
        assert model.add_drafts([first], ["k"]) == (0, 0)
        assert model.loading and not model.setData(model.index(0, amount_col), "1")
        assert not model.flags(model.index(1, amount_col)) & Qt.ItemFlag.ItemIsEditable
        assert model.data(model.index(2, model.columnCount() - 1)) == "检查中…"
    finally:
        run_in_loop(qtbot, qloop, page.aclose())
    assert multiprocessing.active_children() == []


def test_dry_run_says_which_drafts_the_chosen_account_cannot_carry(
    qtbot: Any, qloop: Any, services: Any, sandbox: Any, tmp_path: Path
) -> None:
    page = make_page(qtbot, qloop, services)
    run_in_loop(qtbot, qloop, page.refresh_profiles())
    ip = page.import_page
    ip.profile_box.setCurrentText("open-api")
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {"draft": "B", **GOOD, "lines.tax_rate": "0", "lines.tax_treatment": "免税"},
    ]
    book = write_xlsx(tmp_path / "免税.xlsx", rows)
    assert run_in_loop(qtbot, qloop, ip.load(book))
    qtbot.waitUntil(lambda: "可开具 2 张" in ip.summary.text(), timeout=20000)
    assert "草稿 B" in ip.summary.text() and "免税" in ip.summary.text()
    shot(page, tmp_path, "batch-not-carried.png")
    ip.profile_box.setCurrentText("piaodanyun")
    assert "草稿 B" not in ip.summary.text()
    close_page(qtbot, qloop, page)
