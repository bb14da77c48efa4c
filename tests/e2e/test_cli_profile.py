"""Issue 19 item 16: `invoicedesk profile add/test/remove`, run in this process through
invoicedesk.cli.main against the session sandbox over loopback; secrets go to the (in-memory
test) keyring exactly as the account dialog's do."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.cli import main
from tests.e2e.test_cli import cli, root_url

SELLER = ("--seller-name", "演示科技有限公司", "--seller-tax-id", "91330106MA2H7Q3D1G")


def _stdin(monkeypatch: Any, text: str, *, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", stream)


def test_add_test_remove_an_open_api_account(
    sandbox: Any, data_dir: Path, capsys: Any, memory_keyring: Any, monkeypatch: Any
) -> None:
    d = str(data_dir)
    url = f"{root_url(sandbox)}/open-api"
    _stdin(monkeypatch, '{"api_key": "sandbox-api-key"}')
    code, out = cli(
        capsys, "--data-dir", d, "profile", "add", "--platform", "open-api",
        "--name", "公司开放平台", "--url", url, *SELLER, "--secrets-stdin", "--test",
    )  # fmt: skip
    assert code == 0, out
    assert "连接成功" in out and "已添加开票账户“公司开放平台”" in out
    assert memory_keyring.items[("InvoiceDesk", "公司开放平台/api_key")] == "sandbox-api-key"
    assert "sandbox-api-key" not in out

    code, out = cli(capsys, "--data-dir", d, "profile", "test", "公司开放平台")
    assert code == 0 and "连接成功：开票平台接受了这个账户。" in out

    # a wrong key: the vendor's own answer, and what to do
    memory_keyring.items[("InvoiceDesk", "公司开放平台/api_key")] = "wrong-key"
    code, out = cli(capsys, "--data-dir", d, "profile", "test", "公司开放平台")
    assert code == 1 and out.splitlines()[-1].startswith("连接失败：")

    _stdin(monkeypatch, "")
    code, out = cli(capsys, "--data-dir", d, "profile", "remove", "公司开放平台")
    assert code == 2 and "--yes" in out  # no terminal to ask: nothing removed
    code, out = cli(capsys, "--data-dir", d, "profile", "remove", "公司开放平台", "--yes")
    assert code == 0 and "已删除开票账户“公司开放平台”" in out
    assert ("InvoiceDesk", "公司开放平台/api_key") not in memory_keyring.items
    code, out = cli(capsys, "--data-dir", d, "profile", "list")
    assert "公司开放平台" not in out


def test_piaodanyun_secrets_asked_without_echo_in_a_terminal(
    sandbox: Any, data_dir: Path, capsys: Any, memory_keyring: Any, monkeypatch: Any
) -> None:
    asked: list[str] = []

    def fake_getpass(prompt: str = "") -> str:  # the terminal's no-echo prompt
        asked.append(prompt)
        return "sandbox-password" if prompt.startswith(("票单云密码", "电子税务局密码")) else ""

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    _stdin(monkeypatch, "", tty=True)
    code, out = cli(
        capsys, "--data-dir", str(data_dir), "profile", "add", "--platform", "piaodanyun",
        "--name", "票单云", "--url", f"{root_url(sandbox)}/piaodanyun", *SELLER,
        "--user", "13800000000", "--option", "tenant_id=1", "--seller-type", "小规模纳税人",
        "--option", "seller_address_phone=杭州市 0571-1", "--option", "seller_bank_account=工行 1",
    )  # fmt: skip
    assert code == 0, out
    assert asked == ["票单云密码：", "电子税务局密码："]  # both required by the document
    assert memory_keyring.items[("InvoiceDesk", "票单云/password")] == "sandbox-password"
    assert memory_keyring.items[("InvoiceDesk", "票单云/tax_password")] == "sandbox-password"
    code, out = cli(capsys, "--data-dir", str(data_dir), "profile", "list", "--json")
    assert '"user_name": "13800000000"' in out
    from invoicedesk.store.db import Store

    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        options = store.get_profile("票单云").options
    finally:
        store.close()
    assert options["tenant_id"] == "1" and options["seller_type"] == "small_scale"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (  # the dialog's messages, every one that applies
            ["--name", "", "--url", "ftp://x", "--seller-name", ""],
            [
                "请填写账户名称。",
                "接口地址无效：请填写以 http:// 或 https:// 开头的完整地址。",
                "请填写销售方名称。",
                "销售方税号无效：请填写 18 位统一社会信用代码。",
                "请填写“用户标识（U_ID）”：开票平台的文档要求必填。",
            ],
        ),
        (
            ["--name", "x", "--url", "http://127.0.0.1:1/faw", "--seller-name", "某公司",
             "--seller-tax-id", "9111O108MA01K2P4XY", "--user", "u"],
            ["销售方税号无效：第 5 位的 O 不是统一社会信用代码使用的字符，是否应为数字 0？"],
        ),
    ],
)  # fmt: skip
def test_add_refuses_with_the_account_dialogs_messages(
    data_dir: Path, capsys: Any, memory_keyring: Any, argv: list[str], expected: list[str]
) -> None:
    code, out = cli(
        capsys, "--data-dir", str(data_dir), "profile", "add", "--platform", "faw", *argv
    )
    assert code == 2
    assert out.splitlines() == expected
    assert memory_keyring.items == {}


def test_add_refuses_missing_secret_taken_name_and_unknown_option(
    sandbox: Any, data_dir: Path, capsys: Any, memory_keyring: Any, monkeypatch: Any
) -> None:
    d = str(data_dir)
    base = ["--data-dir", d, "profile", "add", "--platform", "faw", "--url",
            f"{root_url(sandbox)}/faw", *SELLER, "--user", "sandbox"]  # fmt: skip
    _stdin(monkeypatch, "{}")
    code, out = cli(capsys, *base, "--name", "faw1", "--secrets-stdin")
    assert code == 2 and out.strip() == "请填写“访问令牌（Bearer token）”：开票平台的文档要求必填。"
    _stdin(monkeypatch, '{"password": "x"}')
    code, out = cli(capsys, *base, "--name", "faw1", "--secrets-stdin")
    assert code == 2 and "faw 没有密钥“password”" in out and "token" in out
    _stdin(monkeypatch, "")  # not a terminal and no --secrets-stdin: never read a secret blind
    code, out = cli(capsys, *base, "--name", "faw1")
    assert code == 2 and "--secrets-stdin" in out
    code, out = cli(capsys, *base, "--name", "faw1", "--option", "tenant_id=1")
    assert code == 2 and "faw 没有设置“tenant_id”" in out

    _stdin(monkeypatch, '{"token": "sandbox-token"}')
    assert main([*base, "--name", "faw1", "--secrets-stdin"]) == 0
    _stdin(monkeypatch, '{"token": "sandbox-token"}')
    code, out = cli(capsys, *base, "--name", "faw1", "--secrets-stdin")
    assert code == 2 and "账户名称“faw1”已被使用，请换一个。" in out


def test_add_with_a_failing_test_saves_nothing(
    sandbox: Any, data_dir: Path, capsys: Any, memory_keyring: Any, monkeypatch: Any
) -> None:
    _stdin(monkeypatch, '{"token": "not-the-token"}')
    code, out = cli(
        capsys, "--data-dir", str(data_dir), "profile", "add", "--platform", "faw",
        "--name", "坏令牌", "--url", f"{root_url(sandbox)}/faw", *SELLER, "--user", "sandbox",
        "--secrets-stdin", "--test",
    )  # fmt: skip
    assert code == 1
    assert out.startswith("连接失败：") and out.strip().endswith("账户未保存。")
    assert memory_keyring.items == {}
    code, out = cli(capsys, "--data-dir", str(data_dir), "profile", "list")
    assert "坏令牌" not in out


def test_unknown_profile_is_named(data_dir: Path, capsys: Any, memory_keyring: Any) -> None:
    for action in ("test", "remove"):
        code, out = cli(capsys, "--data-dir", str(data_dir), "profile", action, "没有这个")
        assert code == 2 and "找不到开票账户“没有这个”" in out


def required_fields() -> list[tuple[str, str, str, str]]:
    """(platform, kind, key, label) of every field a vendor document marks required and the
    table gives no default for (a default stands in for an option left out, as the dialog
    preselects it)."""
    from invoicedesk.services.vendor_facts import FACTS

    return [
        (vendor.value, s.kind, s.key, s.label)
        for vendor, table in FACTS.items()
        for s in table.fields
        if s.required and not s.default
    ]


@pytest.mark.parametrize(("platform", "kind", "key", "label"), required_fields())
def test_add_refuses_each_missing_required_field_as_the_dialog_does(
    data_dir: Path,
    capsys: Any,
    memory_keyring: Any,
    monkeypatch: Any,
    platform: str,
    kind: str,
    key: str,
    label: str,
) -> None:
    """Every field the facts table marks required (piaodanyun's 销售方地址电话 and 开户行及账号,
    ws-invoice's 开户银行 and 银行账号 included), left out: refused with the sentence the
    account dialog shows (tests/ui/test_account_dialog_fields.py), nothing saved."""
    from invoicedesk.services.vendor_facts import facts

    argv = ["--name", "x", "--url", "http://127.0.0.1:1/api", *SELLER]
    secrets: dict[str, str] = {}
    for spec in facts(platform).fields:
        if (spec.kind, spec.key) == (kind, key):
            continue
        if spec.kind == "user":
            argv += ["--user", "13800000000"]
        elif spec.kind == "option":
            argv += ["--option", f"{spec.key}={spec.default or '值'}"]
        else:
            secrets[spec.key] = "秘密"
    import json

    _stdin(monkeypatch, json.dumps(secrets))
    code, out = cli(
        capsys, "--data-dir", str(data_dir), "profile", "add", "--platform", platform, *argv,
        "--secrets-stdin",
    )  # fmt: skip
    assert code == 2
    assert out.splitlines() == [f"请填写“{label}”：开票平台的文档要求必填。"]
    assert memory_keyring.items == {}


def test_add_help_lists_each_platforms_fields(capsys: Any) -> None:
    """`profile add --help` prints (a % in a help text once made argparse fail) the fields of
    the facts table, required ones starred, defaults named."""
    with pytest.raises(SystemExit) as exit_:
        main(["profile", "add", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "--option seller_address_phone=…*" in out and "--option seller_bank=…*" in out
    assert "--option bukrs=…*（默认 W92）" in out and "3% 开具" in out
