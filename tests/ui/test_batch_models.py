"""The batch pages' Qt models under qtmodeltester: the dry run while a sheet of several chunks
arrives (rows inserted as placeholders, then filled), edited, skipped and replaced by the next
import; the progress while a batch runs (rows changed) and when a batch is reopened (reset)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from invoicedesk.services import batch_import
from invoicedesk.services.batches import BatchService
from invoicedesk.ui.batch.import_page import ImportPage
from invoicedesk.ui.batch.page import BatchPage
from tests.conftest import run_in_loop
from tests.e2e.helpers import control, open_services
from tests.services.test_batch_io import GOOD, write_xlsx
from tests.services.test_batches import imported


@pytest.fixture
def services(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> Iterator[Any]:
    s = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    yield s
    run_in_loop(qtbot, qloop, s.aclose())


@pytest.fixture
def pages(qtbot: Any) -> Iterator[list[QWidget]]:
    """Pages closed after qtmodeltester has let go of their models (a fixture asked for before
    qtmodeltester ends after it; qtbot.addWidget would delete them while it still watches)."""
    kept: list[QWidget] = []
    yield kept
    for page in kept:
        page.close()


def test_dry_run_model_through_imports_edits_and_skips(
    qtbot: Any, qloop: Any, qtmodeltester: Any, tmp_path: Path
) -> None:
    page = ImportPage()
    qtbot.addWidget(page)
    page.resize(1280, 640)
    page.show()
    model = page.model
    # the tester checks the empty model now and the whole model again on every signal it
    # sends (inserts, data changes, resets); check() is called once: a second call would
    # connect the tester twice
    qtmodeltester.check(model, force_py=True)
    n = batch_import.CHUNK + 5  # two chunks
    rows: list[dict[str, object]] = [
        {"draft": f"D{i}", **GOOD, "remark": f"第{i}号"} for i in range(n)
    ]
    rows.append({"draft": f"D{n - 1}", **GOOD, "lines.amount": "12x"})  # two rows, one bad
    try:
        assert run_in_loop(qtbot, qloop, page.load(write_xlsx(tmp_path / "大表.xlsx", rows)))
        assert model.rowCount() == n + 1 and not model.loading

        amount_col = next(
            c for c in range(model.columnCount()) if model.column_name(c) == "lines.amount"
        )
        assert model.setData(model.index(n, amount_col), "12.00")
        assert model.setData(
            model.index(0, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
        )
        assert model.summary()[:3] == (n - 1, 0, 1)

        # the next import replaces the rows (a reset, then placeholders inserted and filled)
        small = [{"draft": "A", **GOOD}, {"draft": "B", **GOOD, "buyer.tax_id": "123"}]
        assert run_in_loop(qtbot, qloop, page.load(write_xlsx(tmp_path / "小表.xlsx", small)))
        assert model.rowCount() == 2 and model.summary()[:2] == (1, 1)
    finally:
        run_in_loop(qtbot, qloop, page.aclose())


def test_progress_model_through_a_run_and_a_reopened_batch(
    qtbot: Any,
    qloop: Any,
    services: Any,
    sandbox: Any,
    pages: list[QWidget],
    qtmodeltester: Any,
) -> None:
    control(sandbox, "settings", {"credit_total": "150.00"})  # one of the two is refused
    batches = BatchService.for_services(services)
    batch_id = run_in_loop(qtbot, qloop, batches.create("piaodanyun", "c.xlsx", imported(2)))
    page = BatchPage(services)
    pages.append(page)
    page.show()
    model = page.progress_page.model
    qtmodeltester.check(model, force_py=True)  # and again on every signal, as above
    try:
        assert run_in_loop(qtbot, qloop, page.restore()) is True  # set_items: a reset
        assert model.rowCount() == 2 and page.batch_id == batch_id
        qtbot.mouseClick(page.progress_page.continue_button, Qt.MouseButton.LeftButton)
        # each draft's new state arrives as a row change
        qtbot.waitUntil(
            lambda: (
                page.runs_done >= 1
                and sorted(v.state for v in model.views) == ["issued", "rejected"]
            ),
            timeout=30000,
        )
    finally:
        run_in_loop(qtbot, qloop, page.aclose())
