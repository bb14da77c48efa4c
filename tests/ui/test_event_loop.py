"""The window's asyncio loop (ui/event_loop.py): call_soon through one queue, run in order, in
rounds that leave Qt free to paint and read input between them."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from PySide6.QtCore import QTimer

from invoicedesk.ui.event_loop import QtEventLoop


def test_the_test_loop_is_the_windows_loop(qloop: Any) -> None:
    assert isinstance(qloop, QtEventLoop)


def test_callbacks_run_in_the_order_they_were_queued_from_any_thread(
    qtbot: Any, qloop: Any
) -> None:
    seen: list[int] = []
    for i in range(100):
        qloop.call_soon(seen.append, i)
    worker = threading.Thread(
        target=lambda: [qloop.call_soon_threadsafe(seen.append, i) for i in range(100, 200)]
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 200, timeout=5000)
    assert seen == list(range(200))


def test_a_callback_that_keeps_requeueing_itself_does_not_starve_qt(qtbot: Any, qloop: Any) -> None:
    rounds = 0
    stop = False

    def again() -> None:
        nonlocal rounds
        rounds += 1
        if not stop:
            qloop.call_soon(again)

    qloop.call_soon(again)
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    try:
        qtbot.waitUntil(lambda: bool(fired), timeout=5000)
    finally:
        stop = True
    assert rounds >= 1


def test_a_cancelled_callback_does_not_run_and_a_failing_one_does_not_stop_the_rest(
    qtbot: Any, qloop: Any
) -> None:
    seen: list[str] = []
    errors: list[dict[str, Any]] = []
    qloop.set_exception_handler(lambda _loop, context: errors.append(context))

    def fail() -> None:
        raise ValueError("boom")

    try:
        qloop.call_soon(fail)
        qloop.call_soon(seen.append, "cancelled").cancel()
        qloop.call_soon(seen.append, "after")
        qtbot.waitUntil(lambda: seen == ["after"], timeout=5000)
    finally:
        qloop.set_exception_handler(None)
    assert [type(c["exception"]) for c in errors] == [ValueError]


def test_tasks_and_futures_run_on_it(qtbot: Any, qloop: Any) -> None:
    async def add(a: int, b: int) -> int:
        await asyncio.sleep(0)
        await asyncio.sleep(0.01)
        return a + b

    task = asyncio.ensure_future(add(2, 3), loop=qloop)
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() == 5
