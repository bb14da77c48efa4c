"""The form's tax treatments through the real sandbox: the 税收优惠 column offers what fits the
line, the 差额征税 switch computes the totals and 大写, a small-scale account asks for the
税率说明, an account whose platform cannot carry a treatment says so and blocks issuing, and a
差额 invoice is issued from the form on piaodanyun with the documented fields."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from invoicedesk.app import GuiApp
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.ui.lines_model import Col
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import BUYER_TAX_ID, gui, issue_through_preview
from tests.ui.keys import type_text

__all__ = ["gui"]

SHOTS = os.environ.get("INVOICEDESK_SHOTS", "")  # a folder: the test also saves screenshots


def _use(qtbot: Any, qloop: Any, app: GuiApp, name: str) -> None:
    assert run_in_loop(qtbot, qloop, app.choose_account(name))
    run_in_loop(qtbot, qloop, app.settled(), 20000)


def _labour(amount: str = "10600.00") -> Draft:
    return Draft(
        buyer=Buyer(name="差额开票测试有限公司", tax_id=BUYER_TAX_ID),
        lines=[
            Line(
                name="*人力资源服务*劳务派遣服务",
                tax_code="3040803010000000000",
                amount=amount,
                tax_rate="0.06",
            )
        ],
    )


def _shot(widget: Any, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def test_treatment_column_offers_what_fits_code_and_rate(
    qtbot: Any, qloop: Any, gui: GuiApp
) -> None:
    _use(qtbot, qloop, gui, "piaodanyun")
    form = gui.window.form
    draft = _labour()
    draft.lines[0].tax_rate = "0"
    form.set_draft(draft)
    assert any(p.code == "line.zero_rate_treatment" for p in form.problems())
    assert form.has_errors()  # 开具 shows the problems instead of the preview
    index = form.model.index(0, Col.TREATMENT)
    form.table.setCurrentIndex(index)
    form.table.edit(index)
    combo = form.table.indexWidget(index) or form.table.focusWidget()
    assert isinstance(combo, QComboBox)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered == ["免税", "不征税", "普通零税率", "出口零税率"]
    combo.setCurrentIndex(0)
    form.table.setFocus()  # the editor commits as it loses the focus
    qtbot.waitUntil(lambda: form.model.line(0).tax_treatment == "exempt")
    assert form.model.data(index) == "免税"
    assert not form.has_errors(), [p.message for p in form.problems()]
    assert form.tax_label.text() == "¥0.00" and form.total_label.text() == "¥10,600.00"


def test_deduction_switch_totals_and_issue_from_the_form(
    qtbot: Any, qloop: Any, gui: GuiApp, sandbox: Any
) -> None:
    _use(qtbot, qloop, gui, "piaodanyun")
    window, form = gui.window, gui.window.form
    window.resize(1180, 760)
    form.set_draft(_labour())
    bar = form.treatment_bar
    assert bar.deduction_amount.isHidden() and bar.deduction_help.isHidden()
    qtbot.mouseClick(bar.deduction_switch, Qt.MouseButton.LeftButton)
    assert bar.deduction_switch.isChecked() and not bar.deduction_help.isHidden()
    assert "只能有一行明细" in bar.deduction_help.text()
    bar.deduction_amount.setFocus()
    type_text(qtbot, bar.deduction_amount, "5300.00")
    assert (form.amount_label.text(), form.tax_label.text(), form.total_label.text()) == (
        "¥10,300.00",
        "¥300.00",
        "¥10,600.00",
    )
    assert form.capitals_label.text().startswith("壹万零陆佰")
    assert form.model.data(form.model.index(0, Col.TAX)) == "300.00"
    # 全额开具: the whole 含税金额 is taxed
    bar.deduction_mode.setCurrentIndex(bar.deduction_mode.findData("full"))
    assert (form.amount_label.text(), form.tax_label.text()) == ("¥10,000.00", "¥600.00")
    bar.deduction_mode.setCurrentIndex(bar.deduction_mode.findData("partial"))
    # a second line breaks the one-line rule, said at the lines
    form.add_line()
    qtbot.keyClick(form.table, Qt.Key.Key_Escape)
    assert any(p.code == "deduction.one_line" for p in form.problems())
    form.model.remove_line(1)
    qtbot.waitUntil(lambda: not form.has_errors())
    window.show()
    qtbot.waitExposed(window)
    _shot(window, "form-deduction.png")

    issue_through_preview(qtbot, form)
    qtbot.waitUntil(lambda: window.issue_stack.currentWidget() is window.result_page, timeout=30000)
    issued = httpx.get(f"{sandbox.control_url}/invoices", timeout=10).json()["invoices"]
    assert [(i["amount"], i["tax"], i["total"]) for i in issued] == [
        ("10300.00", "300.00", "10600.00")
    ]
    stored = sandbox.state.invoices.get(issued[0]["number"])
    assert (stored.extra["zsfs"], stored.extra["kce"]) == ("3", "5300.00")


def test_small_scale_account_asks_for_the_rate_note(qtbot: Any, qloop: Any, gui: GuiApp) -> None:
    profile = run_in_loop(qtbot, qloop, gui.services.profiles.get("piaodanyun"))
    small = replace(profile, options={**profile.options, "seller_type": "small_scale"})
    run_in_loop(qtbot, qloop, gui.services.profiles.save(small))
    _use(qtbot, qloop, gui, "piaodanyun")
    form = gui.window.form
    draft = _labour("103.00")
    draft.lines[0].tax_rate = "0.03"
    form.set_draft(draft)
    bar = form.treatment_bar
    assert form.draft().seller_type == "small_scale"
    assert not bar.rate_note.isHidden()
    assert any(p.code == "rate_note.required" for p in form.problems())
    assert bar.rate_note.styleSheet()  # coloured: the problem sits on it
    bar.rate_note.setCurrentIndex(bar.rate_note.findData("3"))
    assert form.draft().rate_note == "3" and not form.has_errors()
    # at 1% the note is not asked for
    form.model.setData(form.model.index(0, Col.TAX_RATE), "0.01")
    bar.rate_note.setCurrentIndex(0)
    assert bar.rate_note.isHidden()


def test_an_account_that_cannot_carry_it_says_so_before_sending(
    qtbot: Any, qloop: Any, gui: GuiApp, sandbox: Any
) -> None:
    _use(qtbot, qloop, gui, "open-api")
    window, form = gui.window, gui.window.form
    window.resize(1180, 760)
    draft = _labour()
    draft.lines[0].tax_rate = "0"
    draft.lines[0].tax_treatment = "exempt"
    form.set_draft(draft)
    bar = form.treatment_bar
    assert not bar.platform_label.isHidden()
    assert "免税" in bar.platform_label.text() and "open-api" in bar.platform_label.text()
    assert form.has_errors()
    window.show()
    qtbot.waitExposed(window)
    _shot(window, "form-not-carried.png")
    # the same draft on piaodanyun is fine
    _use(qtbot, qloop, gui, "piaodanyun")
    assert bar.platform_label.isHidden() and not form.has_errors()
    reply = httpx.get(f"{sandbox.control_url}/invoices", timeout=10).json()["invoices"]
    assert reply == []
