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
    bundle = _bundle()
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", INVOICEDESK_FIRST_PAINT_EXIT="1")
    env.pop("PYTHONPATH", None)  # the bundle must carry everything it needs
    data_dir = tmp_path / "data"
    out = subprocess.run(
        [str(bundle), "--data-dir", str(data_dir)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert any(line.startswith("first_paint ") for line in out.stdout.splitlines()), out.stdout
    # it opened (and created) its database in the given folder, with resources found
    assert (data_dir / "invoicedesk.sqlite3").is_file()
    assert "Traceback" not in out.stderr, out.stderr[-3000:]


def test_bundle_command_line_lists_the_subcommands() -> None:
    """The command line in the bundle works too (lazily imported subcommands are included)."""
    bundle = _bundle()
    out = subprocess.run(
        [str(bundle), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "validate" in out.stdout
