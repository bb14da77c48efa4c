"""`invoicedesk issue` (not built yet)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    subparsers.add_parser("issue", help="（尚未实现）")


def run(args: argparse.Namespace) -> int:
    print("invoicedesk issue: 尚未实现")
    return 2
