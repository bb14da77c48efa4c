"""Fixtures for widget tests: a real store in a temporary folder and the draft service over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store.open(data_dir / "invoicedesk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def drafts(store: Store) -> DraftService:
    return DraftService(store)


@pytest.fixture
def form(qtbot: Any, qloop: Any, drafts: DraftService) -> Any:
    from invoicedesk.ui.invoice_form import InvoiceForm

    widget = InvoiceForm(drafts)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget
