"""The program's log file: <data folder>/logs/invoicedesk.log, rotated, secrets removed.

Sits next to app.py at the composition root (not in a layer), so it may use the transport's
redaction. The redacting filter is on the file handler itself, so every record that reaches the
file is cleaned, whichever logger wrote it. The transport (httpx) is imported only when the
first record is written, so that logging costs nothing at start-up.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "invoicedesk.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# httpx writes an INFO line for every request. The audit log already records each vendor call
# (endpoint, duration, outcome, serial), so in the file it was a duplicate that cost every
# invoice a redacted, formatted record and a file write on the GUI thread: its warnings only.
QUIET_LOGGERS = ("httpx",)


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def log_file(data_dir: Path) -> Path:
    return log_dir(data_dir) / LOG_NAME


class _Redaction(logging.Filter):
    """vendors.transport.RedactingFilter, loaded on the first record."""

    def __init__(self) -> None:
        super().__init__()
        self._inner: logging.Filter | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if self._inner is None:
            from invoicedesk.vendors.transport import RedactingFilter

            self._inner = RedactingFilter()
        return bool(self._inner.filter(record))


def setup_logging(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating log file (idempotent); returns the file's path."""
    path = log_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(_Redaction())
    root.addHandler(handler)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return path


def remove_logging(data_dir: Path) -> None:
    """Close and remove the file handler (tests, and before a restore replaces the folder)."""
    path = str(log_file(data_dir))
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == path:
            root.removeHandler(handler)
            handler.close()
            for name in QUIET_LOGGERS:
                logging.getLogger(name).setLevel(logging.NOTSET)
