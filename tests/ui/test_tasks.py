"""The GUI's background tasks: settled() waits for every one, and for those they start."""

from __future__ import annotations

import asyncio
from typing import Any

from invoicedesk.ui.tasks import running, settled, spawn
from tests.conftest import run_in_loop


def test_settled_waits_for_the_tasks_and_what_they_start(qtbot: Any, qloop: Any) -> None:
    ended: list[str] = []
    owner: set[asyncio.Task[Any]] = set()

    async def child() -> None:
        await asyncio.sleep(0.1)
        ended.append("child")

    async def parent() -> None:
        await asyncio.sleep(0.05)
        spawn(child(), owner)  # started while settled() is already waiting
        ended.append("parent")

    spawn(parent(), owner)
    run_in_loop(qtbot, qloop, settled())
    assert ended == ["parent", "child"]
    assert not running() and not owner


def test_settled_waits_for_the_tasks_it_is_given(qtbot: Any, qloop: Any) -> None:
    ended: list[str] = []

    async def own_step() -> None:  # a task the GUI registry does not hold
        await asyncio.sleep(0.05)
        ended.append("own")

    mine = {asyncio.ensure_future(own_step(), loop=qloop)}
    run_in_loop(qtbot, qloop, settled(mine))
    assert ended == ["own"]


def test_settled_does_not_wait_for_the_task_that_calls_it(qtbot: Any, qloop: Any) -> None:
    async def step() -> str:
        await settled()  # from inside a task the GUI started
        return "done"

    task = spawn(step(), set())
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.result() == "done"
