"""Where InvoiceDesk's shipped resources are: editable install, wheel or PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller one-folder bundle: the spec copies resources/ here
        return Path(bundle) / "invoicedesk" / "resources"
    # The package's own folder (a wheel's, or the repository's resources/ that an editable
    # install maps to it). Not importlib.resources: importing it costs more than the rest of
    # the start-up's own imports, before the first paint.
    import invoicedesk.resources

    return Path(invoicedesk.resources.__path__[0])


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
