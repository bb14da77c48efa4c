"""Pairing identical invoices (one buyer, one total) with journal rows never depends on the
order in which the platform lists them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from invoicedesk.services.numbers import best_first
from invoicedesk.vendors.base import IssuedInvoice
from invoicedesk.vendors.transport import CHINA_TZ


def _invoice(number: str, when: dt.datetime | None) -> IssuedInvoice:
    total = Decimal("106.00")
    return IssuedInvoice(number, when, None, Decimal("100.00"), Decimal("6.00"), total)


def test_invoices_dated_alike_go_by_number_whatever_the_reply_order() -> None:
    day = dt.datetime(2026, 5, 20, tzinfo=CHINA_TZ)  # a platform giving the day only
    first, second = _invoice("26332000000000000101", day), _invoice("26332000000000000102", day)
    sent = "2026-05-20T09:00:00+08:00"
    for listed in ([first, second], [second, first]):
        assert best_first([(x, False) for x in listed], sent) == [first, second]
    # the day before is not that day: still too old
    before = _invoice("26332000000000000001", day - dt.timedelta(days=1))
    assert best_first([(before, False)], sent) == []


def test_earliest_then_unsynced_then_undated() -> None:
    sent = dt.datetime(2026, 5, 20, 9, 0, tzinfo=CHINA_TZ)
    early = _invoice("26332000000000000109", sent + dt.timedelta(seconds=5))
    late = _invoice("26332000000000000101", sent + dt.timedelta(seconds=9))
    undated = _invoice("26332000000000000100", None)
    synced = _invoice("26332000000000000099", sent)
    too_old = _invoice("26332000000000000098", sent - dt.timedelta(hours=1))
    free = [(undated, False), (late, False), (synced, True), (early, False), (too_old, False)]
    assert best_first(free, sent.isoformat()) == [early, late, undated, synced]
