"""The core's change notices: a small Qt-free event source.

A service that changed something the window shows emits a notice after the change is stored
(`events.invoice_recorded.emit(profile)`); a page subscribes to the notices for what it shows.
Handlers run synchronously on the emitting thread, which is the loop's thread for every service
that emits: the window's one bridge (ui/core_bridge.py) re-emits each notice as a Qt signal, so
that every page's handler runs on the GUI thread. A handler's failure is logged and does not
stop the others or the service that emitted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class Event(Generic[T]):
    """One kind of notice, with the value it carries (a profile name)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Callable[[T], None]] = []

    def subscribe(self, handler: Callable[[T], None]) -> Callable[[], None]:
        """Call `handler(value)` on every emit; returns the function that unsubscribes."""
        self._handlers.append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)

        return unsubscribe

    def emit(self, value: T) -> None:
        for handler in list(self._handlers):
            try:
                handler(value)
            except Exception:
                log.exception("a handler of %s failed", self.name)


@dataclass
class CoreEvents:
    """What changed, for the pages that show it; the value names the profile concerned.
    Drafts and batches have one page each, which makes the changes itself: they get a notice
    when a second place needs to know."""

    # the active account changed (the value: its profile name)
    profile_activated: Event[str] = field(default_factory=lambda: Event("profile_activated"))
    # an account was added, edited or deleted
    profiles_changed: Event[str] = field(default_factory=lambda: Event("profiles_changed"))
    # an invoice was stored in this profile's history (issued here, or new from a sync)
    invoice_recorded: Event[str] = field(default_factory=lambda: Event("invoice_recorded"))
    # customers were added (an invoice's buyer joins them)
    customers_changed: Event[str] = field(default_factory=lambda: Event("customers_changed"))
