"""The red-letter rules and the wizard's state machine (domain/red.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from invoicedesk.domain import red
from invoicedesk.domain.red import (
    ALLOWED,
    BlueInvoice,
    BlueLine,
    IllegalStep,
    RedLine,
    RedPlan,
    RedRuleError,
    Step,
)

GOODS = "1060301020100000000"
SERVICE = "3040201010000000000"


def line(
    index: int, code: str, qty: str | None, price: str | None, amount: str, tax: str, **kw: object
) -> BlueLine:
    return BlueLine(
        index=index,
        name=f"项目{index}",
        tax_code=code,
        quantity=None if qty is None else D(qty),
        unit_price=None if price is None else D(price),
        amount=D(amount),
        tax=D(tax),
        tax_rate=D("0.13"),
        **kw,  # type: ignore[arg-type]
    )


def blue(*lines: BlueLine) -> BlueInvoice:
    return BlueInvoice(
        number="25330000000000000001",
        buyer_name="甲公司",
        amount=sum((x.amount for x in lines), D(0)),
        tax=sum((x.tax for x in lines), D(0)),
        lines=lines,
    )


MIXED = blue(
    line(1, GOODS, "10", "100", "1000.00", "130.00"),
    line(2, SERVICE, "1", "200", "200.00", "26.00"),
)
GOODS_ONLY = blue(line(1, GOODS, "10", "100", "1000.00", "130.00"))
SERVICE_ONLY = blue(line(1, SERVICE, "2", "50", "100.00", "13.00"))
NOW = dt.datetime(2025, 3, 1, 10, 0)


# ---- what is left --------------------------------------------------------------------------


def test_discount_line_is_folded_into_the_line_it_follows() -> None:
    inv = blue(
        line(1, GOODS, "10", "100", "1000.00", "130.00", kind="discounted"),
        line(2, GOODS, None, None, "-100.00", "-13.00", kind="discount"),
        line(3, SERVICE, "1", "200", "200.00", "26.00"),
    )
    left = red.redeemable(inv, [])
    assert [(r.index, r.amount, r.tax, r.quantity) for r in left] == [
        (1, D("900.00"), D("117.00"), D("10")),
        (3, D("200.00"), D("26.00"), D("1")),
    ]
    assert all(r.line.kind == "normal" for r in left)


def test_earlier_red_lines_reduce_what_is_left() -> None:
    left = red.redeemable(MIXED, [RedLine(1, D("300.00"), D("39.00"), D("3"))])
    assert (left[0].amount, left[0].tax, left[0].quantity) == (D("700.00"), D("91.00"), D("7"))
    assert left[0].used and not left[1].used
    assert red.already_red(left) and not red.fully_red(left)
    gone = red.redeemable(GOODS_ONLY, [RedLine(1, D("1000.00"), D("130.00"), D("10"))])
    assert red.fully_red(gone) and gone[0].exhausted


# ---- reasons --------------------------------------------------------------------------------


def test_every_reason_allowed_on_a_fresh_mixed_invoice() -> None:
    assert red.allowed_reasons(red.redeemable(MIXED, [])) == dict.fromkeys(red.REASONS)


def test_01_disabled_once_partly_red() -> None:
    left = red.redeemable(MIXED, [RedLine(1, D("100.00"), D("13.00"), D("1"))])
    why = red.why_disabled("01", left)
    assert why is not None and "全额" in why
    assert red.why_disabled("02", left) is None


def test_02_disabled_for_services_only() -> None:
    why = red.why_disabled("02", red.redeemable(SERVICE_ONLY, []))
    assert why is not None and "服务" in why


def test_03_disabled_for_goods_only() -> None:
    why = red.why_disabled("03", red.redeemable(GOODS_ONLY, []))
    assert why is not None and "货物" in why
    assert red.why_disabled("03", red.redeemable(SERVICE_ONLY, [])) is None


def test_02_disabled_without_quantities() -> None:
    inv = blue(line(1, GOODS, None, None, "100.00", "13.00"))
    assert "数量" in (red.why_disabled("02", red.redeemable(inv, [])) or "")


def test_04_always_allowed_until_fully_red() -> None:
    assert red.why_disabled("04", red.redeemable(SERVICE_ONLY, [])) is None
    gone = red.redeemable(GOODS_ONLY, [RedLine(1, D("1000.00"), D("130.00"), D("10"))])
    assert all(v is not None for v in red.allowed_reasons(gone).values())


def test_unknown_reason() -> None:
    assert red.why_disabled("05", red.redeemable(MIXED, [])) is not None


def test_partial_and_lines_per_reason() -> None:
    left = red.redeemable(MIXED, [])
    assert red.partial_allowed("01") and red.partial_allowed("02") is None
    assert red.line_disabled("02", left[1]) and red.line_disabled("02", left[0]) is None
    assert red.line_disabled("03", left[0]) and red.line_disabled("03", left[1]) is None
    assert red.line_disabled("04", left[0]) is None
    assert red.editable("02") == (True, False)
    assert red.editable("03") == (True, True)
    assert red.editable("04") == (False, True)
    assert red.editable("01") == (False, False)


# ---- plans ---------------------------------------------------------------------------------


def test_full_plan_takes_everything_left_and_04_has_no_quantity() -> None:
    left = red.redeemable(MIXED, [RedLine(1, D("100.00"), D("13.00"), D("1"))])
    plan = red.full_plan("02", left)
    assert plan.full and [(x.blue_index, x.amount, x.quantity) for x in plan.lines] == [
        (1, D("900.00"), D("9")),
        (2, D("200.00"), D("1")),
    ]
    assert plan.total == D("900.00") + D("117.00") + D("226.00")
    assert all(x.quantity is None for x in red.full_plan("04", left).lines)
    with pytest.raises(RedRuleError):
        red.full_plan("01", left)


def test_partial_02_quantity_gives_price_times_quantity() -> None:
    left = red.redeemable(MIXED, [])
    plan = red.partial_plan("02", left, {1: ("3", "")})
    (only,) = plan.lines
    assert (only.amount, only.tax, only.quantity) == (D("300.00"), D("39.00"), D("3"))
    assert not plan.full


def test_partial_02_rest_takes_the_exact_remainder() -> None:
    inv = blue(line(1, GOODS, "3", "33.333333", "100.00", "13.01"))
    left = red.redeemable(inv, [RedLine(1, D("33.33"), D("4.33"), D("1"))])
    (only,) = red.partial_plan("02", left, {1: ("2", "")}).lines
    assert (only.amount, only.tax) == (D("66.67"), D("8.68"))


def test_partial_rules_refuse_wrong_input() -> None:
    left = red.redeemable(MIXED, [])
    cases = [
        ("02", {1: ("", "100")}, "只改数量"),
        ("02", {1: ("11", "")}, "超过"),
        ("02", {2: ("1", "")}, "服务"),
        ("03", {1: ("", "10")}, "货物"),
        ("03", {2: ("", "300")}, "超过"),
        ("04", {1: ("1", "")}, "不填数量"),
        ("04", {1: ("", "abc")}, "金额"),
        ("04", {1: ("", "0")}, "大于0"),
        ("04", {}, "至少"),
        ("01", {1: ("", "1")}, "全额"),
    ]
    for reason, typed, words in cases:
        with pytest.raises(RedRuleError, match=words):
            red.partial_plan(reason, left, typed)


def test_partial_03_and_04_amounts() -> None:
    left = red.redeemable(MIXED, [])
    (s,) = red.partial_plan("03", left, {2: ("", "50")}).lines
    assert (s.amount, s.tax, s.quantity) == (D("50.00"), D("6.50"), None)
    (d,) = red.partial_plan("04", left, {1: ("", "1000")}).lines
    assert (d.amount, d.tax) == (D("1000.00"), D("130.00"))


# ---- form status and deadline -------------------------------------------------------------


def test_status_texts_and_what_they_allow() -> None:
    for code in (f"{i:02d}" for i in range(1, 11)):
        assert red.status_text(code) == red.FORM_STATUS[code]
        assert red.explain_status(code)
        assert red.can_issue(code) == (code in ("01", "04"))
    assert "72小时" in red.explain_status("07") and "重新申请" in red.explain_status("07")
    assert red.status_text("99").startswith("未知")


def test_deadline_and_time_left() -> None:
    applied = NOW - dt.timedelta(hours=50)
    assert red.deadline(applied) == applied + dt.timedelta(hours=72)
    assert red.time_left(applied, NOW) == dt.timedelta(hours=22)
    assert red.expires_within(applied, NOW)
    assert not red.expires_within(NOW, NOW)
    assert not red.expires_within(NOW - dt.timedelta(hours=80), NOW)
    assert red.format_left(dt.timedelta(hours=22, minutes=5)) == "剩余 22 小时 5 分"
    assert red.format_left(dt.timedelta(0)) == "已超过72小时"


# ---- the state machine ---------------------------------------------------------------------


def _at_scope(needs_form: bool = True) -> red.WizardState:
    s = red.start(MIXED, [], needs_form=needs_form)
    return red.to_scope(red.checked(s, True, "可以红冲"))


def test_happy_path_with_form() -> None:
    s = red.start(MIXED, [])
    assert s.step is Step.BLUE
    s = red.checked(s, True, "ok")
    assert s.step is Step.CHECK and s.check_ok
    s = red.to_scope(s)
    s = red.chose(s, red.full_plan("01", s.left))
    s = red.form_applied(s, "F1", "01", NOW)
    assert s.step is Step.FORM
    s = red.after_form(s)
    assert s.step is Step.ISSUE
    s = red.issued(s, "R1")
    assert (s.step, s.red_number) == (Step.DONE, "R1")


def test_pending_then_confirmed_or_void_then_reapply() -> None:
    s = _at_scope()
    s = red.chose(s, red.full_plan("02", s.left))
    s = red.after_form(red.form_applied(s, "F1", "02", NOW))
    assert s.step is Step.PENDING
    assert red.after_form(s, "02").step is Step.PENDING
    assert red.after_form(s, "04").step is Step.ISSUE
    void = red.after_form(s, "07")
    assert void.step is Step.VOID and void.form_status == "07"
    again = red.reapply(void)
    assert again.step is Step.SCOPE and again.form_no == "" and again.plan is not None


def test_refused_check_stops_and_back_works() -> None:
    s = red.checked(red.start(MIXED, []), False, "蓝票已锁定")
    with pytest.raises(IllegalStep):
        red.to_scope(s)
    assert red.back(s).step is Step.BLUE
    assert red.back(_at_scope()).step is Step.CHECK
    with pytest.raises(IllegalStep):
        red.back(red.start(MIXED, []))


def test_fully_red_blue_is_never_ok() -> None:
    s = red.start(GOODS_ONLY, [RedLine(1, D("1000.00"), D("130.00"), D("10"))])
    s = red.checked(s, True, "vendor said ok")
    assert s.check_ok is False and "全额红冲" in s.check_message


def test_faw_goes_from_scope_to_done_without_a_form() -> None:
    s = _at_scope(needs_form=False)
    with pytest.raises(IllegalStep):
        red.form_applied(red.chose(s, red.full_plan("01", s.left)), "F", "01", NOW)
    s = red.issued(red.chose(s, red.full_plan("01", s.left)), "")
    assert s.step is Step.DONE


def test_illegal_transitions_are_refused() -> None:
    s = _at_scope()
    with pytest.raises(IllegalStep):
        red.issued(red.chose(s, red.full_plan("01", s.left)), "R")  # needs a form first
    with pytest.raises(IllegalStep):
        red.form_applied(s, "F", "01", NOW)  # no plan yet
    with pytest.raises(IllegalStep):
        red.chose(red.start(MIXED, []), red.full_plan("01", s.left))
    planned = red.chose(s, red.full_plan("01", s.left))
    with pytest.raises(IllegalStep):
        red.after_form(red.form_applied(planned, "F", "77", NOW))
    with pytest.raises(RedRuleError):
        red.chose(s, RedPlan("01", False, (RedLine(1, D("1"), D("0.13")),)))
    done = red.issued(red.after_form(red.form_applied(planned, "F", "01", NOW)), "R")
    for fn in (red.reapply, red.back, red.to_scope):
        with pytest.raises(IllegalStep):
            fn(done)


def test_transition_table_covers_every_step() -> None:
    assert set(ALLOWED) == set(Step)
    assert ALLOWED[Step.DONE] == frozenset()
