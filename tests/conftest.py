"""Shared fixtures: offscreen Qt, one qasync loop for widget tests, an in-memory keyring, and the
vendor sandbox served on loopback (started once per session, reset before each test that uses it).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import keyring
import keyring.backend
import pytest


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The OS keyring stands in memory during tests: never a plaintext file."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@contextmanager
def machine_zone(name: str) -> Iterator[None]:
    """Inside the block the process's local time zone is `name` (TZ, then time.tzset), as on a
    computer set to that zone; the zone before is back afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", name)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


@pytest.fixture
def data_dir(tmp_path: Any) -> Any:
    path = tmp_path / "data"
    path.mkdir()
    return path


# ---- the sandbox ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Any]:
    from invoicedesk.sandbox.server import SandboxServer

    server = SandboxServer.start_in_thread(host="127.0.0.1", port=0)
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: Any) -> Any:
    """The running sandbox, reset to an empty state with no faults."""
    import httpx

    httpx.post(f"{sandbox_server.control_url}/reset", timeout=10).raise_for_status()
    return sandbox_server


# ---- qasync for widget tests (see ../shared/docs/qt-testing-notes.md) --------------------------


def _mark_running(loop: asyncio.AbstractEventLoop | None) -> None:
    """Tell asyncio which loop counts as running on this thread (None: none does). In a sync
    pytest-qt test Qt's event loop runs, not asyncio's, so asyncio must be told. asyncio has no
    public call for that: qasync itself uses this private one for its `already_running` loops
    (qasync/__init__.py), as does the recipe in ../shared/docs/qt-testing-notes.md. This is the
    tests' one use of it."""
    asyncio.events._set_running_loop(loop)


@pytest.fixture(scope="session")
def _qasync_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    from invoicedesk.ui.event_loop import QtEventLoop

    loop = QtEventLoop(qapp, already_running=True)
    _mark_running(None)
    yield loop
    _mark_running(loop)
    loop.stop()
    loop.close()
    _mark_running(None)


@pytest.fixture
def qloop(
    _qasync_loop: asyncio.AbstractEventLoop, qapp: Any
) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop, running, for a sync pytest-qt test. Never call loop.stop() in a test."""
    _mark_running(_qasync_loop)
    asyncio.set_event_loop(_qasync_loop)
    yield _qasync_loop
    for task in asyncio.all_tasks(_qasync_loop):
        if not task.done():
            task.cancel()
    for _ in range(20):
        qapp.processEvents()
    _mark_running(None)
    asyncio.set_event_loop(None)


def run_in_loop(
    qtbot: Any, loop: asyncio.AbstractEventLoop, coro: Any, timeout_ms: int = 20000
) -> Any:
    """Await a coroutine from a sync pytest-qt test on the qasync loop."""
    task = asyncio.ensure_future(coro, loop=loop)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()
