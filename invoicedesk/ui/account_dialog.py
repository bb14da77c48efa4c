"""The add/edit account dialog: the common fields, then the vendor's own (the facts table,
services/vendor_facts.py), all in one form so that the labels stay in one column; 保存 is
refused with a message naming each missing or invalid field (services/account_form.py, the same
checks and sentences as `invoicedesk profile add`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services import account_form
from invoicedesk.services.account_form import connection_failure
from invoicedesk.services.secrets import NoKeyring
from invoicedesk.services.vendor_facts import FieldSpec, facts
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.vendor_names import table_text, vendor_names
from invoicedesk.vocabulary import Profile, Seller, VendorError, VendorKey

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    """A sentence of services/account_form.py, through the dialog's translation context."""
    return QCoreApplication.translate(account_form.TR_CONTEXT, text) if text else ""


# (profile, secrets typed now) -> None, or raises a VendorError; built by the application
MIN_WIDTH = 560

Tester = Callable[[Profile, dict[str, str]], Awaitable[None]]
Saver = Callable[[Profile, dict[str, str]], Awaitable[None]]


class AccountDialog(QDialog):
    """Add (profile None) or edit one profile. Public API: profile_and_secrets(), problems();
    the Save button runs `saver` and closes only when it succeeded."""

    def __init__(
        self,
        saver: Saver,
        tester: Tester | None,
        *,
        profile: Profile | None = None,
        taken_names: set[str] | None = None,
        keyring_ok: bool = True,
        session_only: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.setWindowTitle(self.tr("编辑开票账户") if profile else self.tr("添加开票账户"))
        self.setMinimumWidth(MIN_WIDTH)
        self.saver, self.tester = saver, tester
        self.editing = profile
        self.taken = taken_names or set()
        self.keyring_ok = keyring_ok
        self.session_only_cb = session_only
        self._tasks: set[asyncio.Task[Any]] = set()
        tr = self.tr

        self.vendor_combo = QComboBox()
        self.vendor_combo.setObjectName("vendorCombo")
        for key, label in vendor_names().items():
            self.vendor_combo.addItem(label, key.value)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("profileName")
        self.name_edit.setPlaceholderText(tr("给这个账户起个名字，如“公司票单云”"))
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("baseUrl")
        self.url_edit.setPlaceholderText(tr("开票平台提供的接口地址"))
        self.seller_name = QLineEdit()
        self.seller_name.setObjectName("sellerName")
        self.seller_tax_id = QLineEdit()
        self.seller_tax_id.setObjectName("sellerTaxId")
        # one form for the common and the vendor's rows: one label column, aligned
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow(tr("开票平台"), self.vendor_combo)
        self.form.addRow(tr("账户名称"), self.name_edit)
        self.form.addRow(tr("接口地址"), self.url_edit)
        self.form.addRow(tr("销售方名称"), self.seller_name)
        self.form.addRow(tr("销售方税号"), self.seller_tax_id)
        # 纳税人类型 (issue 16): the form and `issue` take a draft's seller_type from it
        self.seller_type = QComboBox()
        self.seller_type.setObjectName("sellerType")
        self.seller_type.addItem(tr("未指定"), "")
        self.seller_type.addItem(tr("一般纳税人"), "general")
        self.seller_type.addItem(tr("小规模纳税人"), "small_scale")
        self.seller_type.setToolTip(tr("小规模纳税人按 3% 开具时需选择税率说明"))
        self.form.addRow(tr("纳税人类型"), self.seller_type)
        self.common_rows = self.form.rowCount()
        self.field_edits: dict[tuple[str, str], QLineEdit | QComboBox] = {}
        self.field_specs: dict[tuple[str, str], FieldSpec] = {}

        self.keyring_notice = QLabel(NoKeyring().message)
        self.keyring_notice.setObjectName("keyringNotice")
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.setStyleSheet(
            "background: #fbeec0; padding: 6px; border: 1px solid #e0c060;"
        )
        self.session_only = QCheckBox(tr("仅本次使用（密码只保存在内存中，关闭程序后需重新输入）"))
        self.session_only.setObjectName("sessionOnly")
        self._show_keyring_notice(not keyring_ok)

        self.result_label = QLabel()
        self.result_label.setObjectName("accountResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(tr("测试连接"))
        self.test_button.setObjectName("testConnection")
        self.test_button.setToolTip(tr("用填写的信息连接开票平台，不保存"))
        self.save_button = QPushButton(tr("保存"))
        self.save_button.setObjectName("saveAccount")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(tr("取消"))
        self.test_button.clicked.connect(lambda: self._start(self.test()))
        self.save_button.clicked.connect(lambda: self._start(self.save()))
        self.cancel_button.clicked.connect(self.reject)
        self.test_button.setVisible(tester is not None)

        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.keyring_notice)
        layout.addWidget(self.session_only)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.vendor_combo.currentIndexChanged.connect(lambda _i: self._vendor_switched())
        if profile is not None:
            self.vendor_combo.setCurrentIndex(self.vendor_combo.findData(profile.vendor.value))
            self.vendor_combo.setEnabled(False)  # another vendor is another account
            self.name_edit.setText(profile.name)
            self.name_edit.setReadOnly(True)  # secrets are filed under the name
            self.url_edit.setText(profile.base_url)
            self.seller_name.setText(profile.seller.name)
            self.seller_tax_id.setText(profile.seller.tax_id)
            self.seller_type.setCurrentIndex(
                max(0, self.seller_type.findData(profile.options.get("seller_type", "")))
            )
        self._build_vendor_fields()

    # ---- fields ----------------------------------------------------------------------------

    def vendor(self) -> VendorKey:
        return VendorKey(str(self.vendor_combo.currentData()))

    def _vendor_switched(self) -> None:
        self._build_vendor_fields()
        self.result_label.clear()  # the previous platform's message is not about this one
        self._fit()

    def _fit(self) -> None:
        """Grow to the new rows (never squeeze them); shrink back when there are fewer."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), hint.height())

    def _field_widget(self, spec: FieldSpec, stored: str | None) -> QLineEdit | QComboBox:
        name = f"{spec.kind}_{spec.key}"
        if spec.choices:
            combo = QComboBox()
            combo.setObjectName(name)
            combo.setEditable(spec.editable)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            for label, value in spec.choices:
                combo.addItem(table_text(label), value)
            wanted = stored if stored else spec.default
            index = combo.findData(wanted)
            if index < 0 and wanted:
                if spec.editable:
                    combo.setEditText(wanted)
                else:  # a value saved before it was a choice: kept, and shown as such
                    combo.addItem(self.tr("{v}（已保存的值）").format(v=wanted), wanted)
                    index = combo.count() - 1
            if index >= 0:
                combo.setCurrentIndex(index)
            return combo
        edit = QLineEdit()
        edit.setObjectName(name)
        placeholder = table_text(spec.placeholder)
        if spec.kind == "secret":
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            if self.editing is not None:
                placeholder = self.tr("已保存；留空则不修改")
        if stored is not None:
            edit.setText(stored)
        edit.setPlaceholderText(placeholder)
        return edit

    def _fit_placeholders(self) -> None:
        """A placeholder is read whole, never clipped (the English ones are longer)."""
        for edit in self.findChildren(QLineEdit):
            hint = edit.placeholderText()
            if hint:
                edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(hint) + 16)
        # new rows' widgets show (and count in the layout) one event-loop turn later
        QTimer.singleShot(0, self, self._keep_layout_minimum)

    def _keep_layout_minimum(self) -> None:
        """An explicit minimum width overrides the layout's: keep the larger of the two, so
        that the longer English labels and placeholders are never squeezed."""
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
            self.setMinimumWidth(max(MIN_WIDTH, layout.minimumSize().width()))

    def _build_vendor_fields(self) -> None:
        while self.form.rowCount() > self.common_rows:
            self.form.removeRow(self.common_rows)
        self.field_edits.clear()
        self.field_specs.clear()
        profile = self.editing
        for spec in facts(self.vendor()).fields:
            stored: str | None = None
            if profile is not None and spec.kind == "user":
                stored = profile.user_name
            elif profile is not None and spec.kind == "option":
                stored = profile.options.get(spec.key, "")
            widget = self._field_widget(spec, stored)
            self.form.addRow(table_text(spec.label), widget)
            self.field_edits[(spec.kind, spec.key)] = widget
            self.field_specs[(spec.kind, spec.key)] = spec
        self._fit_placeholders()

    @staticmethod
    def field_value(widget: QLineEdit | QComboBox, *, secret: bool = False) -> str:
        """What a field holds: a drop-down's stored value (or the typed text when editable)."""
        if isinstance(widget, QComboBox):
            text = widget.currentText().strip()
            index = widget.currentIndex()
            if index >= 0 and widget.itemText(index).strip() == text:
                return str(widget.itemData(index) or "")
            return text
        return widget.text() if secret else widget.text().strip()

    def _show_keyring_notice(self, show: bool) -> None:
        self.keyring_notice.setVisible(show)
        self.session_only.setVisible(show)

    def profile_and_secrets(self) -> tuple[Profile, dict[str, str]]:
        vendor = self.vendor()
        options = dict(self.editing.options) if self.editing is not None else {}
        user = ""
        secrets: dict[str, str] = {}
        for (kind, key), edit in self.field_edits.items():
            value = self.field_value(edit, secret=kind == "secret")
            if kind == "user":
                user = value
            elif kind == "option":
                if value:
                    options[key] = value
                else:
                    options.pop(key, None)
            elif value:
                secrets[key] = value
        options.pop("seller_type", None)
        if seller_type := str(self.seller_type.currentData() or ""):
            options["seller_type"] = seller_type
        profile = Profile(
            name=self.name_edit.text().strip(),
            vendor=vendor,
            base_url=self.url_edit.text().strip().rstrip("/"),
            seller=Seller(self.seller_name.text().strip(), self.seller_tax_id.text().strip()),
            user_name=user,
            options=options,
        )
        return profile, secrets

    def problems(self, *, for_test: bool = False) -> list[str]:
        """What must be fixed before saving (naming the field), as `profile add` says it."""
        profile, secrets = self.profile_and_secrets()
        found = account_form.account_problems(
            profile,
            secrets,
            taken=frozenset(self.taken),
            editing=self.editing is not None,
            for_test=for_test,
        )
        return [p.text(_tr, table_text) for p in found]

    # ---- actions ---------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("color: #b00020;" if error else "color: #1b6e20;")
        self._fit()  # a long message gets its room instead of squeezing the rows

    async def test(self) -> bool:
        if self.tester is None:
            return False
        problems = self.problems(for_test=True)
        if problems:
            self._say("\n".join(problems), error=True)
            return False
        profile, secrets = self.profile_and_secrets()
        self._say(self.tr("正在连接开票平台…"))
        self.test_button.setEnabled(False)
        try:
            await self.tester(profile, secrets)
        except VendorError as exc:
            self._say(self.tr("连接失败：") + connection_failure(exc), error=True)
            return False
        except Exception as exc:
            log.exception("connection test failed")
            self._say(self.tr("连接失败：") + type(exc).__name__, error=True)
            return False
        finally:
            self.test_button.setEnabled(True)
        self._say(self.tr("连接成功：开票平台接受了这个账户。"))
        return True

    async def save(self) -> bool:
        problems = self.problems()
        if problems:
            self._say("\n".join(problems), error=True)
            return False
        profile, secrets = self.profile_and_secrets()
        if secrets and not self.keyring_ok and not self.session_only.isChecked():
            self._show_keyring_notice(True)
            self._say(self.tr("请勾选“仅本次使用”，或先安装系统密钥环。"), error=True)
            return False
        self.save_button.setEnabled(False)
        try:
            await self.saver(profile, secrets)
        except NoKeyring as exc:
            self.keyring_ok = False
            self._show_keyring_notice(True)
            self._say(exc.message, error=True)
            return False
        except Exception as exc:
            log.exception("saving the profile failed")
            self._say(self.tr("保存失败：") + str(getattr(exc, "message", exc)), error=True)
            return False
        finally:
            self.save_button.setEnabled(True)
        self.accept()
        return True

    def _start(self, coro: Awaitable[Any]) -> None:
        spawn(coro, self._tasks)
