"""What an account needs per platform and how it is checked: shared by 设置 → 添加账户
(ui/accounts.py) and `invoicedesk profile add/test/remove` (commands/profile.py), so both ask
for the same fields and answer with the same messages.

VENDOR_FIELDS is the per-platform table of fields (user name, options, secrets) and which are
required. `account_problems` returns what must be fixed before saving, as AccountProblems whose
`template` is a Chinese sentence (the GUI translates it through Qt, the command line prints it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from invoicedesk.domain.taxid import check_tax_id, describe
from invoicedesk.vendors.base import NotSent, OutcomeUnknown, Profile, VendorError, VendorKey


@dataclass(frozen=True)
class FieldSpec:
    """kind: "user" (profile.user_name), "option" (profile.options[key]), "secret"."""

    kind: str
    key: str
    label: str
    placeholder: str = ""
    required: bool = True


def _user(label: str, placeholder: str = "") -> FieldSpec:
    return FieldSpec("user", "user_name", label, placeholder)


VENDOR_FIELDS: dict[VendorKey, tuple[FieldSpec, ...]] = {
    VendorKey.OPEN_API: (FieldSpec("secret", "api_key", "API 密钥", "X-Api-Key"),),
    VendorKey.WS_INVOICE: (
        _user("电子税务局账号", "登录电子税务局的手机号或用户名"),
        FieldSpec("secret", "tax_password", "电子税务局密码"),
        FieldSpec("option", "userId", "平台用户 ID（userId）"),
        FieldSpec("option", "area", "地区（area）", "如 zhejiang"),
        FieldSpec("option", "role", "身份（role）", "如 法定代表人、财务负责人、开票员"),
    ),
    VendorKey.PIAODANYUN: (
        _user("手机号 / 局端账号", "票单云登录手机号，也是电子税务局账号"),
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
        _user("接入标识（flag）"),
        FieldSpec("secret", "secret", "签名密钥（secret）", "只用于计算签名，不会发送"),
    ),
    VendorKey.FAW: (
        _user("用户标识（U_ID）"),
        FieldSpec("secret", "token", "访问令牌（Bearer token）"),
    ),
}

# The sentences of account_problems; the GUI marks the same texts for translation.
MESSAGES: dict[str, str] = {
    "name_required": "请填写账户名称。",
    "name_taken": "账户名称“{n}”已被使用，请换一个。",
    "url_invalid": "接口地址无效：请填写以 http:// 或 https:// 开头的完整地址。",
    "seller_name_required": "请填写销售方名称。",
    "seller_tax_id_required": "销售方税号无效：请填写 18 位统一社会信用代码。",
    "seller_tax_id_invalid": "销售方税号无效：{detail}",
    "field_required": "请填写{f}。",
}


@dataclass(frozen=True)
class AccountProblem:
    """code (a key of MESSAGES), the field it concerns ("name", "base_url", "seller_name",
    "seller_tax_id", or a FieldSpec key) and the values the sentence names."""

    code: str
    field: str
    args: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def template(self) -> str:
        return MESSAGES[self.code]

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        template = translate(self.template) if translate is not None else self.template
        return template.format(**self.args)


def valid_url(url: str, vendor: VendorKey) -> bool:
    parts = urlsplit(url)
    schemes = (
        ("ws", "wss", "http", "https") if vendor is VendorKey.WS_INVOICE else ("http", "https")
    )
    return parts.scheme in schemes and bool(parts.hostname)


def account_problems(
    profile: Profile,
    secrets: Mapping[str, str],
    *,
    taken: set[str] | frozenset[str] = frozenset(),
    editing: bool = False,
    for_test: bool = False,
) -> list[AccountProblem]:
    """What must be fixed before saving (or, `for_test`, before 测试连接, which needs no name).
    Editing keeps saved secrets, so an empty secret is fine then."""
    out: list[AccountProblem] = []
    if not for_test:
        if not profile.name:
            out.append(AccountProblem("name_required", "name"))
        elif not editing and profile.name in taken:
            out.append(AccountProblem("name_taken", "name", {"n": profile.name}))
    if not valid_url(profile.base_url, profile.vendor):
        out.append(AccountProblem("url_invalid", "base_url"))
    if not profile.seller.name:
        out.append(AccountProblem("seller_name_required", "seller_name"))
    check = check_tax_id(profile.seller.tax_id)
    if not profile.seller.tax_id:
        out.append(AccountProblem("seller_tax_id_required", "seller_tax_id"))
    elif not check.ok:
        detail = describe(check, "")
        if check.reason == "shape":
            detail = "请填写 18 位统一社会信用代码。"
        out.append(AccountProblem("seller_tax_id_invalid", "seller_tax_id", {"detail": detail}))
    for spec in VENDOR_FIELDS[profile.vendor]:
        if not spec.required:
            continue
        missing = (
            (spec.kind == "user" and not profile.user_name)
            or (spec.kind == "option" and not profile.options.get(spec.key))
            or (spec.kind == "secret" and not editing and not secrets.get(spec.key))
        )
        if missing:
            out.append(AccountProblem("field_required", spec.key, {"f": spec.label}))
    return out


CONNECTED = "连接成功：开票平台接受了这个账户。"


def connection_failure(exc: BaseException) -> str:
    """The detail after "连接失败：" for a failed 测试连接 (a VendorError says what to do)."""
    if isinstance(exc, NotSent):  # the transport's words speak of an invoice; none was sent
        return "无法连接开票平台。请检查网络连接和接口地址，然后重试。"
    if isinstance(exc, OutcomeUnknown):
        return "开票平台没有答复（超时或连接中断）。请检查网络和接口地址后重试。"
    if isinstance(exc, VendorError):
        return f"{exc.message} {exc.next_step}".strip()
    message = getattr(exc, "message", None)
    return str(message) if message else "无法连接开票平台，请检查接口地址和网络后再试。"


async def test_connection(services: Any, profile: Profile, typed: Mapping[str, str]) -> None:
    """测试连接 with `typed` secrets first, then those saved for the profile (and a sandbox
    profile's public demo ones). Raises the vendor's typed error; returns when it connects."""
    from invoicedesk.services.context import MissingSecret
    from invoicedesk.services.profiles import demo_secret
    from invoicedesk.services.secrets import NoKeyring
    from invoicedesk.vendors.registry import make_vendor
    from invoicedesk.vendors.transport import register_secret

    labels = {s.key: s.label for s in VENDOR_FIELDS[profile.vendor] if s.kind == "secret"}

    async def secret(name: str) -> str:
        value = typed.get(name)
        if not value:
            try:
                value = await services.secret_store.get(profile.name, name)
            except NoKeyring:
                value = None
        value = value or demo_secret(profile, name)
        if not value:
            raise MissingSecret(
                f"没有填写{labels.get(name, name)}。",
                code="missing_secret",
                next_step="请填写后再测试。",
            )
        register_secret(value)
        return value

    vendor = make_vendor(profile, secret, timeout=8.0)
    for attr in ("http_timeout_s", "reply_timeout_s"):
        if hasattr(vendor, attr):
            setattr(vendor, attr, 8.0)
    try:
        await vendor.check_connection()
    finally:
        await vendor.close()
