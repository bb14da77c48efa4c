"""open-api simulator conformance, over loopback with raw httpx (open-api-v1.json)."""

from __future__ import annotations

import copy
import time
from typing import Any

import httpx
import pytest

KEY = {"X-Api-Key": "sandbox-api-key"}
PATH = "/api/open/v1/blue-invoices"

# the documented example requests, verbatim
SINGLE: dict[str, Any] = {
    "requestNo": "REQ202605200001",
    "invoiceReqSerialNo": "OPEN202605200001",
    "invoiceIssueKindCode": "82",
    "buyerName": "测试购买方有限公司",
    "buyerTaxpayerNum": "91350000000000000X",
    "takerName": "张三",
    "takerTel": "13800000000",
    "takerEmail": "test@example.com",
    "remark": "开放API测试开票",
    "itemList": [
        {
            "goodsName": "信息技术服务",
            "taxClassificationCode": "3040201010000000000",
            "includeTaxFlag": "1",
            "quantity": "1",
            "unitPrice": "100.00",
            "invoiceAmount": "100.00",
            "taxRateValue": "0.06",
        }
    ],
}
BATCH: dict[str, Any] = {
    "batchNo": "BATCH202605200001",
    "items": [
        {
            "requestNo": "REQ202605200101",
            "invoiceReqSerialNo": "OPEN202605200101",
            "invoiceIssueKindCode": "82",
            "buyerName": "批量测试客户A",
            "buyerTaxpayerNum": "91350000000000000X",
            "remark": "开放API批量测试A",
            "itemList": [
                {
                    "goodsName": "信息技术服务",
                    "taxClassificationCode": "3040201010000000000",
                    "includeTaxFlag": "1",
                    "quantity": "1",
                    "unitPrice": "50.00",
                    "invoiceAmount": "50.00",
                    "taxRateValue": "0.06",
                }
            ],
        },
        {
            "requestNo": "REQ202605200102",
            "invoiceReqSerialNo": "OPEN202605200102",
            "invoiceIssueKindCode": "82",
            "buyerName": "批量测试客户B",
            "remark": "开放API批量测试B",
            "itemList": [
                {
                    "goodsName": "软件服务费",
                    "taxClassificationCode": "3040201010000000000",
                    "includeTaxFlag": "1",
                    "quantity": "1",
                    "unitPrice": "80.00",
                    "invoiceAmount": "80.00",
                    "taxRateValue": "0.06",
                }
            ],
        },
    ],
}
QUERY_KEYS = {
    "invoiceReqSerialNo",
    "status",
    "code",
    "message",
    "invoiceCode",
    "invoiceNo",
    "electronicInvoiceNo",
    "invoiceDate",
    "buyerName",
    "totalAmount",
    "downloadUrl",
}


@pytest.fixture
def api(sandbox: Any) -> str:
    httpx.post(f"{sandbox.control_url}/settings", json={"open_api_processing_s": 0.05})
    base: str = sandbox.base_urls["open-api"]
    return base


def poll(url: str, until: str = "PROCESSING") -> dict[str, Any]:
    """GET url until data.status leaves `until`; the final data."""
    deadline = time.monotonic() + 10
    while True:
        data: dict[str, Any] = httpx.get(url, headers=KEY).json()["data"]
        if data["status"] != until or time.monotonic() > deadline:
            return data
        time.sleep(0.02)


def test_single_issue_answers_processing_then_success(api: str, sandbox: Any) -> None:
    reply = httpx.post(api + PATH, json=SINGLE, headers=KEY)
    assert reply.status_code == 200
    assert reply.json() == {
        "code": "0",
        "message": "成功",
        "data": {
            "requestNo": "REQ202605200001",
            "invoiceReqSerialNo": "OPEN202605200001",
            "status": "PROCESSING",
        },
    }
    data = poll(f"{api}{PATH}/OPEN202605200001")
    assert set(data) == QUERY_KEYS
    assert data["status"] == "SUCCESS" and data["code"] == "0000"
    assert len(data["electronicInvoiceNo"]) == 20 and data["electronicInvoiceNo"].isdigit()
    assert data["invoiceNo"] == data["electronicInvoiceNo"][-8:]
    assert data["invoiceCode"] is None and data["totalAmount"] == "100.00"
    assert data["buyerName"] == "测试购买方有限公司"
    pdf = httpx.get(data["downloadUrl"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    rows = httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]
    assert [(r["vendor"], r["serial"], r["total"], r["amount"], r["tax"]) for r in rows] == [
        ("open-api", "OPEN202605200001", "100.00", "94.34", "5.66")
    ]


def test_same_serial_twice_issues_once(api: str, sandbox: Any) -> None:
    httpx.post(api + PATH, json=SINGLE, headers=KEY)
    poll(f"{api}{PATH}/OPEN202605200001")
    again = httpx.post(api + PATH, json=SINGLE, headers=KEY).json()
    assert again["code"] == "0" and again["data"]["status"] == "SUCCESS"
    assert len(httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]) == 1


def test_sample_gives_the_pdf_url_once_issued(api: str) -> None:
    httpx.post(api + PATH, json=SINGLE, headers=KEY)
    poll(f"{api}{PATH}/OPEN202605200001")
    reply = httpx.get(f"{api}{PATH}/OPEN202605200001/sample", headers=KEY).json()
    assert reply["code"] == "0" and set(reply["data"]) == {"invoiceReqSerialNo", "downloadUrl"}
    assert httpx.get(reply["data"]["downloadUrl"]).headers["content-type"] == "application/pdf"


