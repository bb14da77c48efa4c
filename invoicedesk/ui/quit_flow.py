"""The way out of the window: Ctrl+Q, the close button, a signal. With an issue in flight the
user is asked first and the issue finishes before the program exits (nothing half-sent)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from invoicedesk.ui.async_dialog import confirm

if TYPE_CHECKING:
    from invoicedesk.ui.issuing import IssueController
    from invoicedesk.ui.main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, Any]], None]


class QuitFlow:
    """`requested` resolves once the program should shut down (phase one follows)."""

    def __init__(self, window: MainWindow, spawn: Spawn) -> None:
        self.window = window
        self.spawn = spawn
        self.controller: IssueController | None = None  # set once the services are open
        self.requested: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._asking = False

    def request(self) -> None:
        """Start the two-phase shutdown once; with an issue in flight, ask first."""
        if self.controller is not None and self.controller.in_flight:
            if not self._asking:
                self._asking = True
                self.spawn(self._ask())
            return
        self.now()

    def now(self) -> None:
        """No question (a signal: the session is going away); the shutdown still waits for the
        issue in flight."""
        if not self.requested.done():
            self.requested.set_result(None)

    async def _ask(self) -> None:
        window = self.window
        try:
            ok = await confirm(
                window,
                window.tr("正在开具发票"),
                window.tr("有一张发票正在开具。退出前会等它开完（不会中途放弃，也不会重复开票）。"),
                yes=window.tr("开完后退出"),
            )
            if not ok:
                return
            window.statusBar().showMessage(window.tr("正在等待开票完成，随后退出…"))
            if self.controller is not None:
                await self.controller.wait_idle()
        finally:
            self._asking = False
        self.now()
