"""`invoicedesk profile sandbox --url URL` and `invoicedesk profile list`.

`sandbox` makes one profile per vendor, named by its key, for the sandbox at URL (its root,
e.g. http://127.0.0.1:8765), with the sandbox's public demo accounts. Their secrets go to the
OS keyring; on a machine without one nothing is written anywhere and the sandbox profiles use
the built-in demo credentials (only ever for a loopback address).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("profile", help="开票账户：创建演示账户、列出账户")
    sub = parser.add_subparsers(dest="profile_command", metavar="ACTION")
    sandbox = sub.add_parser("sandbox", help="为本机模拟器的五家平台各创建一个演示账户")
    sandbox.add_argument("--url", required=True, help="模拟器根地址，如 http://127.0.0.1:8765")
    listing = sub.add_parser("list", help="列出开票账户")
    listing.add_argument("--json", action="store_true", help="每个账户输出一行 JSON")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "profile_command", None) is None:
        print("请指定操作：invoicedesk profile sandbox --url 地址，或 invoicedesk profile list")
        return 2
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from invoicedesk.services.context import AppServices, cli_secret_store
    from invoicedesk.services.profiles import is_loopback, sandbox_base_urls

    secrets, persistent = cli_secret_store()
    services = await AppServices.open(args.data_dir, secrets)
    try:
        if args.profile_command == "sandbox":
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
        profiles = await services.profiles.list_all()
        if not profiles:
            print("还没有开票账户。可用 invoicedesk profile sandbox --url 地址 创建演示账户。")
        for p in profiles:
            if args.json:
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
    finally:
        await services.aclose()
