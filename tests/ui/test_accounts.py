"""设置 → 开票账户: add a profile per vendor with its own fields, secrets to the keyring only,
测试连接 against the sandbox, the no-keyring notice with "仅本次使用", piaodanyun SMS login."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from invoicedesk.app import GuiApp
from invoicedesk.services.vendor_facts import FACTS
from invoicedesk.ui.accounts import AccountDialog
from invoicedesk.ui.main_window import Page
from invoicedesk.vendors.base import VendorKey
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import gui
from tests.ui.keys import type_text

__all__ = ["gui"]

SECRET = "s3cret-typed-in-the-dialog"


def _fill(qtbot: Any, dialog: AccountDialog, vendor: VendorKey, url: str, name: str) -> None:
    dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(vendor.value))
    for edit, text in (
        (dialog.name_edit, name),
        (dialog.url_edit, url),
        (dialog.seller_name, "演示科技有限公司"),
        (dialog.seller_tax_id, "91330106MA2H7Q3D1G"),
    ):
        edit.setFocus()
        type_text(qtbot, edit, text)


def _store_text(data_dir: Path) -> str:
    """Every value in every table of the database, as text."""
    conn = sqlite3.connect(data_dir / "invoicedesk.sqlite3")
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(repr(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    finally:
        conn.close()


def test_each_vendor_shows_exactly_its_fields(qtbot: Any, qloop: Any) -> None:
    async def saver(*_: Any) -> None:
        return None

    dialog = AccountDialog(saver, None)
    qtbot.addWidget(dialog)
    for vendor, table in FACTS.items():
        dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(vendor.value))
        assert {(k, key) for k, key in dialog.field_edits} == {
            (s.kind, s.key) for s in table.fields
        }
    dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData("piaodanyun"))
    assert dialog.field_edits[("secret", "password")].echoMode().name == "Password"
    assert ("option", "tenant_id") in dialog.field_edits


def test_add_profile_secret_in_keyring_only_and_test_connection(
    qtbot: Any, qloop: Any, gui: GuiApp, data_dir: Path, memory_keyring: Any, sandbox: Any
) -> None:
    window = gui.window
    window.show_page(Page.SETTINGS)
    page = gui.accounts_page
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible())
    dialog = page.dialog
    assert dialog is not None
    url = sandbox.base_urls["faw"]
    _fill(qtbot, dialog, VendorKey.FAW, url, "我的中台")
    user = dialog.field_edits[("user", "user_name")]
    user.setFocus()
    type_text(qtbot, user, "sandbox")
    token = dialog.field_edits[("secret", "token")]
    token.setFocus()
    type_text(qtbot, token, "wrong-token")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "连接失败" in dialog.result_label.text(), timeout=15000)
    token.clear()
    type_text(qtbot, token, "sandbox-token")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "连接成功" in dialog.result_label.text(), timeout=15000)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已添加" in page.status.text(), timeout=10000)
    qtbot.waitUntil(lambda: page.dialog is None)  # closed by saving
    assert memory_keyring.items[("InvoiceDesk", "我的中台/token")] == "sandbox-token"
    profile = run_in_loop(qtbot, qloop, gui.services.profiles.get("我的中台"))
    assert (profile.vendor, profile.user_name, profile.base_url) == (VendorKey.FAW, "sandbox", url)
    assert "sandbox-token" not in _store_text(data_dir)
    assert "wrong-token" not in _store_text(data_dir)
    assert window.account_combo.findData("我的中台") >= 0  # offered in the status bar

    # the saved profile tests through the services, too
    page.select("我的中台")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "连接成功" in page.status.text(), timeout=15000)


def test_missing_fields_are_named(qtbot: Any, qloop: Any) -> None:
    saved: list[Any] = []

    async def saver(profile: Any, secrets: Any) -> None:
        saved.append((profile, secrets))

    dialog = AccountDialog(saver, None)
    qtbot.addWidget(dialog)
    dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData("ws-invoice"))
    assert not run_in_loop(qtbot, qloop, dialog.save())
    text = dialog.result_label.text()
    for label in ("账户名称", "接口地址", "销售方名称", "销售方税号", "电子税务局密码", "userId"):
        assert label in text
    assert saved == []


def test_no_keyring_notice_and_session_only(qtbot: Any, qloop: Any, sandbox: Any) -> None:
    saved: list[Any] = []

    async def saver(profile: Any, secrets: Any) -> None:
        saved.append((profile.name, secrets))

    dialog = AccountDialog(saver, None, keyring_ok=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.keyring_notice.isVisible() and "密钥环" in dialog.keyring_notice.text()
    _fill(qtbot, dialog, VendorKey.OPEN_API, sandbox.base_urls["open-api"], "无密钥环")
    dialog.field_edits[("secret", "api_key")].setText("sandbox-api-key")
    assert not run_in_loop(qtbot, qloop, dialog.save())
    assert "仅本次使用" in dialog.result_label.text() and saved == []
    dialog.session_only.setChecked(True)
    assert run_in_loop(qtbot, qloop, dialog.save())
    assert saved == [("无密钥环", {"api_key": "sandbox-api-key"})]


def test_piaodanyun_sms_login_in_two_steps(qtbot: Any, qloop: Any, gui: GuiApp) -> None:
    gui.window.show_page(Page.SETTINGS)
    page = gui.accounts_page
    run_in_loop(qtbot, qloop, page.refresh())
    page.select("piaodanyun")
    assert page.sms_box.isVisible()
    qtbot.mouseClick(page.sms_start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "验证码已发送" in page.status.text(), timeout=15000)
    page.sms_code.setText("000000")
    qtbot.mouseClick(page.sms_finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已发送" not in page.status.text(), timeout=15000)
    assert "验证码" in page.status.text()  # the bureau refused the wrong code, said so
    qtbot.mouseClick(page.sms_start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "验证码已发送" in page.status.text(), timeout=15000)
    page.sms_code.setText("123456")
    qtbot.mouseClick(page.sms_finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text() == "已登录电子税务局。", timeout=15000)
    page.select("open-api")
    assert not page.sms_box.isVisible()


def test_seller_type_is_a_choice_kept_in_the_profile_options(qtbot: Any, qloop: Any) -> None:
    from invoicedesk.vendors.base import Profile, Seller

    async def saver(*_: Any) -> None:
        return None

    dialog = AccountDialog(saver, None)
    qtbot.addWidget(dialog)
    assert [dialog.seller_type.itemText(i) for i in range(dialog.seller_type.count())] == [
        "未指定",
        "一般纳税人",
        "小规模纳税人",
    ]
    dialog.seller_type.setCurrentIndex(dialog.seller_type.findData("small_scale"))
    profile, _ = dialog.profile_and_secrets()
    assert profile.options["seller_type"] == "small_scale"
    dialog.seller_type.setCurrentIndex(0)
    assert "seller_type" not in dialog.profile_and_secrets()[0].options

    saved = Profile(
        "票单云",
        VendorKey.PIAODANYUN,
        "http://127.0.0.1:9/p",
        Seller("演示科技有限公司", "91330106MA2H7Q3D1G"),
        options={"seller_type": "general", "tenant_id": "1"},
    )
    editing = AccountDialog(saver, None, profile=saved)
    qtbot.addWidget(editing)
    assert editing.seller_type.currentData() == "general"
