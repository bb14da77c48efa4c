"""The screenshot tools (the README's pictures) live in packaging/screenshots/, outside the
package (issue 17): nothing in invoicedesk/ is one or imports one, and they run as files from
the repository root, as the README says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_screenshot_tool_in_the_package() -> None:
    package = ROOT / "invoicedesk"
    assert not [p for p in package.rglob("*.py") if "screenshot" in p.name]
    imports = re.compile(r"^\s*(from|import)\s+(screenshots|packaging)\b", re.M)
    assert not [p for p in package.rglob("*.py") if imports.search(p.read_text(encoding="utf-8"))]


def test_the_face_tool_runs_as_a_file(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)  # as from a shell: the tool finds its siblings itself
    out = subprocess.run(
        [sys.executable, "packaging/screenshots/face.py", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    written = [Path(line).name for line in out.stdout.split()]
    assert written == ["face-piaodanyun.png", "face-failed.png", "face-ws-invoice.png"]
    assert all((tmp_path / name).stat().st_size > 1000 for name in written)


def test_the_readme_names_the_tool_that_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "packaging/screenshots/window.py --variants" in readme
    assert (ROOT / "packaging" / "screenshots" / "window.py").is_file()
