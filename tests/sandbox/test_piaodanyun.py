"""piaodanyun (票单云) simulator conformance, over loopback with raw httpx (piaodanyun-api.md)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

SELLER = "91330106MA2H7Q3D1G"
USER = "13800000000"
Q = "/qdjk/fullExteriorInvoke"


def blue_body(serial: str = "1", **over: str) -> dict[str, str]:
    """The document's blueTicket example with the sandbox seller filled in."""
    body = {
        "username": USER,
        "fpqqlsh": f"{SELLER}_{serial}",
        "fplxdm": "82",
        "tdyslxDm": "",
        "kplx": "0",
        "xhdwsbh": SELLER,
        "xhdwmc": "演示科技有限公司",
        "xhdwdzdh": "杭州市西湖区 0571-88888888",
        "xhdwyhzh": "工商银行杭州分行 1202000000000000000",
        "ghdwsbh": "",
        "ghdwmc": "上海市某某科技有限公司",
        "fyxm[0][fphxz]": "0",
        "fyxm[0][spmc]": "*软件*票单云财税管理系统",
        "fyxm[0][ggxh]": "V1",
        "fyxm[0][dw]": "年",
        "fyxm[0][spsl]": "1",
        "fyxm[0][dj]": "1",
        "fyxm[0][je]": "1",
        "fyxm[0][sl]": "0.01",
        "fyxm[0][se]": "0.01",
        "fyxm[0][hsbz]": "1",
        "fyxm[0][spbm]": "1060301020100000000",
        "hjje": "0.99",
        "hjse": "0.01",
        "jshj": "1",
        "kce": "0",
    }
    body.update(over)
    return body


_OPEN: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


