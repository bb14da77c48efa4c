"""The red-letter wizard and the 红字发票 page clicked through against the sandbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from shiboken6 import isValid

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.red import Step
from invoicedesk.services.red import RedService
from invoicedesk.ui.red.page import RedPage, open_red_wizard
from invoicedesk.ui.red.wizard import (
    P_BLUE,
    P_CHECK,
    P_DONE,
    P_FORM,
    P_RESULT,
    P_SCOPE,
    RedWizard,
    ResultPage,
    ScopePage,
)
from invoicedesk.ui.tasks import settled
from invoicedesk.vocabulary import BEIJING
from tests.conftest import machine_zone, run_in_loop
from tests.e2e.helpers import control, open_services, sandbox_invoices

GOODS = "1060301020100000000"
SERVICE = "3040201010000000000"


def draft(*, service_line: bool = True) -> Draft:
    lines = [
        Line(
            name="*计算机配套产品*打印纸",
            tax_code=GOODS,
            quantity="10",
            unit_price="100",
            tax_rate="0.13",
            price_includes_tax=False,
        )
    ]
    if service_line:
        lines.append(
            Line(
                name="*信息技术服务*安装服务",
                tax_code=SERVICE,
                quantity="1",
                unit_price="200",
                tax_rate="0.06",
                price_includes_tax=False,
            )
        )
    return Draft(
        invoice_type="82",
        buyer=Buyer(name="红冲测试客户有限公司", tax_id="91110108MA01K2P4XY"),
        lines=lines,
    )


@pytest.fixture
def env(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> Iterator[Any]:
    class Env:
        pass

    e = Env()
    e.qtbot, e.loop, e.sandbox, e.data_dir = qtbot, qloop, sandbox, data_dir
    e.services = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    e.wizards = []

    def run(coro: Any) -> Any:
        return run_in_loop(qtbot, qloop, coro)

    def blue(**kw: Any) -> str:
        r = run(e.services.issuing.issue("piaodanyun", draft(**kw)))
        assert r.state == "ISSUED"
        return str(r.invoice_no)

    def wizard(number: str) -> RedWizard:
        w = run(open_red_wizard(e.services, "piaodanyun", number))
        # not qtbot.addWidget: the wizard deletes itself on close; the fixture closes the rest
        e.wizards.append(w)
        return w

    e.run, e.blue, e.wizard = run, blue, wizard
    yield e
    for w in e.wizards:
        if isValid(w):
            w.close()
    run(e.services.aclose())


def open_wizards() -> list[RedWizard]:
    """The red wizards on screen, as the user sees them."""
    from PySide6.QtWidgets import QApplication

    windows = QApplication.topLevelWidgets()
    return [w for w in windows if isinstance(w, RedWizard) and w.isVisible()]


def settle(qtbot: Any, w: RedWizard, step: Step, page: int) -> None:
    qtbot.waitUntil(lambda: not w.busy and w.need().step is step and w.currentId() == page)


def to_scope(env: Any, w: RedWizard) -> ScopePage:
    assert w.currentId() == P_BLUE
    w.next()
    settle(env.qtbot, w, Step.CHECK, P_CHECK)
    assert w.need().state.check_ok
    w.next()
    settle(env.qtbot, w, Step.SCOPE, P_SCOPE)
    page = w.currentPage()
    assert isinstance(page, ScopePage)
    return page


def test_full_red_01_through_the_wizard(env: Any) -> None:
    number = env.blue()
    w = env.wizard(number)
    page = to_scope(env, w)
    assert not w.button(w.WizardButton.NextButton).isEnabled()  # nothing applied yet
    page.reason_buttons["01"].click()
    assert not page.partial.isEnabled()  # 01 is full only: disabled, not merely refused
    assert "全额" in page.partial_note.text()
    assert "-1,342.00" in page.totals.text()
    page.apply_button.click()
    settle(env.qtbot, w, Step.ISSUE, P_FORM)
    assert "无需确认" in w.pages[P_FORM].form.text()  # type: ignore[attr-defined]
    w.next()
    result = w.currentPage()
    assert isinstance(result, ResultPage) and result.issue_button.isVisible()
    result.issue_button.click()
    settle(env.qtbot, w, Step.DONE, P_DONE)
    red_no = w.need().state.red_number
    assert red_no and red_no in w.pages[P_DONE].result.text()  # type: ignore[attr-defined]
    store = env.services.store
    assert store.invoice_by_number(red_no, "piaodanyun").blue_number == number
    assert store.invoice_by_number(number, "piaodanyun").red_status == "已红冲"


def test_piaodanyun_partial_is_off_and_the_wizard_says_why(env: Any) -> None:
    number = env.blue(service_line=False)
    w = env.wizard(number)
    page = to_scope(env, w)
    assert not page.reason_buttons["03"].isEnabled()  # goods only: 服务中止 disabled
    assert "不可选" in page.reason_notes["03"].text()
    page.reason_buttons["02"].click()
    assert not page.partial.isEnabled() and page.full.isChecked()
    assert "票单云只支持全额红冲" in page.partial_note.text()
    assert "全额红冲" in page.partial_note.text() and "电子税务局" in page.partial_note.text()
    assert not page.table.isEnabled()
    page.apply_button.click()
    settle(env.qtbot, w, Step.ISSUE, P_FORM)
    assert w.need().state.plan is not None and w.need().state.plan.full


def test_a_second_wizard_for_the_same_invoice_is_not_opened(env: Any) -> None:
    number = env.blue()
    first = env.wizard(number)
    second = env.wizard(f" {number} ")
    assert second is first and first.isVisible()
    assert open_wizards() == [first]
    first.close()
    env.qtbot.waitUntil(lambda: not isValid(first) or not first.isVisible())
    third = env.wizard(number)
    assert third is not first  # once closed, a new one opens (and resumes the case)


def faw_accepted_order(env: Any) -> tuple[Any, str]:
    """An accepted FAW order in history, and the number the platform gave its invoice."""
    from invoicedesk.store.records import InvoiceFilter

    result = env.run(env.services.issuing.issue("faw", draft(service_line=False)))
    assert result.state == "ACCEPTED" and not result.invoice_no
    (row,) = env.services.store.query_invoices(InvoiceFilter(profiles=("faw",)))
    order = env.sandbox.state.invoices.find_serial("faw", row.serial)
    return row, order.extra["invoice_number"]


def test_faw_red_from_an_accepted_order_with_a_typed_number(env: Any) -> None:
    from PySide6.QtWidgets import QApplication

    from invoicedesk.ui.history.page import HistoryPage
    from invoicedesk.ui.red.blue_number import BlueNumberDialog

    row, number = faw_accepted_order(env)
    history = HistoryPage(env.services)
    env.qtbot.addWidget(history)
    history.resize(1170, 740)
    history.show()
    env.qtbot.waitUntil(lambda: history.model.rowCount() == 1)
    history.view.selectRow(0)
    env.qtbot.waitUntil(history.red_button.isEnabled)
    history.red_button.click()

    def dialog() -> BlueNumberDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, BlueNumberDialog)]
        return next((w for w in found if w.isVisible()), None)

    env.qtbot.waitUntil(lambda: dialog() is not None)
    ask = dialog()
    assert ask is not None
    ask.number_edit.setText("12345")
    ask.ok_button.click()
    env.qtbot.waitUntil(lambda: "蓝字发票号码" in ask.message.text())  # names the field
    assert ask.isVisible()
    ask.number_edit.setText(number)
    ask.ok_button.click()
    env.qtbot.waitUntil(lambda: bool(open_wizards()))
    (w,) = open_wizards()
    env.wizards.append(w)
    assert w.need().state.blue.number == number and w.full_only is None
    page = to_scope(env, w)
    page.reason_buttons["02"].click()
    assert page.partial.isEnabled()  # FAW: "红票支持:全额红冲及部分红冲"
    page.partial.click()
    qty = page.table.item(0, page.COL_QTY)
    amount = page.table.item(0, page.COL_AMOUNT)
    qty.setText("3")
    assert amount.text() == "300.00"  # 红冲数量 × the fixed unit price fills 红冲金额
    assert "-339.00" in page.totals.text()
    qty.setText("")
    assert amount.text() == ""
    qty.setText("2")
    assert amount.text() == "200.00"
    page.apply_button.click()
    settle(env.qtbot, w, Step.DONE, P_DONE)
    stored = env.services.store.get_invoice(row.id)
    assert stored.number == number
    (red,) = [i for i in sandbox_invoices(env.sandbox, "faw") if i["color"] == "red"]
    assert red["blue_number"] == number and Decimal(red["total"]) == Decimal("-226.00")


def _pending(env: Any) -> tuple[str, RedWizard]:
    number = env.blue()
    control(env.sandbox, f"invoices/{number}/used")
    w = env.wizard(number)
    page = to_scope(env, w)
    page.reason_buttons["04"].click()
    page.apply_button.click()
    settle(env.qtbot, w, Step.PENDING, P_FORM)
    assert "购方" in w.pages[P_FORM].explain.text()  # type: ignore[attr-defined]
    w.next()
    return number, w


def test_used_invoice_pending_then_confirmed(env: Any) -> None:
    number, w = _pending(env)
    result = w.currentPage()
    assert isinstance(result, ResultPage)
    assert not result.issue_button.isVisible() and result.refresh_button.isVisible()
    assert "剩余" in result.left.text()
    control(env.sandbox, "red/confirm", {"form_no": w.need().state.form_no, "accept": True})
    result.refresh_button.click()
    settle(env.qtbot, w, Step.ISSUE, P_RESULT)
    assert result.issue_button.isVisible() and "已确认" in result.status.text()
    result.issue_button.click()
    settle(env.qtbot, w, Step.DONE, P_DONE)
    reds = [i for i in sandbox_invoices(env.sandbox, "piaodanyun") if i["color"] == "red"]
    assert [i["blue_number"] for i in reds] == [number]


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    with machine_zone(request.param):
        yield request.param


def test_deadline_is_beijing_time_whatever_the_machine_zone(zone: str, env: Any) -> None:
    def beijing_deadlines() -> set[str]:
        # the minute may turn while the form is applied for: either reading is right
        later = dt.datetime.now(BEIJING) + dt.timedelta(hours=72)
        return {f"{later - dt.timedelta(minutes=m):%Y-%m-%d %H:%M}" for m in (0, 1, 2)}

    expected = beijing_deadlines()
    _, w = _pending(env)
    expected |= beijing_deadlines()
    result = w.currentPage()
    assert isinstance(result, ResultPage)
    shown = result.left.text().removeprefix("确认期限：").split("（")[0]
    assert shown in expected, (zone, shown, expected)
    w.close()
    # the 红字发票 page's 确认期限 column says the same
    profiles = env.run(env.services.profiles.list_all())
    active = next(p for p in profiles if p.name == "piaodanyun")
    page = RedPage(env.services, lambda: active)
    env.qtbot.addWidget(page)
    env.run(page.reload())
    assert page.table.item(0, 5).text().split("（")[0] in expected


def test_pending_form_void_after_72_hours(env: Any) -> None:
    _, w = _pending(env)
    control(env.sandbox, "clock", {"advance_hours": 73})
    result = w.currentPage()
    assert isinstance(result, ResultPage)
    result.refresh_button.click()
    settle(env.qtbot, w, Step.VOID, P_RESULT)
    assert "07" in result.status.text() and "72小时" in result.explain.text()
    assert result.again_button.isVisible() and not result.issue_button.isVisible()
    result.again_button.click()
    settle(env.qtbot, w, Step.SCOPE, P_SCOPE)


def test_closing_mid_way_and_resuming(env: Any) -> None:
    number = env.blue()
    w = env.wizard(number)
    to_scope(env, w)
    case_id = w.need().id
    w.close()
    again = env.wizard(number)
    assert again.currentId() == P_SCOPE and again.need().id == case_id
    page = again.currentPage()
    assert isinstance(page, ScopePage)
    control(env.sandbox, f"invoices/{number}/used")
    page.reason_buttons["04"].click()
    page.apply_button.click()
    settle(env.qtbot, again, Step.PENDING, P_FORM)
    again.close()
    # the program closes and starts again: new services, a new vendor client
    env.run(env.services.aclose())
    env.services = env.run(open_services(env.data_dir, env.sandbox))
    resumed = env.wizard(number)
    assert resumed.currentId() == P_RESULT and resumed.need().step is Step.PENDING
    control(env.sandbox, "red/confirm", {"form_no": resumed.need().state.form_no, "accept": True})
    resumed.currentPage().refresh_button.click()  # type: ignore[attr-defined]
    settle(env.qtbot, resumed, Step.ISSUE, P_RESULT)


def test_red_page_lists_pending_forms_reminds_and_issues(env: Any) -> None:
    _, w = _pending(env)
    w.close()
    services = env.services
    profiles = env.run(services.profiles.list_all())
    active = next(p for p in profiles if p.name == "piaodanyun")
    # the bookkeeper's clock 50 hours on: the form expires within a day
    services.red = RedService(
        services.store,
        services.vendor,
        services.audit,
        clock=lambda: dt.datetime.now() + dt.timedelta(hours=50),
    )
    page = RedPage(services, lambda: active)
    env.qtbot.addWidget(page)
    page.show()
    env.run(page.reload())
    assert page.table.rowCount() == 1 and "剩余 2" in page.table.item(0, 5).text()
    assert page.reminder_label.isVisible() and "24小时" in page.reminder_label.text()
    page.table.selectRow(0)
    assert not page.issue_button.isEnabled()  # still pending
    control(env.sandbox, "red/confirm", {"form_no": page.cases[0].state.form_no, "accept": True})
    page.refresh_button.click()

    def confirmed() -> bool:
        status = page.table.item(0, 4)
        return status is not None and "04" in status.text()  # 04: the buyer confirmed

    env.qtbot.waitUntil(confirmed, timeout=20000)
    page.table.selectRow(0)
    assert page.issue_button.isEnabled()
    page.issue_button.click()
    env.qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=20000)
    assert "已开具" in page.message.text()
    assert not page.reminder_label.isVisible()


def test_red_page_disabled_for_vendors_without_red_letters(env: Any) -> None:
    profiles = env.run(env.services.profiles.list_all())
    open_api = next(p for p in profiles if p.name == "open-api")
    page = RedPage(env.services, lambda: open_api)
    env.qtbot.addWidget(page)
    page.show()
    assert not page.start_button.isEnabled() and not page.search.isEnabled()
    assert page.unsupported.isVisible() and "没有红字发票接口" in page.unsupported.text()


def test_history_row_starts_the_wizard(env: Any) -> None:
    from invoicedesk.ui.history.page import HistoryPage

    number = env.blue()
    page = HistoryPage(env.services)
    env.qtbot.addWidget(page)
    page.resize(1170, 740)
    page.show()
    env.qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert not page.red_button.isEnabled()  # nothing selected
    page.view.selectRow(0)
    env.qtbot.waitUntil(page.red_button.isEnabled)
    page.red_button.click()
    env.qtbot.waitUntil(lambda: bool(open_wizards()))
    (w,) = open_wizards()
    env.wizards.append(w)
    assert w.need().state.blue.number == number and w.currentId() == P_BLUE


def test_install_red_page_in_the_main_window(env: Any) -> None:
    from invoicedesk.services.drafts import DraftService
    from invoicedesk.ui.catalog_choices import CatalogChoices
    from invoicedesk.ui.catalog_pages import ProductChoices
    from invoicedesk.ui.main_window import MainWindow, Page
    from invoicedesk.ui.red.page import install_red_page

    window = MainWindow(DraftService(env.services.store), ProductChoices(CatalogChoices.default()))
    env.qtbot.addWidget(window)
    profiles = env.run(env.services.profiles.list_all())
    window.set_accounts(profiles, "open-api")
    page = install_red_page(window, env.services)
    env.run(settled())  # its first load of the open forms
    assert window.stack.widget(Page.RED) is page
    assert not page.start_button.isEnabled() and "没有红字发票接口" in page.unsupported.text()
    # switching the account (window, then the Core's notice) updates the page as it is
    window.set_accounts(profiles, "piaodanyun")
    env.run(env.services.activate_profile("piaodanyun"))
    assert page.start_button.isEnabled()
