"""The layers of docs/architecture.md, read from the imports of every module (no import runs)."""

from __future__ import annotations

import ast
from pathlib import Path

import invoicedesk

PACKAGE = Path(invoicedesk.__file__).parent


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offenders(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in imports_of(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


def modules(*parts: str) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        target = PACKAGE / part
        found.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return found


def test_the_window_imports_nothing_from_vendors_or_store() -> None:
    # the window speaks the core's vocabulary (invoicedesk.vocabulary) and reaches the store
    # only through services
    window = modules("ui", "gui_app.py")
    assert offenders(window, ("invoicedesk.vendors", "invoicedesk.store")) == []


def test_qt_lives_only_in_the_window() -> None:
    below = modules("domain", "store", "vendors", "services", "sandbox", "vocabulary.py", "cli.py")
    assert offenders(below, ("PySide6", "qasync", "invoicedesk.ui")) == []


def test_the_vocabulary_and_the_domain_know_no_io_and_no_layer_above() -> None:
    pure = modules("domain", "vocabulary.py")
    above = ("invoicedesk.store", "invoicedesk.vendors", "invoicedesk.services", "invoicedesk.ui")
    io = ("httpx", "websockets", "sqlite3", "socket", "asyncio", "keyring")
    assert offenders(pure, above + io) == []


def test_only_the_transport_speaks_http() -> None:
    rest = [p for p in modules("") if p != PACKAGE / "vendors" / "transport.py"]
    assert offenders(rest, ("httpx", "websockets")) == []


def test_the_sandbox_shares_no_code_with_the_clients() -> None:
    forbidden = ("invoicedesk.vendors", "invoicedesk.services", "invoicedesk.ui")
    assert offenders(modules("sandbox"), forbidden) == []


def test_services_reach_no_window() -> None:
    assert offenders(modules("services", "store", "vendors"), ("invoicedesk.ui",)) == []
