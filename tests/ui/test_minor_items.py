"""Issue 19 item 14, the minor things a newcomer hits: nothing clipped (status-bar and history
combo boxes, the accounts list, the 纸质发票号码 placeholder), the selected page's icon
visible, the hint naming the real check box, a connection test speaking of the connection,
沙箱 in the account lists, typed amounts shown like computed ones, a duplicated draft told
apart, an empty search explained."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QComboBox

from invoicedesk.app import GuiApp
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.rules import validate
from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store
from invoicedesk.ui.drafts_page import DraftsPage
from invoicedesk.ui.history.print_dialog import PrintInfoDialog
from invoicedesk.ui.lines_model import Col, LinesModel
from invoicedesk.ui.main_window import MainWindow
from invoicedesk.ui.menus import nav_icon
from invoicedesk.vendors.base import Profile, Seller, VendorKey
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import gui

__all__ = ["gui"]

SELLER = Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G")


def _fits(combo: QComboBox) -> None:
    """Every item's text fits the closed combo box (its arrow and frame aside)."""
    widest = max(
        combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())
    )
    assert combo.width() >= widest + 20, (combo.width(), widest)


def test_the_account_combo_shows_whole_names_and_says_sandbox(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    profiles = [
        Profile(
            name="ws-invoice",
            vendor=VendorKey.WS_INVOICE,
            base_url="ws://127.0.0.1:1/ws-invoice",
            seller=SELLER,
            options={"sandbox": "1"},
        ),
        Profile(name="signed-api", vendor=VendorKey.SIGNED_API, base_url="http://x", seller=SELLER),
    ]
    window.set_accounts(profiles, "ws-invoice")
    window.resize(1280, 760)
    window.show()
    qtbot.waitExposed(window)
    combo = window.account_combo
    assert combo.itemText(0) == "ws-invoice · WebSocket 开票（沙箱）"
    assert "沙箱" in window.account_label.text()
    qtbot.waitUntil(lambda: combo.width() > 0)
    _fits(combo)


def test_selected_page_icon_is_drawn_white_on_the_highlight() -> None:
    icon = nav_icon("issue")
    selected = icon.pixmap(24, 24, QIcon.Mode.Selected).toImage()
    normal = icon.pixmap(24, 24, QIcon.Mode.Normal).toImage()

    def colours(image: Any) -> set[str]:
        return {
            QColor(image.pixelColor(x, y)).name()
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 200
        }

    assert "#ffffff" in colours(selected)
    assert "#ffffff" not in colours(normal)


def test_the_natural_person_hint_names_the_check_box(qtbot: Any) -> None:
    from invoicedesk.ui.invoice_form import InvoiceForm

    form = InvoiceForm(None, None)
    qtbot.addWidget(form)
    box = form.natural_person.text()
    draft = Draft(buyer=Buyer(name="张"), lines=[Line(name="*信息技术服务*软件开发服务")])
    hints = [p.message for p in validate(draft) if p.code == "buyer.maybe_natural_person"]
    assert hints and f"“{box}”" in hints[0]


def test_a_failed_connection_test_speaks_of_the_connection(
    qtbot: Any, qloop: Any, gui: GuiApp
) -> None:
    dialog = gui.accounts_page.make_dialog()  # the 添加 dialog, with the program's 测试连接
    qtbot.addWidget(dialog)
    dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(VendorKey.OPEN_API.value))
    dialog.name_edit.setText("连不上的账户")
    dialog.url_edit.setText("http://127.0.0.1:1/open-api")  # nothing listens
    dialog.seller_name.setText(SELLER.name)
    dialog.seller_tax_id.setText(SELLER.tax_id)
    dialog.field_edits[("secret", "api_key")].setText("some-key")
    assert not run_in_loop(qtbot, qloop, dialog.test(), 30000)
    text = dialog.result_label.text()
    assert text.startswith("连接失败：无法连接开票平台")
    assert "发票" not in text.replace("开票平台", "")  # no "发票未开具": nothing was issued


