"""`invoicedesk issue FILE... --profile NAME [--concurrency N] [--json] [--again]`.

One line per draft file (a batch spreadsheet .xlsx/.csv gives one line per draft, named
FILE#draft), as each ends; with --json exactly
{"file", "state", "serial", "invoice_no", "invoice_date", "total", "error": {"code", "message"},
"warning"} ("error" is null when the draft ended ISSUED or ACCEPTED; an ISSUED line with a null
invoice_no is 号码待查: issued, the number is looked up by `reconcile`/`sync`; "warning" is
the text saying the platform's figures differ from the draft, else null). Exit 0 only when
every draft ended ISSUED or ACCEPTED. Re-running on the same files resumes: a file whose
content was issued before is reported with its invoice and not issued again; an unsettled one is
reconciled by its serial first. `--again` issues a copy of an already issued file on purpose.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

STATE_LABELS = {
    "ISSUED": "已开具",
    "ACCEPTED": "已受理",
    "REJECTED": "被拒绝",
    "UNKNOWN": "结果未知",
}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("issue", help="开具发票（每个草稿文件一张）")
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="草稿文件（JSON），或批量表格（.xlsx/.csv）"
    )
    parser.add_argument("--profile", required=True, help="开票账户名称")
    parser.add_argument("--concurrency", type=int, default=None, help="同时发送的张数")
    parser.add_argument("--json", action="store_true", help="每张输出一行 JSON")
    parser.add_argument("--again", action="store_true", help="已开具过的文件再开一张（复制）")
    parser.add_argument("--timeout", type=float, default=None, help="单次请求超时秒数")


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


def result_line(file: str, result: Any) -> dict[str, Any]:
    error = None
    if not result.ok:
        error = {"code": result.error_code or "", "message": result.error_message or ""}
    return {
        "file": file,
        "state": result.state,
        "serial": result.serial,
        "invoice_no": result.invoice_no,
        "invoice_date": result.invoice_date,
        "total": None if result.total is None else f"{result.total:.2f}",
        "error": error,
        "warning": result.warning,
    }


def emit(line: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(line, ensure_ascii=False), flush=True)
        return
    text = f"{line['file']}：{STATE_LABELS.get(line['state'], line['state'])}"
    if line["invoice_no"]:
        text += f" 发票号码 {line['invoice_no']}"
    elif line["state"] == "ISSUED":
        text += " 号码待查（核对或同步时补上）"
    if line["serial"]:
        text += f" 流水号 {line['serial']}"
    if line["error"]:
        text += f" —— {line['error']['message']}"
    if line.get("warning"):
        text += f" —— 注意：{line['warning']}"
    print(text, flush=True)


async def _read(path: str) -> Any:
    from pydantic import ValidationError

    from invoicedesk.domain.models import draft_from_json

    try:
        data = await asyncio.to_thread(Path(path).read_bytes)
    except OSError as exc:
        return f"无法读取文件：{exc.strerror or exc}。请检查路径。"
    try:
        return draft_from_json(data)
    except (ValueError, ValidationError):
        return "文件不是有效的发票草稿（JSON 格式或字段有误），请用 invoicedesk validate 检查。"


SHEETS = (".xlsx", ".csv")


async def _read_sheet(path: str) -> list[tuple[str, Any]]:
    """A batch spreadsheet (services/batch_io.py): ("FILE#draft", Draft) for each draft without
    errors, ("FILE#draft" or FILE, message) for the others."""
    from invoicedesk.services import batch_io

    try:
        result = await asyncio.to_thread(batch_io.import_file, Path(path))
    except batch_io.ImportFailed as exc:
        return [(path, exc.message)]
    out: list[tuple[str, Any]] = []
    for d in result.drafts:
        errors = [p.message for p in d.problems if p.severity == "error"]
        out.append((f"{path}#{d.label}", "；".join(errors) if errors else d.draft))
    return out


async def _sandbox_login(services: Any, profile: str) -> None:
    """Sandbox profiles log in to the (simulated) tax bureau with the demo SMS code."""
    from invoicedesk.vendors.base import VendorError

    try:
        await services.account.sandbox_tax_login(profile)
    except VendorError as exc:
        print(f"登录电子税务局失败：{exc}", file=sys.stderr)


async def _run(args: argparse.Namespace) -> int:
    from invoicedesk.services.context import Core, cli_secret_store
    from invoicedesk.services.issuing import IssueResult
    from invoicedesk.services.profiles import ProfileError
    from invoicedesk.vendors.transport import install_log_redaction

    install_log_redaction()
    secrets, _ = cli_secret_store()
    services = await Core.open(args.data_dir, secrets, vendor_timeout_s=args.timeout)
    ok = True
    try:
        try:
            await services.vendor(args.profile)
        except ProfileError as exc:
            print(exc, file=sys.stderr)
            return 2
        await _sandbox_login(services, args.profile)
        files: list[str] = []
        drafts = []
        for name in args.files:
            if Path(name).suffix.lower() in SHEETS:
                for label, item in await _read_sheet(name):
                    if isinstance(item, str):
                        bad = IssueResult(
                            "REJECTED", None, None, error_code="invalid_draft", error_message=item
                        )
                        emit(result_line(label, bad), args.json)
                        ok = False
                    else:
                        files.append(label)
                        drafts.append(item)
                continue
            draft = await _read(name)
            if isinstance(draft, str):
                bad = IssueResult(
                    "REJECTED", None, None, error_code="bad_file", error_message=draft
                )
                emit(result_line(name, bad), args.json)
                ok = False
                continue
            files.append(name)
            drafts.append(draft)

        def report(i: int, result: IssueResult) -> None:
            emit(result_line(files[i], result), args.json)

        results = await services.issuing.issue_many(
            args.profile,
            drafts,
            again=args.again,
            concurrency=args.concurrency,
            on_result=report,
        )
        ok = ok and all(r.ok for r in results)
        return 0 if ok else 1
    finally:
        await services.aclose()
