"""Account state read from the vendor and cached with its time of reading: the credit line
(piaodanyun) and the face-authentication state. The GUI shows "读取于 HH:MM" from `read_at`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    CreditLine,
    FaceStatus,
    NotSupported,
    Profile,
)

T = TypeVar("T")
VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]


@dataclass(frozen=True)
class Cached(Generic[T]):
    value: T
    read_at: dt.datetime


class AccountService:
    def __init__(
        self,
        store: object,
        vendors: VendorGetter,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.store = store
        self.vendors = vendors
        self.clock = clock
        self._credit: dict[str, Cached[CreditLine]] = {}
        self._face: dict[str, Cached[FaceStatus]] = {}

    def cached_credit_line(self, profile: str) -> Cached[CreditLine] | None:
        return self._credit.get(profile)

    def cached_face_status(self, profile: str) -> Cached[FaceStatus] | None:
        return self._face.get(profile)

    async def credit_line(
        self, profile: str, *, max_age_s: float = 300, refresh: bool = False
    ) -> Cached[CreditLine]:
        hit = self._credit.get(profile)
        if hit is not None and not refresh and self._fresh(hit, max_age_s):
            return hit
        _, vendor = await self.vendors(profile)
        value = await vendor.credit_line()
        hit = Cached(value, self.clock())
        self._credit[profile] = hit
        return hit

    async def face_status(
        self, profile: str, *, max_age_s: float = 60, refresh: bool = False
    ) -> Cached[FaceStatus]:
        hit = self._face.get(profile)
        if hit is not None and not refresh and self._fresh(hit, max_age_s):
            return hit
        _, vendor = await self.vendors(profile)
        value = await vendor.face_status()
        hit = Cached(value, self.clock())
        self._face[profile] = hit
        return hit

    async def sms_login_start(self, profile: str) -> None:
        """Tax-bureau login, first step: the bureau sends an SMS code to the user's phone."""
        _, vendor = await self.vendors(profile)
        await vendor.sms_login_start()

    async def sms_login_finish(self, profile: str, code: str) -> None:
        """Tax-bureau login, second step, with the code the user read on the phone."""
        _, vendor = await self.vendors(profile)
        await vendor.sms_login_finish(code)
        self.invalidate(profile)

    async def sandbox_tax_login(self, profile: str) -> bool:
        """Log a sandbox profile in with its demo SMS code; False for other profiles (their
        user types the code in the GUI)."""
        prof, vendor = await self.vendors(profile)
        code = prof.options.get("sms_code", "")
        if prof.options.get("sandbox") != "1" or not code:
            return False
        if not vendor.capabilities & Capability.TAX_LOGIN:
            return False
        try:
            await vendor.sms_login_start()
        except NotSupported:  # ws-invoice logs in inside its socket with the password
            return False
        await vendor.sms_login_finish(code)
        return True

    def invalidate(self, profile: str) -> None:
        """After issuing or a face scan, the cached values are stale."""
        self._credit.pop(profile, None)
        self._face.pop(profile, None)

    def _fresh(self, hit: Cached[T], max_age_s: float) -> bool:
        return (self.clock() - hit.read_at).total_seconds() < max_age_s
