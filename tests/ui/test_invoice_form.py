"""The invoice form driven like a bookkeeper drives it: the keyboard, then the store behind it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store
from invoicedesk.ui.invoice_form import InvoiceForm
from invoicedesk.ui.lines_model import Col
from tests.conftest import run_in_loop
from tests.ui.keys import type_text

GOOD_TAX_ID = "91330701MA2DFB848M"  # domain-reference 1.3: valid
BAD_TAX_ID = "91110105MA00123456"  # checksum would need R


def _editor(qtbot: Any, form: InvoiceForm) -> QLineEdit:
    """The line edit of the cell being edited (it has the focus)."""
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit) and form.table.isAncestorOf(widget)
    return widget


def _type_cell(qtbot: Any, form: InvoiceForm, text: str) -> None:
    """Type into the current cell's editor, then Tab to the next cell."""
    editor = _editor(qtbot, form)
    editor.selectAll()
    type_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def _fill(form: InvoiceForm, row: int, **values: str) -> None:
    columns = {
        "name": Col.NAME,
        "tax_code": Col.TAX_CODE,
        "quantity": Col.QUANTITY,
        "unit_price": Col.UNIT_PRICE,
        "amount": Col.AMOUNT,
        "tax_rate": Col.TAX_RATE,
    }
    for field, value in values.items():
        assert form.model.setData(form.model.index(row, columns[field]), value)


def test_type_a_whole_draft_by_keyboard(qtbot: Any, form: InvoiceForm) -> None:
    form.buyer_edits["name"].setFocus()
    type_text(qtbot, form.buyer_edits["name"], "测试购买方有限公司")
    qtbot.keyClick(form.buyer_edits["name"], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.buyer_edits["tax_id"]
    type_text(qtbot, QApplication.focusWidget(), GOOD_TAX_ID)

    # into the table: the name cell completes from the tax catalog by pinyin initials
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)
    editor = _editor(qtbot, form)
    type_text(qtbot, editor, "rjkf")
    completer = editor.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    line = form.model.line(0)
    assert line.name == "*信息技术服务*软件开发服务"
    assert line.tax_code == "3040201010000000000"
    assert line.tax_rate == "0.06"

    qtbot.keyClick(_editor(qtbot, form), Qt.Key.Key_Tab)  # name -> tax code
    qtbot.keyClick(_editor(qtbot, form), Qt.Key.Key_Tab)  # tax code -> spec
    qtbot.keyClick(_editor(qtbot, form), Qt.Key.Key_Tab)  # spec -> unit
    _type_cell(qtbot, form, "项")
    _type_cell(qtbot, form, "2")
    _type_cell(qtbot, form, "150")
    line = form.model.line(0)
    assert (line.unit, line.quantity, line.unit_price, line.amount) == ("项", "2", "150", "300.00")

    # Enter on the last line adds a line and starts editing its name
    editor = _editor(qtbot, form)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.model.rowCount() == 2)
    assert form.table.currentIndex().row() == 1
    assert form.table.currentIndex().column() == Col.NAME

    draft = form.draft()
    assert draft.buyer.name == "测试购买方有限公司"
    assert draft.buyer.tax_id == GOOD_TAX_ID
    assert form.total_label.text() == "¥300.00"
    assert form.capitals_label.text() == "叁佰元整"


def test_problem_appears_at_the_field_and_goes_when_fixed(qtbot: Any, form: InvoiceForm) -> None:
    tax_id = form.buyer_edits["tax_id"]
    tax_id.setFocus()
    type_text(qtbot, tax_id, BAD_TAX_ID)
    assert tax_id.styleSheet() == ""  # not while the field is being typed for the first time
    qtbot.keyClick(tax_id, Qt.Key.Key_Tab)  # left: now it shows
    assert "background-color" in tax_id.styleSheet()
    assert "R" in tax_id.toolTip()  # the message names the expected check character
    listed = [form.problem_list.item(i).text() for i in range(form.problem_list.count())]
    assert any(tax_id.toolTip() in text for text in listed)

    tax_id.setFocus()
    tax_id.end(False)
    qtbot.keyClick(tax_id, Qt.Key.Key_Backspace)
    type_text(qtbot, tax_id, "R")  # once shown, it follows the typing
    assert tax_id.styleSheet() == ""
    assert not any(p.field == "buyer.tax_id" for p in form.problems())


def test_cell_problem_is_painted_and_cleared(qtbot: Any, form: InvoiceForm) -> None:
    _fill(
        form,
        0,
        name="*信息技术服务*软件开发服务",
        tax_code="3040201010000000000",
        tax_rate="0.06",
        quantity="abc",
        unit_price="10",
    )
    problem = form.model.problem_at(0, Col.QUANTITY)
    assert problem is not None and problem[0] == "error"
    index = form.model.index(0, Col.QUANTITY)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == problem[1]
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None

    _fill(form, 0, quantity="3")
    assert form.model.problem_at(0, Col.QUANTITY) is None
    assert form.model.index(0, Col.QUANTITY).data(Qt.ItemDataRole.BackgroundRole) is None


