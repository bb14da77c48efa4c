"""`invoicedesk history [--profile NAME] [--json]`: the invoices in the local history."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

PAGE = 500


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("history", help="列出本地发票历史")
    parser.add_argument("--profile", default=None, help="只列出该开票账户的发票")
    parser.add_argument("--json", action="store_true", help="每张输出一行 JSON")


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


async def _run(args: argparse.Namespace) -> int:
    from invoicedesk.services.context import Core, cli_secret_store
    from invoicedesk.store.records import InvoiceFilter

    secrets, _ = cli_secret_store()
    services = await Core.open(args.data_dir, secrets)
    try:
        flt = InvoiceFilter(profiles=(args.profile,) if args.profile else ())
        after = None
        count = 0
        while True:
            rows = await asyncio.to_thread(
                services.store.query_invoices, flt, "issued_at", False, after, PAGE
            )
            for row in rows:
                count += 1
                line = {
                    "profile": row.profile,
                    "vendor": row.vendor,
                    "number": row.number,
                    "serial": row.serial,
                    "date": row.issued_at or None,
                    "color": row.color,
                    "buyer_name": row.buyer_name,
                    "buyer_tax_id": row.buyer_tax_id,
                    "amount": _money(row.amount),
                    "tax": _money(row.tax),
                    "total": _money(row.total),
                    "status": row.status,
                    "source": row.source,
                }
                if args.json:
                    print(json.dumps(line, ensure_ascii=False))
                else:
                    print(
                        f"{row.issued_at or '-'}\t{row.number or '（无号码）'}\t"
                        f"{row.buyer_name}\t{line['total']}\t{row.profile}"
                    )
            if len(rows) < PAGE:
                break
            after = rows[-1].sort_key("issued_at")
        if count == 0 and not args.json:
            print("发票历史为空。")
        return 0
    finally:
        await services.aclose()
