"""open-api client: wire translation (unit) and every flow against the sandbox."""

from __future__ import annotations

import asyncio
import socket
from decimal import Decimal
from typing import Any

import pytest

from invoicedesk.domain.models import Line
from invoicedesk.vendors.base import (
    AuthFailed,
    NotSent,
    NotSupported,
    OutcomeUnknown,
    ProtocolError,
    Rejected,
    VendorKey,
)
from invoicedesk.vendors.open_api import OpenApiVendor, draft_to_wire
from invoicedesk.vendors.transport import dump_json
from tests.vendors.rest_helpers import (
    BUYER_TAX_ID,
    control,
    draft,
    fault,
    profile,
    run,
    sandbox_invoices,
    secrets,
)


def client(sandbox: Any, **kw: Any) -> OpenApiVendor:
    options = {"timeout": 2.0, "poll_timeout": 10.0, "poll_interval": 0.1, **kw}
    api_key = options.pop("api_key", "sandbox-api-key")
    base = options.pop("base_url", None) or sandbox.base_urls["open-api"]
    return OpenApiVendor(profile(base, VendorKey.OPEN_API), secrets(api_key=api_key), **options)


# ---- wire translation ---------------------------------------------------------------------


def test_wire_figures_are_exact_decimal_strings() -> None:
    lines = [
        Line(
            name="咨询",
            tax_code="3040201010000000000",
            quantity="3",
            unit_price="33.33",
            amount="99.99",
            tax_rate="6%",
        ),
        Line(
            name="服务",
            tax_code="3040201010000000000",
            amount="100",
            tax_rate="0.13",
            price_includes_tax=False,
            spec="A1",
            unit="次",
        ),
    ]
    body = draft_to_wire(draft(*lines), "S-1")
    assert body["invoiceReqSerialNo"] == body["requestNo"] == "S-1"
    assert body["invoiceIssueKindCode"] == "82"
    assert body["buyerTaxpayerNum"] == BUYER_TAX_ID
    first, second = body["itemList"]
    assert first == {
        "goodsName": "咨询",
        "taxClassificationCode": "3040201010000000000",
        "includeTaxFlag": "1",
        "invoiceAmount": "99.99",
        "taxRateValue": "0.06",
        "quantity": "3",
        "unitPrice": "33.33",
    }
    assert second["includeTaxFlag"] == "0"
    assert second["invoiceAmount"] == "100.00"
    assert second["taxRateValue"] == "0.13"
    # only the document's item fields: spec and unit have none in itemList
    documented = {"goodsName", "taxClassificationCode", "includeTaxFlag", "quantity"}
    documented |= {"unitPrice", "invoiceAmount", "taxRateValue"}
    assert set(first) <= documented and set(second) <= documented
    assert "quantity" not in second
    assert b"99.99" in dump_json(body)  # strings all the way: no float anywhere


def test_discount_lines_are_refused_before_sending() -> None:
    lines = [
        Line(
            kind="discounted",
            name="货",
            tax_code="1090305010300000000",
            amount="100",
            tax_rate="0.13",
        ),
        Line(
            kind="discount",
            name="货",
            tax_code="1090305010300000000",
            amount="-10",
            tax_rate="0.13",
        ),
    ]
    with pytest.raises(NotSupported) as info:
        draft_to_wire(draft(*lines), "S-2")
    assert info.value.fields == ("lines[1].kind",)


# ---- against the sandbox ------------------------------------------------------------------


def test_issue_polls_to_issued_and_dedupes_on_the_serial(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox)
        outcome = await vendor.issue(draft(), "OA-1")
        again = await vendor.issue(draft(), "OA-1")
        found = await vendor.query("OA-1")
        await vendor.close()
        assert outcome.state == "ISSUED" and outcome.invoice is not None
        invoice = outcome.invoice
        assert invoice.number and len(invoice.number) == 20
        assert (invoice.amount, invoice.tax, invoice.total) == (
            Decimal("94.33"),
            Decimal("5.66"),
            Decimal("99.99"),
        )
        assert invoice.serial == "OA-1" and invoice.files["pdf"]
        assert again.invoice is not None and again.invoice.number == invoice.number
        assert found is not None and found.number == invoice.number

    run(go())
    assert len(sandbox_invoices(sandbox, "open-api")) == 1


def test_query_of_an_unknown_serial_is_none_and_connection_check_passes(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox)
        assert await vendor.query("NEVER-SENT") is None
        await vendor.check_connection()
        await vendor.close()

    run(go())


