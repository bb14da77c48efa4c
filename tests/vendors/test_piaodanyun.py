"""piaodanyun client against the real sandbox over loopback."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.vendors.base import (
    AuthExpired,
    AuthFailed,
    FaceAuthRequired,
    NotSent,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    RedForm,
    RedFormRequest,
    Rejected,
    Seller,
    VendorKey,
)
from invoicedesk.vendors.piaodanyun import PiaodanyunVendor
from tests.vendors import rest_helpers
from tests.vendors.rest_helpers import run

T = TypeVar("T")
TAX_ID = "91330106MA2H7Q3D1G"
PASSWORD = "sandbox-password"


def control(sandbox: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return rest_helpers.control(sandbox, path, body or {})


def sandbox_invoices(sandbox: Any) -> list[dict[str, Any]]:
    return rest_helpers.sandbox_invoices(sandbox, "piaodanyun")


def issued_tokens(sandbox: Any) -> list[str]:
    """The access tokens the sandbox's obtainToken handed out since its reset (what the
    platform knows; the client keeps its own copy to itself)."""
    return list(sandbox.state.scratch("piaodanyun")["tokens"])


def fault(sandbox: Any, endpoint: str, kind: str, count: int = 1) -> None:
    rest_helpers.fault(sandbox, "piaodanyun", endpoint, kind, count)


def make_vendor(
    base_url: str, secrets: dict[str, str] | None = None, **options: str
) -> PiaodanyunVendor:
    values = secrets if secrets is not None else {"password": PASSWORD, "tax_password": PASSWORD}

    async def get(name: str) -> str:
        return values[name]

    profile = Profile(
        name="票单云演示",
        vendor=VendorKey.PIAODANYUN,
        base_url=base_url,
        seller=Seller(name="演示科技有限公司", tax_id=TAX_ID),
        user_name="13800000000",
        options={
            "tenant_id": "1",
            "seller_address_phone": "杭州市西湖区文三路 100 号 0571-88888888",
            "seller_bank_account": "中国工商银行杭州分行 1202020209000012345",
            **options,
        },
    )
    vendor = PiaodanyunVendor(profile, get)
    vendor.http_timeout_s = 2  # the sandbox hangs 30 s on timeout faults
    return vendor


@pytest.fixture
def vendor_factory(sandbox: Any) -> Callable[..., PiaodanyunVendor]:
    def factory(**kw: Any) -> PiaodanyunVendor:
        return make_vendor(sandbox.base_urls["piaodanyun"], **kw)

    return factory


def draft(amount: str = "113.00", buyer_tax_id: str = "91110108MA01K2P4XY") -> Draft:
    return Draft(
        buyer=Buyer(name="北京示例商贸有限公司", tax_id=buyer_tax_id),
        lines=[
            Line(
                name="*信息技术服务*软件维护",
                tax_code="3040201010000000000",
                unit="次",
                quantity="2",
                unit_price=str(Decimal(amount) / 2),
                amount=amount,
                tax_rate="0.13",
                price_includes_tax=True,
            )
        ],
        remark="测试",
    )


async def with_vendor(
    vendor: PiaodanyunVendor, body: Callable[[], Awaitable[T]], *, login: bool = True
) -> T:
    """Run `body` after the tax-bureau SMS login (every /qdjk call needs it), then close."""
    try:
        if login:
            await vendor.sms_login_start()
            await vendor.sms_login_finish("123456")
        return await body()
    finally:
        await vendor.close()


# ---- issuing --------------------------------------------------------------------------------


def test_issue_query_and_lines(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    serial = f"{TAX_ID}_0001"

    async def body() -> Any:
        outcome = await vendor.issue(draft(), serial)
        found = await vendor.query(serial)
        by_number = await vendor.get_invoice(outcome.invoice.number)
        missing = await vendor.query(f"{TAX_ID}_9999")
        return outcome, found, by_number, missing

    outcome, found, by_number, missing = run(with_vendor(vendor, body))
    assert outcome.state == "ISSUED"
    invoice = outcome.invoice
    assert invoice.number and len(invoice.number) == 20
    assert (invoice.amount, invoice.tax, invoice.total) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    rows = sandbox_invoices(sandbox)
    assert [(r["serial"], r["number"], r["total"]) for r in rows] == [
        (serial, invoice.number, "113.00")
    ]
    assert found is not None and found.number == invoice.number and found.serial == serial
    assert found.total == Decimal("113.00") and found.tax == Decimal("13.00")
    assert by_number.lines and by_number.lines[0].name == "*信息技术服务*软件维护"
    assert by_number.lines[0].amount == Decimal("100.00")
    assert by_number.lines[0].tax_rate == Decimal("0.13")
    assert missing is None


def test_same_serial_returns_first_invoice(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    serial = f"{TAX_ID}_0002"

    async def body() -> tuple[Any, Any]:
        return await vendor.issue(draft(), serial), await vendor.issue(draft(), serial)

    first, second = run(with_vendor(vendor, body))
    assert first.invoice.number == second.invoice.number
    assert len(sandbox_invoices(sandbox)) == 1


def test_bad_line_is_rejected_before_sending(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    bad = draft()
    bad.lines[0].tax_rate = "abc"
    with pytest.raises(Exception) as info:
        run(with_vendor(vendor, lambda: vendor.issue(bad, f"{TAX_ID}_0003")))
    assert getattr(info.value, "fields", ()) == ("lines[0]",)
    assert sandbox_invoices(sandbox) == []


def test_address_and_phone_too_long_together_is_refused_before_sending(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    # each within its own limit (300 / 60), but 票单云 joins them into one 300-character field
    vendor = vendor_factory()
    long = draft()
    long.buyer.address = "杭" * 280
    long.buyer.phone = "0571-88886666 转 123456"  # 280 + 1 + 22 = 303
    with pytest.raises(Rejected) as info:
        run(with_vendor(vendor, lambda: vendor.issue(long, f"{TAX_ID}_0004")))
    assert info.value.fields == ("buyer.address", "buyer.phone")
    assert "300" in info.value.message
    assert sandbox_invoices(sandbox) == []
    long.buyer.phone = "0571"  # 280 + 1 + 4 = 285: fits
    issued = run(with_vendor(vendor, lambda: vendor.issue(long, f"{TAX_ID}_0005")))
    assert issued.state == "ISSUED"


# ---- token ----------------------------------------------------------------------------------


def test_token_renewed_once_after_expiry(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> Any:
        await vendor.credit_line()
        before = issued_tokens(sandbox)
        control(sandbox, "clock", {"advance_hours": 3})  # past the token's lifetime
        outcome = await vendor.issue(draft(), f"{TAX_ID}_0010")
        return before, issued_tokens(sandbox), outcome

    before, after, outcome = run(with_vendor(vendor, body))
    assert outcome.state == "ISSUED"
    assert len(before) == 1 and len(after) == 2  # one token, then exactly one more


def test_token_expired_fault_renews_and_retries(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    fault(sandbox, "blueTicket", "token_expired", count=1)
    outcome = run(with_vendor(vendor, lambda: vendor.issue(draft(), f"{TAX_ID}_0011")))
    assert outcome.state == "ISSUED"
    assert len(sandbox_invoices(sandbox)) == 1


def test_token_renewed_only_once(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    fault(sandbox, "blueTicket", "token_expired", count=2)
    with pytest.raises(AuthExpired):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), f"{TAX_ID}_0012")))
    assert sandbox_invoices(sandbox) == []


def test_wrong_password_is_auth_failed_without_the_secret(
    vendor_factory: Callable[..., PiaodanyunVendor],
    sandbox: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = "wrong-secret-pw-42"
    vendor = vendor_factory(secrets={"password": wrong, "tax_password": wrong})
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthFailed) as info:
        run(with_vendor(vendor, vendor.check_connection, login=False))
    assert wrong not in str(info.value) and wrong not in repr(info.value.args)
    assert wrong not in caplog.text


def test_secrets_never_logged(
    vendor_factory: Callable[..., PiaodanyunVendor],
    sandbox: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    vendor = vendor_factory()
    caplog.set_level(logging.DEBUG)

    async def body() -> None:
        await vendor.sms_login_start()
        await vendor.sms_login_finish("123456")
        await vendor.issue(draft(), f"{TAX_ID}_0013")
        fault(sandbox, "blueTicket", "malformed")
        with pytest.raises(OutcomeUnknown) as info:
            await vendor.issue(draft("226.00"), f"{TAX_ID}_0014")
        assert PASSWORD not in str(info.value)

    run(with_vendor(vendor, body))
    assert caplog.records  # httpx logged the requests
    assert PASSWORD not in caplog.text
    tokens = issued_tokens(sandbox)
    assert tokens and not [token for token in tokens if token in caplog.text]


# ---- tax-bureau login -----------------------------------------------------------------------


def test_sms_login(vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any) -> None:
    vendor = vendor_factory()

    async def body() -> Any:
        await vendor.sms_login_start()
        await vendor.sms_login_finish("123456")
        return await vendor.credit_line()  # a /qdjk call: needs the tax-bureau session

    assert run(with_vendor(vendor, body, login=False)).left > 0


def test_sms_login_wrong_code(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> None:
        await vendor.sms_login_start()
        await vendor.sms_login_finish("000000")

    with pytest.raises(AuthFailed):
        run(with_vendor(vendor, body, login=False))


# ---- face -----------------------------------------------------------------------------------


def test_face_flow(vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any) -> None:
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": TAX_ID})
    serial = f"{TAX_ID}_0020"

    async def body() -> dict[str, Any]:
        out: dict[str, Any] = {"status": await vendor.face_status()}
        with pytest.raises(FaceAuthRequired):
            await vendor.issue(draft(), serial)
        challenge = await vendor.face_qr(app=2)
        out["challenge"] = challenge
        out["before"] = await vendor.face_poll(challenge)
        await asyncio.to_thread(
            control, sandbox, "face/scan", {"vendor": "piaodanyun", "tax_id": TAX_ID, "ok": True}
        )
        out["after"] = await vendor.face_poll(challenge)
        out["status_after"] = await vendor.face_status()
        out["outcome"] = await vendor.issue(draft(), serial)
        return out

    out = run(with_vendor(vendor, body))
    assert out["status"].needed is True
    assert out["challenge"].text and out["challenge"].app == 2
    assert out["before"] is None
    assert out["after"] == "ok"
    assert out["status_after"].needed is False
    # the window is the vendor's setting (sandbox: 24 h), not a constant of ours
    assert out["status_after"].window_hours == Decimal("24")
    assert out["outcome"].state == "ISSUED"
    assert len(sandbox_invoices(sandbox)) == 1


def test_face_window_expires_with_the_clock(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> tuple[Any, Any]:
        control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": TAX_ID})
        control(sandbox, "face/scan", {"vendor": "piaodanyun", "tax_id": TAX_ID, "ok": True})
        fresh = await vendor.face_status()
        control(sandbox, "clock", {"advance_hours": 25})
        return fresh, await vendor.face_status()

    fresh, later = run(with_vendor(vendor, body))
    assert fresh.needed is False
    assert later.needed is True


def test_failed_scan_keeps_waiting_and_polling_fetches_no_new_qr(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    """The state comes from queryFaceAuthState only: a failed scan leaves `Sfsl` Y (waiting,
    until the QR's lifetime runs out in the services), and polling never calls getFaceImg."""
    vendor = vendor_factory()
    control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": TAX_ID})
    scan = {"vendor": "piaodanyun", "tax_id": TAX_ID}
    calls: list[str] = []
    vendor.on_call = lambda _vendor, endpoint, _ms, _outcome: calls.append(endpoint)

    async def body() -> list[Any]:
        challenge = await vendor.face_qr()
        calls.clear()
        await asyncio.to_thread(control, sandbox, "face/scan", {**scan, "ok": False})
        seen = [await vendor.face_poll(challenge)]
        await asyncio.to_thread(control, sandbox, "face/scan", {**scan, "ok": True})
        seen.append(await vendor.face_poll(challenge))
        return seen

    assert run(with_vendor(vendor, body)) == [None, "ok"]
    assert calls and set(calls) == {"/qdjk/fullApplets/queryFaceAuthState"}


# ---- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["timeout_before", "timeout_after", "drop_after", "malformed", "http_500"]
)
def test_issuing_faults_are_outcome_unknown(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any, kind: str
) -> None:
    vendor = vendor_factory()
    serial = f"{TAX_ID}_0030"
    fault(sandbox, "blueTicket", kind)

    async def body() -> Any:
        with pytest.raises(OutcomeUnknown):
            await vendor.issue(draft(), serial)
        # reconcile by the same serial: the vendor tells what happened
        return await vendor.query(serial)

    found = run(with_vendor(vendor, body))
    committed = kind in ("timeout_after", "drop_after", "malformed")
    assert (found is not None) == committed
    assert len(sandbox_invoices(sandbox)) == (1 if committed else 0)


