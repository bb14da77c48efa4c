"""The asyncio loop the window runs on: qasync's, with a cheaper `call_soon`.

qasync runs every `call_soon` callback through a Qt timer of its own (`startTimer(0)`, a timer
event, `killTimer`) after an `iscoroutinefunction` check, about 4 us more per callback than a
queue. An invoice in a batch makes a few dozen such callbacks (every awaited future, task step
and socket read), at 150 invoices a second on the GUI thread. Here `call_soon` appends to a
queue, as asyncio's own loops do, and ONE zero-interval Qt timer runs what is queued: each run
takes only the callbacks queued before it started (those they queue wait for the next run), so
Qt paints and reads input between runs exactly as between qasync's timer events. Callbacks run
in the order they were queued (asyncio's promise, which qasync's timers did not make).
`call_later`, sockets and `call_soon_threadsafe` stay qasync's (the last ends in `call_soon`).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import deque
from collections.abc import Callable
from typing import Any

import qasync
from PySide6.QtCore import QTimer


class QtEventLoop(qasync.QEventLoop):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._soon: deque[asyncio.Handle] = deque()
        self._soon_timer = QTimer()
        self._soon_timer.setSingleShot(True)
        self._soon_timer.setInterval(0)
        self._soon_timer.timeout.connect(self._run_soon)

    def call_soon(
        self,
        callback: Callable[..., Any],
        *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        handle = asyncio.Handle(callback, args, self, context=context)
        self._soon.append(handle)
        if not self._soon_timer.isActive():
            self._soon_timer.start()
        return handle

    def _run_soon(self) -> None:
        for _ in range(len(self._soon)):
            handle = self._soon.popleft()
            if not handle.cancelled():
                # asyncio's own loops run a handle this way; exceptions go to the loop's handler
                handle._run()
        if self._soon:
            self._soon_timer.start()

    def close(self) -> None:
        self._soon_timer.stop()
        self._soon.clear()
        super().close()
