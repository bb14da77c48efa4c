"""`invoicedesk profile sandbox|list|add|test|remove`.

`sandbox` makes one profile per vendor, named by its key, for the sandbox at URL (its root,
e.g. http://127.0.0.1:8765), with the sandbox's public demo accounts. Their secrets go to the
OS keyring; on a machine without one nothing is written anywhere and the sandbox profiles use
the built-in demo credentials (only ever for a loopback address).

`add`, `test` and `remove` do what 设置 → 开票账户 does, with the same fields per platform, the
same checks and the same messages (services/vendor_facts.py, services/account_form.py).
Secrets are never arguments (they would stay in the shell history and the process list):
`add` asks for each without echo when run in a terminal, or reads them from standard input with
`--secrets-stdin` as one JSON object ({"api_key": "..."}) for scripts. They go to the system
keyring; without one nothing is saved.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from typing import Any

from invoicedesk.vendors.base import VendorKey

# 纳税人类型, as in the account dialog (profile option seller_type)
_SELLER_TYPES = {
    "general": "general",
    "small_scale": "small_scale",
    "一般纳税人": "general",
    "小规模纳税人": "small_scale",
}

NO_KEYRING = (
    "本机没有可用的系统密钥环，无法安全保存密码和密钥，账户未保存。"
    "请安装并解锁系统密钥环（如 GNOME Keyring 或 KWallet）后再添加。"
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("profile", help="开票账户：添加、测试、删除、列出账户")
    sub = parser.add_subparsers(dest="profile_command", metavar="ACTION")
    sandbox = sub.add_parser("sandbox", help="为本机模拟器的五家平台各创建一个演示账户")
    sandbox.add_argument("--url", required=True, help="模拟器根地址，如 http://127.0.0.1:8765")
    listing = sub.add_parser("list", help="列出开票账户")
    listing.add_argument("--json", action="store_true", help="每个账户输出一行 JSON")

    add = sub.add_parser(
        "add",
        help="添加开票账户（与“设置 → 添加账户”相同的字段和检查）",
        description="密码和密钥不作为参数：在终端中逐项不回显输入，或用 --secrets-stdin 从标准输入"
        '读取一个 JSON 对象，如 {"api_key": "…"}。',
        epilog=_fields_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("--platform", required=True, choices=[k.value for k in VendorKey])
    add.add_argument("--name", default="", help="账户名称")
    add.add_argument("--url", default="", help="开票平台提供的接口地址")
    add.add_argument("--seller-name", default="", help="销售方名称")
    add.add_argument("--seller-tax-id", default="", help="销售方税号（18 位统一社会信用代码）")
    add.add_argument("--user", default="", help="账号 / 用户标识（平台需要时）")
    add.add_argument(
        "--seller-type",
        default="",
        choices=sorted(_SELLER_TYPES),
        help="纳税人类型（可不填）：小规模纳税人按 3%% 开具时需选择税率说明",
    )
    add.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="平台的其他设置，如 tenant_id=1、userId=…、area=zhejiang（可重复）",
    )
    add.add_argument(
        "--secrets-stdin",
        action="store_true",
        help="从标准输入读取密钥：一个 JSON 对象，键为密钥名称（如 api_key、password）",
    )
    add.add_argument("--test", action="store_true", help="保存前先测试连接，失败则不保存")
    test = sub.add_parser("test", help="测试连接：用保存的设置和密码连接开票平台")
    test.add_argument("name", help="账户名称")
    remove = sub.add_parser("remove", help="删除开票账户及其保存的密码（已开发票的记录保留）")
    remove.add_argument("name", help="账户名称")
    remove.add_argument("--yes", action="store_true", help="不再询问，直接删除")


def _fields_help() -> str:
    """What each platform needs, from the account dialog's table."""
    from invoicedesk.services.vendor_facts import FACTS

    lines = ["各平台需要填写（* 为必填）："]
    for vendor, table in FACTS.items():
        parts = []
        for s in table.fields:
            mark = "*" if s.required else ""
            if s.kind == "user":
                parts.append(f"--user {s.label}{mark}")
            elif s.kind == "option":
                default = f"（默认 {s.default}）" if s.default else ""
                parts.append(f"--option {s.key}=…{mark}{default}")
            else:
                parts.append(f"密钥 {s.key}（{s.label}）{mark}")
        lines.append(f"  {vendor.value}：" + "；".join(parts))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "profile_command", None) is None:
        print(
            "请指定操作：invoicedesk profile add|test|remove|list，"
            "或 invoicedesk profile sandbox --url 地址"
        )
        return 2
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from invoicedesk.services.context import AppServices, cli_secret_store

    secrets, persistent = cli_secret_store()
    services = await AppServices.open(args.data_dir, secrets)
    try:
        command = args.profile_command
        if command == "sandbox":
            return await _sandbox(services, args, persistent)
        if command == "add":
            return await _add(services, args, persistent)
        if command == "test":
            return await _test(services, args.name)
        if command == "remove":
            return await _remove(services, args.name, args.yes)
        return await _list(services, args.json)
    finally:
        await services.aclose()


