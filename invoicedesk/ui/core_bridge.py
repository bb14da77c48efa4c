"""The one place where the core's notices (services/events.py) cross into Qt.

`signals(core)` is the Core's Qt face: one QObject per Core whose signals re-emit every notice.
A notice emitted on another thread than the GUI thread reaches the pages queued (Qt's automatic
connection), so that every page's handler runs on the GUI thread. Pages connect to these
signals; nothing else in the window subscribes to `core.events` directly.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, Signal

from invoicedesk.services.context import Core


class CoreSignals(QObject):
    """Each signal carries a profile name ("" when it concerns every profile)."""

    profileActivated = Signal(str)
    profilesChanged = Signal(str)
    invoiceRecorded = Signal(str)
    customersChanged = Signal(str)

    def __init__(self, core: Core) -> None:
        super().__init__()
        events = core.events
        self._unsubscribe = [
            events.profile_activated.subscribe(self.profileActivated.emit),
            events.profiles_changed.subscribe(self.profilesChanged.emit),
            events.invoice_recorded.subscribe(self.invoiceRecorded.emit),
            events.customers_changed.subscribe(self.customersChanged.emit),
        ]

    def detach(self) -> None:
        """Stop re-emitting (the Core is closing)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []


_BRIDGES: weakref.WeakKeyDictionary[Core, CoreSignals] = weakref.WeakKeyDictionary()


def signals(core: Core) -> CoreSignals:
    """The Core's notices as Qt signals (one bridge per Core, made on first use)."""
    bridge = _BRIDGES.get(core)
    if bridge is None:
        bridge = _BRIDGES[core] = CoreSignals(core)
    return bridge
