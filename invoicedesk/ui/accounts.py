"""设置 → 开票账户: add, edit, remove a profile per vendor with exactly the fields it needs.

Secrets typed into the password fields go to the SecretStore (the OS keyring) through
ProfileService.save, never to the store. A password field left empty while editing keeps the
secret already saved. Without a keyring the dialog says so and offers "仅本次使用".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.taxid import check_tax_id
from invoicedesk.services.secrets import NoKeyring
from invoicedesk.ui.async_dialog import confirm, run_dialog
from invoicedesk.ui.tasks import spawn
from invoicedesk.vendors.base import Profile, Seller, VendorError, VendorKey

log = logging.getLogger(__name__)

# (profile, secrets typed now) -> None, or raises a VendorError; built by the application
Tester = Callable[[Profile, dict[str, str]], Awaitable[None]]
Saver = Callable[[Profile, dict[str, str]], Awaitable[None]]

VENDOR_NAMES = {
    VendorKey.OPEN_API: "开放平台 API",
    VendorKey.WS_INVOICE: "WebSocket 开票",
    VendorKey.PIAODANYUN: "票单云",
    VendorKey.SIGNED_API: "签名开票接口",
    VendorKey.FAW: "FAW 开票中台",
}


@dataclass(frozen=True)
class FieldSpec:
    """kind: "user" (profile.user_name), "option" (profile.options[key]), "secret"."""

    kind: str
    key: str
    label: str
    placeholder: str = ""
    required: bool = True


def _u(label: str, placeholder: str = "") -> FieldSpec:
    return FieldSpec("user", "user_name", label, placeholder)


VENDOR_FIELDS: dict[VendorKey, tuple[FieldSpec, ...]] = {
    VendorKey.OPEN_API: (FieldSpec("secret", "api_key", "API 密钥", "X-Api-Key"),),
    VendorKey.WS_INVOICE: (
        _u("电子税务局账号", "登录电子税务局的手机号或用户名"),
        FieldSpec("secret", "tax_password", "电子税务局密码"),
        FieldSpec("option", "userId", "平台用户 ID（userId）"),
        FieldSpec("option", "area", "地区（area）", "如 zhejiang"),
        FieldSpec("option", "role", "身份（role）", "如 法定代表人、财务负责人、开票员"),
    ),
    VendorKey.PIAODANYUN: (
        _u("手机号 / 局端账号", "票单云登录手机号，也是电子税务局账号"),
        FieldSpec("secret", "password", "票单云密码"),
        FieldSpec("option", "tenant_id", "租户 ID（tenant_id）"),
        FieldSpec("secret", "tax_password", "电子税务局密码", "选填", required=False),
        FieldSpec(
            "option", "seller_address_phone", "销售方地址电话", "选填，印在发票上", required=False
        ),
        FieldSpec(
            "option",
            "seller_bank_account",
            "销售方开户行及账号",
            "选填，印在发票上",
            required=False,
        ),
    ),
    VendorKey.SIGNED_API: (
        _u("接入标识（flag）"),
        FieldSpec("secret", "secret", "签名密钥（secret）", "只用于计算签名，不会发送"),
    ),
    VendorKey.FAW: (
        _u("用户标识（U_ID）"),
        FieldSpec("secret", "token", "访问令牌（Bearer token）"),
    ),
}


def _valid_url(url: str, vendor: VendorKey) -> bool:
    parts = urlsplit(url)
    schemes = (
        ("ws", "wss", "http", "https") if vendor is VendorKey.WS_INVOICE else ("http", "https")
    )
    return parts.scheme in schemes and bool(parts.hostname)


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
        self.setMinimumWidth(560)
        self.saver, self.tester = saver, tester
        self.editing = profile
        self.taken = taken_names or set()
        self.keyring_ok = keyring_ok
        self.session_only_cb = session_only
        self._tasks: set[asyncio.Task[Any]] = set()
        tr = self.tr

        self.vendor_combo = QComboBox()
        self.vendor_combo.setObjectName("vendorCombo")
        for key, label in VENDOR_NAMES.items():
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
        common = QFormLayout()
        common.addRow(tr("开票平台"), self.vendor_combo)
        common.addRow(tr("账户名称"), self.name_edit)
        common.addRow(tr("接口地址"), self.url_edit)
        common.addRow(tr("销售方名称"), self.seller_name)
        common.addRow(tr("销售方税号"), self.seller_tax_id)
        # 纳税人类型 (issue 16): the form and `issue` take a draft's seller_type from it
        self.seller_type = QComboBox()
        self.seller_type.setObjectName("sellerType")
        self.seller_type.addItem(tr("未指定"), "")
        self.seller_type.addItem(tr("一般纳税人"), "general")
        self.seller_type.addItem(tr("小规模纳税人"), "small_scale")
        self.seller_type.setToolTip(tr("小规模纳税人按 3% 开具时需选择税率说明"))
        common.addRow(tr("纳税人类型"), self.seller_type)
        self.vendor_form = QFormLayout()
        self.field_edits: dict[tuple[str, str], QLineEdit] = {}

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
        layout.addLayout(common)
        layout.addLayout(self.vendor_form)
        layout.addWidget(self.keyring_notice)
        layout.addWidget(self.session_only)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.vendor_combo.currentIndexChanged.connect(lambda _i: self._build_vendor_fields())
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

    def _build_vendor_fields(self) -> None:
        while self.vendor_form.rowCount():
            self.vendor_form.removeRow(0)
        self.field_edits.clear()
        profile = self.editing
        for spec in VENDOR_FIELDS[self.vendor()]:
            edit = QLineEdit()
            edit.setObjectName(f"{spec.kind}_{spec.key}")
            placeholder = spec.placeholder
            if spec.kind == "secret":
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                if profile is not None:
                    placeholder = self.tr("已保存；留空则不修改")
            if profile is not None and spec.kind == "user":
                edit.setText(profile.user_name)
            if profile is not None and spec.kind == "option":
                edit.setText(profile.options.get(spec.key, ""))
            edit.setPlaceholderText(placeholder)
            self.vendor_form.addRow(spec.label, edit)
            self.field_edits[(spec.kind, spec.key)] = edit

    def _show_keyring_notice(self, show: bool) -> None:
        self.keyring_notice.setVisible(show)
        self.session_only.setVisible(show)

    def profile_and_secrets(self) -> tuple[Profile, dict[str, str]]:
        vendor = self.vendor()
        options = dict(self.editing.options) if self.editing is not None else {}
        user = ""
        secrets: dict[str, str] = {}
        for (kind, key), edit in self.field_edits.items():
            value = edit.text() if kind == "secret" else edit.text().strip()
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
        """What must be fixed before saving (Chinese, naming the field)."""
        tr = self.tr
        profile, secrets = self.profile_and_secrets()
        out = []
        if not profile.name and not for_test:
            out.append(tr("请填写账户名称。"))
        elif self.editing is None and profile.name in self.taken and not for_test:
            out.append(tr("账户名称“{n}”已被使用，请换一个。").format(n=profile.name))
        if not _valid_url(profile.base_url, profile.vendor):
            out.append(tr("接口地址无效：请填写以 http:// 或 https:// 开头的完整地址。"))
        if not profile.seller.name:
            out.append(tr("请填写销售方名称。"))
        check = check_tax_id(profile.seller.tax_id)
        if not profile.seller.tax_id or not check.ok:
            out.append(tr("销售方税号无效：请填写 18 位统一社会信用代码。"))
        for spec in VENDOR_FIELDS[profile.vendor]:
            if not spec.required:
                continue
            if spec.kind == "user" and not profile.user_name:
                out.append(tr("请填写{f}。").format(f=spec.label))
            if spec.kind == "option" and not profile.options.get(spec.key):
                out.append(tr("请填写{f}。").format(f=spec.label))
            if spec.kind == "secret" and self.editing is None and spec.key not in secrets:
                out.append(tr("请填写{f}。").format(f=spec.label))
        return out

    # ---- actions ---------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("color: #b00020;" if error else "color: #1b6e20;")

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
            self._say(self.tr("连接失败：") + f"{exc.message} {exc.next_step}".strip(), error=True)
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


class AccountsPage(QWidget):
    """设置: the profiles, with add / edit / remove / test / make active, and the piaodanyun
    tax-bureau SMS login in its two steps. Signals: profilesChanged(), activateRequested(str)."""

    profilesChanged = Signal()
    activateRequested = Signal(str)

    def __init__(
        self,
        services: Any,
        tester: Tester | None = None,
        *,
        keyring_ok: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self.services = services
        self.tester = tester
        self.keyring_ok = keyring_ok
        self.profiles: list[Profile] = []
        self.dialog: AccountDialog | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        tr = self.tr

        heading = QLabel(tr("开票账户"))
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.keyring_notice = QLabel(NoKeyring().message)
        self.keyring_notice.setWordWrap(True)
        self.keyring_notice.setStyleSheet(
            "background: #fbeec0; padding: 6px; border: 1px solid #e0c060;"
        )
        self.keyring_notice.setVisible(not keyring_ok)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("accountsTable")
        self.table.setHorizontalHeaderLabels(
            [tr("账户名称"), tr("开票平台"), tr("销售方"), tr("税号")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(1, 140)
        self.table.setColumnWidth(3, 190)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _i: self._start(self.edit_selected()))

        self.add_button = QPushButton(tr("添加账户…"))
        self.add_button.setObjectName("addAccount")
        self.edit_button = QPushButton(tr("编辑…"))
        self.remove_button = QPushButton(tr("删除"))
        self.test_button = QPushButton(tr("测试连接"))
        self.test_button.setObjectName("testSelected")
        self.use_button = QPushButton(tr("设为当前账户"))
        self.add_button.clicked.connect(lambda: self._start(self.add()))
        self.edit_button.clicked.connect(lambda: self._start(self.edit_selected()))
        self.remove_button.clicked.connect(lambda: self._start(self.remove_selected()))
        self.test_button.clicked.connect(lambda: self._start(self.test_selected()))
        self.use_button.clicked.connect(self._use_selected)

        self.sms_box = QWidget()
        sms = QHBoxLayout(self.sms_box)
        sms.setContentsMargins(0, 0, 0, 0)
        self.sms_start_button = QPushButton(tr("登录电子税务局：发送短信验证码"))
        self.sms_start_button.setObjectName("smsStart")
        self.sms_code = QLineEdit()
        self.sms_code.setObjectName("smsCode")
        self.sms_code.setPlaceholderText(tr("短信验证码"))
        self.sms_code.setMaximumWidth(140)
        self.sms_finish_button = QPushButton(tr("登录"))
        self.sms_finish_button.setObjectName("smsFinish")
        self.sms_start_button.clicked.connect(lambda: self._start(self.sms_start()))
        self.sms_finish_button.clicked.connect(lambda: self._start(self.sms_finish()))
        sms.addWidget(self.sms_start_button)
        sms.addWidget(self.sms_code)
        sms.addWidget(self.sms_finish_button)
        sms.addStretch(1)

        self.status = QLabel()
        self.status.setObjectName("accountsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.test_button,
            self.use_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.keyring_notice)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.sms_box)
        layout.addWidget(self.status)
        self._selection_changed()

    # ---- list ------------------------------------------------------------------------------

    def reload(self) -> None:
        self._start(self.refresh())

    async def refresh(self) -> None:
        self.fill(await self.services.profiles.list_all())

    def fill(self, profiles: list[Profile]) -> None:
        selected = self.selected()
        self.profiles = list(profiles)
        self.table.setRowCount(0)
        for p in self.profiles:
            row = self.table.rowCount()
            self.table.insertRow(row)
            vendor = VENDOR_NAMES.get(p.vendor, p.vendor.value)
            if p.options.get("sandbox") == "1":
                vendor += self.tr("（沙箱）")
            for col, text in enumerate((p.name, vendor, p.seller.name, p.seller.tax_id)):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if selected is not None and p.name == selected.name:
                self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> Profile | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.profiles):
            return None
        return self.profiles[rows[0].row()]

    def select(self, name: str) -> None:
        for i, p in enumerate(self.profiles):
            if p.name == name:
                self.table.selectRow(i)

    def _selection_changed(self) -> None:
        p = self.selected()
        for b in (self.edit_button, self.remove_button, self.test_button, self.use_button):
            b.setEnabled(p is not None)
        self.sms_box.setVisible(p is not None and p.vendor is VendorKey.PIAODANYUN)

    # ---- add / edit / remove ---------------------------------------------------------------

    def _session_only(self) -> None:
        """No keyring: keep secrets in memory for this session (the user chose it)."""
        from invoicedesk.services.secrets import MemorySecretStore

        if not isinstance(self.services.secret_store, MemorySecretStore):
            memory = MemorySecretStore()
            self.services.secret_store = memory
            self.services.profiles.secrets = memory

    async def _save(self, dialog: AccountDialog, profile: Profile, secrets: dict[str, str]) -> None:
        if dialog.session_only.isChecked():
            self._session_only()
        await self.services.profiles.save(profile, secrets)
        await self.services.forget_vendor(profile.name)  # the next call uses the new settings

    def make_dialog(self, profile: Profile | None = None) -> AccountDialog:
        holder: list[AccountDialog] = []

        async def saver(p: Profile, s: dict[str, str]) -> None:
            await self._save(holder[0], p, s)

        dialog = AccountDialog(
            saver,
            self.tester,
            profile=profile,
            taken_names={p.name for p in self.profiles},
            keyring_ok=self.keyring_ok,
            parent=self,
        )
        holder.append(dialog)
        self.dialog = dialog
        return dialog

    async def add(self) -> None:
        await self.refresh()
        dialog = self.make_dialog()
        if await run_dialog(dialog) == QDialog.DialogCode.Accepted.value:
            name = dialog.profile_and_secrets()[0].name
            await self._changed(self.tr("已添加开票账户“{n}”。").format(n=name), name)
        self.dialog = None
        dialog.deleteLater()

    async def edit_selected(self) -> None:
        p = self.selected()
        if p is None:
            return
        dialog = self.make_dialog(p)
        if await run_dialog(dialog) == QDialog.DialogCode.Accepted.value:
            await self._changed(self.tr("已保存开票账户“{n}”。").format(n=p.name), p.name)
        self.dialog = None
        dialog.deleteLater()

    async def remove_selected(self) -> None:
        p = self.selected()
        if p is None:
            return
        ok = await confirm(
            self,
            self.tr("删除开票账户"),
            self.tr("删除开票账户“{n}”及其保存的密码？已开发票的记录会保留。").format(n=p.name),
            yes=self.tr("删除"),
        )
        if not ok:
            return
        await self.services.forget_vendor(p.name)
        await self.services.profiles.delete(p.name)
        await self._changed(self.tr("已删除开票账户“{n}”。").format(n=p.name), None)

    async def _changed(self, text: str, name: str | None) -> None:
        await self.refresh()
        if name:
            self.select(name)
        self.status.setText(text)
        self.profilesChanged.emit()

    def _use_selected(self) -> None:
        p = self.selected()
        if p is not None:
            self.activateRequested.emit(p.name)

    # ---- test and tax-bureau login ---------------------------------------------------------

    async def test_selected(self) -> bool:
        p = self.selected()
        if p is None:
            return False
        self.status.setText(self.tr("正在测试“{n}”的连接…").format(n=p.name))
        try:
            _, vendor = await self.services.vendor(p.name)
            await vendor.check_connection()
        except VendorError as exc:
            self.status.setText(self.tr("连接失败：") + f"{exc.message} {exc.next_step}".strip())
            return False
        except Exception as exc:
            log.exception("connection test failed")
            self.status.setText(self.tr("连接失败：") + str(getattr(exc, "message", exc)))
            return False
        self.status.setText(self.tr("“{n}”连接成功。").format(n=p.name))
        return True

    async def sms_start(self) -> None:
        p = self.selected()
        if p is None:
            return
        try:
            await self.services.account.sms_login_start(p.name)
        except VendorError as exc:
            self.status.setText(f"{exc.message} {exc.next_step}".strip())
            return
        self.status.setText(self.tr("验证码已发送到 {u}，请填入后点“登录”。").format(u=p.user_name))
        self.sms_code.setFocus()

    async def sms_finish(self) -> None:
        p = self.selected()
        code = self.sms_code.text().strip()
        if p is None:
            return
        if not code:
            self.status.setText(self.tr("请填写短信验证码。"))
            return
        try:
            await self.services.account.sms_login_finish(p.name, code)
        except VendorError as exc:
            self.status.setText(f"{exc.message} {exc.next_step}".strip())
            return
        self.sms_code.clear()
        self.status.setText(self.tr("已登录电子税务局。"))

    def _start(self, coro: Awaitable[Any]) -> None:
        spawn(coro, self._tasks)
