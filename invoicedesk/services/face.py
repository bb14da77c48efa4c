"""Face authentication (人脸认证) for the person who issues: status, challenges, polling, clock.

Pure asyncio, no Qt. The GUI's dialog (ui/face_dialog.py) drives it; so can a CLI or a test.

- `status(profile)` asks the vendor (`face_status`) and keeps the reading with its time. The
  validity window is the vendor's (`FaceStatus.window_hours`) or, when the vendor says nothing,
  the account's own setting `profile.options["face_window_hours"]` (the company chooses
  0.5–24 hours at the tax bureau, domain-reference §7). Never a constant in code.
- `start(profile, app)` fetches a QR (`face_qr`); when the vendor gives no lifetime the QR is
  given `FaceSettings.qr_lifetime_s` (300 s: the only figure found, [FPAPI]'s demo wait; the
  sandbox's QR also lives 5 minutes).
- `wait(profile, challenge, stop)` polls `face_poll` every `poll_interval_s` (bounded to
  `POLL_BOUNDS_S`) until "ok", "expired" (the vendor says so or the lifetime ran out) or
  "cancelled" (the `stop` event was set).
- A sandbox profile (`options["sandbox"] == "1"` AND a loopback base URL, the same rule as the
  demo credentials in services/profiles.py) may `simulate_scan`: the sandbox control API's
  phone scan. A real vendor never gets that call.
- `batch_outlasts_face(expected, reading, now)`: the warning before a batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from invoicedesk.vendors.base import (
    BaseVendor,
    FaceChallenge,
    FaceResult,
    FaceStatus,
    NotSupported,
    Profile,
    VendorError,
)

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]

WINDOW_OPTION = "face_window_hours"  # per-account validity window, hours (profile option)
POLL_BOUNDS_S = (0.2, 10.0)  # never hammer the vendor, never leave the user waiting long
POLL_ERRORS_TOLERATED = 3  # consecutive failed polls before the error is shown
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SETTING_KEYS: dict[str, type] = {
    "warn_minutes": int,
    "poll_interval_s": float,
    "qr_lifetime_s": float,
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class FaceSettings:
    poll_interval_s: float = 2.0
    qr_lifetime_s: float = 300.0  # when the vendor does not say how long its QR lives
    warn_minutes: int = 10  # the status-bar warning margin before the authentication runs out

    def interval(self) -> float:
        low, high = POLL_BOUNDS_S
        return min(max(self.poll_interval_s, low), high)


@dataclass(frozen=True)
class FaceReading:
    """One reading of the face-authentication state, with when it was read.

    `valid_until` is the vendor's, or (vendor silent) the last scan seen here + the window."""

    needed: bool
    valid_until: dt.datetime | None
    window_hours: Decimal | None
    read_at: dt.datetime
    reported: bool = True  # False: the vendor cannot report a state (ws-invoice)

    def remaining(self, now: dt.datetime) -> dt.timedelta | None:
        if self.valid_until is None:
            return None
        return self.valid_until - now


class SandboxOnly(VendorError):
    """The sandbox control API was asked for a profile that is not a sandbox one."""


def is_sandbox_profile(profile: Profile) -> bool:
    """A sandbox profile: made by `sandbox_profiles` (option sandbox=1) and on loopback."""
    host = urlsplit(profile.base_url).hostname or ""
    return profile.options.get("sandbox") == "1" and host in _LOOPBACK


