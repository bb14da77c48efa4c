"""Every fault kind, observed from a raw HTTP client: what the client sees, and whether the
sandbox acted (issued) behind it."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

FAW_HEADERS = {"Authorization": "Bearer sandbox-token", "U_ID": "sandbox"}
FAW_PATH = "/extInvoiceOrder/receiveInvoiceOrder"


def order(code: str = "F1") -> dict[str, Any]:
    return {
        "invoiceOrder": {
            "openApplyCode": code,
            "businessTypeCode": "098",
            "invoiceType": "0112",
            "purchaserTaxpayerName": "一汽客户",
            "invoiceAmt": 100.0,
            "invoiceTax": 13.0,
            "invoiceAmtInclTax": 113.0,
            "invoiceOrderSub": [
                {
                    "goodsName": "配件",
                    "taxonomyCode": "1090305010300000000",
                    "taxrate": 0.13,
                    "amtInclTax": 113.0,
                }
            ],
        }
    }


def add_fault(sandbox: Any, **spec: Any) -> None:
    reply = httpx.post(f"{sandbox.control_url}/faults", json=spec)
    assert reply.status_code == 200, reply.text


def send_faw(sandbox: Any, timeout: float = 5, code: str = "F1") -> httpx.Response:
    return httpx.post(
        sandbox.base_urls["faw"] + FAW_PATH, json=order(code), headers=FAW_HEADERS, timeout=timeout
    )


def issued(sandbox: Any) -> list[str]:
    rows = httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]
    return [r["serial"] for r in rows]


@pytest.fixture
def short_hang(sandbox: Any) -> Any:
    httpx.post(f"{sandbox.control_url}/settings", json={"hang_s": 0.6})
    return sandbox


def test_latency_delays_the_answer(sandbox: Any) -> None:
    add_fault(
        sandbox, vendor="faw", endpoint="receiveInvoiceOrder", kind="latency", latency_ms=5000
    )
    with pytest.raises(httpx.ReadTimeout):
        send_faw(sandbox, timeout=0.1)


def test_http_500_does_not_act(sandbox: Any) -> None:
    add_fault(sandbox, vendor="faw", endpoint="*", kind="http_500", count=1)
    assert send_faw(sandbox).status_code == 500
    assert issued(sandbox) == []
    assert send_faw(sandbox).json()["success"] is True  # count 1: only the next call
    assert issued(sandbox) == ["F1"]


def test_timeout_before_hangs_without_acting(short_hang: Any) -> None:
    add_fault(short_hang, vendor="faw", endpoint="receiveInvoiceOrder", kind="timeout_before")
    with pytest.raises(httpx.ReadTimeout):
        send_faw(short_hang, timeout=0.2)
    assert issued(short_hang) == []
    # a client that waits out the hang gets a 504 and still nothing was issued
    assert send_faw(short_hang, timeout=5, code="F2").status_code == 504
    assert issued(short_hang) == []


def test_timeout_after_acts_then_hangs(short_hang: Any) -> None:
    add_fault(short_hang, vendor="faw", endpoint="receiveInvoiceOrder", kind="timeout_after")
    with pytest.raises(httpx.ReadTimeout):
        send_faw(short_hang, timeout=0.2)
    assert issued(short_hang) == ["F1"]


def test_drop_after_acts_then_breaks_the_connection(sandbox: Any) -> None:
    add_fault(sandbox, vendor="faw", endpoint="receiveInvoiceOrder", kind="drop_after", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        send_faw(sandbox)
    assert issued(sandbox) == ["F1"]


def test_malformed_acts_then_sends_garbage(sandbox: Any) -> None:
    add_fault(sandbox, vendor="faw", endpoint="*", kind="malformed", count=1)
    reply = send_faw(sandbox)
    assert reply.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.content)
    assert issued(sandbox) == ["F1"]


@pytest.mark.parametrize("vendor", ["faw", "open-api", "signed-api"])
def test_token_expired_answers_the_vendor_auth_error_without_acting(
    sandbox: Any, vendor: str
) -> None:
    add_fault(sandbox, vendor=vendor, endpoint="*", kind="token_expired")
    if vendor == "faw":
        reply = send_faw(sandbox)
        assert reply.status_code == 401 and reply.json()["code"] == 401
    elif vendor == "open-api":
        reply = httpx.post(
            sandbox.base_urls["open-api"] + "/api/open/v1/blue-invoices",
            json={},
            headers={"X-Api-Key": "sandbox-api-key"},
        )
        assert reply.status_code == 401 and reply.json()["code"] == "401"
    else:
        reply = httpx.post(sandbox.base_urls["signed-api"], json={})
        assert reply.status_code == 200 and reply.json()["code"] == 401
    assert issued(sandbox) == []


def test_fault_on_another_endpoint_or_vendor_does_not_fire(sandbox: Any) -> None:
    add_fault(sandbox, vendor="open-api", endpoint="*", kind="http_500")
    add_fault(sandbox, vendor="faw", endpoint="somethingElse", kind="http_500")
    assert send_faw(sandbox).json()["success"] is True


def test_open_api_query_fault_by_serial_or_alias(sandbox: Any) -> None:
    base = sandbox.base_urls["open-api"] + "/api/open/v1/blue-invoices"
    key = {"X-Api-Key": "sandbox-api-key"}
    add_fault(sandbox, vendor="open-api", endpoint="OPEN9", kind="http_500", count=1)
    assert httpx.get(f"{base}/OPEN9", headers=key).status_code == 500
    assert httpx.get(f"{base}/OPEN9", headers=key).status_code == 404  # used up
    add_fault(sandbox, vendor="open-api", endpoint="query", kind="http_500", count=1)
    assert httpx.get(f"{base}/OTHER", headers=key).status_code == 500
    assert httpx.get(f"{base}/OTHER", headers=key).status_code == 404


def test_signed_api_fault_by_method_name(sandbox: Any) -> None:
    add_fault(sandbox, vendor="signed-api", endpoint="invoice.getInvoiceList", kind="http_500")
    assert httpx.post(sandbox.base_urls["signed-api"], json={"method": "invoice.getInvoiceList"})
    assert (
        httpx.post(
            sandbox.base_urls["signed-api"], json={"method": "invoice.getInvoiceList"}
        ).status_code
        == 500
    )
    other = httpx.post(sandbox.base_urls["signed-api"], json={"method": "invoice.getInvoice"})
    assert other.status_code == 200 and other.json()["code"] == 2001


def test_ws_close_is_accepted_and_leaves_http_alone(sandbox: Any) -> None:
    add_fault(sandbox, vendor="*", endpoint="*", kind="ws_close")
    assert send_faw(sandbox).json()["success"] is True
