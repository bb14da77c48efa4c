"""faw client fed the document's own example reply (faw-invoice-order-api.md), over loopback:
what it accepts as an order, what it refuses, the account's settings and the red order's shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from invoicedesk.domain.models import Line
from invoicedesk.vendors.base import Rejected, VendorKey
from invoicedesk.vendors.faw import (
    BUSINESS_TYPE_CODES,
    FawVendor,
    invoice_type_valid,
    order_to_wire,
    says_order_exists,
)
from tests.vendors.canned import canned_server
from tests.vendors.rest_helpers import draft, profile, run, secrets

# the document's one example reply, copied as printed
DOCUMENTED_OK = {"success": True, "code": 200, "message": "接收订单成功!", "data": None}
NOW = dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)


def client(url: str, **options: str) -> FawVendor:
    prof = profile(url, VendorKey.FAW, user_name="sandbox", **options)
    return FawVendor(prof, secrets(token="t"), timeout=2.0)


def one_line() -> Any:
    return draft(
        Line(
            name="*信息技术服务*软件服务费",
            tax_code="3040201010000000000",
            quantity="2",
            unit_price="50",
            amount="100",
            tax_rate="0.06",
            price_includes_tax=False,
        )
    )


def test_the_documented_success_reply_is_an_accepted_order() -> None:
    with canned_server({"receiveInvoiceOrder": [DOCUMENTED_OK]}) as server:
        outcome = run(client(server.base_url).issue(one_line(), "FAW-DOC-1"))
        (sent,) = server.sent("receiveInvoiceOrder")
    assert (outcome.state, outcome.serial, outcome.invoice) == ("ACCEPTED", "FAW-DOC-1", None)
    assert sent["headers"]["authorization"] == "Bearer t"
    assert sent["body"]["invoiceOrder"]["openApplyCode"] == "FAW-DOC-1"


@pytest.mark.parametrize(
    "message",
    [
        "行号重复",  # a refusal that merely contains 重复
        "第2行：originRowNo 重复",
        "开票申请单号 OTHER-9 已存在",  # another order exists, not ours
        "订单已存在",  # does not say which
        "开票申请单号 FAW-DOC-2 不存在",
    ],
)
def test_a_refusal_is_not_taken_for_an_existing_order(message: str) -> None:
    reply = {"success": False, "code": 400, "message": message, "data": None}
    replies = {"receiveInvoiceOrder": [reply]}
    with canned_server(replies) as server, pytest.raises(Rejected) as caught:
        run(client(server.base_url).issue(one_line(), "FAW-DOC-2"))
    assert message in caught.value.message


@pytest.mark.parametrize(
    "message", ["开票申请单号 FAW-DOC-3 已存在", "order FAW-DOC-3 already exists"]
)
def test_a_reply_saying_this_order_exists_is_accepted(message: str) -> None:
    reply = {"success": False, "code": 400, "message": message, "data": None}
    assert says_order_exists(message, "FAW-DOC-3")
    with canned_server({"receiveInvoiceOrder": [reply]}) as server:
        outcome = run(client(server.base_url).issue(one_line(), "FAW-DOC-3"))
    assert outcome.state == "ACCEPTED"


def test_business_type_bukrs_and_invoice_type_are_the_accounts_settings() -> None:
    options = {
        "business_type_code": "098",
        "business_type_name": "整车销售",
        "bukrs": "VB5",
        "invoice_type_82": "0112",
    }
    order = order_to_wire(one_line(), "F-2", now=NOW, u_id="u", options=options)
    assert (order["businessTypeCode"], order["businessTypeName"]) == ("098", "整车销售")
    assert (order["bukrs"], order["invoiceType"]) == ("VB5", "0112")
    default = order_to_wire(one_line(), "F-3", now=NOW, u_id="u", options={"bukrs": ""})
    assert (default["businessTypeCode"], default["bukrs"], default["invoiceType"]) == (
        "099",
        "W92",
        "02",
    )
    assert "098" in BUSINESS_TYPE_CODES and "099" in BUSINESS_TYPE_CODES
    assert len(BUSINESS_TYPE_CODES) == 33
    assert invoice_type_valid("0112") and invoice_type_valid("01") and invoice_type_valid("02")
    assert not invoice_type_valid("9999") and not invoice_type_valid("1")


def test_a_red_order_carries_the_log_sub_table_and_no_cancel_reason() -> None:
    red = draft(
        Line(
            name="*信息技术服务*软件服务费",
            tax_code="3040201010000000000",
            quantity="-1",
            unit_price="50",
            amount="-50",
            tax_rate="0.06",
            price_includes_tax=False,
        )
    )
    with canned_server({"receiveInvoiceOrder": [DOCUMENTED_OK]}) as server:
        vendor = client(server.base_url)
        outcome = run(
            vendor.red_order(
                red,
                "FAW-RED-1",
                blue_number="26332000000000000001",
                blue_date=dt.date(2026, 5, 1),
                reason="开票有误",
            )
        )
        (sent,) = server.sent("receiveInvoiceOrder")
    order = sent["body"]["invoiceOrder"]
    assert outcome.state == "ACCEPTED"
    assert "applyCancelReason" not in order
    assert order["openInvoiceType"] == "1"
    assert order["blueInvoiceNumber"] == "26332000000000000001"
    assert order["originInvoiceDate"] == "2026-05-01"
    log = order["redVatInvoiceInfoLog"]
    assert (
        log["applyRedReasons"] == "开票有误"
        and log["blueInvoiceNumber"] == order["blueInvoiceNumber"]
    )
    (row,) = log["redVatInvoiceInfoLogSub"]
    assert set(row) == {
        "openApplyCode",
        "originRowNo",
        "goodsName",
        "taxonomyCode",
        "quantity",
        "price",
        "amtInclTax",
        "amt",
        "tax",
        "taxrate",
    }  # of the twelve, model and unit are left out when the line has none
    assert row["quantity"] == -1 and Decimal(str(row["price"])) == Decimal("53")
    assert Decimal(str(row["amt"])) == Decimal("-50") and Decimal(str(row["tax"])) == Decimal("-3")
    assert Decimal(str(row["amtInclTax"])) == Decimal("-53")
