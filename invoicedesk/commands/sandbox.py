"""`invoicedesk sandbox` (not built yet)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    subparsers.add_parser("sandbox", help="（尚未实现）")


def run(args: argparse.Namespace) -> int:
    print("invoicedesk sandbox: 尚未实现")
    return 2