def sandbox_root(profile: Profile) -> str:
    """http://host:port of the sandbox serving this profile (ws:// becomes http://)."""
    parts = urlsplit(profile.base_url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


def parse_hours(text: str | None) -> Decimal | None:
    """A positive number of hours from a setting, else None."""
    if not text:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def batch_outlasts_face(
    expected_duration: dt.timedelta, status: FaceReading | None, now: dt.datetime
) -> str | None:
    """A warning (Chinese) when a batch expected to take this long will probably outlast the
    current face authentication; None when it will not, or when nothing is known."""
    if status is None or (not status.reported and status.valid_until is None):
        return None
    if status.needed:
        return "开票前需要先完成人脸认证：请先扫码认证，再开始批量开票。"
    left = status.remaining(now)
    if left is None or left >= expected_duration:
        return None
    minutes = max(0, int(left.total_seconds() // 60))
    need = max(1, int(-(-expected_duration.total_seconds() // 60)))
    return (
        f"人脸认证约 {minutes} 分钟后到期，而这批发票预计需要 {need} 分钟："
        "中途可能需要再次扫码认证。建议先重新认证，或把这批分成几次开具。"
    )


class FaceAuthService:
    def __init__(
        self,
        vendors: VendorGetter,
        *,
        settings: FaceSettings | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        on_change: Callable[[str], None] | None = None,
        store: Any = None,
    ) -> None:
        self.vendors = vendors
        self.store = store  # for the settings below (Store.get_setting / set_setting)
        self.settings = settings or FaceSettings()
        self.clock = clock
        self.on_change = on_change  # e.g. AccountService.invalidate after a scan
        self._readings: dict[str, FaceReading] = {}
        self._last_ok: dict[str, dt.datetime] = {}

    # ---- settings (non-secret, the store's settings table) ----------------------------------

    async def load_settings(self) -> FaceSettings:
        """Read `face.warn_minutes`, `face.poll_interval_s`, `face.qr_lifetime_s`; keep the
        defaults for what is missing or unreadable."""
        if self.store is None:
            return self.settings
        values: dict[str, Any] = {}
        for key, kind in SETTING_KEYS.items():
            raw = await asyncio.to_thread(self.store.get_setting, f"face.{key}")
            try:
                value = kind(raw) if raw else None
            except ValueError:
                value = None
            if value is not None and value > 0:
                values[key] = value
        self.settings = dataclasses.replace(self.settings, **values)
        return self.settings

    async def set_warn_minutes(self, minutes: int) -> None:
        if minutes < 0:
            raise ValueError(minutes)
        self.settings = dataclasses.replace(self.settings, warn_minutes=minutes)
        if self.store is not None:
            await asyncio.to_thread(self.store.set_setting, "face.warn_minutes", str(minutes))

    # ---- state ------------------------------------------------------------------------------

    def last_reading(self, profile_name: str) -> FaceReading | None:
        return self._readings.get(profile_name)

    async def status(self, profile_name: str) -> FaceReading:
        """Ask the vendor now. Vendors without a state report `reported=False, needed=False`
        (they ask for a scan mid-issue instead)."""
        profile, vendor = await self.vendors(profile_name)
        try:
            raw: FaceStatus | None = await vendor.face_status()
        except NotSupported:
            raw = None
        reading = self._reading(profile, raw)
        self._readings[profile_name] = reading
        return reading

    def _reading(self, profile: Profile, raw: FaceStatus | None) -> FaceReading:
        now = self.clock()
        window = raw.window_hours if raw is not None and raw.window_hours else None
        window = window or parse_hours(profile.options.get(WINDOW_OPTION))
        until = raw.valid_until if raw is not None else None
        last = self._last_ok.get(profile.name)
        if until is None and last is not None and window is not None:
            until = last + dt.timedelta(hours=float(window))
        needed = raw.needed if raw is not None else False
        if needed:
            until = None  # the vendor says it has run out, whatever the arithmetic says
        return FaceReading(needed, until, window, now, reported=raw is not None)

    def record_ok(self, profile_name: str) -> None:
        """A scan succeeded (seen by a poll, or by an issue that went through after a QR)."""
        self._last_ok[profile_name] = self.clock()
        old = self._readings.get(profile_name)
        if old is not None:
            self._readings[profile_name] = dataclasses.replace(
                old,
                needed=False,
                read_at=self.clock(),
                valid_until=(
                    self.clock() + dt.timedelta(hours=float(old.window_hours))
                    if old.window_hours
                    else None
                ),
            )
        if self.on_change is not None:
            self.on_change(profile_name)

    # ---- challenges -------------------------------------------------------------------------

    def stamp(self, challenge: FaceChallenge) -> FaceChallenge:
        """Give a challenge without a lifetime the configured one, counted from now."""
        if challenge.expires_at is not None:
            return challenge
        expires = self.clock() + dt.timedelta(seconds=self.settings.qr_lifetime_s)
        return dataclasses.replace(challenge, expires_at=expires)

    async def start(self, profile_name: str, app: int = 1) -> FaceChallenge:
        """A new QR. `app`: 1 电子税务局 App, 2 个人所得税 App."""
        _, vendor = await self.vendors(profile_name)
        return self.stamp(await vendor.face_qr(app))

    async def poll_once(self, profile_name: str, challenge: FaceChallenge) -> FaceResult | None:
        _, vendor = await self.vendors(profile_name)
        result = await vendor.face_poll(challenge)
        if result is None and self.expired(challenge):
            return "expired"
        if result == "ok":
            self.record_ok(profile_name)
        return result

    def expired(self, challenge: FaceChallenge) -> bool:
        return challenge.expires_at is not None and self.clock() >= challenge.expires_at

    async def wait(
        self, profile_name: str, challenge: FaceChallenge, stop: asyncio.Event | None = None
    ) -> FaceResult:
        """Poll until the scan is done, the QR expired, or `stop` is set ("cancelled")."""
        stop = stop or asyncio.Event()
        errors = 0
        while True:
            if stop.is_set():
                return "cancelled"
            try:
                result = await self.poll_once(profile_name, challenge)
                errors = 0
            except NotSupported:
                raise
            except VendorError:
                errors += 1  # one failed read is not a verdict; several in a row are shown
                if errors >= POLL_ERRORS_TOLERATED:
                    raise
                result = None
            if result is not None:
                return result
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.interval())

    # ---- the sandbox's phone ----------------------------------------------------------------

    async def is_sandbox(self, profile_name: str) -> bool:
        profile, _ = await self.vendors(profile_name)
        return is_sandbox_profile(profile)

    async def simulate_scan(self, profile_name: str, ok: bool = True) -> None:
        """The phone scan, through the sandbox control API. Sandbox profiles only."""
        from invoicedesk.vendors.transport import HttpTransport

        profile, _ = await self.vendors(profile_name)
        if not is_sandbox_profile(profile):
            raise SandboxOnly(
                "只有演示（沙箱）账户可以模拟扫码",
                code="not_sandbox",
                next_step="请用手机上的税务 App 扫描二维码。",
            )
        transport = HttpTransport(sandbox_root(profile), vendor="sandbox", timeout=10)
        try:
            body = {"vendor": profile.vendor.value, "tax_id": profile.seller.tax_id, "ok": ok}
            reply = await transport.request(
                "POST", "/_sandbox/face/scan", json=body, idempotent=True
            )
        finally:
            await transport.close()
        if reply.status != 200:
            raise VendorError(
                f"沙箱拒绝了模拟扫码（HTTP {reply.status}）",
                code=f"http_{reply.status}",
                vendor="sandbox",
            )
