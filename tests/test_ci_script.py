"""`.ci/run` on a fresh Debian 12 and the README's commands (issue 19 item 15).

The script must install every system package the README lists, plus binutils (PyInstaller reads
the bundled libraries with objdump), and run the README's test command exactly as written. The
README's commands are fenced code blocks so that a code host offers one-click copying.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_AND_START = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/invoicedesk"
RUN_TESTS = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
)


def _fenced_blocks(markdown: str) -> list[str]:
    return [
        m.group(1).strip() for m in re.finditer(r"^```[a-z]*\n(.*?)^```$", markdown, re.M | re.S)
    ]


def _apt_packages(text: str) -> set[str]:
    joined = text.replace("\\\n", " ")
    packages: set[str] = set()
    for line in joined.splitlines():
        if "apt-get install" in line:
            words = line.split("apt-get install", 1)[1].replace(">/dev/null", "").split()
            packages |= {w for w in words if not w.startswith("-")}
    return packages


def test_readme_commands_are_fenced_and_unchanged() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = _fenced_blocks(readme)
    assert INSTALL_AND_START in blocks
    assert RUN_TESTS in blocks
    # no indented code block is left outside the fences
    outside = re.sub(r"^```.*?^```$", "", readme, flags=re.M | re.S)
    assert not re.search(r"\n\n    \S", outside)


def test_ci_installs_the_readme_packages_and_binutils() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    wanted = _apt_packages("\n".join(_fenced_blocks(readme)))
    assert {"python3-venv", "libegl1", "fonts-wqy-microhei"} <= wanted
    installed = _apt_packages(script)
    assert wanted <= installed, wanted - installed
    assert "binutils" in installed  # objdump, for PyInstaller
    assert "libpython3-dev" in installed  # the shared libpython, which Debian's python3 lacks


def test_ci_runs_the_readme_test_command_before_the_bundle() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert RUN_TESTS in script.splitlines()
    assert script.index(RUN_TESTS) < script.index("INVOICEDESK_BUILD_BUNDLE=1")
