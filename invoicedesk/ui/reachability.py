"""Is the active account's vendor reachable? A periodic check with backoff, for the status bar.

The probe is handed in (the application builds it from the vendor's `check_connection` with a
short timeout), so this module knows no vendor. While the vendor answers, it is asked again
every `ok_interval_s`; while it does not, after 2, 4, 8 … seconds up to `max_backoff_s`. When an
unreachable vendor answers again, `recovered` fires (待开 drafts are then offered for issuing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from invoicedesk.vocabulary import (
    AuthExpired,
    AuthFailed,
    FaceAuthRequired,
    NotSent,
    OutcomeUnknown,
    RateLimited,
    VendorError,
)

log = logging.getLogger(__name__)

Probe = Callable[[str], Awaitable[None]]  # profile name -> None, or raises


class ReachabilityMonitor(QObject):
    """Public API: watch(profile name | None), check_now(), reachable (True/False/None),
    text (short, for the status-bar slot), detail (what the vendor said, if anything);
    signals changed(str text, str detail), recovered(str profile name).

    A vendor that answers but refuses the account's credentials is reachable (待开 drafts
    would still fail, though: `refused` is True) and never reads "正常"."""

    changed = Signal(str, str)
    recovered = Signal(str)

    def __init__(
        self,
        probe: Probe,
        *,
        timeout_s: float = 6.0,
        ok_interval_s: float = 120.0,
        first_backoff_s: float = 2.0,
        max_backoff_s: float = 60.0,
        first_delay_s: float = 0.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.probe = probe
        self.timeout_s = timeout_s
        self.ok_interval_s = ok_interval_s
        self.first_backoff_s = first_backoff_s
        self.max_backoff_s = max_backoff_s
        self.first_delay_s = first_delay_s  # let start-up finish before the first probe
        self.profile: str | None = None
        self.reachable: bool | None = None
        self.text = self.tr("平台连接：未检测")
        self.detail = ""
        self.refused = False
        self._task: asyncio.Task[Any] | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    def watch(self, profile: str | None) -> None:
        """Start watching a profile (None: stop)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.profile = profile
        self.reachable = None
        self._set(self.tr("平台连接：检测中…") if profile else self.tr("平台连接：—"))
        if profile is not None:
            self._task = asyncio.ensure_future(self._loop(profile))

    def mark_unreachable(self) -> None:
        """An issue could not reach the vendor: say so now and ask again soon (with backoff);
        when the vendor answers, `recovered` fires."""
        if self.profile is None:
            return
        self.reachable = False
        self._set(self.tr("平台连接：无法连接"))
        self._wake.set()

    def check_now(self) -> None:
        """Ask again at once (an issue just failed to reach the vendor)."""
        self._wake.set()

    async def aclose(self) -> None:
        """Stop; a probe in flight may end first (cancelling a connect mid-way leaks its
        socket), but not for longer than the probe's own timeout."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        done, _ = await asyncio.wait({task}, timeout=self.timeout_s)
        if not done:
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    def _set(self, text: str, detail: str = "") -> None:
        self.text, self.detail = text, detail
        self.changed.emit(text, detail)

    async def _loop(self, profile: str) -> None:
        failures = 0
        if self.first_delay_s:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.first_delay_s)
        while not self._stopping:
            ok, error = await self._probe_once(profile)
            if self._stopping:
                return
            was = self.reachable
            self.reachable = ok
            self.refused = isinstance(error, (AuthFailed, AuthExpired))
            if ok:
                failures = 0
                if error is None or isinstance(error, (FaceAuthRequired, RateLimited)):
                    self._set(self.tr("平台连接：正常"))  # the face slot tells the rest
                elif self.refused:
                    self._set(self.tr("平台连接：账户被拒绝"), error.message)
                else:
                    self._set(self.tr("平台连接：答复异常"), error.message)
                if was is not True:  # answered again (or first): 待开 drafts can go now
                    self.recovered.emit(profile)
                wait = self.ok_interval_s
            else:
                failures += 1
                wait = min(self.max_backoff_s, self.first_backoff_s * 2 ** (failures - 1))
                self._set(self.tr("平台连接：无法连接，{s} 秒后重试").format(s=int(wait)))
            self._wake.clear()
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _probe_once(self, profile: str) -> tuple[bool, VendorError | None]:
        """(reachable, what the vendor objected to). The vendor refusing our credentials
        still answered: reachable."""
        try:
            await asyncio.wait_for(self.probe(profile), self.timeout_s)
        except (TimeoutError, NotSent, OutcomeUnknown):
            return False, None
        except VendorError as exc:
            return True, exc
        except Exception:  # a probe bug must not stop the loop
            log.exception("reachability probe failed")
            return False, None
        return True, None
