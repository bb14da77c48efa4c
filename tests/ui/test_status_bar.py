"""The status bar keeps one short text per slot; longer news goes to the banner above the pages
(issue 19 items 6 and 7): no keyring, an account the vendor refuses, banners in the dark theme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from invoicedesk.app import GuiApp
from invoicedesk.services import secrets as secrets_module
from invoicedesk.services.secrets import NoKeyring
from invoicedesk.ui import theme
from invoicedesk.ui.accounts import AccountsPage
from invoicedesk.ui.main_window import MainWindow
from invoicedesk.vendors.base import Profile, Seller, VendorKey
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import gui

__all__ = ["gui"]


def _no_keyring() -> Any:
    raise NoKeyring()


def test_no_keyring_is_a_banner_and_the_account_stays_visible(
    qtbot: Any, qloop: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets_module, "default_secret_store", _no_keyring)
    app = GuiApp(data_dir, handle_signals=False)
    run_in_loop(qtbot, qloop, app.start())
    window = app.window
    try:
        qtbot.waitExposed(window)
        assert "密钥环" in window.notice_bar.text()
        assert window.notice_bar.isVisible()
        # nothing drawn over the account slot
        assert window.statusBar().currentMessage() == ""
        assert window.account_label.isVisible()
        assert window.account_label.text() == "未添加开票账户"
        # 设置 does not say it a second time while the banner says it …
        from invoicedesk.ui.accounts import AccountsPage
        from invoicedesk.ui.main_window import Page

        window.show_page(Page.SETTINGS)
        page = window.findChild(AccountsPage, "accountsPage")
        assert page is not None and page.isVisible()
        assert not page.keyring_notice.isVisible()
        # … and says it once the banner is closed
        qtbot.mouseClick(window.notice_bar.close_button, _left())
        assert not window.notice_bar.isVisible()
        assert page.keyring_notice.isVisible()
        assert "密钥环" in page.keyring_notice.text()
    finally:
        app.request_quit()
        run_in_loop(qtbot, qloop, app.finished(), 60000)


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_a_refused_token_is_not_normal_and_the_reason_is_in_the_banner(
    qtbot: Any,
    qloop: Any,
    gui: GuiApp,
    sandbox: Any,
) -> None:
    window = gui.window
    bad = Profile(
        name="令牌错误",
        vendor=VendorKey.OPEN_API,
        base_url=sandbox.base_urls["open-api"],
        seller=Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G"),
    )
    run_in_loop(qtbot, qloop, gui.services.profiles.save(bad, {"api_key": "not-the-key"}))
    run_in_loop(qtbot, qloop, gui.choose_account(bad.name))
    qtbot.waitUntil(lambda: gui.monitor.refused, timeout=20000)
    text = window.reach_label.text()
    assert text == "平台连接：账户被拒绝"
    assert "正常" not in text
    assert "API Key" in window.reach_label.toolTip()  # what the vendor said
    banner = window.notice_bar.text()
    assert "令牌错误" in banner and "API Key" in banner
    # the slot is not clipped: it gets the width its text needs
    label = window.reach_label
    qtbot.waitUntil(lambda: label.width() >= label.fontMetrics().horizontalAdvance(text))

    # the right key again: the slot says 正常 and the banner goes
    run_in_loop(qtbot, qloop, gui.services.profiles.save(bad, {"api_key": "sandbox-api-key"}))
    run_in_loop(qtbot, qloop, gui.services.forget_vendor(bad.name))
    gui.monitor.check_now()
    qtbot.waitUntil(lambda: window.reach_label.text() == "平台连接：正常", timeout=20000)
    assert not window.notice_bar.isVisible()


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    palette, sheet = qapp.palette(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def _dark_pixels(widget: QWidget) -> int:
    """How many pixels are dark (text on a light banner)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return sum(
        1
        for y in range(0, image.height(), 1)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightness() < 110
    )


@pytest.mark.parametrize("look", [theme.LIGHT, theme.DARK])
def test_banners_read_in_both_themes(
    qtbot: Any, qapp: QApplication, themed: None, look: str
) -> None:
    theme.apply_theme(qapp, look, follow=False)
    page = AccountsPage(None, keyring_ok=False)
    qtbot.addWidget(page)
    page.resize(800, 500)
    page.show()
    qtbot.waitExposed(page)
    assert page.keyring_notice.isVisible()
    assert _dark_pixels(page.keyring_notice) > 200  # dark text on the light-yellow banner

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_notice("本机没有可用的系统密钥环，无法安全保存密码和密钥。")
    qtbot.waitExposed(window)
    assert window.notice_bar.isVisible()
    assert _dark_pixels(window.notice_bar.label) > 200
    window.offer_pending(2)
    assert _dark_pixels(window.pending_label) > 200
