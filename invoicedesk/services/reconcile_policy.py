"""How often an issue whose outcome is unknown is asked about again: one policy, shared by the
window (the result page keeps asking) and the headless `invoicedesk reconcile --wait`.

Each attempt is one `IssueService.reconcile` of the same journal row: the vendor is asked about
the SAME serial, and the request is resent with that serial only when the vendor has nothing
(docs/architecture.md, "Issuing exactly once"). The transport retries a single read itself;
this policy only spaces the attempts, so a call is still retried at one level.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from invoicedesk.services.issuing import IssueResult, IssueService


@dataclass(frozen=True)
class ReconcilePolicy:
    """The waits before each attempt; after the last one, every `delays_s[-1]` seconds."""

    delays_s: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)

    def delay(self, attempt: int) -> float:
        """The wait before attempt `attempt` (0 for the first)."""
        return self.delays_s[min(attempt, len(self.delays_s) - 1)]


RECONCILE = ReconcilePolicy()

# (attempt number from 1, the error of that attempt or None when the vendor still cannot say)
OnPending = Callable[[int, Exception | None], None]


def settled(result: IssueResult) -> bool:
    """The vendor said: issued (or accepted), or definitely not issued."""
    return result.ok or result.state == "REJECTED"


async def reconcile_until_settled(
    issuing: IssueService,
    journal_id: int,
    *,
    policy: ReconcilePolicy = RECONCILE,
    on_pending: OnPending | None = None,
    deadline_s: float | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> IssueResult | None:
    """Ask again, spaced by the policy, until the vendor settles the row. Errors of an attempt
    do not end the loop (the serial is kept, nothing is sent twice). Returns None when
    `deadline_s` (seconds from now) passed first; without one, it runs until settled or
    cancelled."""
    end = None if deadline_s is None else time.monotonic() + deadline_s
    attempt = 0
    while True:
        wait = policy.delay(attempt)
        if end is not None and time.monotonic() + wait > end:
            return None
        await sleep(wait)
        attempt += 1
        try:
            now = await issuing.reconcile(journal_id)
        except Exception as exc:
            if on_pending is not None:
                on_pending(attempt, exc)
            continue
        if settled(now):
            return now
        if on_pending is not None:
            on_pending(attempt, None)
