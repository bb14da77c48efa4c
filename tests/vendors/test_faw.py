"""faw client: the order wire format, and orders, dedupe, red orders, faults in the sandbox."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from decimal import Decimal
from typing import Any

import pytest

from invoicedesk.domain.models import Line
from invoicedesk.vendors.base import AuthFailed, NotSent, OutcomeUnknown, Rejected, VendorKey
from invoicedesk.vendors.faw import FawVendor, order_to_wire
from invoicedesk.vendors.transport import dump_json
from tests.vendors.rest_helpers import (
    control,
    draft,
    fault,
    profile,
    run,
    sandbox_invoices,
    secrets,
)

NOW = dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)
CODE = "1090305010300000000"


def client(
    sandbox: Any | None = None, *, token: str = "sandbox-token", base: str = ""
) -> FawVendor:
    url = base or sandbox.base_urls["faw"]
    return FawVendor(
        profile(url, VendorKey.FAW, user_name="sandbox"), secrets(token=token), timeout=1.0
    )


def discounted_draft() -> Any:
    return draft(
        Line(
            kind="discounted",
            name="整车",
            tax_code=CODE,
            quantity="1",
            unit_price="6000",
            amount="6000",
            tax_rate="0.13",
            unit="辆",
            spec="H5",
        ),
        Line(kind="discount", name="整车", tax_code=CODE, amount="-38", tax_rate="0.13"),
    )


def test_order_figures_are_json_numbers_from_decimal_digits() -> None:
    order = order_to_wire(discounted_draft(), "F-1", now=NOW, u_id="sandbox", options={})
    wire = dump_json({"invoiceOrder": order}).decode()
    assert '"invoiceAmtInclTax":5962.00' in wire
    assert '"invoiceTax":685.90' in wire and '"invoiceAmt":5276.10' in wire
    first, second = order["invoiceOrderSub"]
    assert first["invoiceLineNature"] == "2" and second["invoiceLineNature"] == "1"
    assert first["amtInclTax"] == Decimal("6000.00") and first["price"] == Decimal("6000")
    assert second["amtInclTax"] == Decimal("-38.00")
    assert "quantity" not in second and "price" not in second and "unit" not in second
    assert order["openApplyCode"] == "F-1" and order["openInvoiceType"] == "0"
    assert order["invoiceType"] == "02" and order["applyDate"] == "2026-05-20 10:00:00"
    assert '"taxrate":0.13' in wire


def test_an_order_is_accepted_once_and_a_repeat_is_accepted_too(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox)
        await vendor.check_connection()
        first = await vendor.issue(discounted_draft(), "FAW-1")
        second = await vendor.issue(discounted_draft(), "FAW-1")
        await vendor.close()
        assert (first.state, first.serial, first.invoice) == ("ACCEPTED", "FAW-1", None)
        assert second.state == "ACCEPTED"

    run(go())
    rows = sandbox_invoices(sandbox, "faw")
    assert len(rows) == 1 and rows[0]["number"] is None
    assert Decimal(str(rows[0]["total"])) == Decimal("5962.00")


def test_a_red_order_for_a_blue_invoice(sandbox: Any) -> None:
    control(sandbox, "seed", {"count": 1, "vendor": "piaodanyun"})
    blue = sandbox_invoices(sandbox, "piaodanyun")[0]
    red = draft(
        Line(
            name="*信息技术服务*软件服务费",
            tax_code="3040201010000000000",
            amount="-106.53",
            tax_rate="0.06",
        )
    )

    async def go() -> None:
        vendor = client(sandbox)
        outcome = await vendor.red_order(
            red, "FAW-RED-1", blue_number=blue["number"], reason="销货退回"
        )
        await vendor.close()
        assert outcome.state == "ACCEPTED"

    run(go())
    rows = [r for r in sandbox_invoices(sandbox, "faw") if r["color"] == "red"]
    assert len(rows) == 1 and rows[0]["blue_number"] == blue["number"]


def test_a_refused_order_is_rejected_and_names_the_field(sandbox: Any) -> None:
    bad = draft(Line(name="货", tax_code=CODE, amount="100", tax_rate="0.07"))

    async def go() -> None:
        vendor = client(sandbox)
        with pytest.raises(Rejected) as info:
            await vendor.issue(bad, "FAW-BAD")
        await vendor.close()
        assert info.value.fields == ("lines[0].tax_rate",)

    run(go())


def test_wrong_token_is_auth_failed_and_never_shown(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox, token="not-the-token")
        with pytest.raises(AuthFailed) as info:
            await vendor.check_connection()
        with pytest.raises(AuthFailed):
            await vendor.issue(draft(), "FAW-NOAUTH")
        await vendor.close()
        assert "not-the-token" not in str(info.value)

    run(go())
    assert sandbox_invoices(sandbox, "faw") == []


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("http_500", OutcomeUnknown),
        ("timeout_before", OutcomeUnknown),
        ("timeout_after", OutcomeUnknown),
        ("drop_after", OutcomeUnknown),
        ("malformed", OutcomeUnknown),
        ("token_expired", AuthFailed),
    ],
)
def test_faults_map_to_typed_errors_and_a_resend_is_accepted_once(
    sandbox: Any, kind: str, error: type[Exception]
) -> None:
    control(sandbox, "settings", {"hang_s": 2})
    fault(sandbox, "faw", "receiveInvoiceOrder", kind)

    async def go() -> None:
        vendor = client(sandbox)
        with pytest.raises(error):
            await vendor.issue(draft(), f"FAW-{kind}")
        # Reconciling FAW = sending the same openApplyCode again.
        again = await vendor.issue(draft(), f"FAW-{kind}")
        await vendor.close()
        assert again.state == "ACCEPTED"

    run(go())
    assert len(sandbox_invoices(sandbox, "faw")) == 1


def test_closed_port_is_not_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    async def go() -> None:
        vendor = client(base=f"http://127.0.0.1:{port}/faw")
        with pytest.raises(NotSent):
            await vendor.issue(draft(), "FAW-NOWHERE")
        await vendor.close()

    asyncio.run(go())


def test_red_lines_send_negative_quantity_and_positive_price() -> None:
    red = draft(
        Line(
            name="打印纸",
            tax_code=CODE,
            quantity="-2",
            unit_price="100",
            amount="-200",
            tax_rate="0.13",
            price_includes_tax=False,
        )
    )
    order = order_to_wire(red, "F-R", now=NOW, u_id="sandbox", options={}, red=True)
    (sub,) = order["invoiceOrderSub"]
    assert (sub["quantity"], sub["price"], sub["amtInclTax"]) == (
        Decimal("-2"),
        Decimal("113"),
        Decimal("-226.00"),
    )
    assert sub["quantity"] * sub["price"] == sub["amtInclTax"]  # the sandbox's check, signed
    assert order["openInvoiceType"] == "1" and order["invoiceAmtInclTax"] == Decimal("-226.00")
