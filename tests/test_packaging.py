"""The package list in pyproject.toml is kept by hand: make sure it has every package folder."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "invoicedesk").rglob("__init__.py")
    }
    assert found - listed == set(), "add these packages to pyproject.toml"
    resource_dirs = {
        ".".join(("invoicedesk", *d.relative_to(ROOT).parts))
        for d in [ROOT / "resources", *(ROOT / "resources").rglob("*")]
        if d.is_dir() and "__pycache__" not in d.parts
    }
    assert resource_dirs - listed == set(), "add these resource folders to pyproject.toml"


def test_resources_are_found() -> None:
    from invoicedesk.paths import resource

    assert resource("__init__.py").is_file()
