"""The red-letter wizard's third page: the reason, full or partial red, and the lines and
figures of a partial red letter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from invoicedesk.domain import red
from invoicedesk.domain.red import RedRuleError, Step
from invoicedesk.services.red import RedCase
from invoicedesk.ui.red.common import money, qty

if TYPE_CHECKING:
    from invoicedesk.ui.red.wizard import RedWizard
from invoicedesk.ui.red.pages import P_DONE, P_FORM, WizardPage, make_item, make_label, make_table

# ---- 3 reason and scope -------------------------------------------------------------------------


class ScopePage(WizardPage):
    COL_QTY = 5
    COL_AMOUNT = 6

    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第3步：红冲原因和范围"))
        self.reasons = QButtonGroup(self)
        self.reason_buttons: dict[str, QRadioButton] = {}
        self.reason_notes: dict[str, QLabel] = {}
        grid = QVBoxLayout()
        for code, name in red.REASONS.items():
            button = QRadioButton(f"{code} {name}")
            button.setObjectName(f"redReason{code}")
            note = make_label()
            note.setObjectName(f"redReasonNote{code}")
            note.setIndent(24)
            self.reasons.addButton(button, int(code))
            self.reason_buttons[code] = button
            self.reason_notes[code] = note
            grid.addWidget(button)
            grid.addWidget(note)
        self.reasons.idClicked.connect(lambda _id: self.refresh_scope())
        self.full = QRadioButton(self.tr("全额红冲（冲销全部剩余金额）"))
        self.full.setObjectName("redFull")
        self.partial = QRadioButton(self.tr("部分红冲（按行填写数量或金额）"))
        self.partial.setObjectName("redPartial")
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.full, 1)
        self.scope.addButton(self.partial, 2)
        self.full.setChecked(True)
        self.scope.idClicked.connect(lambda _id: self.refresh_scope())
        self.partial_note = make_label(name="redPartialNote")
        self.table = make_table(
            [
                self.tr("序号"),
                self.tr("项目名称"),
                self.tr("单价"),
                self.tr("可红冲数量"),
                self.tr("可红冲金额"),
                self.tr("红冲数量"),
                self.tr("红冲金额"),
                self.tr("说明"),
            ]
        )
        self.table.setObjectName("redScopeLines")
        self.table.itemChanged.connect(self._cell_changed)
        self.totals = make_label(name="redTotals")
        self.totals.setStyleSheet("font-weight: bold; color: #c81e1e;")
        self.problem = make_label(name="redScopeProblem")
        self.problem.setStyleSheet("color: #c81e1e;")
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("redApplyButton")
        self.apply_button.clicked.connect(self._apply)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.full)
        scope_row.addWidget(self.partial)
        scope_row.addStretch(1)
        self.box.addLayout(grid)
        self.box.addLayout(scope_row)
        self.box.addWidget(self.partial_note)
        self.box.addWidget(self.table, 1)
        self.box.addWidget(self.totals)
        self.box.addWidget(self.problem)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.apply_button)
        self.box.addLayout(bottom)
        self._filling = False

    def nextId(self) -> int:
        case = self.w.case
        return P_DONE if case is not None and not case.state.needs_form else P_FORM

    def reason(self) -> str:
        checked = self.reasons.checkedId()
        return f"{checked:02d}" if checked > 0 else ""

    def show_case(self, case: RedCase) -> None:
        allowed = red.allowed_reasons(case.state.left)
        for code, why in allowed.items():
            button = self.reason_buttons[code]
            button.setEnabled(why is None and case.step is Step.SCOPE)
            self.reason_notes[code].setText(
                red.REASON_RULES[code] if why is None else self.tr("不可选：") + why
            )
            self.reason_notes[code].setStyleSheet("" if why is None else "color: #888;")
        plan = case.state.plan
        current = self.reason()
        if plan is not None and allowed.get(plan.reason) is None:
            self.reason_buttons[plan.reason].setChecked(True)
            (self.full if plan.full else self.partial).setChecked(True)
        elif current and allowed.get(current) is not None:
            self.reasons.setExclusive(False)
            self.reason_buttons[current].setChecked(False)
            self.reasons.setExclusive(True)
        self.apply_button.setText(
            self.tr("申请红字信息表") if case.state.needs_form else self.tr("提交红字订单")
        )
        self._fill_table(case)
        self.refresh_scope()
        if case.message:
            self.problem.setText(case.message)

    def _fill_table(self, case: RedCase) -> None:
        self._filling = True
        left = case.state.left
        typed: dict[int, tuple[str, str]] = {}
        plan = case.state.plan
        if plan is not None and not plan.full:
            typed = {x.blue_index: (qty(x.quantity), str(x.amount)) for x in plan.lines}
        self.table.setRowCount(len(left))
        for row, r in enumerate(left):
            q, a = typed.get(r.index, ("", ""))
            cells = [
                make_item(str(r.index)),
                make_item(r.line.name),
                make_item(qty(r.line.unit_price), right=True),
                make_item(qty(r.quantity), right=True),
                make_item(money(r.amount), right=True),
                make_item(q, right=True, editable=True),
                make_item(a, right=True, editable=True),
                make_item(""),
            ]
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        self._filling = False

    def refresh_scope(self) -> None:
        """Enable exactly what the chosen reason allows: scope, lines and their columns."""
        case = self.w.case
        if case is None:
            return
        reason = self.reason()
        sending = case.step is not Step.SCOPE or self.w.busy
        blue = case.state.blue
        partial_why = self.w.full_only or (
            red.partial_allowed(reason, blue) if reason else self.tr("请先选择红冲原因。")
        )
        self.partial.setEnabled(partial_why is None and not sending)
        self.full.setEnabled(bool(reason) and not sending)
        if partial_why is not None and self.partial.isChecked():
            self.full.setChecked(True)
        partial = self.partial.isChecked()
        can_qty, can_amount = red.editable(reason) if reason else (False, False)
        if partial_why is not None and (reason or self.w.full_only):
            self.partial_note.setText(self.tr("部分红冲不可选：") + partial_why)
        elif partial:
            what = {
                (True, False): self.tr("填写红冲数量（金额按原单价计算）"),
                (True, True): self.tr("填写红冲金额，可同时填写数量（单价不变）"),
                (False, True): self.tr("只填写红冲金额（不填单价和数量）"),
            }.get((can_qty, can_amount), "")
            self.partial_note.setText(what)
        else:
            self.partial_note.setText(self.tr("全额红冲：冲销每一行剩余的全部数量和金额。"))
        self._filling = True
        for row, r in enumerate(case.state.left):
            why = red.line_disabled(reason, r) if reason else None
            on = partial and why is None and not sending
            for col, allowed in ((self.COL_QTY, can_qty), (self.COL_AMOUNT, can_amount)):
                cell = self.table.item(row, col)
                if cell is None:
                    continue
                flags = Qt.ItemFlag.ItemIsSelectable
                if on and allowed:
                    flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable
                cell.setFlags(flags)
            note = self.table.item(row, 7)
            if note is not None:
                note.setText(why or "")
        self._filling = False
        self.table.setEnabled(partial)
        self.apply_button.setEnabled(bool(reason) and not sending)
        self.update_totals()

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        """A typed 红冲数量 fills 红冲金额 while the unit price stays fixed (quantity × price,
        as the plan computes it); then the totals follow."""
        if not self._filling and item.column() == self.COL_QTY:
            self._fill_amount(item.row())
        self.update_totals()

    def _fill_amount(self, row: int) -> None:
        case, reason = self.w.case, self.reason()
        amount_cell = self.table.item(row, self.COL_AMOUNT)
        qty_cell = self.table.item(row, self.COL_QTY)
        if case is None or not reason or amount_cell is None or qty_cell is None:
            return
        left = case.state.left[row]
        if left.line.unit_price is None or not red.editable(reason)[0]:
            return
        text = qty_cell.text().strip()
        try:
            line = red.partial_line(reason, left, text, "") if text else None
        except RedRuleError:
            return  # the totals line says what is wrong with the quantity
        self._filling = True
        amount_cell.setText(str(line.amount) if line is not None else "")
        self._filling = False

    def typed(self) -> dict[int, tuple[str, str]]:
        case = self.w.need()
        reason = self.reason()
        # an amount the user cannot edit (filled from the quantity) is not theirs to send
        can_amount = red.editable(reason)[1] if reason else False
        out: dict[int, tuple[str, str]] = {}
        for row, r in enumerate(case.state.left):
            q = self.table.item(row, self.COL_QTY)
            a = self.table.item(row, self.COL_AMOUNT)
            out[r.index] = (q.text() if q else "", a.text() if a and can_amount else "")
        return out

    def plan(self) -> red.RedPlan:
        case = self.w.need()
        reason = self.reason()
        if not reason:
            raise RedRuleError(self.tr("请先选择红冲原因。"))
        if self.partial.isChecked():
            return red.partial_plan(reason, case.state.left, self.typed())
        return red.full_plan(reason, case.state.left)

    def update_totals(self) -> None:
        if self._filling or self.w.case is None:
            return
        try:
            plan = self.plan()
        except RedRuleError as exc:
            self.totals.setText(self.tr("红字合计：—"))
            self.problem.setText(str(exc) if self.reason() else "")
            return
        self.problem.setText("")
        self.totals.setText(
            self.tr("红字合计：金额 {a}　税额 {t}　价税合计 {s}").format(
                a=money(-plan.amount), t=money(-plan.tax), s=money(-plan.total)
            )
        )

    def _apply(self) -> None:
        try:
            plan = self.plan()
        except RedRuleError as exc:
            self.problem.setText(str(exc))
            return
        self.w.run(self.w.apply(plan))
