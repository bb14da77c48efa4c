"""ws-invoice client against the real sandbox over loopback."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.vendors.base import (
    AuthFailed,
    FaceAuthRequired,
    FaceChallenge,
    FaceHandler,
    FaceResult,
    NotSent,
    NotSupported,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    Rejected,
    Seller,
    VendorKey,
)
from invoicedesk.vendors.ws_invoice import WsInvoiceVendor
from tests.vendors import rest_helpers
from tests.vendors.rest_helpers import run

T = TypeVar("T")
TAX_ID = "91330106MA2H7Q3D1G"
BUYER_ID = "91110108MA01K2P4XY"
PASSWORD = "sandbox-password"


def control(sandbox: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return rest_helpers.control(sandbox, path, body or {})


def sandbox_invoices(sandbox: Any) -> list[dict[str, Any]]:
    return rest_helpers.sandbox_invoices(sandbox, "ws-invoice")


def numbers(sandbox: Any) -> list[str]:
    """The numbers the sandbox issued, in issue order (the documented invoice_pdf has none)."""
    return sorted(str(r["number"]) for r in sandbox_invoices(sandbox))


def sockets(sandbox: Any) -> dict[str, int]:
    """The sandbox's WebSockets: how many are open, and were opened since its reset."""
    counts: dict[str, int] = rest_helpers.control(sandbox, "ws", method="GET")
    return counts