def test_sample_before_success_is_409(api: str, sandbox: Any) -> None:
    httpx.post(f"{sandbox.control_url}/settings", json={"open_api_processing_s": 30})
    httpx.post(api + PATH, json=SINGLE, headers=KEY)
    reply = httpx.get(f"{api}{PATH}/OPEN202605200001/sample", headers=KEY)
    assert reply.status_code == 409 and reply.json()["code"] == "409"
    assert poll(f"{api}{PATH}/OPEN202605200001", until="never")["status"] == "PROCESSING"


def test_batch_example_and_progress(api: str) -> None:
    reply = httpx.post(f"{api}{PATH}/batches", json=BATCH, headers=KEY).json()
    assert reply == {
        "code": "0",
        "message": "成功",
        "data": {"batchNo": "BATCH202605200001", "status": "PROCESSING", "total": 2},
    }
    data = poll(f"{api}{PATH}/batches/BATCH202605200001")
    assert data["status"] == "SUCCESS"
    assert (data["total"], data["success"], data["failed"], data["processing"]) == (2, 2, 0, 0)
    assert [set(x) for x in data["items"]] == [
        {"requestNo", "invoiceReqSerialNo", "status", "errorCode", "errorMessage"}
    ] * 2
    one = poll(f"{api}{PATH}/OPEN202605200102")
    assert one["status"] == "SUCCESS" and one["totalAmount"] == "80.00"


def test_batch_with_a_bad_item_is_partial_failed(api: str) -> None:
    batch = copy.deepcopy(BATCH)
    batch["batchNo"] = "BATCH2"
    batch["items"][1]["itemList"][0]["invoiceAmount"] = "81.00"  # price×quantity is 80.00
    httpx.post(f"{api}{PATH}/batches", json=batch, headers=KEY)
    data = poll(f"{api}{PATH}/batches/BATCH2")
    assert data["status"] == "PARTIAL_FAILED" and data["failed"] == 1
    bad = data["items"][1]
    assert bad["status"] == "FAILED" and bad["errorCode"] == "400"
    assert "单价×数量" in bad["errorMessage"]


def test_credit_exhaustion_fails_asynchronously(api: str, sandbox: Any) -> None:
    httpx.post(f"{sandbox.control_url}/settings", json={"credit_total": "10.00"})
    assert httpx.post(api + PATH, json=SINGLE, headers=KEY).json()["data"]["status"] == (
        "PROCESSING"
    )
    data = poll(f"{api}{PATH}/OPEN202605200001")
    assert data["status"] == "FAILED" and data["code"] == "2001" and "额度" in data["message"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"X-Api-Key": "wrong"}, 401)],
)
def test_wrong_key_is_401_envelope(api: str, headers: dict[str, str], status: int) -> None:
    reply = httpx.post(api + PATH, json=SINGLE, headers=headers)
    assert reply.status_code == status
    assert reply.json()["code"] == "401" and reply.json()["data"] is None


def _mutated(path: list[Any], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(SINGLE)
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        (["requestNo"], KeyError, "requestNo"),
        (["invoiceReqSerialNo"], "X" * 41, "invoiceReqSerialNo"),
        (["invoiceReqSerialNo"], "有 空格", "invoiceReqSerialNo"),
        (["invoiceIssueKindCode"], "99", "invoiceIssueKindCode"),
        (["buyerName"], 123, "buyerName"),
        (["buyerName"], "公" * 301, "超长"),
        (["remark"], "备" * 451, "remark"),
        (["itemList"], [], "itemList"),
        (["itemList", 0, "taxClassificationCode"], "304", "taxClassificationCode"),
        (["itemList", 0, "invoiceAmount"], "abc", "invoiceAmount"),
        (["itemList", 0, "invoiceAmount"], "100.001", "两位小数"),
        (["itemList", 0, "invoiceAmount"], "-100.00", "大于 0"),
        (["itemList", 0, "taxRateValue"], "0.07", "税率"),
        (["itemList", 0, "unitPrice"], "99.00", "单价×数量"),
        (["itemList", 0, "quantity"], KeyError, "同时"),
    ],
)
def test_invalid_requests_get_400_envelope_naming_the_field(
    api: str, sandbox: Any, path: list[Any], value: Any, needle: str
) -> None:
    reply = httpx.post(api + PATH, json=_mutated(path, value), headers=KEY)
    assert reply.status_code == 400
    body = reply.json()
    assert body["code"] == "400" and needle in body["message"] and body["data"] is None
    assert httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"] == []


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b'{"requestNo": '])
def test_broken_bodies_get_400(api: str, raw: bytes) -> None:
    reply = httpx.post(api + PATH, content=raw, headers=KEY)
    assert reply.status_code == 400 and reply.json()["code"] == "400"


def test_unknown_serial_batch_path_and_method(api: str) -> None:
    assert httpx.get(f"{api}{PATH}/NOPE", headers=KEY).json()["code"] == "404"
    assert httpx.get(f"{api}{PATH}/batches/NOPE", headers=KEY).json()["code"] == "404"
    assert httpx.get(f"{api}/api/open/v2/whatever", headers=KEY).status_code == 404
    wrong = httpx.delete(f"{api}{PATH}/OPEN1", headers=KEY)
    assert wrong.status_code == 405 and wrong.json()["code"] == "405"
    assert httpx.get(f"{api}/files/NOPE.pdf").json()["code"] == "404"


def test_tax_exclusive_lines(api: str, sandbox: Any) -> None:
    body = _mutated(["itemList", 0, "includeTaxFlag"], "0")
    httpx.post(api + PATH, json=body, headers=KEY)
    assert poll(f"{api}{PATH}/OPEN202605200001")["totalAmount"] == "106.00"
