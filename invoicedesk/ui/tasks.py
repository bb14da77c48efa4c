"""Tasks the GUI starts. Each is kept referenced until it ends (architecture.md: a task nobody
holds can be collected mid-flight), in its owner's set, and in one registry for the whole
program, so that shutdown can let every task still running end before the store closes: their
store calls run in worker threads, which cancelling a task does not stop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any

_running: set[asyncio.Task[Any]] = set()


def spawn(coro: Awaitable[Any], owner: set[Any]) -> asyncio.Task[Any]:
    """Start `coro` on the running loop; `owner` (the widget's own set) and the registry hold it
    until it is done."""
    task = asyncio.ensure_future(coro)
    for holder in (_running, owner):
        holder.add(task)
        task.add_done_callback(holder.discard)
    return task


def running() -> set[asyncio.Task[Any]]:
    """Every task the GUI started that has not ended yet."""
    return {task for task in _running if not task.done()}


async def settled(*owners: Iterable[asyncio.Task[Any]]) -> None:
    """Wait until every task the GUI started, and those in `owners`, has ended, including the
    ones they start meanwhile. The calling task itself is not waited for."""
    me = asyncio.current_task()
    while True:
        pending = running().union(*owners) - {me}
        pending = {task for task in pending if not task.done()}
        if not pending:
            return
        await asyncio.wait(pending)
