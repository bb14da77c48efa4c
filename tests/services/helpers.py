"""Drafts and a scripted vendor for the journal tests (a test double of a vendor API, not of
our own code: the IssueService and the Store under test are the real ones)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.vendors.base import (
    BaseVendor,
    Capability,
    FaceHandler,
    IssuedInvoice,
    IssueOutcome,
    Profile,
    Seller,
    VendorKey,
)

SELLER = Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G")
BUYER_TAX_ID = "91110108MA01K2P4XY"


def make_draft(i: int = 0, *, buyer_tax_id: str = BUYER_TAX_ID) -> Draft:
    """A valid draft whose total differs per i (so ws-invoice reconciliation can tell them)."""
    total = Decimal("100.00") + Decimal(i)
    return Draft(
        invoice_type="82",
        buyer=Buyer(name=f"测试客户{i}有限公司", tax_id=buyer_tax_id),
        lines=[
            Line(
                name="*信息技术服务*软件开发服务",
                tax_code="3040201010000000000",
                quantity="1",
                unit_price=f"{total:.2f}",
                amount=f"{total:.2f}",
                tax_rate="0.06",
            )
        ],
    )


def profile(vendor: VendorKey = VendorKey.PIAODANYUN, name: str = "p") -> Profile:
    return Profile(name=name, vendor=vendor, base_url="http://127.0.0.1:9/x", seller=SELLER)


class ScriptedVendor(BaseVendor):
    """Answers `issue` from a script of callables (or exceptions) and remembers the invoices it
    'issued' by serial, like a vendor that deduplicates on the serial."""

    key = VendorKey.PIAODANYUN
    capabilities = Capability.ISSUE | Capability.QUERY_ONE

    def __init__(self, prof: Profile, script: list[Any] | None = None) -> None:
        async def no_secrets(name: str) -> str:
            raise LookupError(name)

        super().__init__(prof, no_secrets)
        self.script = list(script or [])
        self.issued: dict[str, IssuedInvoice] = {}
        self.sent: list[str] = []  # serials, in order of issue() calls
        self.queries: list[str] = []
        self.query_script: list[Any] = []
        self.counter = 0

    def make_invoice(self, draft: Draft, serial: str) -> IssuedInvoice:
        if serial not in self.issued:
            self.counter += 1
            self.issued[serial] = IssuedInvoice(
                number=f"2533000000000000{self.counter:04d}",
                date=dt.datetime(2026, 5, 20, 10, 0, 0),
                serial=serial,
                amount=Decimal("100.00"),
                tax=Decimal("6.00"),
                total=Decimal("106.00"),
                buyer_tax_id=draft.buyer.tax_id,
            )
        return self.issued[serial]

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        self.sent.append(serial)
        step: Any = self.script.pop(0) if self.script else "ok"
        if isinstance(step, BaseException):
            raise step
        if step == "commit_then_fail":  # the vendor acted, the answer was lost
            self.make_invoice(draft, serial)
            raise self.lost_answer()
        if step == "processing":
            self.make_invoice(draft, serial)
            return IssueOutcome("PROCESSING", serial)
        return IssueOutcome("ISSUED", serial, self.make_invoice(draft, serial))

    def lost_answer(self) -> Exception:
        """What a read timeout after the vendor acted looks like to the caller."""
        from invoicedesk.vendors.base import OutcomeUnknown

        return OutcomeUnknown("读取超时", code="timeout", vendor="piaodanyun")

    async def query(self, serial: str) -> IssuedInvoice | None:
        self.queries.append(serial)
        if self.query_script:
            step = self.query_script.pop(0)
            if isinstance(step, BaseException):
                raise step
        return self.issued.get(serial)


def getter(vendor: BaseVendor) -> Callable[[str], Any]:
    async def get(name: str) -> tuple[Profile, BaseVendor]:
        return vendor.profile, vendor

    return get
