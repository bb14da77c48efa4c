"""ws-invoice simulator conformance, over loopback with raw `websockets` and httpx clients."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from PIL import Image
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

SELLER = "91330106MA2H7Q3D1G"
LOGIN = {
    "companyCode": SELLER,
    "phone": "13800000000",
    "password": "sandbox-password",
    "area": "zhejiang",
    "role": "法定代表人",
}
ITEMS = [
    {"name": "商品A", "quantity": 2, "spec": "规格A", "unit": "件", "unitPrice": 100},
    {"name": "商品B", "quantity": 1, "spec": "规格B", "unit": "套", "unitPrice": 200},
]


def invoice_info(**over: Any) -> dict[str, Any]:
    """The document's invoice_info fields (the example's values, the sandbox seller)."""
    data: dict[str, Any] = {
        "buyerAddress": "浙江省杭州市西湖区文一西路 123 号",
        "buyerBank": "工商银行杭州分行",
        "buyerBankAccount": "1234567890123456789",
        "buyerEmail": "buyer@example.com",
        "buyerIndentification": "91110108MA01K2P4XY",
        "buyerName": "ABC公司",
        "buyerPhone": "13812345678",
        "buyerInvoiceType": 0,
        "buyerBankShow": 1,
        "buyerType": 0,
        "invoiceItems": ITEMS,
        "remark": "这是一条测试备注信息。",
        "sellerBank": "招商银行杭州分行",
        "sellerBankAccount": "9876543210987654321",
        "sellerIndentification": SELLER,
        "sellerLoginAccount": "13800000000",
        "sellerLoginPassword": "sandbox-password",
        "sellerName": "演示科技有限公司",
        "sellerBankShow": 1,
    }
    data.update(over)
    return data


def query(page: int = 1, size: int = 10, **condition: Any) -> dict[str, Any]:
    cond: dict[str, Any] = {
        "queryType": 0,
        "invoiceSource": None,
        "invoiceType": None,
        "isInvoicePositive": None,
        "countETicketNumbers": "",
        "invoiceCode": None,
        "invoiceNumber": None,
        "sellerIdentificationNumber": None,
        "sellerName": None,
        "startInvoiceValue": None,
        "endInvoiceValue": None,
        "startInvoiceDate": "2000-01-01",
        "endInvoiceDate": "2099-12-31",
    }
    cond.update(condition)
    login = {**LOGIN, "companyName": "演示科技有限公司"}
    return {
        "type": "query_invoice",
        "data": {"login": login, "condition": cond, "page": {"pageSize": size, "pageNumber": page}},
    }


class Ws:
    def __init__(self, sandbox: Any) -> None:
        self.sandbox = sandbox
        self.control = httpx.Client(base_url=sandbox.control_url, timeout=10)
        self.stack = contextlib.ExitStack()

    def open(self, path: str = "/invoice", user: str = "sandbox-user") -> ClientConnection:
        url = f"{self.sandbox.base_urls['ws-invoice']}{path}?userId={user}"
        socket: ClientConnection = self.stack.enter_context(connect(url))
        return socket

    @staticmethod
    def send(socket: ClientConnection, kind: str, data: Any) -> None:
        socket.send(json.dumps({"type": kind, "data": data}, ensure_ascii=False))

    @staticmethod
    def recv(socket: ClientConnection) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(socket.recv(timeout=10), parse_float=Decimal)
        return frame

    def logged_in(self, path: str = "/invoice") -> ClientConnection:
        socket = self.open(path)
        self.send(socket, "login", LOGIN)
        assert self.recv(socket)["data"] == "1"
        return socket

    def invoices(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.control.get("/invoices").json()["invoices"]
        return rows

    def fault(self, **spec: Any) -> None:
        self.control.post("/faults", json={"vendor": "ws-invoice", **spec}).raise_for_status()

    def scan_soon(self, ok: bool) -> None:
        body = {"vendor": "ws-invoice", "tax_id": SELLER, "ok": ok}
        httpx.post(f"{self.sandbox.control_url}/face/scan", json=body).raise_for_status()

    def close(self) -> None:
        self.stack.close()
        self.control.close()


def wait_for(condition: Callable[[], bool], timeout_s: float = 5) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def ws(sandbox: Any) -> Iterator[Ws]:
    client = Ws(sandbox)
    yield client
    client.close()


# ---- login -------------------------------------------------------------------------------------


def test_handshake_refuses_unknown_user(ws: Ws) -> None:
    with pytest.raises(InvalidStatus) as info:
        ws.open(user="someone-else")
    assert info.value.response.status_code == 403


def test_login_example_and_wrong_password(ws: Ws) -> None:
    socket = ws.open()
    ws.send(socket, "login", LOGIN)
    assert ws.recv(socket) == {"type": "login", "sendToId": "sandbox-user", "data": "1"}
    ws.send(socket, "login", {**LOGIN, "password": "wrong"})
    reply = ws.recv(socket)
    assert reply["type"] == "login" and reply["data"] == "0"


def test_invoice_before_login_and_bad_frames(ws: Ws) -> None:
    socket = ws.open()
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["data"] == "0"
    socket.send("not json")
    # the document has no field for a reason: "0" and nothing else
    assert ws.recv(socket) == {"type": "error", "sendToId": "sandbox-user", "data": "0"}
    ws.send(socket, "no_such_type", {})
    assert ws.recv(socket)["type"] == "no_such_type"
    assert ws.invoices() == []


# ---- issuing -----------------------------------------------------------------------------------


def test_issue_without_face_echoes_request(ws: Ws) -> None:
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    reply = ws.recv(socket)
    assert reply["type"] == "invoice_pdf" and reply["sendToId"] == "sandbox-user"
    data = reply["data"]
    documented = (
        "buyerName buyerIndentification buyerAddress buyerPhone buyerInvoiceType buyerType "
        "buyerEmail buyerBank buyerBankAccount buyerBankShow sellerBankShow vipId isDrafts "
        "invoiceItems sellerName sellerIndentification sellerBank sellerBankAccount "
        "sellerLoginAccount sellerLoginPassword invoiceUrl sellerAddress sellerPhone remark"
    )
    assert set(data) == set(documented.split())  # exactly the documented fields: no number
    assert data["sellerLoginPassword"] == "sandbox-password"  # echoed, as documented
    assert data["buyerInvoiceType"] == "0" and data["isDrafts"] == "0"
    assert json.loads(data["invoiceItems"])[0]["name"] == "商品A"
    assert httpx.get(data["invoiceUrl"]).content.startswith(b"%PDF")
    (row,) = ws.invoices()
    assert row["vendor"] == "ws-invoice" and row["serial"].startswith("ws-")
    others = {k: v for k, v in data.items() if k != "invoiceUrl"}
    assert row["number"] and row["number"] not in json.dumps(others)
    # unitPrice includes tax at the default 1%: 400.00 = 396.04 + 3.96
    assert (row["total"], row["amount"], row["tax"]) == ("400.00", "396.04", "3.96")


def test_item_tax_fields_ignored_when_switched_off(ws: Ws) -> None:
    """The undocumented taxRate is an extension: switched off, the default rate applies."""
    ws.control.post("/settings", json={"ws_item_tax": "ignore"}).raise_for_status()
    socket = ws.logged_in()
    item = {"name": "x", "quantity": 1, "spec": "", "unit": "", "unitPrice": 113, "taxRate": "0.13"}
    ws.send(socket, "invoice_info", invoice_info(invoiceItems=[item]))
    assert ws.recv(socket)["type"] == "invoice_pdf"
    (row,) = ws.invoices()
    assert (row["total"], row["tax"]) == ("113.00", "1.12")  # 1%, not the 13% asked for


@pytest.mark.parametrize(
    "over",
    [
        {"sellerLoginPassword": "wrong"},
        {"sellerIndentification": "91110108MA01K2P4XY"},
        {"invoiceItems": []},
        {"buyerName": ""},
        {"buyerInvoiceType": 1, "buyerIndentification": ""},
        {"invoiceItems": [{"name": "x", "quantity": 1, "unitPrice": 1, "taxRate": "0.07"}]},
        {"invoiceItems": [{"name": "x", "quantity": 0, "unitPrice": 1}]},
    ],
)
def test_issue_refusals_send_zero(ws: Ws, over: dict[str, Any]) -> None:
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info(**over))
    reply = ws.recv(socket)
    assert reply == {"type": "invoice_pdf", "sendToId": "sandbox-user", "data": "0"}
    assert ws.invoices() == []


def scan_when_waiting(ws: Ws, socket: ClientConnection, ok: bool) -> dict[str, Any]:
    """Receive the QR frame, check it is a PNG QR, then scan from another thread."""
    qr = ws.recv(socket)
    assert qr["type"] == "invoice_qrcode"
    prefix = "data:image/png;base64,"
    assert qr["data"].startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(qr["data"][len(prefix) :])))
    assert image.format == "PNG" and image.size[0] > 50
    thread = threading.Thread(target=ws.scan_soon, args=(ok,))
    thread.start()
    reply = ws.recv(socket)
    thread.join()
    return reply


def test_face_qr_scan_failure_then_retry(ws: Ws) -> None:
    import zxingcpp

    ws.control.post("/face/require", json={"vendor": "ws-invoice", "tax_id": SELLER})
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    failed = scan_when_waiting(ws, socket, ok=False)
    assert failed == {"type": "invoice_qrcode", "sendToId": "sandbox-user", "data": "0"}
    assert ws.invoices() == []
    ws.send(socket, "invoice_info", invoice_info())
    qr = ws.recv(socket)
    png = base64.b64decode(qr["data"].split(",", 1)[1])
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded and decoded[0].text.startswith("https://")
    thread = threading.Thread(target=ws.scan_soon, args=(True,))
    thread.start()
    done = ws.recv(socket)
    thread.join()
    assert done["type"] == "invoice_pdf" and done["data"]["invoiceUrl"]
    assert len(ws.invoices()) == 1


def test_face_wait_running_out_says_timeout(ws: Ws, monkeypatch: pytest.MonkeyPatch) -> None:
    import invoicedesk.sandbox.ws_invoice as sandbox_ws

    monkeypatch.setattr(sandbox_ws, "FACE_WAIT_S", 0.3)
    ws.control.post("/face/require", json={"vendor": "ws-invoice", "tax_id": SELLER})
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["type"] == "invoice_qrcode"
    # the same bare "0" as a failed scan: the document prints no wording for either
    assert ws.recv(socket) == {"type": "invoice_qrcode", "sendToId": "sandbox-user", "data": "0"}
    assert ws.invoices() == []


def test_closed_socket_during_face_wait_abandons_the_invoice(ws: Ws) -> None:
    ws.control.post("/face/require", json={"vendor": "ws-invoice", "tax_id": SELLER})
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["type"] == "invoice_qrcode"
    socket.close()  # the client gave up while the platform waits for the scan
    ws.scan_soon(True)  # a scan afterwards must not issue the abandoned invoice
    assert ws.invoices() == []
    # the account itself is authenticated now: the next invoice goes through without a QR
    again = ws.logged_in()
    ws.send(again, "invoice_info", invoice_info())
    assert ws.recv(again)["type"] == "invoice_pdf"
    assert len(ws.invoices()) == 1


# ---- queries -----------------------------------------------------------------------------------


def test_query_pages_and_zip(ws: Ws) -> None:
    ws.control.post("/seed", json={"count": 25, "vendor": "ws-invoice"}).raise_for_status()
    socket = ws.open("/web/invoice")
    ws.send(socket, "query_invoice", query(page=3)["data"])
    reply = ws.recv(socket)
    assert reply["type"] == "query_invoice"
    page = reply["data"]
    assert (page["total"], page["currentPage"], page["totalPage"], page["hasNext"]) == (
        25,
        3,
        3,
        False,
    )
    assert len(page["data"]) == 5
    row = page["data"][0]
    assert isinstance(row["id"], int) and isinstance(row["invoiceDate"], int)
    assert row["isInvoicePositive"] == "是" and row["sellerIdentificationNumber"] == SELLER
    assert row["totalAmount"] + row["totalTax"] == row["totalPriceAndTax"]
    assert ws.recv(socket) == {
        "type": "query_invoice_download_zip",
        "sendToId": "sandbox-user",
        "data": "1",
    }
    ws.send(socket, "query_invoice", query(page=1, size=10)["data"])
    first = ws.recv(socket)["data"]
    assert first["hasNext"] is True and len(first["data"]) == 10
    ws.recv(socket)


def test_query_filters_and_bad_login(ws: Ws) -> None:
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["type"] == "invoice_pdf"
    (issued,) = ws.invoices()
    number = issued["number"]
    ws.control.post("/seed", json={"count": 3, "vendor": "ws-invoice"}).raise_for_status()
    ws.send(
        socket,
        "query_invoice",
        query(
            buyerIdentificationNumber="91110108MA01K2P4XY",
            startInvoiceValue=399,
            endInvoiceValue=401,
        )["data"],
    )
    rows = ws.recv(socket)["data"]["data"]
    ws.recv(socket)
    assert [x["countETicketNumbers"] for x in rows] == [number]
    # 发票金额 read without tax (settings.ws_value_reading): 400.00 incl. tax is 396.04 excl.
    ws.control.post("/settings", json={"ws_value_reading": "amount"}).raise_for_status()
    by_amount = query(startInvoiceValue=396.04, endInvoiceValue=396.04)["data"]
    ws.send(socket, "query_invoice", by_amount)
    assert [x["countETicketNumbers"] for x in ws.recv(socket)["data"]["data"]] == [number]
    ws.recv(socket)
    ws.send(
        socket,
        "query_invoice",
        query(startInvoiceDate="2000-01-01", endInvoiceDate="2000-01-02")["data"],
    )
    assert ws.recv(socket)["data"]["total"] == 0
    ws.recv(socket)
    bad = query()["data"]
    bad["login"]["password"] = "wrong"
    ws.send(socket, "query_invoice", bad)
    assert ws.recv(socket)["data"] == "0"


def test_zip_failure_then_retry(ws: Ws) -> None:
    ws.control.post("/seed", json={"count": 2, "vendor": "ws-invoice"}).raise_for_status()
    ws.fault(endpoint="query_invoice_download_zip", kind="http_500", count=2)
    socket = ws.open("/web/invoice")
    ws.send(socket, "query_invoice", query()["data"])
    assert ws.recv(socket)["data"]["total"] == 2
    failed = ws.recv(socket)
    assert failed["type"] == "query_invoice_download_zip"
    event = failed["data"]
    assert len(event) == 19 and event[4] == "-" and event[13] == ":"
    ws.send(socket, "query_invoice_download_zip", event)
    assert ws.recv(socket)["data"] == event  # the fault fires once more
    ws.send(socket, "query_invoice_download_zip", event)
    assert ws.recv(socket)["data"] == "1"
    ws.send(socket, "query_invoice_download_zip", event)  # spent
    assert ws.recv(socket)["data"] == "0"


def issued_row(ws: Ws) -> dict[str, Any]:
    """Issue the example invoice, then read its row back the documented way: query_invoice."""
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["type"] == "invoice_pdf"
    ws.send(socket, "query_invoice", query()["data"])
    (row,) = ws.recv(socket)["data"]["data"]
    return dict(row)


def test_http_items_and_files(ws: Ws) -> None:
    data = issued_row(ws)
    base = ws.sandbox.base_urls["ws-invoice"].replace("ws://", "http://")
    items = httpx.get(f"{base}/web/invoice/item/{data['id']}").json()
    assert items["code"] == 0 and len(items["data"]) == 2
    first = items["data"][0]
    assert first["invoiceBasicInfoId"] == data["id"] and first["itemName"] == "商品A"
    assert first["taxRate"] == "0.01" and first["totalPriceAndTax"] == 200
    assert first["amount"] + first["tax"] == first["totalPriceAndTax"]
    assert httpx.get(f"{base}/web/invoice/item/12345").json()["code"] == 500
    files = httpx.get(
        f"{base}/web/invoice/file",
        params={"invoiceIdList": [str(data["id"]), "1"], "typeList": ["ofd"]},
    ).json()
    assert files["code"] == 0
    (entry,) = files["data"]
    assert entry["type"] == "ofd" and entry["countETicketNumbers"] == data["countETicketNumbers"]
    assert httpx.get(entry["url"]).content.startswith(b"PK")
    every = httpx.get(f"{base}/web/invoice/file", params={"invoiceIdList": str(data["id"])}).json()
    assert sorted(x["type"] for x in every["data"]) == ["ofd", "pdf", "xml"]


# ---- faults ------------------------------------------------------------------------------------


def test_fault_ws_close_before_issue(ws: Ws) -> None:
    ws.fault(endpoint="invoice_info", kind="ws_close", count=1)
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    with pytest.raises(ConnectionClosed):
        ws.recv(socket)
    assert ws.invoices() == []


def test_control_counts_and_drops_the_open_sockets(ws: Ws) -> None:
    assert ws.control.get("/ws").json() == {"open": 0, "opened": 0}
    issuing, querying = ws.logged_in(), ws.logged_in("/web/invoice")
    assert ws.control.get("/ws").json() == {"open": 2, "opened": 2}
    assert ws.control.post("/ws/drop").json() == {"dropped": 2}  # as a network outage would
    for socket in (issuing, querying):
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(socket)
        assert info.value.rcvd is not None and info.value.rcvd.code == 1001  # going away
    assert ws.control.get("/ws").json() == {"open": 0, "opened": 2}
    ws.logged_in().close()  # a client that leaves by itself is no longer counted open
    wait_for(lambda: ws.control.get("/ws").json() == {"open": 0, "opened": 3})


def test_fault_drop_after_issues_then_closes(ws: Ws) -> None:
    ws.fault(endpoint="invoice_info", kind="drop_after", count=1)
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    with pytest.raises(ConnectionClosed):
        ws.recv(socket)
    assert len(ws.invoices()) == 1


def test_fault_timeout_after_and_before(ws: Ws) -> None:
    ws.control.post("/settings", json={"hang_s": 0.2}).raise_for_status()
    ws.fault(endpoint="invoice_info", kind="timeout_after", count=1)
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    with pytest.raises(ConnectionClosed):
        ws.recv(socket)
    assert len(ws.invoices()) == 1
    ws.fault(endpoint="invoice_info", kind="timeout_before", count=1)
    socket = ws.logged_in()
    ws.send(socket, "invoice_info", invoice_info())
    with pytest.raises(ConnectionClosed):
        ws.recv(socket)
    assert len(ws.invoices()) == 1


def test_fault_malformed_http_500_and_latency(ws: Ws) -> None:
    socket = ws.logged_in()
    ws.fault(endpoint="invoice_info", kind="malformed", count=1)
    ws.send(socket, "invoice_info", invoice_info())
    with pytest.raises(ValueError):
        json.loads(socket.recv(timeout=10))
    assert len(ws.invoices()) == 1
    ws.fault(endpoint="invoice_info", kind="http_500", count=1)
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["data"] == "0"
    assert len(ws.invoices()) == 1
    ws.fault(endpoint="*", kind="latency", latency_ms=50, count=1)
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["type"] == "invoice_pdf"
    assert len(ws.invoices()) == 2


def test_fault_token_expired_ends_login(ws: Ws) -> None:
    socket = ws.logged_in()
    ws.fault(endpoint="invoice_info", kind="token_expired", count=1)
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["data"] == "0"
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["data"] == "0"  # must log in again
    ws.send(socket, "login", LOGIN)
    assert ws.recv(socket)["data"] == "1"
    ws.send(socket, "invoice_info", invoice_info())
    assert ws.recv(socket)["type"] == "invoice_pdf"
    assert len(ws.invoices()) == 1


def test_http_fault_on_items(ws: Ws) -> None:
    ws.fault(endpoint="item", kind="http_500", count=1)
    base = ws.sandbox.base_urls["ws-invoice"].replace("ws://", "http://")
    assert httpx.get(f"{base}/web/invoice/item/1").status_code == 500
    assert httpx.get(f"{base}/web/invoice/item/1").json()["code"] == 500


def test_http_file_example_json_body(ws: Ws) -> None:
    data = issued_row(ws)
    base = ws.sandbox.base_urls["ws-invoice"].replace("ws://", "http://")
    example = {"invoiceIdList": [str(data["id"]), "1778381047954812931"], "typeList": ["ofd"]}
    reply = httpx.request("GET", f"{base}/web/invoice/file", json=example).json()
    assert reply["code"] == 0 and reply["msg"] == ""
    assert [set(x) for x in reply["data"]] == [
        {"id", "invoiceBasicInfoId", "countETicketNumbers", "url", "type"}
    ]


def test_binary_frame_is_read_as_text(ws: Ws) -> None:
    socket = ws.open()
    socket.send(json.dumps({"type": "login", "data": LOGIN}).encode("utf-8"))
    assert ws.recv(socket)["data"] == "1"