def test_an_empty_form_opens_without_errors_shown(qtbot: Any, form: InvoiceForm) -> None:
    assert form.has_errors()  # known, but not shown before anything was typed or left
    assert form.buyer_edits["name"].styleSheet() == ""
    assert form.model.problem_at(0, Col.NAME) is None
    texts = [form.problem_list.item(i).text() for i in range(form.problem_list.count())]
    assert not any(t.startswith("错误") for t in texts)
    # leaving the buyer name empty shows its problem, and only that one
    form.buyer_edits["name"].setFocus()
    qtbot.keyClick(form.buyer_edits["name"], Qt.Key.Key_Tab)
    assert "background-color" in form.buyer_edits["name"].styleSheet()
    assert form.model.problem_at(0, Col.NAME) is None
    # tabbing through a cell counts as leaving it
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.table.setCurrentIndex(form.model.index(0, Col.TAX_CODE))
    assert form.model.problem_at(0, Col.NAME) is not None
    assert form.model.problem_at(0, Col.AMOUNT) is None
    # trying to issue shows every problem and sends nothing
    requested: list[Draft] = []
    form.issueRequested.connect(requested.append)
    assert form.issue_button.isEnabled()
    qtbot.mouseClick(form.issue_button, Qt.MouseButton.LeftButton)
    assert form.model.problem_at(0, Col.AMOUNT) is not None
    assert form.preview is None and requested == []