async def until(condition: Callable[[], bool], timeout_s: float = 5) -> None:
    """Wait (without blocking the loop) until `condition()` holds; fail after `timeout_s`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def fault(sandbox: Any, endpoint: str, kind: str, count: int = 1) -> None:
    rest_helpers.fault(sandbox, "ws-invoice", endpoint, kind, count)


def make_vendor(base_url: str, password: str = PASSWORD) -> WsInvoiceVendor:
    async def get(name: str) -> str:
        return {"tax_password": password}[name]

    profile = Profile(
        name="WebSocket 演示",
        vendor=VendorKey.WS_INVOICE,
        base_url=base_url,
        seller=Seller(name="演示科技有限公司", tax_id=TAX_ID),
        user_name="13800000000",
        options={"userId": "sandbox-user", "area": "zhejiang", "role": "法定代表人"},
    )
    vendor = WsInvoiceVendor(profile, get)
    vendor.reply_timeout_s = 3  # the sandbox hangs 30 s on timeout faults
    vendor.face_timeout_s = 10
    vendor.http_timeout_s = 3
    return vendor


@pytest.fixture
def vendor_factory(sandbox: Any) -> Callable[..., WsInvoiceVendor]:
    def factory(**kw: Any) -> WsInvoiceVendor:
        return make_vendor(sandbox.base_urls["ws-invoice"], **kw)

    return factory


def draft(total: str = "113.00", buyer_tax_id: str = BUYER_ID) -> Draft:
    return Draft(
        buyer=Buyer(name="北京示例商贸有限公司", tax_id=buyer_tax_id),
        lines=[
            Line(
                name="*信息技术服务*软件维护",
                tax_code="3040201010000000000",
                unit="次",
                quantity="1",
                unit_price=total,
                amount=total,
                tax_rate="0.13",
                price_includes_tax=True,
            )
        ],
    )


async def with_vendor(vendor: WsInvoiceVendor, body: Callable[[], Awaitable[T]]) -> T:
    try:
        return await body()
    finally:
        await vendor.close()


class ScanningPhone(FaceHandler):
    """The UI side: shows the QR, and a 'phone' scans it through the control API."""

    def __init__(self, sandbox: Any, results: list[bool | None], retry: bool = True) -> None:
        self.sandbox = sandbox
        self.results = list(results)
        self.retry = retry
        self.shown: list[FaceChallenge] = []
        self.reported: list[FaceResult] = []

    async def show(self, challenge: FaceChallenge) -> None:
        self.shown.append(challenge)
        ok = self.results.pop(0)
        if ok is None:
            return  # nobody scans: the platform's wait runs out
        body = {"vendor": "ws-invoice", "tax_id": TAX_ID, "ok": ok}
        await asyncio.to_thread(control, self.sandbox, "face/scan", body)

    async def result(self, result: FaceResult) -> bool:
        self.reported.append(result)
        return self.retry


# ---- issuing --------------------------------------------------------------------------------


def test_issue_and_reuse_session(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    vendor = vendor_factory()

    async def body() -> tuple[Any, Any, dict[str, int]]:
        first = await vendor.issue(draft(), "S-1")
        second = await vendor.issue(draft("226.00"), "S-2")
        return first, second, sockets(sandbox)

    first, second, seen = run(with_vendor(vendor, body))
    assert seen == {"open": 1, "opened": 1}  # both over the one socket
    inv = first.invoice
    assert first.state == "ISSUED" and first.serial == "S-1"
    # the documented success carries no number or date: ISSUED, the number is looked up later
    assert inv.number is None and inv.date is None
    assert inv.total == Decimal("113.00")
    assert "pdf" in inv.files
    assert second.state == "ISSUED"
    rows = sandbox_invoices(sandbox)
    assert sorted(r["total"] for r in rows) == ["113.00", "226.00"]
    assert PASSWORD not in repr(first) and PASSWORD not in repr(second)
    assert PASSWORD not in caplog.text


def test_reconnects_when_the_socket_closed(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> Any:
        await vendor.issue(draft(), "S-3")
        assert control(sandbox, "ws/drop") == {"dropped": 1}  # the network drops it
        return await vendor.issue(draft("50.00"), "S-4")

    assert run(with_vendor(vendor, body)).state == "ISSUED"
    assert len(sandbox_invoices(sandbox)) == 2
    assert sockets(sandbox)["opened"] == 2  # a new socket for the second


def test_wrong_password_is_auth_failed(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "not-the-password-77"
    vendor = vendor_factory(password=wrong)
    with pytest.raises(AuthFailed) as info:
        run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-5")))
    assert wrong not in str(info.value)
    assert wrong not in caplog.text
    assert sandbox_invoices(sandbox) == []


def test_fractional_quantity_is_refused_before_sending(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    d = draft()
    d.lines[0].quantity = "1.5"
    d.lines[0].unit_price = "10"
    d.lines[0].amount = "15.00"
    with pytest.raises(Rejected) as info:
        run(with_vendor(vendor, lambda: vendor.issue(d, "S-6")))
    assert info.value.fields == ("lines[0].quantity",)


def test_discount_line_is_refused_before_sending(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    d = draft()
    d.lines.append(d.lines[0].model_copy(update={"kind": "discount", "amount": "-10.00"}))
    with pytest.raises(Rejected) as info:
        run(with_vendor(vendor, lambda: vendor.issue(d, "S-7")))
    assert info.value.fields == ("lines[1]",) and info.value.code == "no_discount_lines"
    assert sandbox_invoices(sandbox) == []


def test_query_by_serial_is_not_supported(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    with pytest.raises(NotSupported):
        run(with_vendor(vendor, lambda: vendor.query("S-1")))


# ---- face -----------------------------------------------------------------------------------


def test_face_qr_pushed_and_scanned(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "ws-invoice", "tax_id": TAX_ID})
    phone = ScanningPhone(sandbox, [True])
    outcome = run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-10", phone)))
    assert outcome.state == "ISSUED"
    assert len(phone.shown) == 1
    assert phone.reported == ["ok"]  # the invoice after a QR closes the dialog
    png = phone.shown[0].png
    assert png is not None and png.startswith(b"\x89PNG")
    assert len(sandbox_invoices(sandbox)) == 1


def test_failed_scan_then_retry(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "ws-invoice", "tax_id": TAX_ID})
    phone = ScanningPhone(sandbox, [False, True])
    outcome = run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-11", phone)))
    assert outcome.state == "ISSUED"
    assert phone.reported == ["failed", "ok"]
    assert len(phone.shown) == 2
    assert len(sandbox_invoices(sandbox)) == 1


def test_scan_timed_out_is_expired_then_retry(
    vendor_factory: Callable[..., WsInvoiceVendor],
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import invoicedesk.sandbox.ws_invoice as sandbox_ws

    monkeypatch.setattr(sandbox_ws, "FACE_WAIT_S", 0.3)  # the platform stops waiting: bare "0"
    vendor = vendor_factory()
    vendor.face_expiry_s = 0.2  # a "0" after this long is a QR that ran out
    control(sandbox, "face/require", {"vendor": "ws-invoice", "tax_id": TAX_ID})
    phone = ScanningPhone(sandbox, [None, True])
    outcome = run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-15", phone)))
    assert outcome.state == "ISSUED"
    assert phone.reported == ["expired", "ok"]
    assert len(sandbox_invoices(sandbox)) == 1


def test_no_face_result_without_a_qr(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    phone = ScanningPhone(sandbox, [])
    outcome = run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-16", phone)))
    assert outcome.state == "ISSUED"
    assert phone.shown == [] and phone.reported == []


def test_cancel_during_face_wait_closes_socket_and_nothing_is_issued(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "ws-invoice", "tax_id": TAX_ID})

    class Waiting(FaceHandler):
        def __init__(self) -> None:
            self.shown = asyncio.Event()

        async def show(self, challenge: FaceChallenge) -> None:
            self.shown.set()

        async def result(self, result: FaceResult) -> bool:
            return False

    async def body() -> None:
        phone = Waiting()
        task = asyncio.ensure_future(vendor.issue(draft(), "S-14", phone))
        await phone.shown.wait()  # the platform now waits for the scan
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # the socket was closed, not kept for the next issue: the platform sees it go
        await until(lambda: sockets(sandbox)["open"] == 0)
        scan = {"vendor": "ws-invoice", "tax_id": TAX_ID, "ok": True}
        await asyncio.to_thread(control, sandbox, "face/scan", scan)  # too late: abandoned

    run(with_vendor(vendor, body))
    assert sandbox_invoices(sandbox) == []


def test_failed_scan_without_retry(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "ws-invoice", "tax_id": TAX_ID})
    phone = ScanningPhone(sandbox, [False], retry=False)
    with pytest.raises(FaceAuthRequired):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-12", phone)))
    assert sandbox_invoices(sandbox) == []


def test_face_needed_without_handler(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "ws-invoice", "tax_id": TAX_ID})
    with pytest.raises(FaceAuthRequired):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-13")))
    assert sandbox_invoices(sandbox) == []


# ---- faults and reconciliation --------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["ws_close", "timeout_before", "timeout_after", "drop_after", "malformed"]
)
def test_issuing_faults_are_outcome_unknown_and_reconciled(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any, kind: str
) -> None:
    vendor = vendor_factory()
    fault(sandbox, "invoice_info", kind)
    since = dt.datetime.now() - dt.timedelta(minutes=5)

    async def body() -> list[Any]:
        with pytest.raises(OutcomeUnknown):
            await vendor.issue(draft("339.00"), "S-20")
        until = dt.datetime.now() + dt.timedelta(minutes=5)
        return await vendor.find_issued(BUYER_ID, Decimal("339.00"), since, until)

    found = run(with_vendor(vendor, body))
    numbers = [r["number"] for r in sandbox_invoices(sandbox)]
    assert [f.number for f in found] == numbers


def test_find_issued_filters_buyer_and_total(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    since = dt.datetime.now() - dt.timedelta(minutes=5)

    async def body() -> tuple[list[Any], list[Any], Any]:
        target = await vendor.issue(draft("339.00"), "S-21")
        await vendor.issue(draft("113.00"), "S-22")
        await vendor.issue(draft("339.00", buyer_tax_id=TAX_ID), "S-23")
        until = dt.datetime.now() + dt.timedelta(minutes=5)
        hit = await vendor.find_issued(BUYER_ID, Decimal("339.00"), since, until)
        miss = await vendor.find_issued(BUYER_ID, Decimal("1.00"), since, until)
        return hit, miss, target

    hit, miss, target = run(with_vendor(vendor, body))
    assert target.invoice.number is None
    assert [x.number for x in hit] == [numbers(sandbox)[0]]
    assert miss == []


def test_refusal_after_lapsed_login_logs_in_again_once(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> Any:
        await vendor.check_connection()
        fault(sandbox, "invoice_info", "token_expired")  # "0": not done, the login has lapsed
        return await vendor.issue(draft(), "S-24")

    assert run(with_vendor(vendor, body)).state == "ISSUED"
    assert len(sandbox_invoices(sandbox)) == 1


def test_repeated_refusal_is_rejected(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    fault(sandbox, "invoice_info", "http_500", count=2)
    with pytest.raises(Rejected):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-25")))
    assert sandbox_invoices(sandbox) == []


def test_draft_refused_by_vendor_is_rejected(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    d = draft()
    d.lines[0].tax_rate = "0.07"  # not in the 数电 rate list
    with pytest.raises(Rejected):
        run(with_vendor(vendor, lambda: vendor.issue(d, "S-26")))
    assert sandbox_invoices(sandbox) == []


def test_unknown_user_id_is_auth_failed(sandbox: Any) -> None:
    vendor = make_vendor(sandbox.base_urls["ws-invoice"])
    vendor.profile.options["userId"] = "someone-else"
    with pytest.raises(AuthFailed):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-27")))


def test_closed_port_is_not_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    vendor = make_vendor(f"ws://127.0.0.1:{port}/ws-invoice")
    with pytest.raises(NotSent):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), "S-30")))


# ---- history, line items, files -------------------------------------------------------------


def test_history_pages_and_cursor(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    vendor.page_size = 2

    async def body() -> tuple[list[Any], list[Any], list[str]]:
        for n in (1, 2, 3):
            await vendor.issue(draft(f"{n}.00"), f"S-4{n}")
        pages = [page async for page in vendor.history(None)]
        # a later sync resumes from the last stored cursor and sees what was issued since
        await vendor.issue(draft("4.00"), "S-44")
        resumed = [page async for page in vendor.history(pages[0].cursor)]
        return pages, resumed, numbers(sandbox)

    pages, resumed, issued = run(with_vendor(vendor, body))
    assert [len(p.invoices) for p in pages] == [2, 1]
    assert pages[0].cursor and pages[-1].cursor is None
    assert [i.number for p in pages for i in p.invoices] == issued[:3]  # oldest first
    totals = [i.total for p in pages for i in p.invoices]
    assert totals == [Decimal("1.00"), Decimal("2.00"), Decimal("3.00")]
    assert [[i.number for i in p.invoices] for p in resumed] == [issued[2:]]
    assert resumed[-1].cursor is None


def test_line_items_and_files(vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any) -> None:
    vendor = vendor_factory()

    async def body() -> tuple[Any, Any, bytes, bytes]:
        inv = (await vendor.issue(draft(), "S-50")).invoice
        inv = replace(inv, number=numbers(sandbox)[0])
        # a fresh client knows no invoice IDs: it looks the number up first
        fresh = make_vendor(vendor.profile.base_url)
        try:
            lines = await fresh.line_items(inv.number)
            bare = type(inv)(
                number=inv.number,
                date=inv.date,
                serial=None,
                amount=inv.amount,
                tax=inv.tax,
                total=inv.total,
            )
            pdf = await fresh.download(bare, "pdf")
            ofd = await fresh.download(bare, "ofd")
        finally:
            await fresh.close()
        return inv, lines, pdf, ofd

    _inv, lines, pdf, ofd = run(with_vendor(vendor, body))
    assert len(lines) == 1
    assert lines[0].name == "*信息技术服务*软件维护"
    assert lines[0].amount + lines[0].tax == Decimal("113.00")
    assert pdf.startswith(b"%PDF")
    assert ofd and ofd != pdf


@pytest.mark.parametrize(("failures", "left"), [(1, 0), (2, 1)])
def test_file_package_retried_once(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any, failures: int, left: int
) -> None:
    vendor = vendor_factory()

    async def body() -> list[Any]:
        await vendor.issue(draft(), "S-60")
        fault(sandbox, "query_invoice_download_zip", "http_500", count=failures)
        return [page async for page in vendor.history(None)]

    pages = run(with_vendor(vendor, body))
    assert sum(len(p.invoices) for p in pages) == 1  # the list holds whatever the package did
    assert vendor.zip_failures == left


def test_http_reads_retry_and_refuse(
    vendor_factory: Callable[..., WsInvoiceVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> Any:
        await vendor.issue(draft(), "S-70")
        (number,) = numbers(sandbox)
        fault(sandbox, "item", "http_500", count=1)  # a read is retried by the transport
        lines = await vendor.line_items(number)
        fault(sandbox, "item", "malformed", count=1)
        with pytest.raises(ProtocolError):
            await vendor.line_items(number)
        control(sandbox, "reset")  # the platform no longer knows the invoice the client does
        with pytest.raises(Rejected) as refused:
            await vendor.line_items(number)
        assert "发票不存在" in refused.value.message  # the platform's own "no", not a lookup
        return lines

    assert len(run(with_vendor(vendor, body))) == 1
