"""The Qt model contract (pytest-qt's qtmodeltester) on the plain Qt models the window fills:
the drafts list, the catalog tables, the code browser's tree and its filter proxy (over two
branches of the catalog: the Python tester walks the whole tree on every change, and the 5,554
codes would take minutes per filter), and the completers' models (buyers, line names, units).
(Our own model classes have theirs: test_lines_model.py, test_history.py, test_batch_models.py.)
`check()` runs once (a second call attaches a second tester); the tester stays attached and
re-checks the model on every change the window then makes, failing the test on the first
broken rule."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from invoicedesk.domain.catalog import TaxCatalog, default_catalog
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.catalogs import CatalogService, Customer, Product
from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store
from invoicedesk.ui.catalog_pages import customers_page, products_page
from invoicedesk.ui.code_browser import CodeBrowser
from invoicedesk.ui.drafts_page import DraftsPage
from invoicedesk.ui.lines_model import Col
from tests.conftest import run_in_loop
from tests.ui.keys import edit_cell, type_text


def test_drafts_list_model(qtbot: Any, qloop: Any, store: Store, qtmodeltester: Any) -> None:
    drafts = DraftService(store)
    for name in ("甲公司", "乙公司", "丙公司"):
        draft = Draft(buyer=Buyer(name=name), lines=[Line(name="*信息技术服务*软件开发服务")])
        run_in_loop(qtbot, qloop, drafts.save(None, draft))
    page = DraftsPage(drafts)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model, force_py=True)
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 3
    page.search.setText("乙")
    run_in_loop(qtbot, qloop, page.refresh())
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


def keep_past_the_editor(model: Any) -> Any:
    """The completer's model belongs to the cell editor, which Qt deletes when the test's widgets
    close, before the tester disconnects from the model at teardown: the test takes it over."""
    model.setParent(None)
    return model


def test_line_name_completions_model(qtbot: Any, form: Any, qtmodeltester: Any) -> None:
    editor = edit_cell(qtbot, form, 0, Col.NAME)
    completer = editor.completer()
    assert completer is not None
    choices = keep_past_the_editor(completer.model())
    qtmodeltester.check(choices, force_py=True)
    type_text(qtbot, editor, "rjkf")  # each key clears the choices and appends the new ones
    qtbot.waitUntil(lambda: choices.rowCount(QModelIndex()) > 0)
    assert any("软件开发" in str(choices.index(r, 0).data()) for r in range(choices.rowCount()))


def test_unit_completions_model(qtbot: Any, form: Any, qtmodeltester: Any) -> None:
    editor = edit_cell(qtbot, form, 0, Col.UNIT)
    completer = editor.completer()
    assert completer is not None
    units = keep_past_the_editor(completer.model())
    qtmodeltester.check(units, force_py=True)
    assert units.rowCount(QModelIndex()) > 5
