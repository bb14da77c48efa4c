"""The control API at /_sandbox (README table plus state/settings/seed/files) and the index."""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

SELLER = "91330106MA2H7Q3D1G"
OPEN_KEY = {"X-Api-Key": "sandbox-api-key"}


def issue(sandbox: Any, serial: str = "C1") -> str:
    httpx.post(f"{sandbox.control_url}/settings", json={"open_api_processing_s": 0})
    base = sandbox.base_urls["open-api"] + "/api/open/v1/blue-invoices"
    body = {
        "requestNo": serial,
        "invoiceReqSerialNo": serial,
        "invoiceIssueKindCode": "82",
        "buyerName": "杭州测试客户有限公司",
        "buyerTaxpayerNum": "91110108MA01K2P4XY",
        "itemList": [
            {
                "goodsName": "*信息技术服务*软件开发服务",
                "taxClassificationCode": "3040201010000000000",
                "quantity": "1",
                "unitPrice": "106.00",
                "invoiceAmount": "106.00",
                "taxRateValue": "0.06",
            }
        ],
    }
    assert httpx.post(base, json=body, headers=OPEN_KEY).json()["code"] == "0"
    number: str = httpx.get(f"{base}/{serial}", headers=OPEN_KEY).json()["data"][
        "electronicInvoiceNo"
    ]
    return number


def state(sandbox: Any) -> dict[str, Any]:
    result: dict[str, Any] = httpx.get(f"{sandbox.control_url}/state").json()
    return result


def test_invoices_lists_every_vendor_with_the_documented_keys(sandbox: Any) -> None:
    number = issue(sandbox)
    rows = httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"]
    assert rows == [
        {
            "vendor": "open-api",
            "serial": "C1",
            "number": number,
            "date": rows[0]["date"],
            "amount": "100.00",
            "tax": "6.00",
            "total": "106.00",
            "color": "blue",
            "blue_number": None,
            "used": False,
        }
    ]


def test_used_marks_the_invoice(sandbox: Any) -> None:
    number = issue(sandbox)
    assert httpx.post(f"{sandbox.control_url}/invoices/{number}/used").status_code == 200
    assert httpx.get(f"{sandbox.control_url}/invoices").json()["invoices"][0]["used"] is True
    assert httpx.post(f"{sandbox.control_url}/invoices/123/used").status_code == 404


def test_face_require_and_scan(sandbox: Any) -> None:
    url = sandbox.control_url
    body = {"vendor": "piaodanyun", "tax_id": SELLER}
    assert httpx.post(f"{url}/face/require", json=body).status_code == 200
    assert state(sandbox)["face"] == [
        {"vendor": "piaodanyun", "tax_id": SELLER, "needed": True, "valid_until": None}
    ]
    assert httpx.post(f"{url}/face/scan", json={**body, "ok": False}).json()["ok"] is False
    assert state(sandbox)["face"][0]["needed"] is True
    scan = httpx.post(f"{url}/face/scan", json={**body, "ok": True}).json()
    assert scan["ok"] is True and scan["valid_until"]
    assert state(sandbox)["face"][0]["needed"] is False
    assert sandbox.state.face.needed("piaodanyun", SELLER) is False
    httpx.post(f"{url}/clock", json={"advance_hours": 25})
    assert state(sandbox)["face"][0]["needed"] is True  # 24-hour window passed


@pytest.mark.parametrize(
    "body", [{}, {"vendor": "acme"}, {"vendor": "faw", "tax_id": 5}, {"vendor": "faw", "ok": 1}]
)
def test_face_scan_bad_bodies_are_400(sandbox: Any, body: dict[str, Any]) -> None:
    reply = httpx.post(f"{sandbox.control_url}/face/scan", json=body)
    assert reply.status_code == 400 and reply.json()["error"]


