"""faw simulator conformance: the documented example, dedupe, red orders, auth and errors."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

HEADERS = {"Authorization": "Bearer sandbox-token", "U_ID": "sandbox"}
PATH = "/extInvoiceOrder/receiveInvoiceOrder"
OPEN_KEY = {"X-Api-Key": "sandbox-api-key"}


def sub(no: str, nature: str, incl: float, model: str | None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "MaterialCode": "HFC1BLCC1Q1QDY0000",
        "amtInclTax": incl,
        "businessScope": "H5-2",
        "currentPage": 0,
        "factoryPlateModel": "H5-2",
        "goodsName": "CA7151HA6T智联旗悦版(2023款)",
        "invoiceLineNature": nature,
        "materialGroup": "HQ",
        "openApplyCode": "zcxs1825830330588741634",
        "originRowNo": no,
        "pageSize": 0,
        "searchCount": True,
        "taxLevel2Code": "1090305",
        "taxonomyCode": "1090305010300000000",
        "taxrate": 0.13,
        "vehicleNo": "THFC1BLCC1Q1QD160",
        "vehicleType": "CA7151HA6T智联旗悦版(2023款)红旗H5-2 1.5T",
    }
    if model is not None:
        line.update(model=model, price=incl, quantity=1, unit="辆")
    return line


# the documented example, verbatim in substance (its JSON is rebuilt with the same values)
EXAMPLE: dict[str, Any] = {
    "invoiceOrder": {
        "amtInclTaxSign": "1",
        "applyDate": "2024-08-20 17:40:48",
        "billDate": "2024-08-20 17:40:48",
        "bukrs": "VB5",
        "businessTypeCode": "098",
        "businessTypeName": "整车销售",
        "createUser": "sunzhimin3",
        "invoiceAmt": 5327.44,
        "invoiceAmtInclTax": 6020.0,
        "invoiceOrderSub": [
            sub("0", "2", 48.0, "THFC1BLCC1Q1QD160"),
            sub("1", "1", -38.00, None),
            sub("2", "2", 48.0, "THFC1BLCC1Q1QD009"),
            sub("3", "1", -38.00, None),
            {
                **sub("4", "0", 6000.0, "THFCECMCC2J2J1270"),
                "goodsName": "CA7201HA6TA智联旗畅版(2024款)",
            },
        ],
        "invoiceSource": "7",
        "invoiceTax": 692.56,
        "invoiceType": "0112",
        "openApplyCode": "zcxs1825830330588741634",
        "openInvoiceType": "0",
        "purchaserTaxpayerCode": "DJL606",
        "purchaserTaxpayerName": "吉林省神州红旗汽车销售服务有限公司",
        "purchaserTaxpayerNo": "dddddmarkForTax",
        "receivePurchaserInfo": "1",
    }
}


def send(sandbox: Any, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        sandbox.base_urls["faw"] + PATH, json=body, headers=HEADERS if headers is None else headers
    )


def test_documented_example_is_accepted_and_stored_without_number(sandbox: Any) -> None:
    reply = send(sandbox, EXAMPLE)
    assert reply.status_code == 200
    assert reply.json() == {"success": True, "code": 200, "message": "接收订单成功！", "data": None}
    rows = httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["vendor"], row["serial"], row["number"], row["color"]) == (
        "faw",
        "zcxs1825830330588741634",
        None,
        "blue",
    )
    assert (row["amount"], row["tax"], row["total"]) == ("5327.44", "692.56", "6020.00")


def test_same_open_apply_code_is_accepted_once(sandbox: Any) -> None:
    send(sandbox, EXAMPLE)
    second = send(sandbox, EXAMPLE).json()
    assert second["success"] is True and second["code"] == 200 and "已存在" in second["message"]
    assert len(httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]) == 1


def test_u_id_is_optional(sandbox: Any) -> None:
    reply = send(sandbox, EXAMPLE, {"Authorization": "Bearer sandbox-token"})
    assert reply.json()["success"] is True


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope", "U_ID": "sandbox"},
        {"Authorization": "sandbox-token", "U_ID": "sandbox"},
        {"Authorization": "Bearer sandbox-token", "U_ID": "yangjie_icss"},
    ],
)
def test_wrong_auth_is_401(sandbox: Any, headers: dict[str, str]) -> None:
    reply = send(sandbox, EXAMPLE, headers)
    assert reply.status_code == 401
    assert reply.json() == {
        "success": False,
        "code": 401,
        "message": reply.json()["message"],
        "data": None,
    }
    assert httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"] == []


def changed(path: list[Any], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(EXAMPLE)
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


ORDER = "invoiceOrder"


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        ([ORDER], KeyError, "invoiceOrder"),
        ([ORDER, "openApplyCode"], KeyError, "openApplyCode"),
        ([ORDER, "openApplyCode"], "A" * 101, "超长"),
        ([ORDER, "businessTypeCode"], "777", "businessTypeCode"),
        ([ORDER, "openInvoiceType"], "5", "openInvoiceType"),
        ([ORDER, "openInvoiceType"], "2", "作废"),
        ([ORDER, "invoiceType"], "abc", "invoiceType"),
        ([ORDER, "purchaserTaxpayerName"], KeyError, "purchaserTaxpayerName"),
        ([ORDER, "purchaserTaxpayerName"], "名" * 301, "超长"),
        ([ORDER, "invoiceAmt"], "5327.44", "必须是数字"),
        ([ORDER, "invoiceAmt"], 5327.45, "不等于"),
        ([ORDER, "invoiceAmt"], 5327.444, "两位小数"),
        ([ORDER, "invoiceTax"], 691.0, "不等于"),
        ([ORDER, "invoiceOrderSub"], [], "invoiceOrderSub"),
        ([ORDER, "invoiceOrderSub", 4, "taxrate"], 0.07, "税率"),
        ([ORDER, "invoiceOrderSub", 4, "taxonomyCode"], "109", "taxonomyCode"),
        ([ORDER, "invoiceOrderSub", 4, "amtInclTax"], 6001.0, "相差"),
        ([ORDER, "invoiceOrderSub", 4, "price"], 5000.0, "单价×数量"),
        ([ORDER, "invoiceOrderSub", 4, "invoiceLineNature"], "9", "invoiceLineNature"),
        ([ORDER, "invoiceOrderSub", 0, "invoiceLineNature"], "0", "折扣行必须紧跟"),
    ],
)
def test_invalid_orders_get_400_naming_the_field(
    sandbox: Any, path: list[Any], value: Any, needle: str
) -> None:
    reply = send(sandbox, changed(path, value))
    assert reply.status_code == 200
    body = reply.json()
    assert body["success"] is False and body["code"] == 400 and needle in body["message"]
    assert body["data"] is None


def test_total_tax_beyond_1_27_is_refused(sandbox: Any) -> None:
    body = changed([ORDER, "invoiceTax"], 694.0)
    body[ORDER]["invoiceAmt"] = 5326.0
    reply = send(sandbox, body).json()
    assert reply["code"] == 400 and "1.27" in reply["message"]


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'"text"'])
def test_broken_bodies_get_400(sandbox: Any, raw: bytes) -> None:
    reply = httpx.post(sandbox.base_urls["faw"] + PATH, content=raw, headers=HEADERS)
    assert reply.json()["code"] == 400 and reply.json()["success"] is False


def test_unknown_path_and_method(sandbox: Any) -> None:
    wrong = httpx.get(sandbox.base_urls["faw"] + PATH, headers=HEADERS)
    assert wrong.status_code == 405 and wrong.json()["code"] == 405
    missing = httpx.post(sandbox.base_urls["faw"] + "/nothing", headers=HEADERS)
    assert missing.status_code == 404 and missing.json()["success"] is False


def blue_invoice(sandbox: Any) -> str:
    """A numbered blue invoice (FAW orders have none), issued through open-api."""
    httpx.post(f"{sandbox.control_url}/settings", json={"open_api_processing_s": 0})
    base = sandbox.base_urls["open-api"] + "/api/open/v1/blue-invoices"
    httpx.post(
        base,
        headers=OPEN_KEY,
        json={
            "requestNo": "B1",
            "invoiceReqSerialNo": "B1",
            "invoiceIssueKindCode": "82",
            "buyerName": "一汽客户",
            "itemList": [
                {
                    "goodsName": "配件",
                    "taxClassificationCode": "1090305010300000000",
                    "invoiceAmount": "113.00",
                    "taxRateValue": "0.13",
                }
            ],
        },
    )
    number: str = httpx.get(f"{base}/B1", headers=OPEN_KEY).json()["data"]["electronicInvoiceNo"]
    return number


def red_order(code: str, blue_number: str, incl: float, tax: float) -> dict[str, Any]:
    return {
        "invoiceOrder": {
            "openApplyCode": code,
            "businessTypeCode": "098",
            "openInvoiceType": "1",
            "invoiceType": "0112",
            "purchaserTaxpayerName": "一汽客户",
            "blueInvoiceNumber": blue_number,
            "invoiceAmtInclTax": incl,
            "invoiceTax": tax,
            "invoiceAmt": round(incl - tax, 2),
            "invoiceOrderSub": [
                {
                    "goodsName": "配件",
                    "taxonomyCode": "1090305010300000000",
                    "taxrate": 0.13,
                    "amtInclTax": incl,
                    "originRowNo": "0",
                }
            ],
            "redVatInvoiceInfoLog": {
                "openApplyCode": code,
                "blueInvoiceNumber": blue_number,
                "totalAmtInclTax": incl,
                "totalTax": tax,
                "applyRedReasons": "销售折让",
            },
        }
    }


def test_red_order_against_a_known_blue_invoice(sandbox: Any) -> None:
    number = blue_invoice(sandbox)
    assert send(sandbox, red_order("R1", number, -56.5, -6.5)).json()["success"] is True
    rows = httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]
    red = next(r for r in rows if r["serial"] == "R1")
    assert (red["color"], red["blue_number"], red["number"], red["total"]) == (
        "red",
        number,
        None,
        "-56.50",
    )
    over = send(sandbox, red_order("R2", number, -60.0, -6.9)).json()
    assert over["success"] is False and "超过" in over["message"]
    assert send(sandbox, red_order("R3", number, -56.5, -6.5)).json()["success"] is True


def test_red_order_needs_a_known_blue_number_and_negative_amounts(sandbox: Any) -> None:
    unknown = send(sandbox, red_order("R1", "2633100000000000999", -10.0, -1.15)).json()
    assert unknown["success"] is False and "不存在" in unknown["message"]
    number = blue_invoice(sandbox)
    positive = send(sandbox, red_order("R2", number, 10.0, 1.15)).json()
    assert positive["success"] is False and "负数" in positive["message"]
    no_log = red_order("R3", number, -10.0, -1.15)
    del no_log["invoiceOrder"]["redVatInvoiceInfoLog"]
    assert "redVatInvoiceInfoLog" in send(sandbox, no_log).json()["message"]


def test_json_numbers_with_many_digits_are_not_floats(sandbox: Any) -> None:
    raw = json.dumps(EXAMPLE).replace("5327.44", "5327.440")
    reply = httpx.post(sandbox.base_urls["faw"] + PATH, content=raw, headers=HEADERS)
    assert reply.json()["success"] is True  # 5327.440 has three digits but is still cents


def test_red_line_signs_negative_quantity_positive_price(sandbox: Any) -> None:
    number = blue_invoice(sandbox)

    def with_qty(code: str, quantity: float, price: float) -> dict[str, Any]:
        order = red_order(code, number, -56.5, -6.5)
        order["invoiceOrder"]["invoiceOrderSub"][0].update(quantity=quantity, price=price)
        return order

    minus_price = send(sandbox, with_qty("R1", 1, -56.5)).json()
    assert minus_price["success"] is False and "price" in minus_price["message"]
    plus_qty = send(sandbox, with_qty("R2", 1, 56.5)).json()  # 1 × 56.5 ≠ −56.5
    assert plus_qty["success"] is False and "单价×数量" in plus_qty["message"]
    ok = send(sandbox, with_qty("R3", -1, 56.5)).json()
    assert ok["success"] is True, ok
