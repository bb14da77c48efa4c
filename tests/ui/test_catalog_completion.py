"""Completing a line from the tax code catalog, by keyboard, down to the draft in the store."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from invoicedesk.domain.models import Draft
from invoicedesk.services.catalogs import Product
from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store
from invoicedesk.ui.catalog_choices import CatalogChoices
from invoicedesk.ui.invoice_form import InvoiceForm
from invoicedesk.ui.lines_model import Col
from tests.conftest import run_in_loop
from tests.ui.keys import edit_cell, type_text

SOFTWARE = "3040201010000000000"


def _take_first_suggestion(qtbot: Any, editor: QLineEdit, text: str) -> None:
    type_text(qtbot, editor, text)
    completer = editor.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def _shown_form(qtbot: Any, drafts: DraftService, choices: CatalogChoices) -> InvoiceForm:
    form = InvoiceForm(drafts, choices)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    return form


def test_rjkf_in_the_name_cell_saves_a_clean_name_and_the_code(
    qtbot: Any, form: InvoiceForm, store: Store
) -> None:
    editor = edit_cell(qtbot, form, 0, Col.NAME)
    _take_first_suggestion(qtbot, editor, "rjkf")
    assert editor.text() == "*信息技术服务*软件开发服务"  # not the popup's label with the code
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # commit the cell, on to the code cell
    # autosaved once typing pauses (AUTOSAVE_MS, 1.5 s)
    qtbot.waitUntil(lambda: form.draft_id is not None and not form.autosaver.dirty, timeout=10000)
    row = store.get_draft(form.draft_id or "")
    assert row is not None
    saved = Draft.model_validate_json(row.json).lines[0]
    assert saved.name == "*信息技术服务*软件开发服务"
    assert saved.tax_code == SOFTWARE
    assert saved.tax_rate == "0.06"
    assert not any(p.field == "lines[0].name" for p in form.problems())


def test_a_code_without_known_short_name_gives_the_plain_name(
    qtbot: Any, form: InvoiceForm
) -> None:
    editor = edit_cell(qtbot, form, 0, Col.NAME)
    _take_first_suggestion(qtbot, editor, "gangjin")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    line = form.model.line(0)
    assert line.name == "钢筋" and line.tax_code.startswith("1")
    assert line.tax_rate == "0.13"  # goods: the usual rate, the rate cell offers the others
    warned = [p for p in form.problems() if p.field == "lines[0].name"]
    assert [p.code for p in warned] == ["line.name_without_short_name"]


def test_rjkf_in_the_code_cell_sets_the_code_only(qtbot: Any, form: InvoiceForm) -> None:
    assert form.model.setData(form.model.index(0, Col.NAME), "定制开发")
    editor = edit_cell(qtbot, form, 0, Col.TAX_CODE)
    _take_first_suggestion(qtbot, editor, "rjkf")
    assert editor.text() == SOFTWARE
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    line = form.model.line(0)
    assert (line.name, line.tax_code, line.tax_rate) == ("定制开发", SOFTWARE, "0.06")


def test_last_rate_for_a_code_is_remembered(qtbot: Any, drafts: DraftService) -> None:
    remembered: list[dict[str, str]] = []
    choices = CatalogChoices.default()
    choices.on_remember = remembered.append
    form = _shown_form(qtbot, drafts, choices)
    editor = edit_cell(qtbot, form, 0, Col.NAME)
    _take_first_suggestion(qtbot, editor, "rjkf")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    # the user picks 3% in the rate cell
    form.table.setCurrentIndex(form.model.index(0, Col.TAX_RATE))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("0.03"))
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    assert form.model.line(0).tax_rate == "0.03"
    assert remembered[-1] == {SOFTWARE: "0.03"}
    # a new line with the same code takes the remembered rate, and the code comes first
    form.model.append_line()
    form.table.setFocus()
    editor = edit_cell(qtbot, form, 1, Col.NAME)
    _take_first_suggestion(qtbot, editor, "ruanjian")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert (form.model.line(1).tax_code, form.model.line(1).tax_rate) == (SOFTWARE, "0.03")


def test_products_come_first(qtbot: Any, qloop: Any, drafts: DraftService) -> None:
    choices = CatalogChoices.default()
    choices.products = [
        Product(None, "软件年费", tax_code="3040201990000000000", unit="年", unit_price="1200")
    ]
    form = _shown_form(qtbot, drafts, choices)
    editor = edit_cell(qtbot, form, 0, Col.NAME)
    _take_first_suggestion(qtbot, editor, "rj")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    line = form.model.line(0)
    assert line.name == "*信息技术服务*软件年费"
    assert (line.tax_code, line.unit, line.unit_price) == ("3040201990000000000", "年", "1200")


def test_browse_by_levels_sets_the_code_only(qtbot: Any, form: InvoiceForm) -> None:
    from invoicedesk.ui.code_browser import ENTRY_ROLE

    assert form.model.setData(form.model.index(0, Col.NAME), "螺纹钢")
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    qtbot.keyClick(form.table, Qt.Key.Key_F4)
    browser = form.lines_editor.browser
    assert browser is not None
    qtbot.waitUntil(browser.isVisible)
    tops = [browser.proxy.index(r, 0).data() for r in range(browser.proxy.rowCount())]
    kinds = ["货物", "加工修理修配劳务", "销售服务", "无形资产", "不动产", "不征税项目"]
    assert tops == [f"{i} {kind}" for i, kind in enumerate(kinds, start=1)]
    type_text(qtbot, browser.filter, "gangjin")
    leaves: list[Any] = []

    def find_leaves() -> bool:
        leaves.clear()
        stack = [browser.proxy.index(r, 0) for r in range(browser.proxy.rowCount())]
        while stack:
            index = stack.pop()
            if index.data(ENTRY_ROLE) is not None:
                leaves.append(index)
            children = range(browser.proxy.rowCount(index))
            stack += [browser.proxy.index(r, 0, index) for r in children]
        return len(leaves) < 20 and any(i.data() == "钢筋" for i in leaves)

    qtbot.waitUntil(find_leaves)
    assert all("钢" in str(i.data()) for i in leaves)
    steel = next(i for i in leaves if i.data() == "钢筋")
    browser.tree.setCurrentIndex(steel)
    qtbot.keyClick(browser.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not browser.isVisible())
    line = form.model.line(0)
    assert line.name == "螺纹钢"  # the name is the user's
    assert line.tax_code == "1080207050000000000" and line.tax_rate == "0.13"


def test_the_products_page_code_column_completes_too(qtbot: Any, qloop: Any, store: Store) -> None:
    from invoicedesk.services.catalogs import PRODUCT_COLUMNS, CatalogService
    from invoicedesk.ui.catalog_pages import products_page

    page = products_page(CatalogService(store), CatalogChoices.default())
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.add_row()
    column = [key for key, _ in PRODUCT_COLUMNS].index("tax_code")
    editor = edit_cell(qtbot, page, 0, column)
    _take_first_suggestion(qtbot, editor, "rjkf")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert page.model.index(0, column).data() == SOFTWARE
    # the page writes the edited row a moment later: do it now, inside the test's loop
    run_in_loop(qtbot, qloop, page.flush())
