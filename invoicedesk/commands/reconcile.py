"""`invoicedesk reconcile --profile NAME [--json]`: settle every unsent-or-unknown issue.

Each SENDING/UNKNOWN journal row is checked with the vendor by its serial (ws-invoice: buyer +
total + time window) and resent with the SAME serial when the vendor has nothing. Issued rows
still 号码待查 get their number looked up (never resent). One line per
row; exit 0 when every row ended ISSUED or ACCEPTED (or there was none). `--wait SECONDS` keeps
asking about rows the vendor cannot settle yet, spaced like the window does it
(services/reconcile_policy.py), for at most that long.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("reconcile", help="核对结果未知的开票请求")
    parser.add_argument("--profile", default=None, help="开票账户名称（省略则核对全部账户）")
    parser.add_argument("--json", action="store_true", help="每条输出一行 JSON")
    parser.add_argument("--timeout", type=float, default=None, help="单次请求超时秒数")
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        help="仍无法确定结果时继续核对的最长秒数（默认不等待）",
    )


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _sandbox_login(services: Any, profile: str) -> None:
    """Sandbox profiles log in to the (simulated) tax bureau with the demo SMS code."""
    from invoicedesk.vendors.base import VendorError

    try:
        await services.account.sandbox_tax_login(profile)
    except VendorError as exc:
        print(f"登录电子税务局失败：{exc}", file=sys.stderr)


async def _wait_for_unsettled(issuing: Any, results: list[Any], wait_s: float) -> list[Any]:
    """Rows still unknown are asked about again under the shared back-off, all at once."""
    from invoicedesk.services.reconcile_policy import reconcile_until_settled, settled

    async def again(result: Any) -> Any:
        if settled(result) or result.journal_id is None:
            return result
        now = await reconcile_until_settled(issuing, result.journal_id, deadline_s=wait_s)
        return result if now is None else now

    return list(await asyncio.gather(*(again(r) for r in results)))


async def _run(args: argparse.Namespace) -> int:
    from invoicedesk.services.context import Core, cli_secret_store
    from invoicedesk.services.profiles import ProfileError
    from invoicedesk.vendors.transport import install_log_redaction

    install_log_redaction()
    secrets, _ = cli_secret_store()
    services = await Core.open(args.data_dir, secrets, vendor_timeout_s=args.timeout)
    try:
        if args.profile is not None:
            try:
                await services.vendor(args.profile)
            except ProfileError as exc:
                print(exc, file=sys.stderr)
                return 2
            await _sandbox_login(services, args.profile)
        results = await services.issuing.reconcile_all(args.profile)
        if args.wait > 0:
            results = await _wait_for_unsettled(services.issuing, results, args.wait)
        for r in results:
            line = {
                "serial": r.serial,
                "state": r.state,
                "invoice_no": r.invoice_no,
                "invoice_date": r.invoice_date,
                "total": None if r.total is None else f"{r.total:.2f}",
                "error": None
                if r.ok
                else {"code": r.error_code or "", "message": r.error_message or ""},
                "warning": r.warning,
            }
            if args.json:
                print(json.dumps(line, ensure_ascii=False), flush=True)
            else:
                tail = f" 发票号码 {r.invoice_no}" if r.invoice_no else ""
                if r.state == "ISSUED" and not r.invoice_no:
                    tail = " 号码待查"
                tail += f" —— 注意：{r.warning}" if r.warning else ""
                tail += f" —— {r.error_message}" if not r.ok and r.error_message else ""
                print(f"流水号 {r.serial}：{r.state}{tail}", flush=True)
        if not results and not args.json:
            print("没有需要核对的开票请求。")
        return 0 if all(r.ok for r in results) else 1
    finally:
        await services.aclose()
