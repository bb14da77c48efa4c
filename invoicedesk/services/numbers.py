"""Invoices found by buyer, amount and time, for vendors without a request serial (ws-invoice).

Two uses, one search (`vendor.find_issued`):
- an UNKNOWN row (the answer was lost): found → ISSUED, not found → the caller may resend;
- an ISSUED row whose vendor answered "issued" without a number (ws-invoice's documented
  invoice_pdf): its number and date are filled in. That row is never sent again, whatever the
  search finds (store journal.NUMBER_PENDING).

A candidate invoice is skipped when another journal row already owns it (its history row has
another serial) or when it is dated well before our send; a history row a sync made (no serial)
is taken over. Identical invoices (one buyer, one total) are paired with rows in send order.
What the platform says it issued is compared with the draft: differing amount, tax or total
gives a warning that the result page and history show (the document's invoiceItem has no tax
rate, so a platform may apply its own).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft
from invoicedesk.vendors.base import BaseVendor, Capability, IssuedInvoice
from invoicedesk.vendors.transport import CHINA_TZ

# how far around a row's time to look for its invoice. Wide on purpose: the vendor's dates may
# be in another time zone than this computer's clock; a wrong match is prevented by skipping
# invoices another row (or history) already owns.
FIND_WINDOW = dt.timedelta(hours=24)

PENDING_STATUS = "号码待查"  # the history row's status until the platform's own replaces it
PENDING_NOTE = (
    "号码待查：开票平台已开出这张发票，但答复中没有发票号码。"
    "程序会按购买方、金额和开票时间查询号码（同步或核对时自动补上），不会重复开票。"
)


def unkeyed(vendor: BaseVendor) -> bool:
    """The vendor has no request serial to ask by, only a search by buyer and amount."""
    caps = vendor.capabilities
    return bool(caps & Capability.FIND_ISSUED) and not caps & Capability.QUERY_ONE


def figures_warning(inv: IssuedInvoice, draft: Draft) -> str | None:
    """Chinese warning when what the platform issued differs from the draft; None if equal."""
    totals = money.compute_totals(draft)
    differ = [
        (label, theirs, ours)
        for label, theirs, ours in (
            ("金额", inv.amount, totals.amount),
            ("税额", inv.tax, totals.tax),
            ("价税合计", inv.total, totals.total),
        )
        if Decimal(theirs) != Decimal(ours)
    ]
    if not differ:
        return None
    labels = "、".join(label for label, _, _ in differ)
    figures = "；".join(
        f"{label} 平台 ¥{theirs:.2f}，草稿 ¥{ours:.2f}" for label, theirs, ours in differ
    )
    return (
        f"平台开出的{labels}与草稿不一致（{figures}）。"
        "请在开票平台核对这张发票；如有错误，请红冲后重开。"
    )


def search_window(created_at: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    sent_at = dt.datetime.fromisoformat(created_at)
    return sent_at - FIND_WINDOW, now + FIND_WINDOW


# how much earlier than our send a platform's invoice date may be and still be ours: the two
# clocks may disagree by a few minutes
CLOCK_SLACK = dt.timedelta(minutes=15)


def best_first(free: list[tuple[IssuedInvoice, bool]], created_at: str) -> list[IssuedInvoice]:
    """The unowned candidates, likeliest first. An invoice dated well before our send (beyond
    CLOCK_SLACK) is not ours. Then: one nobody has in history before one a sync brought in
    without a serial (that may be an invoice made outside InvoiceDesk), earliest first (rows
    claim in send order, see IssueService._claim); an undated one last. Invoices dated alike
    (a platform may give the day only, or one second to two quick invoices) go by number, which
    a platform gives out in issue order: the pairing never depends on the reply's order."""
    earliest = dt.datetime.fromisoformat(created_at).astimezone() - CLOCK_SLACK

    def key(item: tuple[IssuedInvoice, bool]) -> tuple[bool, float, str]:
        inv, synced = item
        when = inv.date.timestamp() if inv.date is not None else float("inf")
        return synced, when, inv.number or ""

    possible = [x for x in free if x[0].date is None or _not_before(x[0].date, earliest)]
    return [inv for inv, _ in sorted(possible, key=key)]


def _not_before(date: dt.datetime, earliest: dt.datetime) -> bool:
    """The invoice may have been made at or after `earliest`. A date at midnight Beijing time
    is what a platform giving the day only looks like: that whole day counts."""
    if date >= earliest:
        return True
    day = date.astimezone(CHINA_TZ)
    return day.time() == dt.time(0) and day.date() >= earliest.astimezone(CHINA_TZ).date()