def test_still_processing_returns_processing_then_query_says_unknown(sandbox: Any) -> None:
    control(sandbox, "settings", {"open_api_processing_s": 30})

    async def go() -> None:
        vendor = client(sandbox, poll_timeout=0.3)
        outcome = await vendor.issue(draft(), "OA-SLOW")
        assert outcome.state == "PROCESSING" and outcome.invoice is None
        with pytest.raises(OutcomeUnknown):
            await vendor.query("OA-SLOW")
        await vendor.close()

    run(go())


def test_a_refusal_by_the_tax_bureau_is_rejected(sandbox: Any) -> None:
    control(sandbox, "settings", {"credit_total": "10.00"})

    async def go() -> None:
        vendor = client(sandbox)
        with pytest.raises(Rejected) as info:
            await vendor.issue(draft(), "OA-NOCREDIT")
        await vendor.close()
        assert info.value.vendor == "open-api"
        assert info.value.message

    run(go())


def test_a_field_refusal_is_rejected_and_names_the_field(sandbox: Any) -> None:
    bad = Line(name="服务", tax_code="3040201010000000000", amount="100", tax_rate="0.07")

    async def go() -> None:
        vendor = client(sandbox)
        with pytest.raises(Rejected) as info:
            await vendor.issue(draft(bad), "OA-BADRATE")
        await vendor.close()
        assert info.value.fields == ("lines[0].tax_rate",)

    run(go())


def test_wrong_api_key_is_auth_failed(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox, api_key="wrong-key")
        with pytest.raises(AuthFailed):
            await vendor.check_connection()
        await vendor.close()

    run(go())


@pytest.mark.parametrize(
    ("kind", "error", "made"),
    [
        ("http_500", OutcomeUnknown, False),
        ("timeout_before", OutcomeUnknown, False),
        ("timeout_after", OutcomeUnknown, True),
        ("drop_after", OutcomeUnknown, True),
        ("malformed", OutcomeUnknown, True),
        ("token_expired", AuthFailed, False),
    ],
)
def test_faults_on_submit_map_to_the_right_error_and_reconcile_by_serial(
    sandbox: Any, kind: str, error: type[Exception], made: bool
) -> None:
    control(sandbox, "settings", {"hang_s": 3})
    fault(sandbox, "open-api", "blue-invoices", kind)

    async def go() -> None:
        vendor = client(sandbox, timeout=1.0)
        with pytest.raises(error):
            await vendor.issue(draft(), f"OA-{kind}")
        # Reconcile with the same serial: the sandbox tells whether the request was acted on.
        for _ in range(50):
            try:
                found = await vendor.query(f"OA-{kind}")
                break
            except OutcomeUnknown:  # still processing
                await asyncio.sleep(0.1)
        await vendor.close()
        assert (found is not None) is made

    run(go())


def test_a_malformed_read_is_a_protocol_error(sandbox: Any) -> None:
    fault(sandbox, "open-api", "query", "malformed")

    async def go() -> None:
        vendor = client(sandbox)
        with pytest.raises(ProtocolError):
            await vendor.query("ANY")
        await vendor.close()

    run(go())


def test_batch_submit_and_status_and_pdf_download(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox)
        await vendor.batch_submit("B-1", [(draft(), "OB-1"), (draft(), "OB-2")])
        for _ in range(100):
            items = await vendor.batch_status("B-1")
            if all(item.state != "PROCESSING" for item in items):
                break
            await asyncio.sleep(0.1)
        assert [(i.serial, i.state) for i in items] == [("OB-1", "ISSUED"), ("OB-2", "ISSUED")]
        assert items[0].invoice is not None
        pdf = await vendor.download(items[0].invoice, "pdf")
        assert pdf.startswith(b"%PDF")
        assert await vendor.batch_status("NO-SUCH-BATCH") == []
        await vendor.close()

    run(go())


def test_closed_port_is_not_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def go() -> None:
        vendor = OpenApiVendor(
            profile(f"http://127.0.0.1:{port}/open-api", VendorKey.OPEN_API), secrets()
        )
        with pytest.raises(NotSent):
            await vendor.issue(draft(), "OA-NOWHERE")
        await vendor.close()

    run(go())


def test_a_failed_poll_after_the_acknowledgement_is_polled_again(sandbox: Any) -> None:
    fault(sandbox, "open-api", "query", "malformed")
    fault(sandbox, "open-api", "query", "http_500", count=3)

    async def go() -> None:
        vendor = client(sandbox)
        outcome = await vendor.issue(draft(), "OA-POLLFAULT")
        await vendor.close()
        assert outcome.state == "ISSUED"

    run(go())