class Pdy:
    """A raw client: token + tax-bureau login done."""

    def __init__(self, sandbox: Any, login: bool = True) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.base_urls["piaodanyun"], timeout=10)
        self.control = httpx.Client(base_url=sandbox.control_url, timeout=10)
        _OPEN.extend([self.http, self.control])
        self.refresh_token()
        if login:
            assert self.post(f"{Q}/loginDppt", self.login_body())["code"] == 200
            assert self.post(f"{Q}/loginDppt", self.login_body(sms="123456"))["code"] == 200

    def refresh_token(self) -> None:
        form = {"phone": USER, "pass": "sandbox-password", "tenant_id": "1", "token_type": "TaxApi"}
        self.token = self.http.post("/obtainToken", data=form).json()["data"]["token"]

    @staticmethod
    def login_body(**over: str) -> dict[str, str]:
        return {"nsrsbh": SELLER, "username": USER, "password": "sandbox-password", **over}

    def raw(self, path: str, data: dict[str, str], method: str = "POST") -> httpx.Response:
        headers = {"Authorization": self.token}
        if method == "GET":
            return self.http.get(path, params=data, headers=headers)
        return self.http.post(path, data=data, headers=headers)

    def post(self, path: str, data: dict[str, str], method: str = "POST") -> dict[str, Any]:
        response = self.raw(path, data, method)
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result

    def issue(self, serial: str = "1", **over: str) -> str:
        reply = self.post(f"{Q}/blueTicket", blue_body(serial, **over))
        assert reply["code"] == 200, reply
        number: str = reply["data"]["Fphm"]
        return number

    def invoices(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.control.get("/invoices").json()["invoices"]
        return rows

    def fault(self, **spec: Any) -> None:
        self.control.post("/faults", json={"vendor": "piaodanyun", **spec}).raise_for_status()

    def face_state(self) -> dict[str, Any]:
        reply = self.post(
            "/qdjk/fullApplets/queryFaceAuthState", {"nsrsbh": SELLER, "username": USER}
        )
        assert reply["code"] == 200
        decoded: dict[str, Any] = json.loads(base64.b64decode(reply["data"]))
        return decoded


@pytest.fixture
def pdy(sandbox: Any) -> Pdy:
    return Pdy(sandbox)


# ---- token -------------------------------------------------------------------------------------


def test_obtain_token_form_and_json_example(sandbox: Any) -> None:
    url = sandbox.base_urls["piaodanyun"] + "/obtainToken"
    form = {"phone": USER, "pass": "sandbox-password", "tenant_id": "1", "token_type": "TaxApi"}
    reply = httpx.post(url, data=form).json()
    assert reply["code"] == 200 and reply["data"]["token"] and reply["data"]["expires_in"] == 7200
    example = {
        "phone_email": USER,
        "pass": "sandbox-password",
        "tenant_id": 1,
        "token_type": "TaxApi",
    }
    assert httpx.post(url, json=example).json()["code"] == 200


def test_obtain_token_documented_errors(sandbox: Any) -> None:
    url = sandbox.base_urls["piaodanyun"] + "/obtainToken"
    wrong = {"phone": USER, "pass": "nope", "tenant_id": "1", "token_type": "TaxApi"}
    # the document's own failure example, key for key
    assert httpx.post(url, data=wrong).json() == {
        "code": 40000,
        "msg": "用户名或密码错误",
        "data": None,
    }
    reply = httpx.post(url, data={"phone": USER}).json()
    assert (
        reply["code"] == 20000 and reply["msg"].startswith("参数不能为空") and reply["data"] is None
    )


def test_token_missing_expired_and_fault(pdy: Pdy) -> None:
    body = {"nsrsbh": SELLER, "username": USER}
    no_token = pdy.http.post("/qdjk/allElectricInvoice/getCreditLine", data=body).json()
    assert no_token["code"] == 401
    assert pdy.post("/qdjk/allElectricInvoice/getCreditLine", body)["code"] == 200
    pdy.fault(endpoint="getCreditLine", kind="token_expired", count=1)
    faulted = pdy.post("/qdjk/allElectricInvoice/getCreditLine", body)
    assert faulted["code"] == 401 and "过期" in faulted["msg"]
    pdy.control.post("/clock", json={"advance_hours": 3}).raise_for_status()
    expired = pdy.post("/qdjk/allElectricInvoice/getCreditLine", body)
    assert expired == faulted


# ---- tax-bureau login --------------------------------------------------------------------------


def test_login_sms_in_two_calls(sandbox: Any) -> None:
    client = Pdy(sandbox, login=False)
    before = client.post(
        "/qdjk/allElectricInvoice/getCreditLine", {"nsrsbh": SELLER, "username": USER}
    )
    assert before["code"] == 999 and "loginDppt" in before["msg"]
    early = client.post(f"{Q}/loginDppt", client.login_body(sms="123456"))
    assert early["code"] == 999
    first = client.post(f"{Q}/loginDppt", client.login_body())
    assert first["code"] == 200 and first["data"] is None
    wrong = client.post(f"{Q}/loginDppt", client.login_body(sms="000000"))
    assert wrong["code"] == 999 and "验证码" in wrong["msg"]
    second = client.post(f"{Q}/loginDppt", client.login_body(sms="123456"))
    assert second["code"] == 200 and re.fullmatch(r"[0-9a-f]{32}", second["data"])
    assert set(second) == {"code", "msg", "message", "data", "total"}
    after = client.post(
        "/qdjk/allElectricInvoice/getCreditLine", {"nsrsbh": SELLER, "username": USER}
    )
    assert after["code"] == 200


def test_login_unregistered_user_gets_documented_999(sandbox: Any) -> None:
    client = Pdy(sandbox, login=False)
    reply = client.post(f"{Q}/loginDppt", client.login_body(username="13900000000"))
    assert reply == {
        "code": 999,
        "msg": "可信错误:该用户未注册,请在自然人业务入口进行用户注册",
        "message": "可信错误:该用户未注册,请在自然人业务入口进行用户注册",
        "data": None,
        "total": 0,
    }
    assert client.post(f"{Q}/loginDppt", client.login_body(password="x"))["code"] == 999


# ---- blue invoice ------------------------------------------------------------------------------


def test_blue_ticket_example_and_dedupe(pdy: Pdy) -> None:
    reply = pdy.post(f"{Q}/blueTicket", blue_body())
    assert reply["code"] == 200 and reply["total"] == 0
    data = reply["data"]
    assert set(data) == {"Fphm", "Kprq", "Gmfyx", "GmfSsjswjgdm"}
    assert re.fullmatch(r"\d{20}", data["Fphm"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", data["Kprq"])
    again = pdy.post(f"{Q}/blueTicket", blue_body(jshj="999"))
    assert again["data"]["Fphm"] == data["Fphm"]
    rows = pdy.invoices()
    assert len(rows) == 1
    assert rows[0]["serial"] == f"{SELLER}_1" and rows[0]["total"] == "1.00"
    assert rows[0]["amount"] == "0.99" and rows[0]["tax"] == "0.01"


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"hjje": "0.98"}, 999),  # Σ金额 ≠ 合计金额 beyond 0.01
        ({"jshj": "1.01"}, 999),  # hjje + hjse ≠ jshj
        ({"fyxm[0][se]": "0.09"}, 999),  # line tax off by more than 0.06
        ({"fyxm[0][sl]": "0.07"}, 999),  # not an available rate
        ({"fyxm[0][dj]": "2"}, 999),  # 单价×数量 ≠ 金额
        ({"fpqqlsh": "no-tax-id-prefix"}, 999),
        ({"fplxdm": "81"}, 20000),  # 专票 needs the buyer tax ID
        ({"xhdwsbh": "91110108MA01K2P4XY"}, 999),  # not the logged-in seller
        ({"ghdwmc": ""}, 20000),
        ({"fyxm[0][spbm]": ""}, 20000),
    ],
)
def test_blue_ticket_refusals_issue_nothing(pdy: Pdy, over: dict[str, str], code: int) -> None:
    reply = pdy.post(f"{Q}/blueTicket", blue_body(**over))
    assert reply["code"] == code and reply["data"] is None and reply["msg"]
    assert pdy.invoices() == []


