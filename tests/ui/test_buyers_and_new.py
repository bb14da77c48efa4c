"""Every buyer issued to is remembered (updated when their details change) and completes by
name, pinyin and tax ID; 新建 (Ctrl+N) starts a blank invoice from any page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from invoicedesk.app import GuiApp
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.catalogs import CatalogService, remember_buyer
from invoicedesk.store.db import Store
from invoicedesk.ui.main_window import Page
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import BUYER_TAX_ID, gui, issue_through_preview
from tests.ui.keys import type_text

__all__ = ["gui"]


def _draft(name: str, **buyer: str) -> Draft:
    return Draft(
        buyer=Buyer(name=name, tax_id=BUYER_TAX_ID, **buyer),
        lines=[
            Line(
                name="*信息技术服务*软件开发服务",
                tax_code="3040201010000000000",
                amount="100.00",
                tax_rate="0.06",
            )
        ],
    )


def test_remember_buyer_updates_and_keeps_what_was_not_retyped(store: Store) -> None:
    remember_buyer(store, Buyer(name="杭州青禾科技有限公司", tax_id=BUYER_TAX_ID, phone="1"))
    remember_buyer(store, Buyer(name="杭州青禾科技有限公司", tax_id=BUYER_TAX_ID, address="文三路"))
    [row] = store.list_customers("")
    assert (row.phone, row.address) == ("1", "文三路")
    remember_buyer(store, Buyer(name="杭州青禾科技（新名）有限公司", tax_id=BUYER_TAX_ID))
    assert [r.name for r in store.list_customers("")] == ["杭州青禾科技（新名）有限公司"]


def test_a_buyer_is_matched_by_exact_tax_id_or_without_one_by_exact_name(store: Store) -> None:
    remember_buyer(store, Buyer(name=f"{BUYER_TAX_ID}贸易部", tax_id="91330106MA2B0Q7X1K"))
    remember_buyer(store, Buyer(name="个人张三"))
    remember_buyer(store, Buyer(name="个人张三丰"))
    remember_buyer(store, Buyer(name="杭州青禾科技有限公司", tax_id=BUYER_TAX_ID, phone="1"))
    remember_buyer(store, Buyer(name="个人张三", phone="2"))
    rows = {r.name: r for r in store.list_customers("")}
    assert len(rows) == 4  # a tax ID inside another's name, or a longer name, is not the buyer
    assert rows["杭州青禾科技有限公司"].phone == "1"
    assert (rows["个人张三"].phone, rows["个人张三丰"].phone) == ("2", "")
    assert store.customer_by_key("", "") is None


def test_remembering_a_repeat_buyer_with_nothing_new_writes_nothing(
    store: Store, monkeypatch: Any
) -> None:
    buyer = Buyer(name="杭州青禾科技有限公司", tax_id=BUYER_TAX_ID, phone="1")
    first = remember_buyer(store, buyer)
    writes: list[str] = []
    upsert = store.upsert_customer

    def counting_upsert(*args: Any, **kw: Any) -> str:
        writes.append(kw["name"])
        return upsert(*args, **kw)

    monkeypatch.setattr(store, "upsert_customer", counting_upsert)
    assert remember_buyer(store, buyer) == first  # every issue to them calls this
    assert remember_buyer(store, Buyer(name=" 杭州青禾科技有限公司 ", tax_id=BUYER_TAX_ID)) == first
    assert writes == []
    remember_buyer(store, Buyer(name="杭州青禾科技有限公司", tax_id=BUYER_TAX_ID, phone="2"))
    assert writes == ["杭州青禾科技有限公司"]
    [row] = store.list_customers("")
    assert (row.id, row.phone) == (first, "2")


def test_buyers_complete_by_name_pinyin_and_tax_id(qtbot: Any, qloop: Any, store: Store) -> None:
    service = CatalogService(store)
    remember_buyer(store, Buyer(name="杭州青禾科技有限公司", tax_id=BUYER_TAX_ID))
    remember_buyer(store, Buyer(name="宁波海风贸易有限公司"))
    for text in ("杭州", "hzqh", "hangzhou", "91110108", "青禾"):
        found = run_in_loop(qtbot, qloop, service.search_buyers(text))
        assert [b.name for b in found] == ["杭州青禾科技有限公司"], text


def test_issued_buyer_is_remembered_and_ctrl_n_starts_blank(
    qtbot: Any, qloop: Any, gui: GuiApp
) -> None:
    assert run_in_loop(qtbot, qloop, gui.choose_account("open-api"))
    run_in_loop(qtbot, qloop, gui.settled(), 20000)
    window, form = gui.window, gui.window.form
    form.set_draft(_draft("杭州记忆测试有限公司", address="杭州市文三路 1 号"))
    issue_through_preview(qtbot, form)
    qtbot.waitUntil(lambda: window.issue_stack.currentWidget() is window.result_page, timeout=30000)
    qtbot.waitUntil(lambda: bool(gui.services.store.list_customers("杭州记忆")), timeout=10000)
    [row] = gui.services.store.list_customers("杭州记忆")
    assert (row.tax_id, row.address) == (BUYER_TAX_ID, "杭州市文三路 1 号")

    # a draft in progress, then 新建 from another page: blank form, the draft kept
    window.show_issue_form()
    form.set_draft(Draft(buyer=Buyer(name="未完成草稿公司"), lines=[Line()]))
    form.remark_edit.setText("半成品")
    window.show_page(Page.HISTORY)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == Page.ISSUE)
    assert window.issue_stack.currentWidget() is form
    assert form.draft().buyer.name == "" and form.draft_id is None
    kept = gui.services.store.list_drafts()
    assert any("未完成草稿公司" in d.json for d in kept)

    # typing 杭州 in the buyer name suggests the buyer issued to
    name = form.buyer_edits["name"]
    name.setFocus()
    type_text(qtbot, name, "杭州")
    completer = name.completer()
    assert completer is not None
    qtbot.waitUntil(completer.popup().isVisible, timeout=5000)
    shown = [completer.completionModel().index(i, 0).data() for i in range(3)]
    assert any(str(s).startswith("杭州记忆测试有限公司") for s in shown)
