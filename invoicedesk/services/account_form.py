"""How an account is checked before it is saved: shared by 设置 → 添加账户 (ui/account_dialog.py)
and `invoicedesk profile add/test/remove` (commands/profile.py), so both ask for the same fields
(services/vendor_facts.py) and refuse with the same messages.

`account_problems` returns what must be fixed before saving, as AccountProblems whose `template`
is a Chinese sentence: the command line prints it, the window translates it (TR_CONTEXT) and the
field's label in it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from invoicedesk.domain.taxid import check_tax_id, describe
from invoicedesk.services.vendor_facts import FieldSpec, facts
from invoicedesk.vendors.base import NotSent, OutcomeUnknown, Profile, VendorError, VendorKey

TR_CONTEXT = "AccountDialog"


def _tr(text: str) -> str:
    """Marks a source text for translation (packaging/tr_wrappers.py); returns it as is."""
    return text


# The sentences of account_problems
MESSAGES: dict[str, str] = {
    "name_required": _tr("请填写账户名称。"),
    "name_taken": _tr("账户名称“{n}”已被使用，请换一个。"),
    "url_invalid": _tr("接口地址无效：请填写以 http:// 或 https:// 开头的完整地址。"),
    "seller_name_required": _tr("请填写销售方名称。"),
    "seller_tax_id_required": _tr("销售方税号无效：请填写 18 位统一社会信用代码。"),
    "seller_tax_id_invalid": _tr("销售方税号无效：{detail}"),
    "field_required": _tr("请填写“{f}”：开票平台的文档要求必填。"),
    "field_invalid": _tr("“{f}”无效：{h}。"),
}
# the arguments that are texts of the facts table (a field's label and hint): translated too
TABLE_ARGS = ("f", "h")


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

    def text(
        self,
        translate: Callable[[str], str] | None = None,
        translate_table: Callable[[str], str] | None = None,
    ) -> str:
        """The sentence; `translate` turns the template, `translate_table` a label or hint
        into the window's language (both Chinese when not given)."""
        template = translate(self.template) if translate is not None else self.template
        args = {
            k: translate_table(v) if translate_table is not None and k in TABLE_ARGS else v
            for k, v in self.args.items()
        }
        return template.format(**args)


def valid_url(url: str, vendor: VendorKey) -> bool:
    parts = urlsplit(url)
    return parts.scheme in facts(vendor).url_schemes and bool(parts.hostname)


def with_defaults(vendor: VendorKey, options: Mapping[str, str]) -> dict[str, str]:
    """The options with each field's default where nothing was given (the dialog preselects
    the same values)."""
    out = dict(options)
    for spec in facts(vendor).fields:
        if spec.kind == "option" and spec.default and not out.get(spec.key):
            out[spec.key] = spec.default
    return out


def field_value(profile: Profile, spec: FieldSpec) -> str:
    """What the profile holds for a user or option field ("" for a secret)."""
    if spec.kind == "user":
        return profile.user_name
    if spec.kind == "option":
        return profile.options.get(spec.key, "")
    return ""


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
    detail = describe(check, "") if profile.seller.tax_id else ""
    if detail:
        out.append(AccountProblem("seller_tax_id_invalid", "seller_tax_id", {"detail": detail}))
    elif not profile.seller.tax_id or not check.ok:
        out.append(AccountProblem("seller_tax_id_required", "seller_tax_id"))
    for spec in facts(profile.vendor).fields:
        value = field_value(profile, spec)
        missing = (not editing and not secrets.get(spec.key)) if spec.secret else not value
        if spec.required and missing:
            out.append(AccountProblem("field_required", spec.key, {"f": spec.label}))
        elif value and spec.valid is not None and not spec.valid(value):
            out.append(AccountProblem("field_invalid", spec.key, {"f": spec.label, "h": spec.hint}))
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

    labels = {s.key: s.label for s in facts(profile.vendor).fields if s.secret}

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