def test_issue_is_not_resent_after_ambiguous_failure(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    fault(sandbox, "blueTicket", "http_500", count=1)
    with pytest.raises(OutcomeUnknown):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), f"{TAX_ID}_0031")))
    # the one fault was consumed by one attempt: nothing was retried behind our back
    assert sandbox_invoices(sandbox) == []


def test_malformed_read_is_protocol_error(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    fault(sandbox, "getCreditLine", "malformed")
    with pytest.raises(ProtocolError):
        run(with_vendor(vendor, vendor.credit_line))


def test_closed_port_is_not_sent() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    vendor = make_vendor(f"http://127.0.0.1:{port}/piaodanyun")
    with pytest.raises(NotSent):
        run(with_vendor(vendor, lambda: vendor.issue(draft(), f"{TAX_ID}_0032"), login=False))


# ---- credit, files, red letters ---------------------------------------------------------------


def test_credit_line_shrinks_by_the_amount(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> tuple[Any, Any]:
        before = await vendor.credit_line()
        await vendor.issue(draft(), f"{TAX_ID}_0040")
        return before, await vendor.credit_line()

    before, after = run(with_vendor(vendor, body))
    assert before.left - after.left == Decimal("100.00")
    assert before.total is not None and before.total >= before.left


def test_download_files(vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any) -> None:
    vendor = vendor_factory()

    async def body() -> dict[str, bytes]:
        outcome = await vendor.issue(draft(), f"{TAX_ID}_0050")
        return {k: await vendor.download(outcome.invoice, k) for k in ("pdf", "ofd", "xml")}

    files = run(with_vendor(vendor, body))
    assert files["pdf"].startswith(b"%PDF")
    assert files["ofd"] and files["xml"]
    assert files["pdf"] != files["xml"]


def test_red_chain_without_confirmation(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> dict[str, Any]:
        blue = (await vendor.issue(draft(), f"{TAX_ID}_0060")).invoice
        check = await vendor.red_check(blue.number)
        form = await vendor.red_apply(
            RedFormRequest(blue_number=blue.number, reason="01", full=True)
        )
        again = await vendor.red_apply(
            RedFormRequest(blue_number=blue.number, reason="01", full=True)
        )
        status = await vendor.red_status(form.form_no)
        red = await vendor.red_issue(form, f"{TAX_ID}_0061")
        return {
            "blue": blue,
            "check": check,
            "form": form,
            "again": again,
            "status": status,
            "red": red,
        }

    out = run(with_vendor(vendor, body))
    assert out["check"].ok is True
    assert out["check"].invoice is not None and out["check"].invoice.total == Decimal("-113.00")
    assert out["form"].status == "01"
    assert out["form"].amount == Decimal("-100.00") and out["form"].tax == Decimal("-13.00")
    assert out["again"].form_no == out["form"].form_no  # no second form for the same blue
    assert out["status"].status == "01"
    red = out["red"].invoice
    assert red.color == "red" and red.blue_number == out["blue"].number
    assert red.total == Decimal("-113.00")
    rows = {r["number"]: r for r in sandbox_invoices(sandbox)}
    assert rows[red.number]["color"] == "red"
    assert rows[red.number]["blue_number"] == out["blue"].number


def test_red_chain_with_buyer_confirmation(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()

    async def body() -> dict[str, Any]:
        blue = (await vendor.issue(draft(), f"{TAX_ID}_0070")).invoice
        await asyncio.to_thread(control, sandbox, f"invoices/{blue.number}/used")
        form = await vendor.red_apply(
            RedFormRequest(blue_number=blue.number, reason="01", full=True)
        )
        await asyncio.to_thread(
            control, sandbox, "red/confirm", {"form_no": form.form_no, "accept": True}
        )
        confirmed = await vendor.red_status(form.form_no)
        red = await vendor.red_issue(confirmed, f"{TAX_ID}_0071")
        return {"form": form, "confirmed": confirmed, "red": red}

    out = run(with_vendor(vendor, body))
    assert out["form"].status == "02"
    assert out["confirmed"].status == "04"
    assert out["red"].invoice.color == "red"


def test_a_fresh_client_reads_a_stored_form_even_once_void(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    first, fresh = vendor_factory(), vendor_factory()

    async def apply() -> RedForm:
        blue = (await first.issue(draft(), f"{TAX_ID}_0080")).invoice
        assert blue is not None and blue.number
        await asyncio.to_thread(control, sandbox, f"invoices/{blue.number}/used")
        return await first.red_apply(
            RedFormRequest(blue_number=blue.number, reason="01", full=True)
        )

    form = run(with_vendor(first, apply))
    assert form.status == "02" and form.reason == "01" and form.uuid
    control(sandbox, "clock", {"advance_hours": 73})
    void = run(with_vendor(fresh, lambda: fresh.red_status(form.form_no, form)))
    assert (void.form_no, void.status, void.uuid) == (form.form_no, "07", form.uuid)


def test_red_check_of_unknown_invoice_says_no(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    check = run(with_vendor(vendor, lambda: vendor.red_check("26330000000000000999")))
    assert check.ok is False and check.message


def test_red_status_of_an_unknown_form_is_refused(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    vendor = vendor_factory()
    with pytest.raises(Rejected):
        run(with_vendor(vendor, lambda: vendor.red_status("26330000000000000001")))


def test_query_needs_the_tax_bureau_session(
    vendor_factory: Callable[..., PiaodanyunVendor], sandbox: Any
) -> None:
    # "not logged in" must not read as "no invoice for this serial"
    vendor = vendor_factory()
    with pytest.raises(AuthExpired) as info:
        run(with_vendor(vendor, lambda: vendor.query(f"{TAX_ID}_0090"), login=False))
    assert info.value.code == "tax_login_required"
