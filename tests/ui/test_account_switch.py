"""Switching the account updates every open page at once (issue 17): the pages follow the
Core's `profile_activated` notice, not their next showing. Every page is built and left
hidden behind the 开票 page, so no showEvent can do the work."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableWidget

from invoicedesk.app import GuiApp
from invoicedesk.ui.main_window import Page
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import gui

__all__ = ["gui"]


def bold_names(table: QTableWidget) -> list[str]:
    names = []
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and QFont(item.font()).bold():
            names.append(item.text())
    return names


def switch(qtbot: Any, qloop: Any, gui: GuiApp, name: str) -> None:
    # as the title bar's account combo does it when the user picks an entry
    combo = gui.window.account_combo
    combo.setCurrentIndex(combo.findData(name))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: gui.monitor is not None and gui.monitor.profile == name, timeout=20000)


def test_switching_the_account_updates_every_open_page(qtbot: Any, qloop: Any, gui: Any) -> None:
    window = gui.window
    history, red, batch, accounts = (
        gui.history_page,
        gui.red_page,
        gui.batch_page,
        gui.accounts_page,
    )
    for page in (history, red, batch, accounts):
        assert not page.isVisible()  # built, never shown
    qtbot.waitUntil(lambda: batch.import_page.profile_box.count() >= 5, timeout=20000)
    qtbot.waitUntil(lambda: history.sync_combo.count() >= 2, timeout=20000)
    qtbot.waitUntil(lambda: len(accounts.profiles) >= 5, timeout=20000)
    assert window.stack.currentIndex() == Page.ISSUE

    # open-api: no red letters, no history sync, no credit line
    run_in_loop(qtbot, qloop, gui.choose_account("open-api"))
    assert window.active_profile.name == "open-api"
    assert window.account_label.toolTip().startswith("open-api ·")  # the status bar
    assert not red.start_button.isEnabled()
    assert "没有红字发票接口" in red.unsupported.text()
    assert batch.import_page.profile() == "open-api"
    assert accounts.active == "open-api" and bold_names(accounts.table) == ["open-api"]
    assert gui.monitor.profile == "open-api"
    qtbot.waitUntil(lambda: window.credit_label.text() == "剩余授信额度：—", timeout=20000)

    # piaodanyun: red letters and a credit line, through the title bar's combo
    switch(qtbot, qloop, gui, "piaodanyun")
    assert window.active_profile.name == "piaodanyun"
    assert window.account_label.toolTip().startswith("piaodanyun ·")
    assert red.start_button.isEnabled() and not red.unsupported.isVisible()
    assert batch.import_page.profile() == "piaodanyun"
    assert accounts.active == "piaodanyun" and bold_names(accounts.table) == ["piaodanyun"]
    qtbot.waitUntil(lambda: window.credit_label.text().startswith("剩余授信额度：¥"), timeout=20000)

    # ws-invoice: the history's sync box offers the active account
    run_in_loop(qtbot, qloop, gui.choose_account("ws-invoice"))
    assert history.sync_combo.currentData() == "ws-invoice"
    run_in_loop(qtbot, qloop, gui.choose_account("signed-api"))
    assert history.sync_combo.currentData() == "signed-api"
    assert not red.start_button.isEnabled()
    for page in (history, red, batch, accounts):
        assert not page.isVisible()  # all of it happened without a showing


def test_an_issued_invoice_reaches_the_history_page_while_it_is_hidden(
    qtbot: Any, qloop: Any, gui: Any
) -> None:
    from tests.services.helpers import make_draft

    window = gui.window
    history = gui.history_page
    window.show_page(Page.HISTORY)  # its first query runs when first shown
    qtbot.waitUntil(lambda: history.model.generation > 0 and history.model.done, timeout=20000)
    before = history.model.rowCount()
    window.show_page(Page.ISSUE)
    assert not history.isVisible()
    result = run_in_loop(qtbot, qloop, gui.services.issuing.issue("piaodanyun", make_draft(3)))
    assert result.state == "ISSUED"
    qtbot.waitUntil(lambda: history.model.rowCount() == before + 1, timeout=20000)
    assert not history.isVisible()


@pytest.fixture
def slow_tax_login(sandbox: Any) -> None:
    """piaodanyun's tax-bureau login (loginDppt) answers 2 s late in the sandbox, so the
    program reads the account's figures before its sandbox login has finished."""
    fault = {
        "vendor": "piaodanyun",
        "endpoint": "loginDppt",
        "kind": "latency",
        "rate": 1,
        "latency_ms": 2000,
    }
    httpx.post(f"{sandbox.control_url}/faults", json=fault, timeout=10).raise_for_status()


def test_the_credit_line_is_read_again_once_the_sandbox_tax_login_is_done(
    qtbot: Any, qloop: Any, slow_tax_login: None, gui: GuiApp
) -> None:
    window = gui.window
    run_in_loop(qtbot, qloop, gui.choose_account("piaodanyun"))
    run_in_loop(qtbot, qloop, gui.refresh_figures("piaodanyun"))
    assert window.credit_label.text().startswith("剩余授信额度：未知")  # no tax login yet
    qtbot.waitUntil(lambda: window.credit_label.text().startswith("剩余授信额度：¥"), timeout=20000)
