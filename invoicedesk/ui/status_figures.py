"""The status bar's vendor figures: face-authentication time left and credit line left, for
the active account, where its vendor has them."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from invoicedesk.ui.core_bridge import signals
from invoicedesk.vocabulary import Capability, FaceStatus, VendorError

if TYPE_CHECKING:
    from invoicedesk.services.context import Core
    from invoicedesk.ui.face_clock import FaceClock
    from invoicedesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any]], None]


class StatusFigures(QObject):
    """Refreshes the figures a moment after the account changes (start-up and switches stay
    quick) and after each issue; `face_clock`, once installed, keeps the face text."""

    def __init__(self, window: MainWindow, core: Core, spawn: Spawn) -> None:
        super().__init__(window)
        self.window = window
        self.core = core
        self.spawn = spawn
        self.face_clock: FaceClock | None = None
        signals(core).profileActivated.connect(self._account_switched)

    def _account_switched(self, _name: str) -> None:
        self.refresh_soon()

    def refresh_soon(self, delay_s: float = 1.0) -> None:
        profile = self.window.active_profile
        if profile is not None:
            self.spawn(self._later(profile.name, delay_s))

    def logged_in(self, name: str) -> None:
        """A tax-bureau login changes what the vendor answers (a credit line it refused before
        the login): the active account's figures are read again."""
        profile = self.window.active_profile
        if profile is not None and profile.name == name:
            self.refresh_soon(0)

    async def _later(self, name: str, delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        await self.refresh(name)

    async def refresh(self, name: str) -> None:
        window, core = self.window, self.core
        core.account.invalidate(name)
        try:
            _, vendor = await core.vendor(name)
        except Exception:
            return
        caps = vendor.capabilities
        face, credit = window.tr("刷脸认证：—"), window.tr("剩余授信额度：—")
        if self.face_clock is not None:  # the clock keeps the face text (and counts down)
            await self.face_clock.refresh()
            face = window.face_label.text()
        elif caps & Capability.FACE_AUTH:
            try:
                status = (await core.account.face_status(name)).value
                face = face_text(window, status)
            except VendorError as exc:
                face = window.tr("刷脸认证：未知（{m}）").format(m=exc.message[:20])
            except Exception:
                log.exception("reading the face-auth state failed")
        if caps & Capability.CREDIT_LINE:
            try:
                line = (await core.account.credit_line(name)).value
                credit = window.tr("剩余授信额度：") + f"¥{line.left:,.2f}"
            except VendorError as exc:
                credit = window.tr("剩余授信额度：未知（{m}）").format(m=exc.message[:20])
            except Exception:
                log.exception("reading the credit line failed")
        if window.active_profile is not None and window.active_profile.name == name:
            window.set_face_status(face)
            window.set_credit_line(credit)


def face_text(window: QObject, status: FaceStatus) -> str:
    if status.needed:
        return str(window.tr("刷脸认证：需要认证"))
    until = status.valid_until
    if until is None:
        return str(window.tr("刷脸认证：有效"))
    now = dt.datetime.now(until.tzinfo) if until.tzinfo else dt.datetime.now()
    minutes = int((until - now).total_seconds() // 60)
    if minutes <= 0:
        return str(window.tr("刷脸认证：已过期"))
    return str(window.tr("刷脸认证：剩余 {h} 小时 {m} 分")).format(h=minutes // 60, m=minutes % 60)