def test_blue_ticket_two_lines_with_discount(pdy: Pdy) -> None:
    body = blue_body(
        "2",
        **{
            "fyxm[0][hsbz]": "0",
            "fyxm[0][spsl]": "2",
            "fyxm[0][dj]": "50",
            "fyxm[0][je]": "100",
            "fyxm[0][sl]": "0.13",
            "fyxm[0][se]": "13",
            "fyxm[1][fphxz]": "1",
            "fyxm[1][spmc]": "*软件*票单云财税管理系统",
            "fyxm[1][je]": "-10",
            "fyxm[1][sl]": "0.13",
            "fyxm[1][se]": "-1.3",
            "fyxm[1][hsbz]": "0",
            "fyxm[1][spbm]": "1060301020100000000",
            "fyxm[0][fphxz]": "2",
            "hjje": "90",
            "hjse": "11.7",
            "jshj": "101.7",
        },
    )
    reply = pdy.post(f"{Q}/blueTicket", body)
    assert reply["code"] == 200, reply
    detail = pdy.post(
        f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER, "fphm": reply["data"]["Fphm"]}
    )
    assert [x["fphxz"] for x in detail["data"]["zbmx"]] == ["2", "1"]
    assert detail["data"]["hjje"] == "90.00" and detail["data"]["jshj"] == "101.70"


def test_credit_line_is_consumed_and_exhaustion_refuses(pdy: Pdy) -> None:
    body = {"nsrsbh": SELLER, "username": USER}
    before = pdy.post("/qdjk/allElectricInvoice/getCreditLine", body)["data"]
    assert set(before) == {"zsxed", "kjlpzs", "sysxed", "fpejse", "ysysxed", "fphjje"}
    pdy.issue()
    after = pdy.post("/qdjk/allElectricInvoice/getCreditLine", body)["data"]
    assert after["zsxed"] == before["zsxed"]
    assert after["ysysxed"] == "0.99" and after["kjlpzs"] == "1" and after["fpejse"] == "0.01"
    from decimal import Decimal

    assert Decimal(before["sysxed"]) - Decimal(after["sysxed"]) == Decimal("0.99")
    pdy.control.post("/settings", json={"credit_total": "1.00"}).raise_for_status()
    refused = pdy.post(f"{Q}/blueTicket", blue_body("2"))
    assert refused["code"] == 999 and "额度" in refused["msg"]
    assert len(pdy.invoices()) == 1


# ---- face authentication -----------------------------------------------------------------------


def face_img(pdy: Pdy, **extra: str) -> dict[str, Any]:
    reply = pdy.post(f"{Q}/getFaceImg", {"nsrsbh": SELLER, "username": USER, **extra}, "GET")
    assert reply["code"] == 200, reply
    data: dict[str, Any] = reply["data"]
    return data


