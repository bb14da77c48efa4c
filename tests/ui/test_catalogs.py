"""客户 / 商品: editable tables, Excel export → import round trip, saving from the form, and
the form's completers fed by the catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from invoicedesk.app import GuiApp
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.catalogs import CatalogService, Customer, Product
from invoicedesk.store.db import Store
from invoicedesk.ui.catalog_pages import customers_page, products_page
from invoicedesk.ui.lines_model import Col
from invoicedesk.ui.main_window import Page
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import editor, gui
from tests.ui.keys import type_text

__all__ = ["gui"]


def test_excel_round_trip_through_the_pages(
    qtbot: Any, qloop: Any, store: Store, tmp_path: Path
) -> None:
    service = CatalogService(store)
    run_in_loop(
        qtbot,
        qloop,
        service.save_customer(
            Customer(
                None, "杭州示例贸易有限公司", "91330701MA2DFB848M", account="0012345678901234567"
            )
        ),
    )
    run_in_loop(
        qtbot,
        qloop,
        service.save_product(
            Product(None, "软件维护服务", "3040201030000000000", "", "月", "1500.5", "0.06")
        ),
    )
    customers, products = customers_page(service), products_page(service)
    for page in (customers, products):
        qtbot.addWidget(page)
        run_in_loop(qtbot, qloop, page.refresh())
    assert customers.rows()[0]["account"] == "0012345678901234567"
    run_in_loop(qtbot, qloop, customers.export_file(tmp_path / "客户.xlsx"))
    run_in_loop(qtbot, qloop, products.export_file(tmp_path / "商品"))  # suffix added

    other = Store.open(tmp_path / "other.sqlite3")
    try:
        fresh = CatalogService(other)
        page2, page3 = customers_page(fresh), products_page(fresh)
        qtbot.addWidget(page2)
        qtbot.addWidget(page3)
        report = run_in_loop(qtbot, qloop, page2.import_file(tmp_path / "客户.xlsx"))
        assert (report.added, report.updated, report.skipped) == (1, 0, [])
        run_in_loop(qtbot, qloop, page3.import_file(tmp_path / "商品.xlsx"))
        assert page2.rows() == customers.rows()
        assert page3.rows() == products.rows()
        assert page3.rows()[0]["unit_price"] == "1500.5"  # exact, no float noise
        # importing again updates instead of doubling
        report = run_in_loop(qtbot, qloop, page2.import_file(tmp_path / "客户.xlsx"))
        assert (report.added, report.updated) == (0, 1)
    finally:
        other.close()


def test_import_reports_bad_rows_and_bad_files(
    qtbot: Any, qloop: Any, store: Store, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "税率", "单价"])
    sheet.append(["咨询服务", 0.06, 200])
    sheet.append(["", 0.06, 1])
    sheet.append(["坏单价", "0.06", "abc"])
    book.save(tmp_path / "p.xlsx")
    page = products_page(CatalogService(store))
    qtbot.addWidget(page)
    report = run_in_loop(qtbot, qloop, page.import_file(tmp_path / "p.xlsx"))
    assert report.added == 1 and len(report.skipped) == 2
    assert "第3行" in page.status.text() and "第4行" in page.status.text()
    assert page.rows()[0]["tax_rate"] == "0.06" and page.rows()[0]["unit_price"] == "200"
    (tmp_path / "not.xlsx").write_text("hello")
    assert run_in_loop(qtbot, qloop, page.import_file(tmp_path / "not.xlsx")) is None
    assert "不是有效的 Excel" in page.status.text()


def test_edit_in_the_table_saves(qtbot: Any, qloop: Any, store: Store) -> None:
    service = CatalogService(store)
    page = customers_page(service)
    qtbot.addWidget(page)
    page.show()
    run_in_loop(qtbot, qloop, page.refresh())
    page.add_row()
    cell = QApplication.focusWidget()
    type_text(qtbot, cell, "表格新增客户")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    run_in_loop(qtbot, qloop, page.flush())
    assert [c.name for c in run_in_loop(qtbot, qloop, service.customers())] == ["表格新增客户"]
    page.table.selectRow(0)
    assert run_in_loop(qtbot, qloop, page.delete_selected()) == 1
    assert run_in_loop(qtbot, qloop, service.customers()) == []


def test_form_saves_to_catalogs_and_completes_from_them(
    qtbot: Any, qloop: Any, gui: GuiApp
) -> None:
    form = gui.window.form
    form.set_draft(
        Draft(
            buyer=Buyer(name="表单客户有限公司", tax_id="91110108MA01K2P4XY"),
            lines=[
                Line(
                    name="*信息技术服务*专属定制服务",
                    tax_code="3040201010000000000",
                    unit="次",
                    unit_price="88",
                    tax_rate="0.06",
                )
            ],
        )
    )
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["save_buyer"].trigger()
    form.actions_by_name["product"].trigger()
    qtbot.waitUntil(lambda: any(p.name.endswith("专属定制服务") for p in gui.choices.products))
    # the two saves run as separate tasks: wait for the buyer's as well, not only the product's
    qtbot.waitUntil(lambda: bool(gui.services.store.list_customers("")), timeout=5000)
    customers = run_in_loop(qtbot, qloop, gui.catalogs.customers())
    assert [(c.name, c.tax_id) for c in customers] == [("表单客户有限公司", "91110108MA01K2P4XY")]

    # the buyer name completes from the customers (by tax ID, too)
    form.set_draft(Draft(lines=[Line()]))
    name = form.buyer_edits["name"]
    name.setFocus()
    type_text(qtbot, name, "91110108")
    popup = name.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.buyer_edits["tax_id"].text() == "91110108MA01K2P4XY")
    assert name.text() == "表单客户有限公司"

    # the line name completer offers the product
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    cell = editor(qtbot, form)
    type_text(qtbot, cell, "专属")
    line_popup = cell.completer().popup()
    qtbot.waitUntil(line_popup.isVisible)
    qtbot.keyClick(line_popup, Qt.Key.Key_Down)
    qtbot.keyClick(line_popup, Qt.Key.Key_Return)
    assert form.model.line(0).name == "*信息技术服务*专属定制服务"
    assert form.model.line(0).tax_code == "3040201010000000000"

    # and the pages show them
    gui.window.show_page(Page.PRODUCTS)
    qtbot.waitUntil(lambda: gui.products_page.model.rowCount() == 1)