def test_red_confirm_and_72_hour_expiry(sandbox: Any) -> None:
    number = issue(sandbox)
    httpx.post(f"{sandbox.control_url}/invoices/{number}/used")
    form = sandbox.state.red.apply(number, "01")
    assert form.status == "02"
    url = f"{sandbox.control_url}/red/confirm"
    reply = httpx.post(url, json={"form_no": form.form_no, "accept": True})
    assert reply.json() == {"form_no": form.form_no, "status": "04"}
    assert httpx.post(url, json={"form_no": form.form_no, "accept": True}).status_code == 409
    assert httpx.post(url, json={"form_no": "nope", "accept": True}).status_code == 409
    assert httpx.post(url, json={"accept": True}).status_code == 400

    other = issue(sandbox, "C2")
    httpx.post(f"{sandbox.control_url}/invoices/{other}/used")
    refused = sandbox.state.red.apply(other, "01")
    assert httpx.post(url, json={"form_no": refused.form_no, "accept": False}).json() == {
        "form_no": refused.form_no,
        "status": "05",
    }
    late = sandbox.state.red.apply(other, "01")
    before = state(sandbox)["now"]
    assert httpx.post(f"{sandbox.control_url}/clock", json={"advance_hours": 73}).json()["now"] > (
        before
    )
    forms = {f["form_no"]: f for f in httpx.get(f"{sandbox.control_url}/red").json()["forms"]}
    assert forms[late.form_no]["status"] == "07" and forms[form.form_no]["status"] == "04"


def test_clock_needs_a_number(sandbox: Any) -> None:
    assert httpx.post(f"{sandbox.control_url}/clock", json={"advance_hours": "x"}).status_code == (
        400
    )


def test_faults_add_up_list_and_clear(sandbox: Any) -> None:
    url = f"{sandbox.control_url}/faults"
    httpx.post(url, json={"vendor": "faw", "endpoint": "*", "kind": "http_500", "rate": 0.3})
    httpx.post(
        url,
        json=[
            {"vendor": "open-api", "endpoint": "batches", "kind": "malformed", "count": 2},
            {"vendor": "*", "endpoint": "*", "kind": "latency", "latency_ms": 5, "extra": 1},
        ],
    )
    faults = httpx.get(url).json()["faults"]
    assert [(f["vendor"], f["kind"], f["rate"], f["count"]) for f in faults] == [
        ("faw", "http_500", 0.3, None),
        ("open-api", "malformed", None, 2),
        ("*", "latency", 1.0, None),
    ]
    assert httpx.post(url, json={"clear": True}).json() == {"faults": []}
    assert state(sandbox)["faults"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"vendor": "faw", "kind": "explode"},
        {"vendor": "faw", "kind": "http_500", "rate": 1.5},
        {"vendor": "nobody", "kind": "http_500"},
        [{"kind": "http_500"}, "not an object"],
    ],
)
def test_bad_faults_are_400(sandbox: Any, body: Any) -> None:
    reply = httpx.post(f"{sandbox.control_url}/faults", json=body)
    assert reply.status_code == 400 and reply.json()["error"]


def test_reset_empties_state_and_faults(sandbox: Any) -> None:
    issue(sandbox)
    httpx.post(f"{sandbox.control_url}/faults", json={"kind": "http_500", "vendor": "faw"})
    httpx.post(f"{sandbox.control_url}/settings", json={"token_ttl_s": 5})
    assert httpx.post(f"{sandbox.control_url}/reset").json() == {"ok": True}
    after = state(sandbox)
    assert after["faults"] == [] and after["counts"]["open-api"] == 0
    assert after["settings"]["token_ttl_s"] == 7200 and after["credit"]["used"] == "0.00"


def test_settings_read_change_and_validate(sandbox: Any) -> None:
    url = f"{sandbox.control_url}/settings"
    assert httpx.get(url).json()["face_window_hours"] == "24"
    changed = httpx.post(url, json={"face_window_hours": "0.5", "token_ttl_s": 60}).json()
    assert changed["face_window_hours"] == "0.5" and changed["token_ttl_s"] == 60
    assert httpx.post(url, json={"hang_s": "soon"}).status_code == 400
    assert httpx.post(url, json={"credit_total": "200.00"}).status_code == 200
    assert state(sandbox)["credit"]["left"] == "200.00"


