"""ws-invoice against a platform that answers exactly the document's examples (no number in
invoice_pdf, the query reply typed "login" and nested as printed, no `msg` anywhere), under
both readings of query_invoice's 发票金额: issued exactly once, ISSUED at once, the number
found through query_invoice (at once, or by reconcile/sync when the list lags)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.context import AppServices
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store.records import InvoiceFilter
from tests.e2e.helpers import FAST
from tests.vendors import doc_examples
from tests.vendors.doc_servers import WsDocPlatform, ws_doc_server

BUYER_ID = "91110108MA01K2P4XY"
READINGS = ("total", "amount")


def draft(total: str, rate: str = "0.01") -> Draft:
    return Draft(
        invoice_type="82",
        buyer=Buyer(name="北京示例商贸有限公司", tax_id=BUYER_ID),
        lines=[
            Line(
                name="*信息技术服务*软件维护",
                tax_code="3040201010000000000",
                quantity="1",
                unit_price=total,
                amount=total,
                tax_rate=rate,
                price_includes_tax=True,
            )
        ],
    )


async def services_for(data_dir: Path, url: str) -> AppServices:
    services = await AppServices.open(
        data_dir, MemorySecretStore(), issue_settings=FAST, vendor_timeout_s=3
    )
    await services.profiles.sandbox_profiles({"ws-invoice": url})
    return services


def history(services: AppServices) -> list[Any]:
    flt = InvoiceFilter(profiles=("ws-invoice",))
    return list(services.store.query_invoices(flt, "issued_at", False, None, 100))


@pytest.mark.parametrize("reading", READINGS)
def test_issued_once_and_number_found_through_query_invoice(data_dir: Path, reading: str) -> None:
    platform = WsDocPlatform(reading=reading)

    async def go() -> None:
        async with ws_doc_server(platform) as url:
            s = await services_for(data_dir, url)
            try:
                first = await s.issuing.issue("ws-invoice", draft("101.00"))
                assert first.state == "ISSUED" and not first.number_pending
                assert first.invoice_no == platform.invoices[0]["countETicketNumbers"]
                assert first.warning is None  # the platform's 1% is the draft's
                again = await s.issuing.issue("ws-invoice", draft("101.00"))
                assert again.resumed and again.invoice_no == first.invoice_no
                assert await s.issuing.reconcile_all("ws-invoice") == []
                (row,) = history(s)
                assert row.number == first.invoice_no and row.serial == first.serial
                assert str(row.tax) == "1.00" and str(row.total) == "101.00"
            finally:
                await s.aclose()

    asyncio.run(go())
    assert platform.invoice_info_count == 1


@pytest.mark.parametrize("reading", READINGS)
def test_lagging_list_leaves_the_number_pending_until_reconcile_and_sync(
    data_dir: Path, reading: str
) -> None:
    """The list does not show the new invoice yet: ISSUED, 号码待查, never sent again; the
    next reconcile (or sync) fills the number in."""
    platform = WsDocPlatform(reading=reading, hidden_queries=1)

    async def go() -> None:
        async with ws_doc_server(platform) as url:
            s = await services_for(data_dir, url)
            try:
                first = await s.issuing.issue("ws-invoice", draft("102.00"))
                assert first.state == "ISSUED" and first.number_pending
                assert first.invoice_no is None
                (row,) = history(s)
                assert row.number is None and row.status == "号码待查"
                # the same draft again: resumed, not sent
                again = await s.issuing.issue("ws-invoice", draft("102.00"))
                assert again.resumed and again.state == "ISSUED"
                # a second draft, its lookup hidden too; reconcile fills the first, sync the rest
                platform.hidden_queries = 1
                second = await s.issuing.issue("ws-invoice", draft("103.00"))
                assert second.number_pending
                settled = await s.issuing.reconcile_all("ws-invoice")
                numbers = {x["countETicketNumbers"] for x in platform.invoices}
                assert {r.invoice_no for r in settled} <= numbers
                await s.history.sync("ws-invoice", with_lines=False)
                rows = history(s)
                assert {r.number for r in rows} == numbers and len(rows) == 2
                assert all(r.serial for r in rows)  # the synced rows merged into ours
                assert s.store.number_pending("ws-invoice") == []
            finally:
                await s.aclose()

    asyncio.run(go())
    assert platform.invoice_info_count == 2


def test_platform_tax_differs_from_the_draft_warns(data_dir: Path) -> None:
    """The documented invoiceItem has no tax rate: a platform applying its own gives other
    figures, which the result (and history's journal row) say plainly."""
    platform = WsDocPlatform()

    async def go() -> None:
        async with ws_doc_server(platform) as url:
            s = await services_for(data_dir, url)
            try:
                result = await s.issuing.issue("ws-invoice", draft("106.00", rate="0.06"))
                assert result.state == "ISSUED" and result.invoice_no
                assert result.warning and "平台开出的" in result.warning
                assert "税额" in result.warning and "草稿 ¥6.00" in result.warning
                row = s.store.journal_by_serial("ws-invoice", result.serial)
                assert row.error_code == "figures_differ"
                (inv,) = history(s)
                assert str(inv.tax) == "1.05"  # what the platform issued (1%), not the draft
            finally:
                await s.aclose()

    asyncio.run(go())
    assert platform.invoice_info_count == 1


def test_an_earlier_invoice_with_the_same_buyer_and_total_is_not_taken(data_dir: Path) -> None:
    """The platform lists an invoice made elsewhere two hours earlier to the same buyer with the
    same total: the number taken is the one issued closest to our send."""
    import copy
    import datetime as dt

    platform = WsDocPlatform()
    outside = copy.deepcopy(doc_examples.WS_QUERY_REPLY["data"]["data"]["data"][0])
    two_hours_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    outside.update(
        countETicketNumbers="26330000000000009999",
        buyerIdentificationNumber=BUYER_ID,
        invoiceDate=int(two_hours_ago.timestamp() * 1000),
        totalAmount=100.0,
        totalTax=1.0,
        totalPriceAndTax=101.0,
        isInvoicePositive="是",
    )
    platform.invoices.append(outside)

    async def go() -> None:
        async with ws_doc_server(platform) as url:
            s = await services_for(data_dir, url)
            try:
                result = await s.issuing.issue("ws-invoice", draft("101.00"))
                assert result.invoice_no == platform.invoices[1]["countETicketNumbers"]
            finally:
                await s.aclose()

    asyncio.run(go())
