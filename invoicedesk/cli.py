"""The `invoicedesk` command: no subcommand starts the GUI; subcommands run headless.

Each subcommand lives in invoicedesk/commands/<name>.py and is imported only when it is the one
asked for (the others get a one-line entry for --help), so that `invoicedesk --version` and the
GUI start pay for none of them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from invoicedesk import __version__

# subcommand name -> (module under invoicedesk.commands, one line for --help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "检查发票草稿文件"),
    "sandbox": ("sandbox", "启动五家开票平台的本地模拟器"),
    "profile": ("profile", "开票账户：创建演示账户、列出账户"),
    "issue": ("issue", "开具发票（每个草稿文件一张）"),
    "reconcile": ("reconcile", "核对结果未知的开票请求"),
    "history": ("history", "列出本地发票历史"),
    "sync": ("sync", "从开票平台同步发票历史"),
}


def _command_module(name: str) -> Any:
    return importlib.import_module(f"invoicedesk.commands.{SUBCOMMANDS[name][0]}")


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("InvoiceDesk", appauthor=False))


def resolve_data_dir(arg: str | None) -> Path:
    """--data-dir, then INVOICEDESK_DATA_DIR, then the platform's user data folder."""
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("INVOICEDESK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the subcommand named in `argv` (if any) has its module imported."""
    parser = argparse.ArgumentParser(prog="invoicedesk", description="InvoiceDesk 数电票开票工具")
    parser.add_argument("--version", action="version", version=f"invoicedesk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="数据文件夹（也可用环境变量 INVOICEDESK_DATA_DIR）",
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="启动内置的五家开票平台模拟器并直接使用"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    words = sys.argv[1:] if argv is None else argv
    chosen = next((word for word in words if word in SUBCOMMANDS), None)
    for name, (_module, summary) in SUBCOMMANDS.items():
        if name == chosen:
            _command_module(name).add_parser(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser(argv).parse_args(argv)
    args.data_dir = resolve_data_dir(args.data_dir)
    if args.command is None:
        from invoicedesk.app import run_gui

        return run_gui(args)
    result: int = _command_module(args.command).run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