async def _sandbox(services: Any, args: argparse.Namespace, persistent: bool) -> int:
    from invoicedesk.services.profiles import is_loopback, sandbox_base_urls

    if not is_loopback(args.url):
        print("演示账户只能指向本机模拟器（127.0.0.1 或 localhost）。")
        return 2
    made = await services.profiles.sandbox_profiles(
        sandbox_base_urls(args.url), store_secrets=persistent
    )
    for p in made:
        print(f"已创建演示账户 {p.name}：{p.base_url}")
    if not persistent:
        print("本机没有系统密钥环：演示账户使用内置的公开演示密码，未写入任何文件。")
    return 0


async def _list(services: Any, as_json: bool) -> int:
    profiles = await services.profiles.list_all()
    if not profiles:
        print(
            "还没有开票账户。可用 invoicedesk profile add 添加，"
            "或用 invoicedesk profile sandbox --url 地址 创建演示账户。"
        )
    for p in profiles:
        if as_json:
            line = {
                "name": p.name,
                "vendor": p.vendor.value,
                "base_url": p.base_url,
                "seller_name": p.seller.name,
                "seller_tax_id": p.seller.tax_id,
                "user_name": p.user_name,
                "sandbox": p.options.get("sandbox") == "1",
            }
            print(json.dumps(line, ensure_ascii=False))
        else:
            print(f"{p.name}\t{p.vendor.value}\t{p.base_url}\t{p.seller.name}")
    return 0


class _Refused(Exception):
    """What the user gave cannot be used; the message says what to do."""


def _options(vendor: VendorKey, pairs: list[str]) -> dict[str, str]:
    from invoicedesk.services.vendor_facts import facts

    known = [s.key for s in facts(vendor).fields if s.kind == "option"]
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise _Refused(f"--option “{pair}” 应写成 名称=值，如 tenant_id=1。")
        if key not in known:
            allowed = "、".join(known) if known else "（无）"
            raise _Refused(f"{vendor.value} 没有设置“{key}”；可用的设置：{allowed}。")
        if value.strip():
            options[key] = value.strip()
    return options


def _read_secrets(vendor: VendorKey, from_stdin: bool) -> dict[str, str]:
    """The platform's secrets: a JSON object on standard input, or asked for one by one without
    echo in a terminal."""
    from invoicedesk.services.vendor_facts import facts

    specs = [s for s in facts(vendor).fields if s.secret]
    if from_stdin:
        try:
            data = json.loads(sys.stdin.read() or "{}")
        except json.JSONDecodeError:
            raise _Refused(
                '标准输入应为一个 JSON 对象，如 {"api_key": "…"}；请检查引号和括号。'
            ) from None
        names = {s.key for s in specs}
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise _Refused('标准输入应为一个 JSON 对象，值为文字，如 {"api_key": "…"}。')
        unknown = sorted(set(data) - names)
        if unknown:
            raise _Refused(
                f"{vendor.value} 没有密钥“{unknown[0]}”；需要的密钥："
                + "、".join(f"{s.key}（{s.label}）" for s in specs)
                + "。"
            )
        return {k: v for k, v in data.items() if v}
    if not sys.stdin.isatty():
        raise _Refused(
            "标准输入不是终端，无法不回显地输入密码：请在终端中运行，"
            '或用 --secrets-stdin 从标准输入传入 JSON，如 {"api_key": "…"}。'
        )
    typed: dict[str, str] = {}
    for spec in specs:
        hint = "（选填，直接回车跳过）" if not spec.required else ""
        value = getpass.getpass(f"{spec.label}{hint}：")
        if value:
            typed[spec.key] = value
    return typed


