"""SIGTERM (a session logging out) and SIGINT under Qt: save and exit 0 through the ordinary
quit path."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSocketNotifier, QTimer

log = logging.getLogger(__name__)


class SignalQuit:
    """Python runs signal handlers only when the interpreter gets control; Qt's loop may sleep
    in C++. `set_wakeup_fd` writes a byte to a socket that a QSocketNotifier watches, which
    wakes the loop, and the handler only schedules `on_signal` (the quit path) on it."""

    def __init__(self, on_signal: Callable[[], None]) -> None:
        self.on_signal = on_signal
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None

    def install(self) -> None:
        if self._sockets is not None:
            return
        try:
            read, write = socket.socketpair()
            read.setblocking(False)
            write.setblocking(False)
            signal.set_wakeup_fd(write.fileno())
        except (OSError, ValueError):  # not the main thread (tests): no signal handling
            return
        self._sockets = (read, write)
        self._notifier = QSocketNotifier(read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def remove(self) -> None:
        if self._sockets is None:
            return
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(-1)
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        for sock in self._sockets:
            sock.close()
        self._sockets = None

    def _drain(self, *_: Any) -> None:
        if self._sockets is not None:
            with contextlib.suppress(OSError):
                self._sockets[0].recv(256)

    def _on_signal(self, signum: int, _frame: Any) -> None:
        log.info("signal %s: saving and quitting", signum)
        QTimer.singleShot(0, self.on_signal)
