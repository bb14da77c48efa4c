"""The add-account dialog per vendor: what each document marks required is asked for and its
absence refused by name; switching platform keeps one aligned label column, grows instead of
squeezing, and drops the previous platform's message; ws-invoice's 地区 by province name."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from invoicedesk.services.vendor_facts import PROVINCES, facts
from invoicedesk.ui.accounts import AccountDialog
from invoicedesk.vendors.base import VendorKey
from tests.conftest import run_in_loop
from tests.e2e.test_cli_profile import required_fields


async def _refuse(*_: Any) -> None:
    raise AssertionError("must not be saved")


def dialog_for(qtbot: Any, vendor: VendorKey, saver: Any = _refuse) -> AccountDialog:
    dialog = AccountDialog(saver, None)
    qtbot.addWidget(dialog)
    dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(vendor.value))
    dialog.name_edit.setText("测试账户")
    dialog.url_edit.setText("https://example.com/api")
    dialog.seller_name.setText("演示科技有限公司")
    dialog.seller_tax_id.setText("91330106MA2H7Q3D1G")
    return dialog


def fill_all(dialog: AccountDialog, skip: tuple[str, str] | None = None) -> None:
    for key, widget in dialog.field_edits.items():
        if key == skip or not isinstance(widget, QLineEdit):
            continue
        widget.setText("13800000000" if key[1] == "user_name" else f"值-{key[1]}")


REQUIRED = [
    (VendorKey.PIAODANYUN, ("option", "seller_address_phone"), "销售方地址电话"),
    (VendorKey.PIAODANYUN, ("option", "seller_bank_account"), "销售方开户行及账号"),
    (VendorKey.PIAODANYUN, ("secret", "tax_password"), "电子税务局密码"),
    (VendorKey.WS_INVOICE, ("option", "seller_bank"), "销售方开户银行"),
    (VendorKey.WS_INVOICE, ("option", "seller_bank_account"), "销售方银行账号"),
    (VendorKey.WS_INVOICE, ("option", "role"), "身份（role）"),
]


@pytest.mark.parametrize(("vendor", "key", "label"), REQUIRED)
def test_save_is_refused_naming_the_missing_required_field(
    qtbot: Any, qloop: Any, vendor: VendorKey, key: tuple[str, str], label: str
) -> None:
    dialog = dialog_for(qtbot, vendor)
    fill_all(dialog, skip=key)
    assert not run_in_loop(qtbot, qloop, dialog.save())
    text = dialog.result_label.text()
    assert f"请填写“{label}”" in text and text.count("请填写") == 1
    spec = facts(vendor).field(*key)
    assert spec is not None
    assert spec.required and "选填" not in spec.placeholder


def test_piaodanyun_saves_its_required_seller_fields(qtbot: Any, qloop: Any) -> None:
    saved: list[Any] = []

    async def saver(profile: Any, secrets: Any) -> None:
        saved.append((profile, secrets))

    dialog = dialog_for(qtbot, VendorKey.PIAODANYUN, saver)
    fill_all(dialog)
    assert run_in_loop(qtbot, qloop, dialog.save()), dialog.result_label.text()
    ((profile, secrets),) = saved
    assert profile.options["seller_address_phone"] == "值-seller_address_phone"
    assert profile.options["seller_bank_account"] == "值-seller_bank_account"
    assert secrets["tax_password"] == "值-tax_password"


def test_ws_invoice_area_is_a_province_by_name_stored_as_pinyin(qtbot: Any, qloop: Any) -> None:
    saved: list[Any] = []

    async def saver(profile: Any, secrets: Any) -> None:
        saved.append(profile)

    dialog = dialog_for(qtbot, VendorKey.WS_INVOICE, saver)
    area = dialog.field_edits[("option", "area")]
    assert isinstance(area, QComboBox) and not area.isEditable()
    names = [area.itemText(i) for i in range(area.count())]
    assert "浙江" in names and "陕西" in names and "山西" in names and len(names) == len(PROVINCES)
    area.setCurrentIndex(names.index("陕西"))
    fill_all(dialog)
    assert run_in_loop(qtbot, qloop, dialog.save()), dialog.result_label.text()
    (profile,) = saved
    assert profile.options["area"] == "shaanxi"
    assert profile.options["seller_bank"] == "值-seller_bank"
    assert profile.options["seller_bank_account"] == "值-seller_bank_account"


def test_faw_settings_from_the_documents_enumerations(qtbot: Any, qloop: Any) -> None:
    saved: list[Any] = []

    async def saver(profile: Any, secrets: Any) -> None:
        saved.append(profile)

    dialog = dialog_for(qtbot, VendorKey.FAW, saver)
    business = dialog.field_edits[("option", "business_type_code")]
    bukrs = dialog.field_edits[("option", "bukrs")]
    blue_type = dialog.field_edits[("option", "invoice_type_82")]
    assert isinstance(business, QComboBox) and isinstance(bukrs, QComboBox)
    assert isinstance(blue_type, QComboBox)
    assert business.currentData() == "099" and bukrs.currentText() == "W92"
    assert blue_type.currentText() == "02" and business.count() == 33
    fill_all(dialog)
    bukrs.setEditText("W9 2!")
    assert not run_in_loop(qtbot, qloop, dialog.save())
    assert "“账套编码（bukrs）”无效" in dialog.result_label.text()
    bukrs.setEditText("VB5")
    blue_type.setEditText("9999")
    assert not run_in_loop(qtbot, qloop, dialog.save())
    assert "“数电普票的发票类型（invoiceType）”无效" in dialog.result_label.text()
    blue_type.setEditText("0112")
    business.setCurrentIndex(business.findData("098"))
    assert run_in_loop(qtbot, qloop, dialog.save()), dialog.result_label.text()
    (profile,) = saved
    assert profile.options["business_type_code"] == "098"
    assert (profile.options["bukrs"], profile.options["invoice_type_82"]) == ("VB5", "0112")
    assert profile.options["invoice_type_81"] == "01"


def _label_columns(dialog: AccountDialog) -> set[int]:
    form = dialog.form
    lefts = set()
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        widget = item.widget() if item is not None else None
        if isinstance(widget, QWidget):
            lefts.add(widget.geometry().right())
    return lefts


def test_switching_platform_aligns_grows_and_clears_the_old_message(qtbot: Any, qloop: Any) -> None:
    dialog = dialog_for(qtbot, VendorKey.OPEN_API)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not run_in_loop(qtbot, qloop, dialog.save())
    assert "API 密钥" in dialog.result_label.text()
    for vendor in (VendorKey.PIAODANYUN, VendorKey.FAW, VendorKey.WS_INVOICE, VendorKey.OPEN_API):
        dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(vendor.value))
        qtbot.wait(10)
        assert dialog.result_label.text() == ""  # the previous platform's error is gone
        assert len(_label_columns(dialog)) == 1  # one label column for all rows
        for widget in dialog.field_edits.values():
            assert widget.height() >= widget.minimumSizeHint().height()  # not squeezed
            assert widget.width() >= widget.minimumSizeHint().width()
        assert dialog.height() >= dialog.minimumSizeHint().height()


@pytest.mark.parametrize(("platform", "kind", "key", "label"), required_fields())
def test_save_refuses_each_missing_required_field_as_profile_add_does(
    qtbot: Any, qloop: Any, platform: str, kind: str, key: str, label: str
) -> None:
    """Every required field of the facts table, left empty: the one sentence `invoicedesk
    profile add` prints for it (tests/e2e/test_cli_profile.py), and nothing saved."""
    dialog = dialog_for(qtbot, VendorKey(platform))
    fill_all(dialog, skip=(kind, key))
    assert not run_in_loop(qtbot, qloop, dialog.save())
    assert dialog.result_label.text() == f"请填写“{label}”：开票平台的文档要求必填。"
