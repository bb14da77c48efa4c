"""Where InvoiceDesk's shipped resources are: editable install, wheel or PyInstaller bundle."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller one-folder bundle: the spec copies resources/ here
        return Path(bundle) / "invoicedesk" / "resources"
    return Path(str(files("invoicedesk.resources")))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