def test_face_flow_blocks_issue_until_scan(pdy: Pdy) -> None:
    assert pdy.face_state()["Sfsl"] == "N"
    pdy.control.post("/face/require", json={"vendor": "piaodanyun", "tax_id": SELLER})
    state = pdy.face_state()
    assert state["Sfsl"] == "Y" and {"Yjjb", "Sxlb", "ItsScanFlag", "Rzyxsc"} <= set(state)
    refused = pdy.post(f"{Q}/blueTicket", blue_body())
    assert refused["code"] == 999 and "人脸" in refused["msg"] and pdy.invoices() == []
    first, second = face_img(pdy), face_img(pdy, type="2")
    assert set(first) == {"rzid", "nsrsbh", "ewm", "slzt", "emwly"}
    assert first["ewm"] != second["ewm"] and first["emwly"] == "swj" and second["emwly"] == "grsds"
    assert first["slzt"] is None and second["slzt"] is None  # as printed: no values documented
    pdy.control.post("/face/scan", json={"vendor": "piaodanyun", "tax_id": SELLER, "ok": True})
    state = pdy.face_state()
    assert state["Sfsl"] == "N" and state["Rzyxsc"] == "24" and state["Rzyxqz"]
    pdy.issue()
    pdy.control.post("/clock", json={"advance_hours": 25})
    pdy.refresh_token()
    assert pdy.face_state()["Sfsl"] == "Y"


def test_get_face_img_makes_a_new_qr_each_call_and_ignores_rzid(pdy: Pdy) -> None:
    pdy.control.post("/face/require", json={"vendor": "piaodanyun", "tax_id": SELLER})
    qr = face_img(pdy)
    again = face_img(pdy, rzid=qr["rzid"])  # not a documented parameter: a new QR all the same
    assert again["rzid"] != qr["rzid"] and again["ewm"] != qr["ewm"] and again["slzt"] is None
    pdy.control.post("/face/scan", json={"vendor": "piaodanyun", "tax_id": SELLER, "ok": False})
    assert pdy.face_state()["Sfsl"] == "Y"  # a failed scan: still needed
    pdy.control.post("/face/scan", json={"vendor": "piaodanyun", "tax_id": SELLER, "ok": True})
    assert pdy.face_state()["Sfsl"] == "N"


# ---- reads -------------------------------------------------------------------------------------


def test_pdf_ofd_xml_and_urls(pdy: Pdy) -> None:
    number = pdy.issue()
    body = {
        "username": USER,
        "downflag": "1",
        "nsrsbh": SELLER,
        "fphm": number,
        "kprq": "",
        "addSeal": "1",
    }
    pdf = pdy.post(f"{Q}/getInvoicePdfOfd", body)
    assert pdf["code"] == 200 and base64.b64decode(pdf["data"]).startswith(b"%PDF")
    ofd = pdy.post(f"{Q}/getInvoicePdfOfd", {**body, "downflag": "2"})
    assert base64.b64decode(ofd["data"]).startswith(b"PK")
    xml = pdy.post(f"{Q}/getInvoicePdfOfd", {**body, "downflag": "3"})
    assert number.encode() in base64.b64decode(xml["data"])
    urls = pdy.post(f"{Q}/getInvoicePdfOfd", {**body, "downflag": "4"})["data"]
    assert set(urls) == {"pdfUrl", "ofdUrl", "xmlUrl"}
    assert httpx.get(urls["pdfUrl"]).content.startswith(b"%PDF")
    missing = pdy.post(f"{Q}/getInvoicePdfOfd", {**body, "fphm": "26330000000000009999"})
    assert missing["code"] == 999


def test_query_mx_by_number_and_serial(pdy: Pdy) -> None:
    number = pdy.issue()
    by_number = pdy.post(
        f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER, "fphm": number}
    )
    by_serial = pdy.post(
        f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER, "fpqqlsh": f"{SELLER}_1"}
    )
    assert by_number == by_serial
    data = by_number["data"]
    assert data["fphm"] == number and data["fpqqlsh"] == f"{SELLER}_1" and data["fpzt"] == "00"
    assert (data["hjje"], data["se"], data["jshj"]) == ("0.99", "0.01", "1.00")
    assert data["xhdwdzdh"].startswith("杭州市") and data["kprq"].isdigit()
    (line,) = data["zbmx"]
    assert line["je"] == "0.99" and line["se"] == "0.01" and line["spsl"] == 1
    assert line["hsje"] == 1 and line["spbm"] == "1060301020100000000"
    assert abs(line["spdj"] - 0.990099009901) < 1e-9
    none = pdy.post(f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER, "fpqqlsh": "x_1"})
    assert none["code"] == 999
    assert pdy.post(f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER})["code"] == 20000


