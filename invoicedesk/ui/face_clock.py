"""The face-authentication clock in the status bar: how long the current authentication holds,
and a warning some minutes (a setting, default 10) before it runs out.

Only for vendors that report the state (piaodanyun) or whose account has a window set and a
scan seen here. The vendor is asked again every `REFRESH_S` and after a scan; between readings
the text counts down locally. `batch_outlasts_face` (services/face.py) is re-exported for the
batch screen.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from invoicedesk.services.face import FaceAuthService, FaceReading, batch_outlasts_face
from invoicedesk.vocabulary import Capability, VendorError

if TYPE_CHECKING:
    from invoicedesk.services.context import Core
    from invoicedesk.ui.main_window import MainWindow

__all__ = [
    "FaceClock",
    "batch_outlasts_face",
    "clock_text",
    "install_face_clock",
    "needs_warning",
]

log = logging.getLogger(__name__)

REFRESH_S = 600  # ask the vendor again this often
TICK_MS = 30_000  # the local countdown's step


def _tr(text: str) -> str:
    return QCoreApplication.translate("FaceClock", text)


def _span(left: dt.timedelta) -> str:
    minutes = max(0, int(left.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _tr("{h} 小时 {m} 分").format(h=hours, m=minutes)
    return _tr("{m} 分钟").format(m=minutes)


def clock_text(reading: FaceReading | None, now: dt.datetime) -> str:
    """The status-bar text for one reading."""
    if reading is None or (not reading.reported and reading.valid_until is None):
        return _tr("刷脸认证：—")
    if reading.needed:
        return _tr("刷脸认证：需要扫码")
    left = reading.remaining(now)
    if left is None:
        return _tr("刷脸认证：有效")
    if left.total_seconds() <= 0:
        return _tr("刷脸认证：已过期")
    until = reading.valid_until.astimezone() if reading.valid_until else None
    at = until.strftime("%H:%M") if until is not None else ""
    return _tr("刷脸认证：还剩 {span}（至 {at}）").format(span=_span(left), at=at)


def needs_warning(reading: FaceReading | None, now: dt.datetime, warn_minutes: int) -> bool:
    if reading is None or reading.needed:
        return False
    left = reading.remaining(now)
    return left is not None and dt.timedelta(0) < left <= dt.timedelta(minutes=warn_minutes)


class FaceClock(QObject):
    """Keeps `set_text` (MainWindow.set_face_status) up to date for the active profile.

    Public API: set_profile(name | None) (coroutine), refresh() (coroutine), update_text(),
    warn_minutes (int, settable). Signal warning(str): once per authentication, N minutes
    before it runs out (the window shows it, e.g. in the status bar)."""

    warning = Signal(str)

    def __init__(
        self,
        face: FaceAuthService,
        services: Core,
        set_text: Callable[[str], None],
        *,
        warn_minutes: int = 10,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.face = face
        self.services = services
        self.set_text = set_text
        self.warn_minutes = warn_minutes
        self.profile: str | None = None
        self._warned_for: dt.datetime | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.update_text)
        self._ask = QTimer(self)
        self._ask.setInterval(REFRESH_S * 1000)
        self._ask.timeout.connect(self._refresh_soon)
        self._task: asyncio.Task[Any] | None = None

    async def set_profile(self, name: str | None) -> None:
        self.profile = name
        self._warned_for = None
        await self.refresh()

    async def refresh(self) -> None:
        """Ask the vendor (vendors without the capability show "—")."""
        name = self.profile
        if name is None:
            self._stop("—")
            return
        try:
            _, vendor = await self.services.vendor(name)
            if not vendor.capabilities & Capability.FACE_AUTH:
                self._stop("—")
                return
            await self.face.status(name)
        except VendorError as exc:
            log.info("face state not read: %s", exc.code)
        except Exception:
            log.exception("reading the face state failed")
        if name != self.profile:
            return  # the user switched accounts meanwhile
        self.update_text()
        self._tick.start()
        self._ask.start()

    def update_text(self) -> None:
        if self.profile is None:
            return
        now = self.face.clock()
        reading = self.face.last_reading(self.profile)
        self.set_text(clock_text(reading, now))
        warn = reading is not None and needs_warning(reading, now, self.warn_minutes)
        if warn and reading is not None and self._warned_for != reading.valid_until:
            self._warned_for = reading.valid_until
            left = reading.remaining(now) or dt.timedelta(0)
            self.warning.emit(
                _tr("人脸认证将在 {span}后到期，到期后开票需要重新扫码刷脸。").format(
                    span=_span(left)
                )
            )

    def _stop(self, dash: str) -> None:
        self._tick.stop()
        self._ask.stop()
        self.set_text(_tr("刷脸认证：") + dash)

    def _refresh_soon(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self.refresh())


async def install_face_clock(window: MainWindow, services: Core) -> FaceClock:
    """The clock for MainWindow: its text in `set_face_status`, its warning in the window's
    banner, the margin from the `face.warn_minutes` setting. Call `set_profile(name)`
    when the active account changes."""
    face = services.face
    settings = await face.load_settings()
    clock = FaceClock(
        face, services, window.set_face_status, warn_minutes=settings.warn_minutes, parent=window
    )
    # a banner: a status-bar message would cover the account slot for a minute
    clock.warning.connect(lambda text: window.show_notice(text))
    return clock
