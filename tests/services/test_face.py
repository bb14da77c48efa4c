"""FaceAuthService: readings with their time, the validity window (vendor's or the account's),
polling until ok / expired / cancelled, the sandbox-only simulated scan, and the batch warning.

A scripted vendor (a test double of a vendor API) makes time and answers deterministic; the
last tests go through the real sandbox."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.face import (
    POLL_BOUNDS_S,
    FaceAuthService,
    FaceReading,
    FaceSettings,
    SandboxOnly,
    batch_outlasts_face,
    is_sandbox_profile,
    sandbox_root,
)
from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    FaceChallenge,
    FaceResult,
    FaceStatus,
    NotSent,
    Profile,
    VendorKey,
)
from tests.e2e.helpers import control, open_services
from tests.services.helpers import SELLER

T0 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


class FaceVendor(BaseVendor):
    key = VendorKey.PIAODANYUN
    capabilities = Capability.FACE_AUTH

    def __init__(self, profile: Profile, status: FaceStatus | None = None) -> None:
        async def no_secrets(name: str) -> str:
            raise LookupError(name)

        super().__init__(profile, no_secrets)
        self.status = status
        self.polls: list[FaceResult | Exception | None] = []
        self.polled = 0
        self.qrs = 0

    async def face_status(self) -> FaceStatus:
        if self.status is None:
            return await super().face_status()  # NotSupported, like ws-invoice
        return self.status

    async def face_qr(self, app: int = 1) -> FaceChallenge:
        self.qrs += 1
        return FaceChallenge(text=f"ewm-{self.qrs}", app=app, token=f"rz{self.qrs}")

    async def face_poll(self, challenge: FaceChallenge) -> FaceResult | None:
        self.polled += 1
        answer = self.polls.pop(0) if self.polls else None
        if isinstance(answer, Exception):
            raise answer
        return answer


def make_profile(
    options: dict[str, str] | None = None, url: str = "http://127.0.0.1:9/x"
) -> Profile:
    return Profile(
        name="p", vendor=VendorKey.PIAODANYUN, base_url=url, seller=SELLER, options=options or {}
    )


def service(vendor: FaceVendor, clock: Clock, **settings: Any) -> FaceAuthService:
    async def vendors(name: str) -> tuple[Profile, BaseVendor]:
        return vendor.profile, vendor

    fast = FaceSettings(poll_interval_s=0, **settings)
    return FaceAuthService(vendors, settings=fast, clock=clock)


def test_reading_keeps_the_vendors_window_and_time_of_reading() -> None:
    clock = Clock()
    until = T0 + dt.timedelta(hours=5)
    vendor = FaceVendor(make_profile(), FaceStatus(False, until, Decimal("12")))
    face = service(vendor, clock)
    reading = asyncio.run(face.status("p"))
    assert reading == FaceReading(False, until, Decimal("12"), T0, reported=True)
    assert face.last_reading("p") == reading
    assert reading.remaining(T0 + dt.timedelta(hours=1)) == dt.timedelta(hours=4)


def test_window_from_the_account_when_the_vendor_is_silent() -> None:
    clock = Clock()
    vendor = FaceVendor(make_profile({"face_window_hours": "0.5"}), FaceStatus(True))
    face = service(vendor, clock)
    reading = asyncio.run(face.status("p"))
    assert reading.needed and reading.window_hours == Decimal("0.5")
    assert reading.valid_until is None  # needed: nothing holds
    # after a scan seen here, the account's window gives the end
    vendor.status = FaceStatus(False)
    face.record_ok("p")
    clock.now = T0 + dt.timedelta(minutes=10)
    reading = asyncio.run(face.status("p"))
    assert reading.valid_until == T0 + dt.timedelta(minutes=30)


def test_no_window_known_means_no_end_time() -> None:
    vendor = FaceVendor(make_profile({"face_window_hours": "abc"}), FaceStatus(False))
    face = service(vendor, Clock())
    face.record_ok("p")
    reading = asyncio.run(face.status("p"))
    assert reading.window_hours is None and reading.valid_until is None


def test_vendor_without_a_state_reads_as_not_reported() -> None:
    vendor = FaceVendor(make_profile({"face_window_hours": "2"}), None)
    face = service(vendor, Clock())
    reading = asyncio.run(face.status("p"))
    assert reading.reported is False and reading.needed is False
    assert reading.valid_until is None


def test_start_gives_the_qr_a_lifetime_from_the_settings() -> None:
    clock = Clock()
    face = service(FaceVendor(make_profile()), clock, qr_lifetime_s=120)
    challenge = asyncio.run(face.start("p", app=2))
    assert challenge.text == "ewm-1" and challenge.app == 2
    assert challenge.expires_at == T0 + dt.timedelta(seconds=120)
    given = FaceChallenge(png=b"x", expires_at=T0)
    assert face.stamp(given) is given


def test_wait_polls_until_ok_and_records_the_scan() -> None:
    clock = Clock()
    changed: list[str] = []
    vendor = FaceVendor(make_profile(), FaceStatus(False, None, Decimal("3")))
    face = service(vendor, clock)
    face.on_change = changed.append
    asyncio.run(face.status("p"))
    vendor.polls = [None, None, "ok"]
    challenge = asyncio.run(face.start("p"))
    assert asyncio.run(face.wait("p", challenge)) == "ok"
    assert vendor.polled == 3
    assert changed == ["p"]
    reading = face.last_reading("p")
    assert reading is not None and reading.valid_until == T0 + dt.timedelta(hours=3)


def test_wait_reports_expired_by_the_vendor_or_by_the_lifetime() -> None:
    clock = Clock()
    vendor = FaceVendor(make_profile())
    face = service(vendor, clock, qr_lifetime_s=60)
    challenge = asyncio.run(face.start("p"))
    vendor.polls = ["expired"]
    assert asyncio.run(face.wait("p", challenge)) == "expired"
    clock.now = T0 + dt.timedelta(seconds=61)  # the vendor still says "waiting"
    assert asyncio.run(face.wait("p", challenge)) == "expired"


def test_wait_stops_when_cancelled() -> None:
    vendor = FaceVendor(make_profile())
    face = service(vendor, Clock())
    face.settings = FaceSettings(poll_interval_s=5)

    async def run() -> FaceResult:
        stop = asyncio.Event()
        challenge = await face.start("p")
        waiting = asyncio.ensure_future(face.wait("p", challenge, stop))
        await asyncio.sleep(0.05)
        stop.set()
        return await asyncio.wait_for(waiting, 2)

    assert asyncio.run(run()) == "cancelled"
    assert vendor.polled == 1


def test_a_failed_poll_is_retried_but_not_forever() -> None:
    vendor = FaceVendor(make_profile())
    face = service(vendor, Clock())
    challenge = asyncio.run(face.start("p"))
    vendor.polls = [NotSent("断网"), "ok"]
    assert asyncio.run(face.wait("p", challenge)) == "ok"
    vendor.polls = [NotSent("断网")] * 3
    with pytest.raises(NotSent):
        asyncio.run(face.wait("p", challenge))


def test_poll_interval_is_bounded() -> None:
    assert FaceSettings(poll_interval_s=0).interval() == POLL_BOUNDS_S[0]
    assert FaceSettings(poll_interval_s=3600).interval() == POLL_BOUNDS_S[1]
    assert FaceSettings(poll_interval_s=2).interval() == 2


def test_sandbox_profile_needs_the_option_and_loopback() -> None:
    assert is_sandbox_profile(make_profile({"sandbox": "1"}))
    assert not is_sandbox_profile(make_profile())
    assert not is_sandbox_profile(make_profile({"sandbox": "1"}, "https://api.piaodanyun.com/x"))
    ws = dataclasses.replace(make_profile({"sandbox": "1"}), base_url="ws://127.0.0.1:8765/ws")
    assert is_sandbox_profile(ws)
    assert sandbox_root(ws) == "http://127.0.0.1:8765"


def test_simulated_scan_is_refused_for_a_real_vendor() -> None:
    real = FaceVendor(make_profile({"sandbox": "1"}, "https://api.piaodanyun.com/x"))
    with pytest.raises(SandboxOnly):
        asyncio.run(service(real, Clock()).simulate_scan("p"))


def test_batch_warning() -> None:
    hour = dt.timedelta(hours=1)
    holds = FaceReading(False, T0 + hour, Decimal("1"), T0)
    assert batch_outlasts_face(dt.timedelta(minutes=30), holds, T0) is None
    text = batch_outlasts_face(dt.timedelta(minutes=90), holds, T0)
    assert text is not None and "60 分钟后到期" in text and "90 分钟" in text
    needed = FaceReading(True, None, None, T0)
    assert "先完成人脸认证" in (batch_outlasts_face(hour, needed, T0) or "")
    assert batch_outlasts_face(hour, None, T0) is None
    unknown = FaceReading(False, None, None, T0, reported=False)
    assert batch_outlasts_face(hour, unknown, T0) is None


def test_settings_are_read_from_and_saved_to_the_store(data_dir: Path) -> None:
    from invoicedesk.store.db import Store

    store = Store.open(data_dir / "db.sqlite3")
    try:
        store.set_setting("face.poll_interval_s", "1.5")
        store.set_setting("face.qr_lifetime_s", "nonsense")
        face = FaceAuthService(service(FaceVendor(make_profile()), Clock()).vendors, store=store)
        settings = asyncio.run(face.load_settings())
        assert settings == FaceSettings(poll_interval_s=1.5)
        asyncio.run(face.set_warn_minutes(25))
        assert store.get_setting("face.warn_minutes") == "25"
        again = FaceAuthService(face.vendors, store=store)
        assert asyncio.run(again.load_settings()).warn_minutes == 25
    finally:
        store.close()


# ---- through the sandbox ----------------------------------------------------------------------


def test_sandbox_piaodanyun_state_qr_scan_and_window(sandbox: Any, data_dir: Path) -> None:
    async def run() -> None:
        services = await open_services(data_dir, sandbox)
        try:
            face = FaceAuthService(services.vendor, settings=FaceSettings(poll_interval_s=0.2))
            reading = await face.status("piaodanyun")
            assert reading.needed is False
            control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": SELLER.tax_id})
            reading = await face.status("piaodanyun")
            assert reading.needed is True
            assert reading.window_hours == Decimal("24")  # the sandbox account's setting
            challenge = await face.start("piaodanyun")
            assert challenge.text and challenge.token and challenge.expires_at
            assert await face.poll_once("piaodanyun", challenge) is None
            assert await face.is_sandbox("piaodanyun")
            await face.simulate_scan("piaodanyun")
            assert await face.wait("piaodanyun", challenge) == "ok"
            reading = await face.status("piaodanyun")
            assert reading.needed is False and reading.valid_until is not None
        finally:
            await services.aclose()

    asyncio.run(run())


async def vendor_calls(services: Any) -> list[str]:
    """The endpoints of every vendor call so far, oldest first, as the audit log records them."""
    await services.audit.drain()
    rows = await asyncio.to_thread(services.store.audit_rows)
    return [row.endpoint for row in rows if row.event == "vendor_call"]


def test_sandbox_failed_scan_reads_as_expired(sandbox: Any, data_dir: Path) -> None:
    """piaodanyun's documented state (Sfsl) cannot tell a failed scan from none yet: the QR is
    waited on until its lifetime runs out, and no new QR is fetched meanwhile."""

    async def run() -> None:
        services = await open_services(data_dir, sandbox)
        try:
            settings = FaceSettings(poll_interval_s=0.2, qr_lifetime_s=1.0)
            face = FaceAuthService(services.vendor, settings=settings)
            control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": SELLER.tax_id})
            challenge = await face.start("piaodanyun")
            seen = len(await vendor_calls(services))
            await face.simulate_scan("piaodanyun", ok=False)
            assert await face.wait("piaodanyun", challenge) == "expired"
            calls = (await vendor_calls(services))[seen:]  # the wait's calls, in the audit log
            assert calls and not [c for c in calls if c.endswith("getFaceImg")]
        finally:
            await services.aclose()

    asyncio.run(run())
