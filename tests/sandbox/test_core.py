"""The sandbox's shared state, without the server: figures, dedupe, credit, faces, red forms."""

from __future__ import annotations

import asyncio
from decimal import Decimal as D

import pytest

from invoicedesk.sandbox.core import (
    FaultDraw,
    Refused,
    SandboxSettings,
    SandboxState,
    SbLine,
    check_figures,
    json_body,
    parse_fault,
)

SELLER = "91330106MA2H7Q3D1G"


def line(index: int = 1, amount: str = "100.00", rate: str = "0.06", tax: str = "6.00") -> SbLine:
    return SbLine(
        index=index,
        name="*信息技术服务*软件服务",
        quantity=D(1),
        unit_price=D(amount),
        amount=D(amount),
        tax_rate=D(rate),
        tax=D(tax),
    )


def blue(state: SandboxState, serial: str = "S1", lines: list[SbLine] | None = None) -> str:
    invoice = state.invoices.issue("open-api", serial, lines=lines or [line()], buyer_name="客户")
    assert invoice.number is not None
    return invoice.number


def test_check_figures_accepts_a_correct_invoice() -> None:
    assert check_figures([line()], D("100.00"), D("6.00"), D("106.00")) is None


@pytest.mark.parametrize(
    ("lines", "amount", "tax", "total", "needle"),
    [
        ([line(tax="6.07")], None, None, None, "0.06"),
        ([line()], D("100.02"), None, None, "0.01"),
        ([line(amount="1000.00", tax="60.00")] * 1, None, D("61.28"), None, "1.27"),
        ([line()], D("100.00"), D("6.00"), D("106.01"), "价税合计"),
        ([], None, None, None, "不能为空"),
    ],
)
def test_check_figures_refuses_with_chinese_text(
    lines: list[SbLine], amount: D | None, tax: D | None, total: D | None, needle: str
) -> None:
    message = check_figures(lines, amount, tax, total)
    assert message is not None and needle in message


def test_check_figures_refuses_price_times_quantity_mismatch() -> None:
    bad = line()
    bad.quantity = D(2)
    assert "单价×数量" in (check_figures([bad]) or "")


def test_numbers_are_20_digits_with_year_and_province() -> None:
    state = SandboxState()
    number = blue(state)
    assert len(number) == 20 and number.isdigit()
    assert number[:2] == state.clock.now().strftime("%y") and number[2:4] == "33"
    assert number[4] == "1"  # open-api's channel digit


def test_issue_dedupes_on_vendor_and_serial() -> None:
    state = SandboxState()
    first = state.invoices.issue("open-api", "S1", lines=[line()])
    again = state.invoices.issue("open-api", "S1", lines=[line(amount="5.00", tax="0.30")])
    other_vendor = state.invoices.issue("faw", "S1", lines=[line()], number=None)
    assert again is first
    assert other_vendor is not first and other_vendor.number is None
    assert len(state.invoices.all()) == 2
    assert state.invoices.all("faw") == [other_vendor]
    assert state.invoices.find_serial("open-api", "S1") is first
    assert first.number is not None and state.invoices.get(first.number) is first


def test_credit_is_consumed_and_refused_when_exhausted() -> None:
    state = SandboxState(SandboxSettings(credit_total=D("150.00")))
    blue(state, "S1")
    assert state.credit.used == D("100.00") and state.credit.left == D("50.00")
    with pytest.raises(Refused, match="额度"):
        blue(state, "S2")
    assert state.invoices.find_serial("open-api", "S2") is None


def test_reset_empties_everything_and_restores_settings() -> None:
    state = SandboxState()
    blue(state)
    state.settings.hang_s = 1
    state.faults.add({"vendor": "faw", "endpoint": "*", "kind": "http_500"})
    state.clock.advance(5)
    state.reset()
    assert state.invoices.all() == [] and state.faults.list() == []
    assert state.settings.hang_s == 30.0 and state.credit.used == 0
    assert abs((state.clock.now() - state.clock.now()).total_seconds()) < 1


def test_fault_count_fires_exactly_n_times() -> None:
    state = SandboxState()
    state.faults.add({"vendor": "open-api", "endpoint": "batches", "kind": "http_500", "count": 2})
    draws = [state.faults.draw("open-api", "batches") for _ in range(3)]
    assert [d.kinds for d in draws] == [{"http_500"}, {"http_500"}, set()]
    assert state.faults.draw("faw", "batches").kinds == set()