async def _add(services: Any, args: argparse.Namespace, persistent: bool) -> int:
    from invoicedesk.services.account_form import (
        CONNECTED,
        account_problems,
        connection_failure,
        test_connection,
        with_defaults,
    )
    from invoicedesk.vendors.base import Profile, Seller, VendorError

    vendor = VendorKey(args.platform)
    try:
        options = _options(vendor, args.option)
    except _Refused as exc:
        print(exc)
        return 2
    options = with_defaults(vendor, options)  # the dialog preselects the same values
    if args.seller_type:
        options["seller_type"] = _SELLER_TYPES[args.seller_type]
    profile = Profile(
        name=args.name.strip(),
        vendor=vendor,
        base_url=args.url.strip().rstrip("/"),
        seller=Seller(args.seller_name.strip(), args.seller_tax_id.strip()),
        user_name=args.user.strip(),
        options=options,
    )
    taken = {p.name for p in await services.profiles.list_all()}
    typed: dict[str, str] = {}
    # everything but the secrets first: nobody types a password for an account refused anyway
    problems = account_problems(profile, {}, taken=taken)
    problems = [p for p in problems if not _is_secret(vendor, p.field)]
    if not problems:
        try:
            typed = _read_secrets(vendor, args.secrets_stdin)
        except _Refused as exc:
            print(exc)
            return 2
        problems = account_problems(profile, typed, taken=taken)
    if problems:
        for p in problems:
            print(p.text())
        return 2
    if typed and not persistent:
        print(NO_KEYRING)
        return 2
    if args.test:
        try:
            await test_connection(services, profile, typed)
        except (VendorError, OSError) as exc:
            print("连接失败：" + connection_failure(exc) + " 账户未保存。")
            return 1
        print(CONNECTED)
    await services.profiles.save(profile, typed)
    print(f"已添加开票账户“{profile.name}”。")
    return 0


def _is_secret(vendor: VendorKey, key: str) -> bool:
    from invoicedesk.services.vendor_facts import facts

    return facts(vendor).field("secret", key) is not None


async def _test(services: Any, name: str) -> int:
    from invoicedesk.services.account_form import CONNECTED, connection_failure, test_connection
    from invoicedesk.services.profiles import ProfileError
    from invoicedesk.vendors.base import VendorError

    try:
        profile = await services.profiles.get(name)
    except ProfileError as exc:
        print(exc)
        return 2
    print(f"正在测试“{name}”的连接…")
    try:
        await test_connection(services, profile, {})
    except (VendorError, OSError) as exc:
        print("连接失败：" + connection_failure(exc))
        return 1
    print(CONNECTED)
    return 0


async def _remove(services: Any, name: str, yes: bool) -> int:
    from invoicedesk.services.profiles import ProfileError

    try:
        await services.profiles.get(name)
    except ProfileError as exc:
        print(exc)
        return 2
    question = f"删除开票账户“{name}”及其保存的密码？已开发票的记录会保留。"
    if not yes:
        if not sys.stdin.isatty():
            print(question + "确认删除请加 --yes。")
            return 2
        if input(question + "输入 y 确认：").strip().lower() not in ("y", "yes", "是"):
            print("未删除。")
            return 1
    await services.forget_vendor(name)
    await services.profiles.delete(name)
    print(f"已删除开票账户“{name}”。")
    return 0
