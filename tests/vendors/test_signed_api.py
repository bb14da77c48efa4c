"""signed-api client: the §10 signing test vector (unit) and every method against the sandbox."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from invoicedesk.vendors.base import (
    AuthFailed,
    IssuedInvoice,
    OutcomeUnknown,
    ProtocolError,
    Rejected,
    VendorKey,
)
from invoicedesk.vendors.signed_api import (
    SignedApiVendor,
    assemble,
    describe_skew,
    sign,
    timestamp_text,
)
from tests.vendors.rest_helpers import control, fault, profile, run, secrets

# ---- signing (domain-reference §10) --------------------------------------------------------


def test_sign_test_vector() -> None:
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
    assert assemble(params) == (
        "charsetutf-8flagtestmethodinvoice.getListpage_no1page_size100timestamp1700000000"
        "typejsonver1"
    )
    assert sign(params, "SECRET") == "5E896C9272A074E891AEAAAC0F35CF3A"
    assert sign({**params, "sign": "ignored"}, "SECRET") == "5E896C9272A074E891AEAAAC0F35CF3A"


def test_assemble_skips_null_writes_booleans_and_recurses() -> None:
    params = {"b": True, "a": None, "c": {"y": [1, "x"], "x": False}, "d": Decimal("1.50")}
    assert assemble(params) == "b1cx0y011xd1.50"


def test_timestamp_is_fourteen_digits_of_beijing_time_whatever_the_zone() -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert timestamp_text(dt.datetime(2026, 5, 20, 10, 0, 7, tzinfo=beijing)) == "20260520100007"
    assert timestamp_text(dt.datetime(2026, 5, 20, 2, 0, 7, tzinfo=dt.UTC)) == "20260520100007"


def test_clock_skew_is_described_in_minutes() -> None:
    ours = dt.datetime(2026, 5, 20, 10, 30, tzinfo=dt.UTC)
    assert (
        describe_skew(ours, "Wed, 20 May 2026 10:18:00 GMT")
        == "这台电脑的时间比开票平台快约 12 分钟"
    )
    assert "慢约 3.0 小时" in describe_skew(ours, "Wed, 20 May 2026 13:30:00 GMT")
    assert describe_skew(ours, None) == ""


# ---- against the sandbox ------------------------------------------------------------------


def client(
    sandbox: Any,
    *,
    flag: str = "sandbox-flag",
    secret: str = "sandbox-secret",
    clock_offset: dt.timedelta = dt.timedelta(0),
) -> SignedApiVendor:
    def clock() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + clock_offset

    return SignedApiVendor(
        profile(sandbox.base_urls["signed-api"], VendorKey.SIGNED_API, user_name=flag),
        secrets(secret=secret),
        timeout=2.0,
        clock=clock,
    )


async def all_pages(vendor: SignedApiVendor) -> list[tuple[list[IssuedInvoice], str | None]]:
    return [(list(page.invoices), page.cursor) async for page in vendor.history(None)]


def test_history_pages_through_both_lists_with_a_cursor(sandbox: Any) -> None:
    control(sandbox, "seed", {"count": 130, "vendor": "open-api"})

    async def go() -> None:
        vendor = client(sandbox)
        pages = await all_pages(vendor)
        assert [len(p[0]) for p in pages[:2]] == [100, 30]
        assert pages[0][1] == "invoice.getInvoiceList:2"
        numbers = {x.number for p in pages[:2] for x in p[0]}
        assert len(numbers) == 130
        assert pages[-1][1] is None
        first = pages[0][0][0]
        assert first.total == first.amount + first.tax and first.total > 0
        # resume from a cursor: the second page only
        resumed = [p async for p in vendor.history("invoice.getInvoiceList:2")]
        assert len(resumed[0].invoices) == 30
        await vendor.close()

    run(go())


def test_get_invoice_line_items_and_print_info(sandbox: Any) -> None:
    control(sandbox, "seed", {"count": 1, "vendor": "piaodanyun"})
    number = control(sandbox, "invoices", method="GET")["invoices"][0]["number"]

    async def go() -> None:
        vendor = client(sandbox)
        await vendor.check_connection()
        invoice = await vendor.get_invoice(number)
        assert invoice.number == number
        assert invoice.total == Decimal("106.53")
        assert (invoice.amount, invoice.tax) == (Decimal("100.50"), Decimal("6.03"))
        assert invoice.buyer_tax_id == "91110108MA01K2P4XY"
        lines = await vendor.line_items(number)
        assert len(lines) == 1 and lines[0].amount == Decimal("100.50")
        await vendor.update_print_info(number, {"print_status": "1", "print_count": "1"})
        with pytest.raises(Rejected):
            await vendor.get_invoice("00000000000000000000")
        await vendor.close()

    run(go())


@pytest.mark.parametrize(
    ("flag", "secret", "code"),
    [("wrong-flag", "sandbox-secret", "1001"), ("sandbox-flag", "wrong-secret", "1003")],
)
def test_wrong_flag_or_secret_is_auth_failed(
    sandbox: Any, flag: str, secret: str, code: str
) -> None:
    async def go() -> None:
        vendor = client(sandbox, flag=flag, secret=secret)
        with pytest.raises(AuthFailed) as info:
            await vendor.check_connection()
        await vendor.close()
        assert info.value.code == code
        assert "wrong-secret" not in str(info.value)

    run(go())


def test_clock_skew_says_the_computer_clock_is_off_and_by_how_much(sandbox: Any) -> None:
    async def go() -> None:
        vendor = client(sandbox, clock_offset=dt.timedelta(minutes=20))
        with pytest.raises(AuthFailed) as info:
            await vendor.check_connection()
        await vendor.close()
        assert info.value.code == "1002"
        assert "时间" in info.value.message
        assert "快约 20 分钟" in info.value.message

    run(go())


@pytest.mark.parametrize(
    ("kind", "count", "error"),
    [
        ("http_500", 3, OutcomeUnknown),
        ("drop_after", 3, OutcomeUnknown),
        ("malformed", 1, ProtocolError),
        ("token_expired", 1, AuthFailed),
    ],
)
def test_faults_map_to_typed_errors(
    sandbox: Any, kind: str, count: int, error: type[Exception]
) -> None:
    fault(sandbox, "signed-api", "invoice.getInvoiceList", kind, count)

    async def go() -> None:
        vendor = client(sandbox)
        with pytest.raises(error):
            await vendor.check_connection()
        await vendor.close()

    run(go())


def test_a_transient_fault_on_a_read_is_retried(sandbox: Any) -> None:
    fault(sandbox, "signed-api", "invoice.getInvoiceList", "http_500", 1)

    async def go() -> None:
        vendor = client(sandbox)
        await vendor.check_connection()
        await vendor.close()

    run(go())
