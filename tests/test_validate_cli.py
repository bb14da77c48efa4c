"""`invoicedesk validate` run as the user runs it: a subprocess on files in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

GOOD: dict[str, Any] = {
    "invoice_type": "82",
    "buyer": {
        "name": "测试购买方有限公司",
        "tax_id": "91110108MA01K2P4XY",
        "natural_person": False,
        "address": "",
        "phone": "",
        "bank": "",
        "bank_account": "",
        "email": "",
    },
    "lines": [
        {
            "kind": "normal",
            "name": "*信息技术服务*软件开发服务",
            "tax_code": "3040201010000000000",
            "spec": "",
            "unit": "项",
            "quantity": "1",
            "unit_price": "100.00",
            "amount": "100.00",
            "tax_rate": "0.06",
            "price_includes_tax": True,
        }
    ],
    "remark": "",
    "serial_no": None,
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoicedesk", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def variant(**line: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(GOOD))
    data["lines"][0].update(line)
    return data


def results(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert "Traceback" not in proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_valid_draft_json(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", GOOD)
    proc = run(path, "--json")
    assert proc.returncode == 0
    assert results(proc) == [
        {
            "file": str(path),
            "valid": True,
            "problems": [],
            "totals": {"amount": "94.34", "tax": "5.66", "total": "100.00"},
        }
    ]


def test_warning_keeps_the_draft_valid(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD))
    data["buyer"]["tax_id"] = "91110105MA00123456"
    proc = run("--json", write(tmp_path, "w.json", data))
    assert proc.returncode == 0
    [result] = results(proc)
    assert result["valid"] is True
    assert result["problems"] == [
        {
            "field": "buyer.tax_id",
            "code": "tax_id.checksum",
            "severity": "warning",
            "message": "纳税人识别号校验位不正确（应为 R），请核对",
        }
    ]


def test_readable_report(tmp_path: Path) -> None:
    ok = write(tmp_path, "ok.json", GOOD)
    bad = write(tmp_path, "bad.json", variant(tax_rate="abc"))
    proc = run(ok, bad)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "可以开具" in proc.stdout and "不能开具" in proc.stdout
    assert "价税合计 100.00" in proc.stdout
    assert "lines[0].tax_rate" in proc.stdout


def test_json_number_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    text = json.dumps(variant(amount="X", quantity="", unit_price="")).replace('"X"', "0.30")
    path.write_text(text, encoding="utf-8")
    [result] = results(run("--json", path))
    assert result["totals"]["total"] == "0.30"


BAD_FIGURES: list[tuple[dict[str, Any], str, str]] = [
    ({"amount": "1e400"}, "lines[0].amount", "figure.not_a_number"),
    ({"amount": "NaN"}, "lines[0].amount", "figure.not_a_number"),
    ({"amount": "abc"}, "lines[0].amount", "figure.not_a_number"),
    ({"tax_rate": "NaN"}, "lines[0].tax_rate", "figure.not_a_number"),
    ({"amount": "100.001"}, "lines[0].amount", "figure.too_many_decimals"),
    ({"quantity": "-1", "amount": "-100.00"}, "lines[0].quantity", "line.negative_quantity"),
    ({"amount": True}, "lines[0].amount", "format.string_type"),
    ({"price_includes_tax": "yes"}, "lines[0].price_includes_tax", "format.bool_type"),
]


def test_bad_figures_are_problems(tmp_path: Path) -> None:
    # one process for all files: the command checks each file on its own
    paths = [
        write(tmp_path, f"x{i}.json", variant(**line)) for i, (line, _, _) in enumerate(BAD_FIGURES)
    ]
    proc = run("--json", *paths)
    assert proc.returncode == 1
    found = results(proc)
    assert [r["file"] for r in found] == [str(p) for p in paths]
    for result, (_line, field, code) in zip(found, BAD_FIGURES, strict=True):
        assert result["valid"] is False
        assert any(p["field"] == field and p["code"] == code for p in result["problems"]), result


def test_bare_json_nan_and_huge_number(tmp_path: Path) -> None:
    path = tmp_path / "raw.json"
    text = json.dumps(variant(amount="A", tax_rate="B")).replace('"A"', "1e400")
    path.write_text(text.replace('"B"', "NaN"), encoding="utf-8")
    proc = run("--json", path)
    assert proc.returncode == 1
    fields = {p["field"] for p in results(proc)[0]["problems"]}
    assert {"lines[0].amount", "lines[0].tax_rate"} <= fields


def test_wrong_types(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD))
    data["lines"] = 5
    data["buyer"]["natural_person"] = "yes"
    proc = run("--json", write(tmp_path, "t.json", data))
    assert proc.returncode == 1
    [result] = results(proc)
    assert {p["field"] for p in result["problems"]} == {"lines", "buyer.natural_person"}


def test_empty_line_list(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD))
    data["lines"] = []
    proc = run("--json", write(tmp_path, "e.json", data))
    assert proc.returncode == 1
    [result] = results(proc)
    assert [p["code"] for p in result["problems"]] == ["lines.empty"]
    assert result["totals"] == {"amount": "0.00", "tax": "0.00", "total": "0.00"}


def test_ten_megabyte_remark(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD))
    data["remark"] = "备" * 10_000_000
    proc = run("--json", write(tmp_path, "r.json", data))
    assert proc.returncode == 1
    [result] = results(proc)
    assert [p["code"] for p in result["problems"]] == ["remark.too_long"]
    assert len(proc.stdout) < 2000


UNREADABLE: list[tuple[bytes, str]] = [
    (b"not json", "file.not_json"),
    (b"\xff\xfe{}", "file.not_utf8"),
    (b"[1, 2]", "file.not_object"),
    (b'"text"', "file.not_object"),
    (b"", "file.not_json"),
    (b"[" * 100_000, "file.not_json"),
]


def test_unreadable_files(tmp_path: Path) -> None:
    paths = []
    for i, (content, _) in enumerate(UNREADABLE):
        paths.append(tmp_path / f"u{i}.json")
        paths[-1].write_bytes(content)
    good = write(tmp_path, "g.json", GOOD)
    proc = run("--json", *paths, good)
    assert proc.returncode == 2
    found = results(proc)
    for result, path, (_, code) in zip(found, paths, UNREADABLE, strict=False):
        assert result["file"] == str(path) and result["valid"] is False
        assert result["error"]["code"] == code and result["error"]["message"]
    assert found[-1]["valid"] is True  # the good file is still checked


def test_missing_file(tmp_path: Path) -> None:
    proc = run("--json", tmp_path / "nope.json")
    assert proc.returncode == 2
    assert results(proc)[0]["error"]["code"] == "file.not_found"
    plain = run(tmp_path / "nope.json")
    assert plain.returncode == 2
    assert "找不到文件" in plain.stdout and "Traceback" not in plain.stderr


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    assert run(path).returncode == 0


def test_tax_treatment_fields(tmp_path: Path) -> None:
    """Every new field of draft-format.md § Tax treatments, with the totals validate gives."""
    labour = {"name": "*人力资源服务*劳务派遣服务", "tax_code": "3040803010000000000"}
    labour.update(quantity="", unit_price="", amount="10600.00")
    partial = variant(**labour)
    partial.update(seller_type="general", deduction={"mode": "partial", "amount": "5300.00"})
    full = {**partial, "deduction": {"mode": "full", "amount": 5300.00}}  # a JSON number
    exempt = variant(tax_rate="0", tax_treatment="exempt")
    prepaid = variant(
        name="*未发生销售行为的不征税项目*预付卡销售和充值",
        tax_code="6010000000000000000",
        quantity="",
        unit_price="",
        tax_rate="0",
        tax_treatment="non_taxable",
    )
    small = {**variant(tax_rate="0.03"), "seller_type": "small_scale", "rate_note": "3"}
    no_note = {**small, "rate_note": ""}
    bad = {**variant(tax_rate="0"), "rate_note": "3", "deduction": {"mode": "x", "amount": "1"}}
    files = [
        write(tmp_path, f"{n}.json", d)
        for n, d in (
            ("partial", partial),
            ("full", full),
            ("exempt", exempt),
            ("prepaid", prepaid),
            ("small", small),
            ("no_note", no_note),
            ("bad", bad),
        )
    ]
    proc = run("--json", *files)
    out = {Path(r["file"]).stem: r for r in results(proc)}
    assert proc.returncode == 1
    assert out["partial"]["totals"] == {"amount": "10300.00", "tax": "300.00", "total": "10600.00"}
    assert out["full"]["totals"] == {"amount": "10000.00", "tax": "600.00", "total": "10600.00"}
    assert out["exempt"]["totals"] == {"amount": "100.00", "tax": "0.00", "total": "100.00"}
    for name in ("partial", "full", "exempt", "prepaid", "small"):
        assert out[name]["valid"] and out[name]["problems"] == [], out[name]
    assert [(p["field"], p["code"]) for p in out["no_note"]["problems"]] == [
        ("rate_note", "rate_note.required")
    ]
    assert {(p["field"], p["code"]) for p in out["bad"]["problems"]} == {
        ("lines[0].tax_treatment", "line.zero_rate_treatment"),
        ("rate_note", "rate_note.not_allowed"),
        ("deduction.mode", "deduction.mode_unknown"),
    }
    for p in out["bad"]["problems"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p["message"])  # said in Chinese
