from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from invoicedesk.store import Store


class StepClock:
    """A clock that moves one second per reading, so timestamps are distinct and predictable."""

    def __init__(self) -> None:
        self.ticks = itertools.count()

    def __call__(self) -> dt.datetime:
        return dt.datetime(2025, 3, 1, 9, 0, 0) + dt.timedelta(seconds=next(self.ticks))


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.open(data_dir / "invoicedesk.sqlite", clock=StepClock())
    yield s
    s.close()