# ---- red chain ---------------------------------------------------------------------------------


def red_apply(pdy: Pdy, number: str, reason: str = "01", **over: str) -> dict[str, Any]:
    body = {"username": USER, "xhdwsbh": SELLER, "yfphm": number, "chyydm": reason, "sqyy": "2"}
    return pdy.post(f"{Q}/hzxxbsq", {**body, **over})


def red_issue(pdy: Pdy, number: str, form_no: str, serial: str = "r1") -> dict[str, Any]:
    body = {
        "username": USER,
        "fpqqlsh": f"{SELLER}_{serial}",
        "xhdwsbh": SELLER,
        "tzdbh": form_no,
        "yfphm": number,
    }
    return pdy.post(f"{Q}/hzfpkj", body)


def test_red_chain_unused_invoice(pdy: Pdy) -> None:
    number = pdy.issue()
    info_body = {"username": USER, "nsrsbh": SELLER, "fphm": number, "sqyy": "2"}
    info = pdy.post(f"{Q}/retInviceMsg", info_body)
    assert info["code"] == 200 and info["data"]["message"] == "成功,本张发票可以开负数!"
    assert info["data"]["hjje"] == -0.99 and info["data"]["hjse"] == -0.01
    assert info["data"]["mxzb"][0]["spsl"] == "-1" and info["data"]["mxzb"][0]["je"] == -0.99
    form = red_apply(pdy, number)
    assert form["code"] == 200
    assert form["data"]["xxbztDm"] == "01" and form["data"]["xxbzt"] == "无需确认"
    assert re.fullmatch(r"\d{20}", form["data"]["xxbbh"]) and len(form["data"]["uuid"]) == 32
    locked = pdy.post(f"{Q}/retInviceMsg", info_body)
    assert locked["code"] == 999 and "锁定" in locked["msg"]
    red = red_issue(pdy, number, form["data"]["xxbbh"])
    assert red["code"] == 200 and red["msg"] == "负数发票开具成功"
    assert red["data"]["jshj"] == -1 and red["data"]["xxbbh"] == form["data"]["xxbbh"]
    assert red_issue(pdy, number, form["data"]["xxbbh"])["data"]["fphm"] == red["data"]["fphm"]
    reused = red_issue(pdy, number, form["data"]["xxbbh"], serial="r2")
    assert reused["code"] == 999 and "已使用" in reused["msg"]
    rows = {x["number"]: x for x in pdy.invoices()}
    assert rows[red["data"]["fphm"]]["color"] == "red"
    assert rows[red["data"]["fphm"]]["blue_number"] == number
    assert pdy.post(f"{Q}/retInviceMsg", info_body)["code"] == 999  # fully red-lettered now
    detail = pdy.post(f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER, "fphm": number})
    assert detail["data"]["fpzt"] == "04"


def test_red_form_needs_confirmation_once_used(pdy: Pdy) -> None:
    number = pdy.issue()
    pdy.control.post(f"/invoices/{number}/used").raise_for_status()
    form = red_apply(pdy, number)["data"]
    assert form["xxbztDm"] == "02"
    refused = red_issue(pdy, number, form["xxbbh"])
    assert refused["code"] == 999 and len(pdy.invoices()) == 1
    pdy.control.post("/red/confirm", json={"form_no": form["xxbbh"], "accept": True})
    status = red_apply(pdy, number)["data"]  # the status query: the form as it is now
    assert status["xxbbh"] == form["xxbbh"] and status["xxbztDm"] == "04"
    assert red_issue(pdy, number, form["xxbbh"])["code"] == 200


def test_red_form_expires_after_72_hours(pdy: Pdy) -> None:
    number = pdy.issue()
    pdy.control.post(f"/invoices/{number}/used").raise_for_status()
    form = red_apply(pdy, number)["data"]
    pdy.control.post("/clock", json={"advance_hours": 73})
    pdy.refresh_token()  # the old token expired too
    status = red_apply(pdy, number)["data"]
    assert status["xxbztDm"] == "07" and status["xxbbh"] == form["xxbbh"]
    assert red_issue(pdy, number, form["xxbbh"])["code"] == 999
    fresh = red_apply(pdy, number, hzxxbcheck="1")["data"]
    assert fresh["xxbbh"] != form["xxbbh"] and fresh["xxbztDm"] == "02"