def test_the_accounts_list_says_sandbox_in_full(qtbot: Any, gui: GuiApp) -> None:
    page = gui.accounts_page
    gui.window.show_page(6)
    qtbot.waitUntil(lambda: page.table.rowCount() == 5, timeout=10000)
    table = page.table
    for row in range(table.rowCount()):
        text = table.item(row, 1).text()
        assert text.endswith("（沙箱）")
        assert table.columnWidth(1) >= table.fontMetrics().horizontalAdvance(text)


def test_typed_amounts_show_two_decimals_and_the_draft_keeps_them(qtbot: Any) -> None:
    model = LinesModel()
    model.set_lines([Line(name="*信息技术服务*软件开发服务", amount="5000", tax_rate="0.06")])
    index = model.index(0, Col.AMOUNT)
    assert model.data(index) == "5000.00"
    from PySide6.QtCore import Qt

    assert model.data(index, Qt.ItemDataRole.EditRole) == "5000"
    assert model.lines()[0].amount == "5000"  # the draft keeps what was typed
    model.setData(index, "abc")
    assert model.data(index) == "abc"  # not a number: shown as typed, its problem says why


def test_a_duplicated_draft_is_named_copy_and_selected(
    qtbot: Any, qloop: Any, store: Store
) -> None:
    drafts = DraftService(store)
    original = Draft(
        buyer=Buyer(name="复制测试公司"), lines=[Line(name="*信息技术服务*软件开发服务")]
    )
    run_in_loop(qtbot, qloop, drafts.save(None, original))
    page = DraftsPage(drafts)
    qtbot.addWidget(page)
    run_in_loop(qtbot, qloop, page.refresh())
    page.table.selectRow(0)
    new_id = run_in_loop(qtbot, qloop, page.duplicate_selected())
    titles = sorted(page.model.item(r, 0).text() for r in range(page.model.rowCount()))
    assert titles == [
        "复制测试公司 · *信息技术服务*软件开发服务",
        "（副本）复制测试公司 · *信息技术服务*软件开发服务",
    ]
    assert page.selected_ids() == [new_id]
    # still told apart after it is edited and saved again
    copy = run_in_loop(qtbot, qloop, drafts.load(new_id))
    copy.remark = "改过"
    run_in_loop(qtbot, qloop, drafts.save(new_id, copy))
    rows = run_in_loop(qtbot, qloop, drafts.list())
    assert sorted(r.title for r in rows)[1].startswith("（副本）")


def test_an_empty_search_says_so(qtbot: Any, qloop: Any, store: Store) -> None:
    drafts = DraftService(store)
    page = DraftsPage(drafts)
    qtbot.addWidget(page)
    page.show()
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.empty_label.isVisible() and "草稿箱是空的" in page.empty_label.text()
    run_in_loop(qtbot, qloop, drafts.save(None, Draft(buyer=Buyer(name="有的公司"))))
    page.search.setText("没有这家")
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible() and "没有与“没有这家”匹配的草稿" in page.empty_label.text()
    page.search.setText("有的")
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 1 and not page.empty_label.isVisible()


def test_the_paper_number_placeholder_is_not_clipped(qtbot: Any) -> None:
    dialog = PrintInfoDialog("26332000000012345678", dt.datetime(2026, 5, 20, 10, 0))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.paper_no
    assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 12


def test_history_account_combos_fit_their_names(qtbot: Any, gui: GuiApp) -> None:
    page = gui.history_page
    gui.window.show_page(2)
    qtbot.waitUntil(lambda: page.sync_combo.count() >= 2, timeout=10000)
    QApplication.processEvents()
    for combo in (page.sync_combo, page.filters.account):
        if combo.count():
            qtbot.waitUntil(lambda c=combo: c.width() >= 30)
            _fits(combo)
