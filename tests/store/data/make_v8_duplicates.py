"""Builds v8_duplicates.sqlite3 with the code of commit 7083736 (schema v8), before issue 14.

Kept for the record: the committed .sqlite3 is the fixture (it must stay a copy of what that
code wrote, so this script is not run by the tests). It holds what issue 14 found in real data:
the same invoice issued by one account and synced by two others (one row each), an issued row
with UTC-naive time, a synced date-only value stored as midnight, files on a synced duplicate,
a red invoice, and an invoice only one account saw.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from decimal import Decimal
from pathlib import Path

from invoicedesk.store import Store
from invoicedesk.store.records import InvoiceRecord, LineRecord

SELLER = "91310000MA1FL8XQ3C"
ticks = itertools.count()


def clock() -> dt.datetime:
    return dt.datetime(2026, 12, 4, 15, 0, 0) + dt.timedelta(seconds=next(ticks))


def main(path: Path) -> None:
    store = Store.open(path, clock=clock)
    for name, vendor in (
        ("开放平台", "open-api"),
        ("税局直连", "ws-invoice"),
        ("签名平台", "signed-api"),
    ):
        store.save_profile(name, vendor, "http://127.0.0.1:1/", "演示公司", SELLER, "u", {})
    line = LineRecord(
        name="*信息技术服务*软件服务",
        tax_code="3040201",
        amount=Decimal("943.40"),
        tax_rate=Decimal("0.06"),
        tax=Decimal("56.60"),
        quantity=Decimal("1"),
        unit_price=Decimal("943.40"),
        unit="次",
    )
    n1, n2, n3 = "26312000000000000101", "26312000000000000102", "26312000000000000103"
    # 1. issued through open-api: lines, draft, UTC-naive time (23:20:09 Beijing)
    store.upsert_invoice(
        InvoiceRecord(
            profile="开放平台",
            vendor="open-api",
            number=n1,
            serial="OA-SERIAL-1",
            issued_at="2026-12-04T15:20:09",
            amount=Decimal("943.40"),
            tax=Decimal("56.60"),
            total=Decimal("1000.00"),
            invoice_type="普通发票",
            buyer_name="上海某某科技有限公司",
            buyer_tax_id="91310115MA1H7GQX2B",
            status="开票成功",
            lines=(line,),
        )
    )
    # ... synced by ws-invoice (no lines, status from the bureau) and signed-api (date only)
    store.upsert_invoice(
        InvoiceRecord(
            profile="税局直连",
            vendor="ws-invoice",
            number=n1,
            serial=None,
            issued_at="2026-12-04T15:20:09",
            amount=Decimal("943.40"),
            tax=Decimal("56.60"),
            total=Decimal("1000.00"),
            invoice_type="普通发票",
            buyer_name="上海某某科技有限公司",
            buyer_tax_id="",
            status="正常",
            source="synced",
        )
    )
    signed_1 = store.upsert_invoice(
        InvoiceRecord(
            profile="签名平台",
            vendor="signed-api",
            number=n1,
            serial=None,
            issued_at="2026-12-03T16:00:00",
            amount=Decimal("943.40"),
            tax=Decimal("56.60"),
            total=Decimal("1000.00"),
            invoice_type="普通发票",
            buyer_name="上海某某科技有限公司",
            buyer_tax_id="91310115MA1H7GQX2B",
            status="",
            source="synced",
        )
    )
    store.add_file(signed_1, "pdf", "files/ab/abcdef.pdf", "ab" * 32, 1234)
    # 2. a 专票 issued through open-api and synced by signed-api
    store.upsert_invoice(
        InvoiceRecord(
            profile="开放平台",
            vendor="open-api",
            number=n2,
            serial="OA-SERIAL-2",
            issued_at="2026-12-04T02:05:00",
            amount=Decimal("10000.00"),
            tax=Decimal("600.00"),
            total=Decimal("10600.00"),
            invoice_type="专用发票",
            buyer_name="北京某某贸易有限公司",
            buyer_tax_id="91110105MA01ABCD1X",
            status="开票成功",
            draft_id=None,
        )
    )
    store.upsert_invoice(
        InvoiceRecord(
            profile="签名平台",
            vendor="signed-api",
            number=n2,
            serial=None,
            issued_at="2026-12-03T16:00:00",
            amount=Decimal("10000.00"),
            tax=Decimal("600.00"),
            total=Decimal("10600.00"),
            invoice_type="专用发票",
            buyer_name="北京某某贸易有限公司",
            buyer_tax_id="91110105MA01ABCD1X",
            status="正常",
            source="synced",
        )
    )
    # 3. the red invoice of n1, synced by ws-invoice only
    store.upsert_invoice(
        InvoiceRecord(
            profile="税局直连",
            vendor="ws-invoice",
            number=n3,
            serial=None,
            issued_at="2026-12-04T03:00:00",
            amount=Decimal("-943.40"),
            tax=Decimal("-56.60"),
            total=Decimal("-1000.00"),
            color="red",
            blue_number=n1,
            invoice_type="普通发票",
            buyer_name="上海某某科技有限公司",
            status="正常",
            source="synced",
        )
    )
    # 4. an issued row with no number yet (FAW-style: serial only)
    store.upsert_invoice(
        InvoiceRecord(
            profile="开放平台",
            vendor="open-api",
            number=None,
            serial="OA-SERIAL-4",
            issued_at="",
            amount=Decimal("100.00"),
            tax=Decimal("13.00"),
            total=Decimal("113.00"),
            buyer_name="个人",
            status="开票中",
        )
    )
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
