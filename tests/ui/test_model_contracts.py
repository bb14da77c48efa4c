"""qtmodeltester on the Qt models the pages own that have no contract test of their own (the
history and lines models have theirs in test_history.py and test_lines_model.py): each loaded
with real data through the sandbox or the store, and kept under the tester while the page
changes it (rows inserted, reset, edited, filtered). `check` is called once per model, before the
changes: it runs every check then, and again on every signal the model emits until the test ends
(a second `check` on the same model would connect its handlers twice)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from invoicedesk.domain.catalog import TaxCatalog, default_catalog
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.catalogs import CatalogService, Customer, Product
from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store
from invoicedesk.ui.batch.page import BatchPage
from invoicedesk.ui.catalog_pages import customers_page, products_page
from invoicedesk.ui.code_browser import CodeBrowser
from invoicedesk.ui.drafts_page import DraftsPage
from invoicedesk.ui.lines_model import Col
from tests.conftest import run_in_loop
from tests.e2e.helpers import open_services
from tests.services.test_batch_io import GOOD, write_xlsx
from tests.ui.keys import type_text


@pytest.fixture
def services(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> Iterator[Any]:
    s = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    yield s
    run_in_loop(qtbot, qloop, s.aclose())


@pytest.fixture
def page(qtbot: Any, qloop: Any, services: Any) -> Iterator[BatchPage]:
    """The batch page, kept until after the model tester lets go of its models (a test asks for
    it before `qtmodeltester`, so it is torn down after the tester)."""
    page = BatchPage(services)
    qtbot.addWidget(page)
    page.resize(1280, 640)
    page.show()
    qtbot.waitExposed(page)
    yield page
    run_in_loop(qtbot, qloop, page.aclose())


def column_of(model: Any, name: str) -> int:
    return next(c for c in range(model.columnCount()) if model.column_name(c) == name)


def test_dry_run_model_through_import_edit_skip_and_a_second_sheet(
    qtbot: Any, qloop: Any, page: BatchPage, qtmodeltester: Any, tmp_path: Path
) -> None:
    ip = page.import_page
    model = ip.model
    qtmodeltester.check(model, force_py=True)  # empty, and from here on every signal
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {"draft": "A", **GOOD, "lines.amount": "50.00"},
        {"draft": "B", **GOOD, "buyer.name": "乙公司", "lines.amount": "12x"},
        {"draft": "C", **GOOD, "buyer.name": "丙公司", "lines.tax_code": "123"},
    ]
    assert run_in_loop(qtbot, qloop, ip.load(write_xlsx(tmp_path / "一.xlsx", rows)))
    assert model.rowCount() == 4 and not model.loading

    amount = column_of(model, "lines.amount")
    assert model.setData(model.index(2, amount), "12.00")  # fixes B: dataChanged on its rows
    assert model.data(model.index(2, amount), Qt.ItemDataRole.BackgroundRole) is None
    first_of_c = model.first_row_of(2)
    assert model.setData(
        model.index(first_of_c, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert model.drafts[2].skip

    # a second, larger sheet replaces the first: reset, then placeholder rows filled in
    more: list[dict[str, object]] = [
        {"draft": f"D{i}", **GOOD, "remark": f"第{i}号"} for i in range(12)
    ]
    assert run_in_loop(qtbot, qloop, ip.load(write_xlsx(tmp_path / "二.xlsx", more)))
    assert model.rowCount() == 12 and [d.label for d in model.drafts][-1] == "D11"


def test_progress_model_while_a_batch_runs(
    qtbot: Any, qloop: Any, page: BatchPage, qtmodeltester: Any, tmp_path: Path
) -> None:
    ip = page.import_page
    progress = page.progress_page.model
    qtmodeltester.check(progress, force_py=True)
    run_in_loop(qtbot, qloop, page.refresh_profiles())
    ip.profile_box.setCurrentText("piaodanyun")
    rows: list[dict[str, object]] = [
        {"draft": "A", **GOOD},
        {"draft": "B", **GOOD, "buyer.name": "乙公司"},
        {"draft": "C", **GOOD, "buyer.name": "丙公司", "lines.amount": "12x"},
    ]
    assert run_in_loop(qtbot, qloop, ip.load(write_xlsx(tmp_path / "批.xlsx", rows)))
    ip.table.selectRow(ip.model.first_row_of(2))
    ip.skip_button.click()
    assert ip.start_button.isEnabled()
    qtbot.mouseClick(ip.start_button, Qt.MouseButton.LeftButton)

    def settled() -> bool:
        states = [v.state for v in progress.views]
        return page.runs_done >= 1 and states == ["issued", "issued", "skipped"]

    qtbot.waitUntil(settled, timeout=30000)  # each state change went through dataChanged
    assert progress.rowCount() == 3
    assert progress.data(progress.index(0, 1)) == "已开具"


def test_drafts_page_model_through_refresh_and_search(
    qtbot: Any, qloop: Any, qtmodeltester: Any, drafts: DraftService
) -> None:
    for name in ("甲公司", "乙公司", "丙公司"):
        draft = Draft(buyer=Buyer(name=name), lines=[Line(name="*信息技术服务*软件开发服务")])
        run_in_loop(qtbot, qloop, drafts.save(None, draft))
    page = DraftsPage(drafts)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model, force_py=True)
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 3
    page.search.setText("乙")
    run_in_loop(qtbot, qloop, page.refresh())  # rows removed, the match appended
    assert page.model.rowCount() == 1


@pytest.mark.parametrize("make_page", [customers_page, products_page])
def test_catalog_page_model_through_load_add_and_delete(
    qtbot: Any, qloop: Any, qtmodeltester: Any, store: Store, make_page: Any
) -> None:
    service = CatalogService(store)
    customer = Customer(None, "杭州示例贸易有限公司", "91330701MA2DFB848M")
    run_in_loop(qtbot, qloop, service.save_customer(customer))
    product = Product(None, "软件维护服务", "3040201030000000000", "", "月", "1500.5", "0.06")
    run_in_loop(qtbot, qloop, service.save_product(product))
    page = make_page(service)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model, force_py=True)
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 1
    page.add_row()
    assert page.model.rowCount() == 2
    page.table.selectRow(0)
    assert run_in_loop(qtbot, qloop, page.delete_selected()) == 1
    assert page.model.rowCount() == 1


def part_of_the_catalog() -> TaxCatalog:
    """Two branches of the real catalog (software services, paper): the tester walks the whole
    tree on every signal, and the full catalog's 5,000 codes would take minutes."""
    full = default_catalog()
    return TaxCatalog(e for e in full.entries if e.code.startswith(("30402", "10603")))


