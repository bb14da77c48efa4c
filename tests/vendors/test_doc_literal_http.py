"""signed-api and open-api fed the documents' own example replies (doc_examples.py) by a tiny
loopback server that answers nothing else."""

from __future__ import annotations

import asyncio
import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.context import AppServices
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store.records import InvoiceFilter
from invoicedesk.vendors.base import ProtocolError, RateLimited, Rejected, VendorError, VendorKey
from invoicedesk.vendors.open_api import OpenApiVendor
from invoicedesk.vendors.signed_api import SignedApiVendor
from tests.e2e.helpers import FAST
from tests.vendors import doc_examples as doc
from tests.vendors.doc_servers import http_doc_server
from tests.vendors.rest_helpers import draft, profile, run, secrets

# ---- signed-api: the document's bare replies ---------------------------------------------------


def signed_answer(method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    """getInvoice answers the example (FP20240101001) or, for the list's second invoice, the
    example with that invoice's figures; the lists answer the list example."""
    name = body.get("method")
    if name == "invoice.getInvoice":
        if body.get("invoice_bn") == "FP20240101001":
            return 200, doc.SIGNED_GET_INVOICE
        other = copy.deepcopy(doc.SIGNED_GET_INVOICE)
        other.update(
            invoice_bn="FP20240101002",
            invoice_type="增值税普通发票",
            tax_no="91110105MA00654321",
            company_name="测试贸易有限公司",
            amount=5000.00,
            tax_amount=650.00,
            total_amount=5650.00,
        )
        return 200, other
    if name in ("invoice.getInvoiceList", "invoice.getResultList"):
        return 200, doc.SIGNED_GET_INVOICE_LIST
    return 404, {}


def test_signed_api_reads_the_bare_example_replies() -> None:
    with http_doc_server(signed_answer) as url:
        vendor = SignedApiVendor(profile(url, VendorKey.SIGNED_API, "sandbox-flag"), secrets())

        async def go() -> tuple[Any, list[Any]]:
            try:
                one = await vendor.get_invoice("FP20240101001")
                pages = [page async for page in vendor.history(None)]
                return one, pages
            finally:
                await vendor.close()

        one, pages = run(go())
    assert (one.amount, one.tax, one.total) == (
        Decimal("10000.00"),
        Decimal("1300.00"),
        Decimal("11300.00"),
    )
    assert one.buyer_tax_id == "91110105MA00123456" and one.lines[0].name == "测试产品"
    synced = {inv.number: inv for page in pages for inv in page.invoices}
    assert synced["FP20240101001"].tax == Decimal("1300.00")
    assert synced["FP20240101002"].tax == Decimal("650.00")
    assert synced["FP20240101002"].amount == Decimal("5000.00")


def test_signed_api_sync_stores_the_right_tax(data_dir: Path) -> None:
    with http_doc_server(signed_answer) as url:

        async def go() -> list[Any]:
            s = await AppServices.open(
                data_dir, MemorySecretStore(), issue_settings=FAST, vendor_timeout_s=3
            )
            try:
                await s.profiles.sandbox_profiles({"signed-api": url})
                await s.history.sync("signed-api")
                flt = InvoiceFilter(profiles=("signed-api",))
                return list(s.store.query_invoices(flt, "issued_at", False, None, 100))
            finally:
                await s.aclose()

        rows = asyncio.run(go())
    by_number = {r.number: r for r in rows}
    assert len(rows) == 2
    one, two = by_number["FP20240101001"], by_number["FP20240101002"]
    assert (one.amount, one.tax, one.total) == (
        Decimal("10000.00"),
        Decimal("1300.00"),
        Decimal("11300.00"),
    )
    assert (two.tax, two.buyer_tax_id) == (Decimal("650.00"), "91110105MA00654321")
    assert one.issued_at  # the date comes from the reply (Beijing-date storage: helper 14)


# ---- open-api ----------------------------------------------------------------------------------


class OpenPlatform:
    """Create answers the example (PROCESSING); the query answers `query` (the SUCCESS example
    by default) with our serial put in."""

    def __init__(self, query: tuple[int, Any] = (200, doc.OPEN_QUERY_REPLY)) -> None:
        self.query = query
        self.creates = 0

    def __call__(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        if method == "POST" and path.endswith("/blue-invoices"):
            self.creates += 1
            return 200, doc.OPEN_CREATE_REPLY
        status, reply = copy.deepcopy(self.query)
        if isinstance(reply.get("data"), dict):
            reply["data"]["invoiceReqSerialNo"] = path.rsplit("/", 1)[-1]
        return status, reply


def open_vendor(url: str) -> OpenApiVendor:
    return OpenApiVendor(
        profile(url, VendorKey.OPEN_API), secrets(), poll_timeout=0.4, poll_interval=0.05
    )


def test_open_api_example_replies_issue_with_the_number() -> None:
    platform = OpenPlatform()
    with http_doc_server(platform) as url:
        vendor = open_vendor(url)

        async def go() -> Any:
            try:
                return await vendor.issue(draft(), "OA-DOC-1")
            finally:
                await vendor.close()

        outcome = run(go())
    assert outcome.state == "ISSUED" and outcome.invoice.number == "25100000000000000000"
    assert outcome.invoice.files == {"pdf": "https://example.com/invoice.pdf"}
    assert platform.creates == 1


@pytest.mark.parametrize(
    "reply",
    [
        (429, {"code": "429", "message": "请求过于频繁", "data": None}),
        (400, {"code": "400", "message": "参数错误", "data": None}),
        (200, {"code": "E1001", "message": "系统繁忙", "data": None}),
    ],
)
def test_open_api_non_success_while_polling_is_never_rejected(reply: tuple[int, Any]) -> None:
    """Only status FAILED is a final failure: any other non-success stays unknown."""
    platform = OpenPlatform(query=reply)
    with http_doc_server(platform) as url:
        vendor = open_vendor(url)

        async def go() -> tuple[Any, BaseException | None]:
            try:
                outcome = await vendor.issue(draft(), "OA-DOC-2")
                try:
                    await vendor.query("OA-DOC-2")
                except VendorError as exc:
                    return outcome, exc
                return outcome, None
            finally:
                await vendor.close()

        outcome, error = run(go())
    assert outcome.state == "PROCESSING"
    # a read that said no: a protocol error (or rate limit), never "the invoice failed"
    assert isinstance(error, ProtocolError | RateLimited)
    assert platform.creates == 1


def test_open_api_status_failed_is_rejected() -> None:
    failed = copy.deepcopy(doc.OPEN_QUERY_REPLY)
    failed["data"].update(status="FAILED", code="2001", message="开票额度不足")
    with http_doc_server(OpenPlatform(query=(200, failed))) as url:
        vendor = open_vendor(url)

        async def go() -> None:
            try:
                await vendor.issue(draft(), "OA-DOC-3")
            finally:
                await vendor.close()

        with pytest.raises(Rejected):
            run(go())
