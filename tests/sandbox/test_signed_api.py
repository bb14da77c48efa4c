"""signed-api simulator conformance: system parameters, sign, the four methods, error codes.

The signature is computed here from domain-reference §10 by hand (not with our client code).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from invoicedesk.sandbox.core import beijing_now
from invoicedesk.sandbox.signed_api import assemble

FLAG = "sandbox-flag"
SECRET = "sandbox-secret"
OPEN_KEY = {"X-Api-Key": "sandbox-api-key"}


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().upper()


def flat(params: dict[str, Any]) -> str:
    """The ShopEx assembly for flat parameters, written independently of the simulator."""
    return "".join(f"{k}{v}" for k, v in sorted(params.items()) if v is not None)


def signed(method: str, secret: str = SECRET, when: datetime | None = None, **params: Any) -> Any:
    body: dict[str, Any] = {
        "flag": FLAG,
        "method": method,
        "ver": 1,
        "charset": "utf-8",
        "type": "json",
        "timestamp": (when or beijing_now()).strftime("%Y%m%d%H%M%S"),
        **params,
    }
    body["sign"] = md5_upper(md5_upper(flat(body)) + secret)
    return body


def test_the_reference_test_vector() -> None:
    params = {
        "flag": "test",
        "method": "invoice.getList",
        "ver": 1,
        "charset": "utf-8",
        "type": "json",
        "timestamp": 1700000000,
        "page_no": 1,
        "page_size": 100,
    }
    assembled = assemble(params)
    assert assembled == (
        "charsetutf-8flagtestmethodinvoice.getListpage_no1page_size100timestamp1700000000"
        "typejsonver1"
    )
    assert md5_upper(md5_upper(assembled) + "SECRET") == "5E896C9272A074E891AEAAAC0F35CF3A"


def test_nested_values_assemble_recursively() -> None:
    assert assemble({"b": {"y": 2, "x": None}, "a": [True, False]}) == "a0110by2"


def issue_open_api(sandbox: Any, serial: str) -> str:
    """An invoice issued through open-api (signed-api issues nothing itself)."""
    httpx.post(f"{sandbox.control_url}/settings", json={"open_api_processing_s": 0})
    body = {
        "requestNo": serial,
        "invoiceReqSerialNo": serial,
        "invoiceIssueKindCode": "82",
        "buyerName": "测试购买方有限公司",
        "buyerTaxpayerNum": "91110108MA01K2P4XY",
        "itemList": [
            {
                "goodsName": "信息技术服务",
                "taxClassificationCode": "3040201010000000000",
                "specificationModel": "标准",
                "unit": "项",
                "quantity": "2",
                "unitPrice": "53.00",
                "invoiceAmount": "106.00",
                "taxRateValue": "0.06",
            }
        ],
    }
    base = sandbox.base_urls["open-api"] + "/api/open/v1/blue-invoices"
    httpx.post(base, json=body, headers=OPEN_KEY)
    number: str = httpx.get(f"{base}/{serial}", headers=OPEN_KEY).json()["data"][
        "electronicInvoiceNo"
    ]
    return number


def post(sandbox: Any, body: Any) -> dict[str, Any]:
    reply = httpx.post(sandbox.base_urls["signed-api"], json=body)
    assert reply.status_code == 200
    result: dict[str, Any] = reply.json()
    return result


def test_get_invoice_returns_the_documented_shape(sandbox: Any) -> None:
    number = issue_open_api(sandbox, "SIG1")
    reply = post(sandbox, signed("invoice.getInvoice", invoice_bn=number))
    assert reply["code"] == 0 and reply["message"] == "成功"
    data = reply["data"]
    assert set(data) == {
        "invoice_bn",
        "invoice_type",
        "invoice_status",
        "tax_no",
        "company_name",
        "amount",
        "tax_amount",
        "total_amount",
        "issue_date",
        "items",
    }
    assert data["invoice_bn"] == number and data["invoice_status"] == "已开票"
    assert (data["amount"], data["tax_amount"], data["total_amount"]) == (100, 6, 106)
    assert data["tax_no"] == "91110108MA01K2P4XY"
    assert data["items"] == [
        {
            "item_name": "信息技术服务",
            "spec": "标准",
            "unit": "项",
            "quantity": 2,
            "price": 50,
            "amount": 100,
        }
    ]
    raw = httpx.post(
        sandbox.base_urls["signed-api"], json=signed("invoice.getInvoice", invoice_bn=number)
    )
    assert '"total_amount":106.00' in raw.text  # decimal numbers keep two decimals


def test_get_invoice_list_pages_through_a_thousand_invoices(sandbox: Any) -> None:
    assert httpx.post(f"{sandbox.control_url}/seed", json={"count": 1000}).json() == {
        "issued": 1000
    }
    seen: list[str] = []
    page_no = 1
    while True:
        reply = post(sandbox, signed("invoice.getInvoiceList", page_no=page_no, page_size=1000))
        assert reply["code"] == 0 and reply["data"]["count"] == 1000
        rows = reply["data"]["lists"]
        assert len(rows) <= 100  # page_size above 100 is clamped to 100
        if not rows:
            break
        assert set(rows[0]) == {
            "invoice_bn",
            "invoice_type",
            "invoice_status",
            "company_name",
            "total_amount",
            "issue_date",
        }
        seen += [r["invoice_bn"] for r in rows]
        page_no += 1
    assert len(seen) == len(set(seen)) == 1000 and page_no == 11


def test_get_invoice_list_filters(sandbox: Any) -> None:
    issue_open_api(sandbox, "SIG1")
    today = beijing_now().strftime("%Y-%m-%d")
    tomorrow = (beijing_now() + timedelta(days=1)).strftime("%Y-%m-%d")

    def count(**params: Any) -> int:
        result: int = post(sandbox, signed("invoice.getInvoiceList", **params))["data"]["count"]
        return result

    assert count(start_date=today, end_date=today) == 1
    assert count(start_date=tomorrow) == 0
    assert count(invoice_type="82") == count(invoice_type="电子发票（普通发票）") == 1
    assert count(invoice_type="81") == 0
    assert count(invoice_status="已开票") == 1 and count(invoice_status="已红冲") == 0


def test_update_stores_print_info(sandbox: Any) -> None:
    number = issue_open_api(sandbox, "SIG1")
    reply = post(sandbox, signed("invoice.update", invoice_bn=number, print_status="1"))
    assert reply == {"code": 0, "message": "成功", "data": None}
    missing = post(sandbox, signed("invoice.update", invoice_bn=number))
    assert missing["code"] == 2001
    bad = post(sandbox, signed("invoice.update", invoice_bn=number, print_status="7"))
    assert bad["code"] == 2002


def test_result_list_includes_faw_orders_without_number(sandbox: Any) -> None:
    issue_open_api(sandbox, "SIG1")
    order = {
        "invoiceOrder": {
            "openApplyCode": "FAW-1",
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
    headers = {"Authorization": "Bearer sandbox-token", "U_ID": "sandbox"}
    assert httpx.post(
        sandbox.base_urls["faw"] + "/extInvoiceOrder/receiveInvoiceOrder",
        json=order,
        headers=headers,
    ).json()["success"]
    reply = post(sandbox, signed("invoice.getResultList", page_no=1))
    rows = reply["data"]["lists"]
    assert reply["data"]["count"] == 2
    # the getInvoiceList row fields, nothing undocumented; the FAW order has no number yet
    documented = {
        "invoice_bn",
        "invoice_type",
        "invoice_status",
        "company_name",
        "total_amount",
        "issue_date",
    }
    assert all(set(r) == documented for r in rows)
    assert sorted(r["invoice_bn"] is None for r in rows) == [False, True]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"flag": "someone-else"}, 1001),
        ({"timestamp": (beijing_now() - timedelta(minutes=6)).strftime("%Y%m%d%H%M%S")}, 1002),
        ({"timestamp": "2026-01-01 10:00:00"}, 1002),
        ({"sign": "0" * 32}, 1003),
        ({"type": "xml"}, 1004),
        ({"method": "invoice.nothing"}, 2003),
        ({"ver": 2}, 2002),
    ],
)
def test_system_parameter_errors(sandbox: Any, change: dict[str, Any], code: int) -> None:
    body = signed("invoice.getInvoiceList")
    body.update(change)
    if "sign" not in change:
        body["sign"] = md5_upper(
            md5_upper(flat({k: v for k, v in body.items() if k != "sign"})) + SECRET
        )
    reply = post(sandbox, body)
    assert reply["code"] == code and reply["data"] is None and reply["message"]


def test_wrong_secret_is_1003(sandbox: Any) -> None:
    assert post(sandbox, signed("invoice.getInvoiceList", secret="guess"))["code"] == 1003


@pytest.mark.parametrize("missing", ["flag", "method", "timestamp", "sign"])
def test_missing_system_parameter_is_2001(sandbox: Any, missing: str) -> None:
    body = signed("invoice.getInvoiceList")
    del body[missing]
    reply = post(sandbox, body)
    assert reply["code"] == 2001 and missing in reply["message"]


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("invoice.getInvoice", {}, 2001),
        ("invoice.getInvoice", {"invoice_bn": "00000000000000000000"}, 2002),
        ("invoice.getInvoice", {"invoice_bn": "9" * 65}, 2002),
        ("invoice.getInvoiceList", {"start_date": "2026/01/01"}, 2002),
        ("invoice.getInvoiceList", {"page_no": 0}, 2002),
        ("invoice.getInvoiceList", {"page_size": "many"}, 2002),
        ("invoice.getResultList", {"page_no": -1}, 2002),
    ],
)
def test_method_parameter_errors(
    sandbox: Any, method: str, params: dict[str, Any], code: int
) -> None:
    assert post(sandbox, signed(method, **params))["code"] == code


@pytest.mark.parametrize("raw", [b"", b"nope", b"[]"])
def test_non_json_bodies_are_400(sandbox: Any, raw: bytes) -> None:
    reply = httpx.post(sandbox.base_urls["signed-api"], content=raw)
    assert reply.status_code == 200 and reply.json()["code"] == 400


def test_other_paths_and_trailing_slash(sandbox: Any) -> None:
    body = signed("invoice.getInvoiceList")
    assert httpx.post(sandbox.base_urls["signed-api"] + "/", json=body).json()["code"] == 0
    assert httpx.post(sandbox.base_urls["signed-api"] + "/rpc", json=body).json()["code"] == 2003
    assert httpx.get(sandbox.base_urls["signed-api"]).json()["code"] == 400
