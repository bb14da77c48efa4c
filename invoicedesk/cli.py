"""The `invoicedesk` command: no subcommand starts the GUI; subcommands run headless.

Each subcommand lives in invoicedesk/commands/<name>.py and is imported only when used, so that
`invoicedesk --version` and the GUI start do not pay for the others.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from invoicedesk import __version__

# subcommand name -> module under invoicedesk.commands
SUBCOMMANDS: dict[str, str] = {
    "validate": "validate",
    "sandbox": "sandbox",
    "profile": "profile",
    "issue": "issue",
    "reconcile": "reconcile",
    "history": "history",
    "sync": "sync",
}


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


def build_parser() -> argparse.ArgumentParser:
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
    for module in SUBCOMMANDS.values():
        importlib.import_module(f"invoicedesk.commands.{module}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.data_dir = resolve_data_dir(args.data_dir)
    if args.command is None:
        from invoicedesk.app import run_gui

        return run_gui(args)
    module = importlib.import_module(f"invoicedesk.commands.{SUBCOMMANDS[args.command]}")
    result: int = module.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
