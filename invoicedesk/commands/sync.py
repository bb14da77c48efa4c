"""`invoicedesk sync --profile NAME [--json] [--from-start]`: read the vendor's invoice list
into the local history, continuing from where the last sync stopped."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("sync", help="从开票平台同步发票历史")
    parser.add_argument("--profile", required=True, help="开票账户名称")
    parser.add_argument("--json", action="store_true", help="结束时输出一行 JSON")
    parser.add_argument("--from-start", action="store_true", help="从头同步（忽略上次位置）")


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from invoicedesk.services.context import Core, cli_secret_store
    from invoicedesk.services.history import SyncProgress
    from invoicedesk.services.profiles import ProfileError
    from invoicedesk.vendors.base import VendorError
    from invoicedesk.vendors.transport import install_log_redaction

    install_log_redaction()
    secrets, _ = cli_secret_store()
    services = await Core.open(args.data_dir, secrets)

    def progress(p: SyncProgress) -> None:
        print(f"已读取 {p.pages} 页，{p.seen} 张（新增 {p.new} 张）", file=sys.stderr, flush=True)

    try:
        try:
            report = await services.history.sync(
                args.profile, progress=progress, from_start=args.from_start
            )
        except ProfileError as exc:
            print(exc, file=sys.stderr)
            return 2
        except VendorError as exc:
            print(f"同步失败：{exc}", file=sys.stderr)
            return 1
        if args.json:
            line = {
                "pages": report.pages,
                "seen": report.seen,
                "new": report.new,
                "mismatches": report.mismatches,
                "conflicts": report.conflicts,
            }
            print(json.dumps(line, ensure_ascii=False))
        else:
            print(f"同步完成：共 {report.seen} 张，新增 {report.new} 张。")
            if report.mismatches:
                print(
                    f"{report.mismatches} 张发票的金额与平台报告不一致，已保留原数据并标记为"
                    "“数据与平台不一致”：请在历史记录的详情中核对两方数据。"
                )
            if report.conflicts:
                print(
                    f"{report.conflicts} 张平台发票的号码与已保存的另一张发票相同，已保留已保存的"
                    "发票并记录平台的版本：请在历史记录的详情中查看“号码冲突”。"
                )
        return 0
    finally:
        await services.aclose()
