"""Deleting a discount row alone, undoing line edits and deletions, and lines the active
account's platform cannot take marked at their own row as they are entered."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from invoicedesk.domain.models import Draft, Line
from invoicedesk.services.platform_limits import platform_problems
from invoicedesk.ui.invoice_form import InvoiceForm
from invoicedesk.ui.lines_model import Col
from invoicedesk.vendors.base import VendorKey
from tests.ui.keys import type_text


def _names(form: InvoiceForm) -> list[tuple[str, str]]:
    return [(line.name, line.kind) for line in form.model.lines()]


def _discounted(form: InvoiceForm) -> None:
    form.set_draft(
        Draft(
            lines=[
                Line(name="A", amount="100", kind="discounted"),
                Line(name="A", amount="-10", kind="discount"),
                Line(name="B", amount="50"),
            ]
        )
    )


def test_a_discount_row_is_deleted_alone_and_undone(qtbot: Any, form: InvoiceForm) -> None:
    _discounted(form)
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(1, Col.NAME))
    form.actions_by_name["remove"].trigger()  # no question: only the discount goes
    assert _names(form) == [("A", "normal"), ("B", "normal")]
    qtbot.keyClick(form.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _names(form) == [("A", "discounted"), ("A", "discount"), ("B", "normal")]
    assert form.model.line(1).amount == "-10"
    form.lines_editor.redo_action.trigger()
    assert _names(form) == [("A", "normal"), ("B", "normal")]


def test_deleting_a_discounted_line_asks_first(qtbot: Any, form: InvoiceForm) -> None:
    _discounted(form)
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["remove"].trigger()

    def box() -> QMessageBox | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        return next((w for w in found if w.isVisible()), None)

    qtbot.waitUntil(lambda: box() is not None)
    question = box()
    assert question is not None and "第 1 行带有折扣行" in question.text()
    cancel = next(b for b in question.buttons() if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box() is None)
    assert len(_names(form)) == 3  # nothing removed


def test_cell_edits_are_undone_one_by_one(qtbot: Any, form: InvoiceForm) -> None:
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None
    type_text(qtbot, editor, "咨询费")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert form.model.setData(form.model.index(0, Col.QUANTITY), "2")
    assert form.model.setData(form.model.index(0, Col.UNIT_PRICE), "50")
    assert form.model.line(0).amount == "100.00"
    form.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.table)
    qtbot.keyClick(form.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    line = form.model.line(0)
    assert (line.name, line.quantity, line.unit_price, line.amount) == ("咨询费", "2", "", "")
    form.lines_editor.undo_action.trigger()
    form.lines_editor.undo_action.trigger()
    assert form.model.line(0).name == ""
    assert form.draft().lines[0].name == ""  # the draft (and the autosave) follow the undo


def test_ctrl_z_in_a_buyer_field_stays_in_that_field(qtbot: Any, form: InvoiceForm) -> None:
    assert form.model.setData(form.model.index(0, Col.NAME), "A")
    name = form.buyer_edits["name"]
    name.setFocus()
    type_text(qtbot, name, "abc")
    qtbot.keyClick(name, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert name.text() != "abc"
    assert form.model.line(0).name == "A"


def test_discount_lines_marked_for_a_platform_that_refuses_them(
    qtbot: Any, form: InvoiceForm
) -> None:
    form.platform_check = lambda d: platform_problems(d, VendorKey.WS_INVOICE, "ws-invoice")
    form.set_draft(Draft(lines=[Line(name="A", amount="100")]))
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["discount"].trigger()
    # marked at once, on the discount row (row 2), not on the line it discounts
    problem = form.model.problem_at(1, Col.NAME)
    assert problem is not None and problem[0] == "error"
    assert "第 2 行是折扣行" in problem[1] and "ws-invoice" in problem[1]
    assert "折扣行" not in str(form.model.problem_at(0, Col.NAME))
    form.platform_check = lambda d: platform_problems(d, VendorKey.PIAODANYUN, "票单云")
    form.recheck()
    assert "折扣行" not in str(form.model.problem_at(1, Col.NAME))


def test_platform_problems_by_vendor() -> None:
    draft = Draft(lines=[Line(kind="discounted"), Line(kind="discount"), Line()])
    for vendor in (VendorKey.WS_INVOICE, VendorKey.OPEN_API):
        assert [p.field for p in platform_problems(draft, vendor, "x")] == ["lines[1]"]
    for vendor in (VendorKey.PIAODANYUN, VendorKey.FAW):
        assert platform_problems(draft, vendor, "x") == []


def test_a_large_draft_is_checked_when_typing_pauses(
    qtbot: Any, form: InvoiceForm, monkeypatch: Any
) -> None:
    from invoicedesk.ui import invoice_form

    lines = [Line(name="*信息技术服务*软件开发服务", amount="1", tax_rate="0.06")] * 150
    form.set_draft(Draft(lines=lines))
    checks: list[int] = []
    real = invoice_form.validate

    def counting(draft: Draft, **kwargs: Any) -> Any:
        checks.append(1)
        return real(draft, **kwargs)

    monkeypatch.setattr(invoice_form, "validate", counting)
    form.remark_edit.setFocus()
    type_text(qtbot, form.remark_edit, "abcdef")
    assert checks == []  # not on every keystroke
    qtbot.waitUntil(lambda: len(checks) == 1)  # once, after the pause
    assert form.autosaver.draft is not None and form.autosaver.draft.remark == "abcdef"
    type_text(qtbot, form.remark_edit, "g")
    assert form.draft().remark == "abcdefg"
    assert any(p.field == "buyer.name" for p in form.problems())  # asked: checked now
    assert len(checks) == 2
