"""The part of Store that its mixins (store/catalogs.py, store/files.py, store/audit_log.py)
use: a connection for reads, a write transaction, the clock's timestamp text."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Protocol


class StoreLike(Protocol):
    def _conn(self) -> sqlite3.Connection: ...
    def _write(self, *, durable: bool = True) -> AbstractContextManager[sqlite3.Connection]: ...
    def _now(self) -> str: ...