def test_hzxxbcheck_1_makes_a_new_form_and_xxbbh_reads_a_given_one(pdy: Pdy) -> None:
    number = pdy.issue()
    first = red_apply(pdy, number, "01", hzxxbcheck="1")
    assert first["code"] == 200, first
    locked = red_apply(pdy, number, "01", hzxxbcheck="1")
    assert locked["code"] == 999 and "锁定" in locked["msg"]  # one open form at a time
    # without hzxxbcheck: the form already applied, never a new one
    assert red_apply(pdy, number, "01")["data"]["xxbbh"] == first["data"]["xxbbh"]
    named = red_apply(pdy, number, "01", xxbbh=first["data"]["xxbbh"])["data"]
    assert named["uuid"] == first["data"]["uuid"]
    assert set(named) == {"sqsj", "xxbztDm", "xxbbh", "uuid", "xxbzt"}  # the documented data
    assert red_apply(pdy, number, "01", xxbbh="26330000000000000000")["code"] == 999
    assert red_issue(pdy, number, first["data"]["xxbbh"])["code"] == 200


def test_red_reason_rules_and_forms_are_always_full(pdy: Pdy) -> None:
    goods = pdy.issue()
    assert red_apply(pdy, goods, "03")["code"] == 999  # 服务中止 on goods
    service = pdy.issue("2", **{"fyxm[0][spbm]": "3040201010000000000"})
    assert red_apply(pdy, service, "02")["code"] == 999  # 销货退回 on services
    assert red_apply(pdy, goods, "05")["code"] == 999
    assert red_apply(pdy, goods, "01", sqyy="9")["code"] == 999
    # "(暂时只支持)2:销方全额红冲;3:购方全额红冲": line rows are not in the document, ignored
    partial = {"mxzb[0][xh]": "1", "mxzb[0][je]": "-0.50", "mxzb[0][se]": "-0.01"}
    form = red_apply(pdy, goods, "02", **partial)["data"]
    red = red_issue(pdy, goods, form["xxbbh"])
    assert red["data"]["jshj"] == -1  # the whole blue invoice
    info = pdy.post(f"{Q}/retInviceMsg", {"username": USER, "nsrsbh": SELLER, "fphm": goods})
    assert info["code"] == 999  # nothing left to red-letter


# ---- faults ------------------------------------------------------------------------------------


def test_fault_http_500_issues_nothing(pdy: Pdy) -> None:
    pdy.fault(endpoint="blueTicket", kind="http_500", count=1)
    assert pdy.raw(f"{Q}/blueTicket", blue_body()).status_code == 500
    assert pdy.invoices() == []
    assert pdy.issue()


def test_fault_drop_after_commits_then_retry_returns_same(pdy: Pdy) -> None:
    pdy.fault(endpoint="blueTicket", kind="drop_after", count=1)
    with pytest.raises(httpx.HTTPError):
        pdy.raw(f"{Q}/blueTicket", blue_body())
    (row,) = pdy.invoices()
    assert pdy.issue() == row["number"]


def test_fault_malformed_and_timeouts(pdy: Pdy) -> None:
    pdy.control.post("/settings", json={"hang_s": 0.2}).raise_for_status()
    pdy.fault(endpoint="blueTicket", kind="malformed", count=1)
    body = pdy.raw(f"{Q}/blueTicket", blue_body()).content
    with pytest.raises(ValueError):
        json.loads(body)
    assert len(pdy.invoices()) == 1
    pdy.fault(endpoint="blueTicket", kind="timeout_before", count=1)
    assert pdy.raw(f"{Q}/blueTicket", blue_body("2")).status_code == 504
    assert len(pdy.invoices()) == 1
    pdy.fault(endpoint="blueTicket", kind="timeout_after", count=1)
    assert pdy.raw(f"{Q}/blueTicket", blue_body("3")).status_code == 504
    assert len(pdy.invoices()) == 2


def test_fault_latency_still_answers(pdy: Pdy) -> None:
    pdy.fault(endpoint="*", kind="latency", latency_ms=50, count=1)
    assert pdy.issue()
    assert pdy.control.get("/faults").json()["faults"] == []


