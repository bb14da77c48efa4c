"""`invoicedesk history` (not built yet)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    subparsers.add_parser("history", help="（尚未实现）")


def run(args: argparse.Namespace) -> int:
    print("invoicedesk history: 尚未实现")
    return 2