def test_issue_goes_through_the_preview(qtbot: Any, form: InvoiceForm) -> None:
    form.buyer_edits["name"].setText("测试购买方有限公司")
    form.buyer_edits["tax_id"].setText(GOOD_TAX_ID)
    _fill(
        form,
        0,
        name="*信息技术服务*软件开发服务",
        tax_code="3040201010000000000",
        tax_rate="0.06",
        amount="100",
    )
    assert not form.has_errors(), form.problems()
    assert form.issue_button.isEnabled()
    requested: list[Draft] = []
    form.issueRequested.connect(requested.append)
    qtbot.keyClick(form.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Ctrl+Enter opens the preview; 返回修改 sends nothing, 开具 does
    qtbot.waitUntil(lambda: form.preview is not None and form.preview.isVisible())
    assert form.preview is not None
    qtbot.mouseClick(form.preview.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.preview is None)
    assert requested == []
    form.activateWindow()  # the window manager's job when a dialog closes; offscreen has none
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    form.table.setFocus()
    qtbot.keyClick(form.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.preview is not None and form.preview.isVisible())
    assert form.preview is not None
    qtbot.mouseClick(form.preview.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(requested))
    assert requested[0].buyer.name == "测试购买方有限公司"


def test_totals_and_capitals_follow_the_lines(qtbot: Any, form: InvoiceForm) -> None:
    _fill(
        form,
        0,
        name="*信息技术服务*软件开发服务",
        tax_code="3040201010000000000",
        tax_rate="0.06",
        amount="100.00",
    )
    assert form.amount_label.text() == "¥94.34"
    assert form.tax_label.text() == "¥5.66"
    assert form.total_label.text() == "¥100.00"
    assert form.capitals_label.text() == "壹佰元整"
    assert form.model.index(0, Col.TAX).data() == "5.66"

    form.model.setData(
        form.model.index(0, Col.INCLUDES_TAX),
        Qt.CheckState.Unchecked.value,
        Qt.ItemDataRole.CheckStateRole,
    )
    assert form.total_label.text() == "¥106.00"
    assert form.capitals_label.text() == "壹佰零陆元整"


def test_line_operations(qtbot: Any, form: InvoiceForm) -> None:
    _fill(form, 0, name="A", amount="10")
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["add"].trigger()  # opens the new line's name for typing
    type_text(qtbot, _editor(qtbot, form), "B")
    form.actions_by_name["duplicate"].trigger()  # commits the open editor first
    assert [line.name for line in form.model.lines()] == ["A", "B", "B"]
    form.actions_by_name["remove"].trigger()
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["duplicate"].trigger()
    assert [line.name for line in form.model.lines()] == ["A", "A", "B"]

    form.table.setCurrentIndex(form.model.index(2, Col.NAME))
    form.actions_by_name["up"].trigger()
    assert [line.name for line in form.model.lines()] == ["A", "B", "A"]
    assert form.table.currentIndex().row() == 1
    form.actions_by_name["down"].trigger()
    assert [line.name for line in form.model.lines()] == ["A", "A", "B"]

    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["discount"].trigger()
    kinds = [line.kind for line in form.model.lines()]
    assert kinds == ["discounted", "discount", "normal", "normal"]
    form.model.setData(form.model.index(1, Col.AMOUNT), "1")
    assert form.model.line(1).amount == "-1"  # a discount is negative

    # the discount moves with its line
    form.table.setCurrentIndex(form.model.index(0, Col.NAME))
    form.actions_by_name["down"].trigger()
    assert [(line.name, line.kind) for line in form.model.lines()] == [
        ("A", "normal"),
        ("A", "discounted"),
        ("A", "discount"),
        ("B", "normal"),
    ]
    # removing the discounted line removes its discount too, after asking
    form.table.setCurrentIndex(form.model.index(1, Col.NAME))
    form.actions_by_name["remove"].trigger()
    box = _visible_box(qtbot)
    assert "折扣行" in box.text()
    yes = next(b for b in box.buttons() if b.text() == "一起删除")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.model.rowCount() == 2)
    assert [line.name for line in form.model.lines()] == ["A", "B"]
    form.activateWindow()  # the window manager's job when a dialog closes; offscreen has none
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)

    form.table.setCurrentIndex(form.model.index(1, Col.NAME))
    qtbot.keyClick(form.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(form.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.AltModifier)
    assert form.model.rowCount() == 1  # never zero lines: an empty one stays to type into


def test_save_and_reopen_a_draft(
    qtbot: Any, qloop: Any, form: InvoiceForm, drafts: DraftService
) -> None:
    form.buyer_edits["name"].setText("测试购买方有限公司")
    form.buyer_edits["email"].setText("a@example.com")
    form.type_combo.setCurrentIndex(form.type_combo.findData("81"))
    _fill(
        form,
        0,
        name="*信息技术服务*软件开发服务",
        tax_code="3040201010000000000",
        tax_rate="0.06",
        quantity="2",
        unit_price="50",
    )
    with qtbot.waitSignal(form.saved) as blocker:
        qtbot.keyClick(form.buyer_edits["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    draft_id = blocker.args[0]

    other = InvoiceForm(drafts)
    qtbot.addWidget(other)
    run_in_loop(qtbot, qloop, other.open_draft(draft_id))
    assert other.draft_id == draft_id
    assert other.buyer_edits["name"].text() == "测试购买方有限公司"
    assert other.buyer_edits["email"].text() == "a@example.com"
    assert other.type_combo.currentData() == "81"
    assert other.model.line(0).amount == "100.00"
    assert other.total_label.text() == "¥100.00"
    summaries = run_in_loop(qtbot, qloop, drafts.list())
    assert [s.id for s in summaries] == [draft_id]


def test_autosave_writes_shortly_after_typing(qtbot: Any, form: InvoiceForm, store: Store) -> None:
    type_text(qtbot, form.buyer_edits["name"], "自动保存公司")
    # saved once typing pauses for AUTOSAVE_MS (1.5 s)
    qtbot.waitUntil(lambda: form.draft_id is not None and not form.autosaver.dirty, timeout=10000)
    row = store.get_draft(form.draft_id or "")
    assert row is not None and "自动保存公司" in row.json


def test_text_survives_the_form_being_destroyed_without_closing(
    qtbot: Any, qloop: Any, drafts: DraftService, store: Store
) -> None:
    form = InvoiceForm(drafts)
    form.show()
    qtbot.waitExposed(form)
    form.buyer_edits["name"].setFocus()
    type_text(qtbot, form.buyer_edits["name"], "崩溃前公司")
    _fill(form, 0, name="*信息技术服务*软件开发服务", amount="88")
    assert store.list_drafts() == []  # the autosave timer has not fired yet
    form.deleteLater()
    qtbot.waitUntil(lambda: len(store.list_drafts()) == 1)
    saved = Draft.model_validate_json(store.list_drafts()[0].json)
    assert saved.buyer.name == "崩溃前公司"
    assert saved.lines[0].amount == "88"


def test_new_draft_for_the_same_buyer(qtbot: Any, form: InvoiceForm) -> None:
    form.set_draft(Draft(buyer=Buyer(name="甲公司", tax_id=GOOD_TAX_ID), lines=[Line(name="x")]))
    form.new_draft(form.draft().buyer)
    assert form.buyer_edits["name"].text() == "甲公司"
    assert [line.name for line in form.model.lines()] == [""]
    assert form.draft_id is None


def _visible_box(qtbot: Any) -> QMessageBox:
    def box() -> QMessageBox | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        return next((w for w in found if w.isVisible()), None)

    qtbot.waitUntil(lambda: box() is not None)
    found = box()
    assert found is not None
    return found


def test_focus_starts_in_the_buyer_name_and_tab_reads_in_order(
    qtbot: Any, form: InvoiceForm
) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.buyer_edits["name"])
    order = [form.buyer_edits[f] for f in ("tax_id", "address", "phone", "bank")]
    order += [form.buyer_edits[f] for f in ("bank_account", "email")] + [form.remark_edit]
    for expected in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    qtbot.keyClick(form.remark_edit, Qt.Key.Key_Tab)  # from the last buyer field into the lines
    assert QApplication.focusWidget() is form.table
    assert (form.table.currentIndex().row(), form.table.currentIndex().column()) == (0, 0)
    # Shift+Tab in the first cell leaves the table instead of wrapping to its last cell
    qtbot.keyClick(form.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is form.remark_edit
