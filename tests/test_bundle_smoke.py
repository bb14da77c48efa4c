"""The built PyInstaller bundle starts and paints its main window (offscreen, temp data folder).

Building takes a minute, so the bundle is built here only when INVOICEDESK_BUILD_BUNDLE=1 and
dist/invoicedesk/invoicedesk is missing; without the variable and without a bundle the test is
skipped (CI opts in by setting the variable).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = (
    ROOT
    / "dist"
    / "invoicedesk"
    / ("invoicedesk.exe" if sys.platform == "win32" else "invoicedesk")
)


def _bundle() -> Path:
    if BUNDLE.exists():
        return BUNDLE
    if os.environ.get("INVOICEDESK_BUILD_BUNDLE") != "1":
        pytest.skip(
            "no bundle at dist/invoicedesk; set INVOICEDESK_BUILD_BUNDLE=1 to build it with "
            "packaging/build.sh (about a minute)"
        )
    subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT, check=True, timeout=900
    )
    assert BUNDLE.exists(), "packaging/build.sh did not produce dist/invoicedesk/invoicedesk"
    return BUNDLE


@pytest.mark.timeout(1000)
def test_bundle_starts_and_paints_the_main_window(tmp_path: Path) -> None:
    """--sandbox: the window paints, then the store, the keyring, the bundled sandbox (uvicorn)
    and its demo accounts open, and the invoice form is up; the program then quits by itself."""
    bundle = _bundle()
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen", INVOICEDESK_FIRST_PAINT_PRINT="1", INVOICEDESK_READY_PRINT="1"
    )
    env.pop("PYTHONPATH", None)  # the bundle must carry everything it needs
    data_dir = tmp_path / "data"
    out = subprocess.run(
        [str(bundle), "--sandbox", "--data-dir", str(data_dir)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert any(line.startswith("first_paint ") for line in lines), out.stdout
    assert any(line.startswith("ready ") and line.endswith(" form") for line in lines), out.stdout
    # it opened (and created) its database in the given folder, with resources found
    assert (data_dir / "invoicedesk.sqlite3").is_file()
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    # Qt's own Chinese strings (file dialogs, standard buttons) travel with the bundle
    assert list(bundle.parent.rglob("qtbase_zh_CN.qm")), "qtbase_zh_CN.qm not bundled"


def test_bundle_command_line_validates_a_draft(tmp_path: Path) -> None:
    """The command line in the bundle works too: a lazily imported subcommand, the domain rules
    and the shipped tax catalog are all inside it."""
    import json

    bundle = _bundle()
    draft = tmp_path / "draft.json"
    draft.write_text(
        json.dumps(
            {
                "invoice_type": "82",
                "buyer": {"name": "测试购买方有限公司", "tax_id": "91110108MA01K2P4XY"},
                "lines": [
                    {
                        "name": "*信息技术服务*软件开发服务",
                        "tax_code": "3040201010000000000",
                        "amount": "100.00",
                        "tax_rate": "0.06",
                        "price_includes_tax": True,
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    out = subprocess.run(
        [str(bundle), "validate", "--json", str(draft)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr[-2000:]
    report = json.loads(out.stdout.splitlines()[0])
    assert report["valid"] is True
    assert report["totals"] == {"amount": "94.34", "tax": "5.66", "total": "100.00"}
