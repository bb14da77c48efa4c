"""The issuing service's store work: one thread, and one transaction per group of calls.

A batch keeps about a dozen drafts in flight, each wanting its SENDING row written (and fsynced)
before its call and its answer recorded after. Done one call per transaction, that is two
commits, an fsync and two wake-ups of the event loop per draft. Here the thread takes every
call queued since it last looked and runs them in ONE transaction (`Store.grouped`: each call's
own write is a savepoint in it, so one call's failure undoes only that call), commits it with
one fsync, and only then hands all the results back to the loop in one wake-up.

Nothing is weakened: a call's result is delivered after the commit that holds its write, so a
SENDING row is on disk before anyone can send its serial; a commit that fails fails every call
of its group. A call may say it needs no fsync (`durable=False`: a write whose loss on a power
cut is healed, as recording an answer is, or a read): a group of only such calls commits
without one, so a batch pays one fsync per group of SENDING rows, not one more per answer.
Calls queued while a group commits form the next group, so a lone call (a single
invoice from the form) waits for nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

_Work = tuple[Callable[[], Any], asyncio.Future[Any], asyncio.AbstractEventLoop, bool]

# While calls keep coming (the last group ended less than BUSY_S ago), a group waits up to
# LINGER_S for more calls before its transaction starts, as a database's group commit does: a
# batch's drafts then share commits instead of paying one each. A call after a quiet spell (an
# invoice from the form) does not wait.
BUSY_S = 0.05
LINGER_S = 0.005


class StoreQueue:
    def __init__(self, store: Any, name: str) -> None:
        self.store = store
        self._queue: list[_Work] = []
        self._ready = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._name = name

    async def run(self, fn: Callable[[], Any], *, durable: bool = True) -> Any:
        """fn() on the store thread, inside a group's transaction; its result once committed
        (with an fsync unless every call of the group passed durable=False)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the issuing service is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
                self._thread.start()
            self._queue.append((fn, future, loop, durable))
            self._ready.notify()
        return await future

    def close(self) -> None:
        """Finish the calls queued, then end the thread (blocking: call it from a thread)."""
        with self._ready:
            self._closed = True
            self._ready.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _serve(self) -> None:
        last_group_end = float("-inf")
        while True:
            with self._ready:
                while not self._queue and not self._closed:
                    self._ready.wait()
                if not self._queue:
                    return
                if time.monotonic() - last_group_end < BUSY_S and not self._closed:
                    deadline = time.monotonic() + LINGER_S
                    while (left := deadline - time.monotonic()) > 0 and not self._closed:
                        self._ready.wait(left)
                work, self._queue = self._queue, []
            outcomes: list[tuple[bool, Any]] = []
            try:
                durable = any(w[3] for w in work)
                group = self.store.grouped() if durable else self.store.grouped(durable=False)
                with group:
                    for fn, _, _, _ in work:
                        try:
                            outcomes.append((True, fn()))
                        except BaseException as exc:  # that call's own failure: delivered to it
                            outcomes.append((False, exc))
            except BaseException as exc:  # the commit (or the store) failed: nothing of it holds
                outcomes = [(False, exc)] * len(work)
            by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any]]] = {}
            for (_, future, loop, _), outcome in zip(work, outcomes, strict=True):
                by_loop.setdefault(loop, []).append((future, outcome))
            for loop, items in by_loop.items():
                # a closed loop (RuntimeError): nobody waits for these any more
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_deliver, items)
            last_group_end = time.monotonic()


def _deliver(items: list[tuple[asyncio.Future[Any], tuple[bool, Any]]]) -> None:
    for future, (ok, value) in items:
        if future.cancelled():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