def test_fault_rate_and_aliases_and_latency() -> None:
    state = SandboxState()
    state.faults.add({"vendor": "*", "endpoint": "query", "kind": "latency", "latency_ms": 250})
    state.faults.add({"vendor": "faw", "endpoint": "*", "kind": "malformed", "rate": 0})
    draw = state.faults.draw("open-api", "OPEN1", "query")
    assert draw == FaultDraw(latency_ms=250, kinds={"latency"})
    assert state.faults.draw("faw", "x").kinds == set()  # rate 0 never fires


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "nope"},
        {"vendor": "acme", "kind": "http_500"},
        {"kind": "http_500", "rate": 2},
        {"kind": "http_500", "count": -1},
        {"kind": "latency", "latency_ms": "x"},
    ],
)
def test_bad_fault_specs_are_refused(spec: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        parse_fault(spec)


def test_face_required_scanned_and_expiring() -> None:
    state = SandboxState(SandboxSettings(face_window_hours=D("0.5")))
    assert not state.face.needed("piaodanyun", SELLER)
    state.face.require("piaodanyun", SELLER)
    assert state.face.needed("piaodanyun", SELLER)
    state.face.scan("piaodanyun", SELLER, ok=False)
    assert state.face.needed("piaodanyun", SELLER)
    assert state.face.result("piaodanyun", SELLER) is False
    state.face.scan("piaodanyun", SELLER, ok=True)
    assert not state.face.needed("piaodanyun", SELLER)
    until = state.face.valid_until("piaodanyun", SELLER)
    assert until is not None
    state.clock.advance(1)
    assert state.face.needed("piaodanyun", SELLER)
    assert not state.face.needed("ws-invoice", SELLER)


def test_wait_scan_returns_the_scan_or_none() -> None:
    state = SandboxState()

    async def scenario() -> tuple[bool | None, bool | None]:
        waiter = asyncio.ensure_future(state.face.wait_scan("ws-invoice", SELLER, timeout=5))
        await asyncio.sleep(0)
        state.face.scan("ws-invoice", SELLER, ok=False)
        first = await waiter
        second = await state.face.wait_scan("ws-invoice", SELLER, timeout=0.01)
        return first, second

    assert asyncio.run(scenario()) == (False, None)


def test_red_form_unused_blue_needs_no_confirmation_and_locks() -> None:
    state = SandboxState()
    number = blue(state)
    form = state.red.apply(number, "01")
    assert form.status == "01" and form.full and form.total == D("-106.00")
    with pytest.raises(Refused, match="锁定"):
        state.red.apply(number, "01")
    red = state.issue_red("open-api", "R1", form.form_no)
    assert red.color == "red" and red.blue_number == number and red.total == D("-106.00")
    assert state.invoices.get(number).status == "red_fully"  # type: ignore[union-attr]
    assert state.credit.used == 0  # same month: credit restored
    with pytest.raises(Refused, match="已使用"):
        state.red.use(form.form_no)
    with pytest.raises(Refused, match="全额红冲"):
        state.red.apply(number, "01")


def test_red_form_partial_limits_and_redeemable() -> None:
    state = SandboxState()
    number = blue(state, lines=[line(1), line(2, "50.00", "0.13", "6.50")])
    with pytest.raises(Refused, match="只能全额"):
        state.red.apply(number, "01", [{"index": 1, "amount": "10", "tax": "0.60"}])
    with pytest.raises(Refused, match="超过"):
        state.red.apply(number, "02", [{"index": 2, "amount": "50.01", "tax": "1"}])
    with pytest.raises(Refused, match="没有第3行"):
        state.red.apply(number, "02", [{"index": 3, "amount": "1", "tax": "0"}])
    form = state.red.apply(number, "04", [{"index": 2, "amount": "20.00", "tax": "2.60"}])
    state.issue_red("open-api", "R1", form.form_no)
    left = {r.index: r for r in state.invoices.redeemable(number)}
    assert left[1].amount == D("100.00") and left[2].amount == D("30.00")
    assert left[2].tax == D("3.90")
    assert state.invoices.get(number).status == "red_partly"  # type: ignore[union-attr]


def test_red_form_on_used_invoice_needs_confirmation_and_expires() -> None:
    state = SandboxState()
    number = blue(state)
    with pytest.raises(Refused, match="销方"):
        state.red.apply(number, "01", initiator="buyer")
    state.invoices.get(number).used = True  # type: ignore[union-attr]
    form = state.red.apply(number, "01")
    assert form.status == "02"
    with pytest.raises(Refused, match="状态"):
        state.issue_red("open-api", "R1", form.form_no)
    state.clock.advance(73)
    assert state.red.get(form.form_no).status == "07"  # type: ignore[union-attr]
    buyer_form = state.red.apply(number, "01", initiator="buyer")
    assert buyer_form.status == "03"
    assert state.red.confirm(buyer_form.form_no, accept=False).status == "06"
    third = state.red.apply(number, "01")
    assert state.red.confirm(third.form_no, accept=True).status == "04"
    assert state.issue_red("open-api", "R2", third.form_no).color == "red"


def test_json_body_writes_decimals_as_exact_numbers() -> None:
    assert json_body({"a": D("10000.00"), "b": [D("-0.10")], "c": "¥"}) == (
        '{"a":10000.00,"b":[-0.10],"c":"¥"}'.encode()
    )
