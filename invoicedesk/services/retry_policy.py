"""One retry policy per kind of call, and the one level that retries it (docs/architecture.md,
"Retries"). The window and the headless commands share these, because both build their vendor
clients and services through `AppServices`.

- READ (a query, a history page, a credit line, a face status) and DOWNLOAD (a file of an
  issued invoice): the transport retries the HTTP call itself, `attempts` in all, waiting
  `delays_s` between them; the services call once and never wrap it in a loop of their own
  (the file service's own 3 tries around the transport's 3 made 9 HTTP calls).
- ISSUE: the transport never retries (it cannot know whether the vendor acted). `IssueService`
  runs up to `ISSUE.attempts` reconcile-and-resend rounds, each first asking the vendor about
  the SAME serial; the spacing grows by `delays_s[0]` per round.
- RECONCILE: an unknown outcome is asked about again on the schedule of
  `services/reconcile_policy.py` (1, 2, 4, 8, 15, then every 30 s); each ask is one READ.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """`delays_s`: the waits between attempts, so there are `len(delays_s) + 1` attempts."""

    delays_s: tuple[float, ...]

    @property
    def attempts(self) -> int:
        return len(self.delays_s) + 1


# retried by the transport (HttpTransport.retry_delays), tried once by the services
READ = RetryPolicy(delays_s=(0.2, 0.6))
DOWNLOAD = READ
# retried by IssueService (IssueSettings.retries rounds after the first send)
ISSUE = RetryPolicy(delays_s=(0.2, 0.4, 0.6))


READ_DELAYS_ATTRIBUTE = "read_retry_delays"  # of the clients whose transports retry reads


def apply_read_policy(vendor: object) -> None:
    """Give a vendor client the READ/DOWNLOAD policy for the transports it makes (clients
    without such transports keep their own)."""
    if hasattr(vendor, READ_DELAYS_ATTRIBUTE):
        setattr(vendor, READ_DELAYS_ATTRIBUTE, READ.delays_s)
