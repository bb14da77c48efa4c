"""`invoicedesk validate FILE... [--json]`: check draft files (../shared/docs/draft-format.md).

Exit status: 0 every draft valid, 1 some draft has an error, 2 some file could not be read as a
draft (missing, not UTF-8, not JSON, top level not an object). Every file gets its line of output.
"""

from __future__ import annotations

import argparse
from typing import Any

SEVERITY_TEXT = {"error": "错误", "warning": "提醒"}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate", help="检查发票草稿文件", description="检查发票草稿文件（JSON）是否可以开具"
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="草稿文件（.json）")
    parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")


class UnreadableDraft(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _read(path: str) -> Any:
    """The file's JSON value (numbers kept as text). Raises UnreadableDraft."""
    import json

    from invoicedesk.domain.models import load_json_keeping_numbers

    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise UnreadableDraft("file.not_found", f"找不到文件 {path}，请检查路径") from None
    except IsADirectoryError:
        raise UnreadableDraft("file.is_directory", f"{path} 是文件夹，请指定草稿文件") from None
    except OSError as exc:
        raise UnreadableDraft("file.unreadable", f"无法读取文件 {path}（{exc.strerror}）") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableDraft(
            "file.not_utf8", f"{path} 不是 UTF-8 编码的文本，请用 UTF-8 保存草稿"
        ) from None
    try:
        value = load_json_keeping_numbers(text)
    except json.JSONDecodeError as exc:
        raise UnreadableDraft(
            "file.not_json",
            f"{path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列），请检查文件内容",
        ) from None
    except RecursionError:
        raise UnreadableDraft("file.not_json", f"{path} 的 JSON 嵌套过深，请检查文件") from None
    if not isinstance(value, dict):
        raise UnreadableDraft(
            "file.not_object", f"{path} 的内容应为一个 JSON 对象（{{...}}），请检查文件"
        )
    return value


def check_file(path: str) -> dict[str, Any]:
    """The --json result object for one file."""
    from pydantic import ValidationError

    from invoicedesk.domain.models import Draft
    from invoicedesk.domain.money import compute_totals, money_text
    from invoicedesk.domain.rules import has_errors, problems_from_validation_error, validate

    try:
        value = _read(path)
    except UnreadableDraft as exc:
        return {"file": path, "valid": False, "error": {"code": exc.code, "message": exc.message}}
    try:
        draft = Draft.model_validate(value)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc)
        return {
            "file": path,
            "valid": False,
            "problems": [p.to_dict() for p in problems],
            "totals": None,
        }
    problems = validate(draft)
    totals = compute_totals(draft)
    return {
        "file": path,
        "valid": not has_errors(problems),
        "problems": [p.to_dict() for p in problems],
        "totals": {
            "amount": money_text(totals.amount),
            "tax": money_text(totals.tax),
            "total": money_text(totals.total),
        },
    }


def _report(result: dict[str, Any]) -> str:
    path = result["file"]
    if "error" in result:
        return f"✗ {path}：无法读取草稿。{result['error']['message']}"
    problems = result["problems"]
    errors = sum(1 for p in problems if p["severity"] == "error")
    warnings = len(problems) - errors
    head = "✓" if result["valid"] else "✗"
    verdict = "可以开具" if result["valid"] else "不能开具"
    lines = [f"{head} {path}：{verdict}（{errors} 个错误，{warnings} 个提醒）"]
    totals = result.get("totals")
    if totals:
        lines.append(
            f"    合计金额 {totals['amount']}  合计税额 {totals['tax']}  价税合计 {totals['total']}"
        )
    for p in problems:
        where = f"[{p['field']}] " if p["field"] else ""
        lines.append(f"    {SEVERITY_TEXT[p['severity']]}：{where}{p['message']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import json

    status = 0
    for path in args.files:
        try:
            result = check_file(path)
        except Exception as exc:  # last resort: one bad file must not hide the others' results
            result = {
                "file": path,
                "valid": False,
                "error": {"code": "internal", "message": f"检查时出错：{type(exc).__name__}"},
            }
        if "error" in result:
            status = 2
        elif not result["valid"]:
            status = max(status, 1)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(_report(result), flush=True)
    return status