def test_code_browser_tree_model(qtbot: Any, qtmodeltester: Any) -> None:
    browser = CodeBrowser(part_of_the_catalog())
    qtbot.addWidget(browser)
    qtmodeltester.check(browser.model, force_py=True)
    browser.show()
    type_text(qtbot, browser.filter, "软件开发")  # marks the matching leaves: dataChanged
    qtbot.waitUntil(lambda: 0 < browser.proxy.rowCount() < browser.model.rowCount())


def test_code_browser_filter_proxy(qtbot: Any, qtmodeltester: Any) -> None:
    browser = CodeBrowser(part_of_the_catalog())
    qtbot.addWidget(browser)
    qtmodeltester.check(browser.proxy, force_py=True)
    browser.show()
    type_text(qtbot, browser.filter, "软件开发")
    qtbot.waitUntil(lambda: 0 < browser.proxy.rowCount() < browser.model.rowCount())
    browser.filter.clear()
    qtbot.waitUntil(lambda: browser.proxy.rowCount() == browser.model.rowCount())


def test_buyer_completions_model(
    qtbot: Any, qloop: Any, qtmodeltester: Any, form: Any, store: Store
) -> None:
    service = CatalogService(store)
    for name, tax_id in (
        ("杭州示例贸易有限公司", "91330701MA2DFB848M"),
        ("杭州示例科技有限公司", "91110108MA01K2P4XY"),
    ):
        run_in_loop(qtbot, qloop, service.save_customer(Customer(None, name, tax_id)))
    form.set_customer_search(service.search_buyers)
    edit = form.buyer_edits["name"]
    completer = edit.completer()
    assert completer is not None
    model = completer.model()
    qtmodeltester.check(model, force_py=True)
    edit.setFocus()
    type_text(qtbot, edit, "杭州")
    qtbot.waitUntil(lambda: model.rowCount(QModelIndex()) == 2)  # the list replaced: a reset


def open_cell_editor(qtbot: Any, form: Any, column: int) -> QLineEdit:
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, column))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)

    def editing() -> bool:
        widget = QApplication.focusWidget()
        return isinstance(widget, QLineEdit) and form.table.isAncestorOf(widget)

    qtbot.waitUntil(editing)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor


def keep_past_the_editor(model: Any) -> Any:
    """The completer's model belongs to the cell editor, which Qt deletes when the test's widgets
    close, before the tester disconnects from the model at teardown: the test takes it over."""
    model.setParent(None)
    return model


def test_line_name_completions_model(qtbot: Any, form: Any, qtmodeltester: Any) -> None:
    editor = open_cell_editor(qtbot, form, Col.NAME)
    completer = editor.completer()
    assert completer is not None
    choices = keep_past_the_editor(completer.model())
    qtmodeltester.check(choices, force_py=True)
    type_text(qtbot, editor, "rjkf")  # each key clears the choices and appends the new ones
    qtbot.waitUntil(lambda: choices.rowCount(QModelIndex()) > 0)
    assert any("软件开发" in str(choices.index(r, 0).data()) for r in range(choices.rowCount()))


def test_unit_completions_model(qtbot: Any, form: Any, qtmodeltester: Any) -> None:
    editor = open_cell_editor(qtbot, form, Col.UNIT)
    completer = editor.completer()
    assert completer is not None
    units = keep_past_the_editor(completer.model())
    qtmodeltester.check(units, force_py=True)
    assert units.rowCount(QModelIndex()) > 5