# every field of the document's invoiceQueryMx example (header and zbmx row)
DETAIL_KEYS = set(
    [
        "DZDH",
        "GFKHDH",
        "GFKHYX",
        "bbh",
        "bchcbz",
        "bmbbbh",
        "bz",
        "ceburl",
        "czydm",
        "dfgtgmbq",
        "dphgzbh",
        "dqsj",
        "dxtsbz",
        "fdjhm",
        "fhr",
        "fjys",
        "fpcbh",
        "fpdm",
        "fphm",
        "fplxdm",
        "fpqqlsh",
        "fpzt",
        "fullAddress",
        "fwfsd",
        "ghdwdm",
        "ghdwdzdh",
        "ghdwmc",
        "ghdwyhzh",
        "gmfjbr",
        "hcFphm",
        "hczt",
        "hdjsjg",
        "hjje",
        "hjzkje",
        "hjzkse",
        "hssign",
        "hsslbs",
        "id",
        "ip",
        "jbrgjlx",
        "jbrsfzjhm",
        "jbrsfzjlx",
        "jbrzrrnsrsbh",
        "jqbh",
        "jshj",
        "jzxmmc",
        "kce",
        "kdsbz",
        "kpddm",
        "kpdwdm",
        "kpjh",
        "kpr",
        "kprq",
        "mxzb",
        "ncpsgzjlx",
        "qdbz",
        "qmbz",
        "qmcs",
        "qmz",
        "rzzt",
        "scbsbz",
        "scbz",
        "sccgsj",
        "se",
        "sfsdts",
        "sfwzzfp",
        "sfyytljdj",
        "sjcjhsje",
        "skm",
        "skr",
        "slsm",
        "spbmjc",
        "spsm",
        "ssyf",
        "swjgdm",
        "swjgmc",
        "tdys",
        "tdyslxDm",
        "tdzzsxmbh",
        "tqm",
        "tscbz",
        "tspz",
        "tzdbh",
        "tzdh",
        "wqhtbabh",
        "xhdwdm",
        "xhdwdzdh",
        "xhdwmc",
        "xhdwyhzh",
        "yfpdm",
        "yfphm",
        "yqbz",
        "zbmx",
        "zfdqsj",
        "zffs",
        "zfr",
        "zfrdm",
        "zfrq",
        "zfyy",
        "zhsl",
        "zkbz",
        "zlqqz",
        "zsfs",
        "zyspmc",
        "zzfphm",
    ]
)
DETAIL_LINE_KEYS = set(
    [
        "bb",
        "cepzmx",
        "cqzsh",
        "djmxxh",
        "dw",
        "fpdm",
        "fphm",
        "fphxz",
        "fpmxxh",
        "ggxh",
        "hsbz",
        "hsdj",
        "hsje",
        "id",
        "je",
        "jqbh",
        "kpdwdm",
        "kprq",
        "lslbs",
        "mxid",
        "se",
        "sl",
        "spbm",
        "spdj",
        "spmc",
        "spsl",
        "spsm",
        "xhdwdm",
        "xsdjbh",
        "yhzcbs",
        "zxbm",
        "zzstsgl",
    ]
)


def test_query_mx_example_request_has_every_documented_field(pdy: Pdy) -> None:
    number = pdy.issue()
    body = {"username": USER, "nsrsbh": SELLER, "fphm": number, "fpqqlsh": "123678907523112"}
    reply = pdy.post(f"{Q}/invoiceQueryMx", body)
    assert reply["code"] == 200 and reply["msg"] == "成功"
    assert set(reply) == {"code", "msg", "data"}  # invoiceQueryMx's documented envelope
    assert set(reply["data"]) >= DETAIL_KEYS
    assert set(reply["data"]["zbmx"][0]) >= DETAIL_LINE_KEYS


def test_red_invoice_refused_while_face_needed(pdy: Pdy) -> None:
    number = pdy.issue()
    form = red_apply(pdy, number)["data"]
    pdy.control.post("/face/require", json={"vendor": "piaodanyun", "tax_id": SELLER})
    refused = red_issue(pdy, number, form["xxbbh"])
    assert refused["code"] == 999 and "人脸" in refused["msg"]
    pdy.control.post("/face/scan", json={"vendor": "piaodanyun", "tax_id": SELLER, "ok": True})
    red = red_issue(pdy, number, form["xxbbh"])
    assert red["code"] == 200
    detail = pdy.post(
        f"{Q}/invoiceQueryMx", {"username": USER, "nsrsbh": SELLER, "fphm": red["data"]["fphm"]}
    )["data"]
    assert detail["yfphm"] == number and detail["tzdbh"] == form["xxbbh"]
    assert detail["jshj"] == "-1.00"
