"""The Core's notices (services/events.py): every subscriber hears each emit, a failing one
does not stop the others or the service that emitted, and unsubscribing ends it."""

from __future__ import annotations

import logging

import pytest

from invoicedesk.services.events import CoreEvents


def test_a_failing_handler_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    events = CoreEvents()
    heard: list[str] = []

    def broken(_name: str) -> None:
        raise RuntimeError("a page went away badly")

    events.profile_activated.subscribe(broken)
    stop = events.profile_activated.subscribe(heard.append)
    with caplog.at_level(logging.ERROR):
        events.profile_activated.emit("piaodanyun")
    assert heard == ["piaodanyun"]
    assert "profile_activated" in caplog.text
    stop()
    events.profile_activated.emit("faw")
    assert heard == ["piaodanyun"]
    events.invoice_recorded.emit("faw")  # another kind of notice reaches no one here
    assert heard == ["piaodanyun"]