def test_seed_and_state_counts(sandbox: Any) -> None:
    assert httpx.post(f"{sandbox.control_url}/seed", json={"count": 5}).json() == {"issued": 5}
    assert state(sandbox)["counts"]["open-api"] == 5
    assert httpx.post(f"{sandbox.control_url}/seed", json={"count": 0}).status_code == 400


def test_files_pdf_ofd_xml(sandbox: Any) -> None:
    number = issue(sandbox)
    url = f"{sandbox.control_url}/files/{number}"
    pdf = httpx.get(f"{url}.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(httpx.get(f"{url}.ofd").content))
    assert "OFD.xml" in archive.namelist()
    root = ET.fromstring(httpx.get(f"{url}.xml").content)
    assert root.findtext("Header/fphm") == number
    assert root.findtext("Header/jshj") == "106.00"
    assert root.findtext("Header/xsfnsrsbh") == SELLER
    assert root.findtext("Mxxx/Mx/slv") == "0.06" and root.findtext("Mxxx/Mx/je") == "100.00"
    assert httpx.get(f"{url}.doc").status_code == 404
    assert httpx.get(f"{sandbox.control_url}/files/0.pdf").status_code == 404


def test_index_page_lists_vendors_and_accounts(sandbox: Any) -> None:
    page = httpx.get(sandbox.control_url.removesuffix("/_sandbox") + "/").text
    for key, url in sandbox.base_urls.items():
        assert key in page and url in page
    assert "sandbox-api-key" in page and "sandbox-flag" in page and "/_sandbox" in page


def test_server_attributes(sandbox: Any) -> None:
    port = sandbox.port
    assert sandbox.base_urls == {
        "open-api": f"http://127.0.0.1:{port}/open-api",
        "ws-invoice": f"ws://127.0.0.1:{port}/ws-invoice",
        "piaodanyun": f"http://127.0.0.1:{port}/piaodanyun",
        "signed-api": f"http://127.0.0.1:{port}/signed-api",
        "faw": f"http://127.0.0.1:{port}/faw",
    }
    assert sandbox.control_url == f"http://127.0.0.1:{port}/_sandbox"


def test_pdf_renders_and_shows_number_parties_lines_and_totals(sandbox: Any, tmp_path: Any) -> None:
    """The sandbox PDF is a real PDF: poppler renders it and its text holds what an invoice
    shows (pdftotext/pdftoppm come from poppler-utils, CJK maps from poppler-data; .ci/run
    installs both)."""
    import shutil
    import subprocess

    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils is not installed (see the README's system packages)")
    number = issue(sandbox)
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(httpx.get(f"{sandbox.control_url}/files/{number}.pdf").content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (number, "杭州测试客户有限公司", "91110108MA01K2P4XY", SELLER, "软件开发服务"):
        assert expected in text, f"{expected!r} not in the PDF text"
    assert "106.00" in text and "100.00" in text and "6.00" in text
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 5_000  # a rendered page, not a blank


def test_a_client_that_hangs_up_mid_request_leaves_no_error_in_the_log(
    sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A download cancelled as the program closes ends its request half sent: the sandbox has
    nothing to answer and nothing to report (it used to print a ClientDisconnect traceback)."""
    import socket
    import time
    from urllib.parse import urlsplit

    url = urlsplit(sandbox.base_urls["piaodanyun"] + "/obtainToken")
    with caplog.at_level(logging.ERROR):
        with socket.create_connection((url.hostname, url.port)) as sock:
            sock.sendall(
                f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 100\r\n\r\nphone=1".encode()
            )
            time.sleep(0.2)  # the handler is reading the body when the client goes
        time.sleep(0.3)
        httpx.get(f"{sandbox.control_url}/state", timeout=10).raise_for_status()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
