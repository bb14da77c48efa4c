"""The red-letter wizard: six QWizard pages that only display `domain.red.WizardState`.

The case (services/red.py) is the truth; every page shows it and every button asks the service
for the next step, then `show_case` jumps to the page of the step the case reached (restart at
that page: a case reopened after the program closed lands on the right page). No Back button:
what was sent cannot be unsent, and the steps before sending are cheap to redo.

Page ids: 0 blue invoice, 1 vendor check, 2 reason and scope, 3 the form, 4 issue / pending /
void, 5 done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from invoicedesk.domain import red
from invoicedesk.domain.red import RedRuleError, Step
from invoicedesk.services.red import RedCase, RedError, RedService
from invoicedesk.ui.red.common import money, qty

P_BLUE, P_CHECK, P_SCOPE, P_FORM, P_RESULT, P_DONE = range(6)
PAGE_OF = {
    Step.BLUE: P_BLUE,
    Step.CHECK: P_CHECK,
    Step.SCOPE: P_SCOPE,
    Step.FORM: P_FORM,
    Step.ISSUE: P_RESULT,
    Step.PENDING: P_RESULT,
    Step.VOID: P_RESULT,
    Step.DONE: P_DONE,
}


def _item(text: str, *, right: bool = False, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return table


def _label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class _Page(QWizardPage):
    def __init__(self, wizard: RedWizard, title: str) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(title)
        self.box = QVBoxLayout(self)

    def redeemable_table(self) -> QTableWidget:
        """The blue invoice's lines with what is already red-lettered and what is left."""
        return _table(
            [
                self.tr("序号"),
                self.tr("项目名称"),
                self.tr("税收编码"),
                self.tr("数量"),
                self.tr("金额"),
                self.tr("税额"),
                self.tr("已红冲金额"),
                self.tr("可红冲数量"),
                self.tr("可红冲金额"),
            ]
        )

    next_page = -1

    def isComplete(self) -> bool:
        case = self.w.case
        return case is not None and not self.w.busy and self.complete(case)

    def complete(self, case: RedCase) -> bool:
        return PAGE_OF[case.step] > self.w.currentId()

    def nextId(self) -> int:
        return self.next_page

    def show_case(self, case: RedCase) -> None:  # each page fills itself
        pass


# ---- 1 the blue invoice -------------------------------------------------------------------------


class BluePage(_Page):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第1步：蓝字发票"))
        self.header = _label(name="redBlueHeader")
        self.table = self.redeemable_table()
        self.table.setObjectName("redBlueLines")
        self.note = _label(name="redBlueNote")
        self.box.addWidget(self.header)
        self.box.addWidget(self.table, 1)
        self.box.addWidget(self.note)

    next_page = P_CHECK

    def complete(self, case: RedCase) -> bool:
        return case.step is not Step.BLUE or not red.fully_red(case.state.left)

    def show_case(self, case: RedCase) -> None:
        blue = case.state.blue
        self.header.setText(
            self.tr(
                "发票号码 {n}　购买方 {b}　开票日期 {d}\n价税合计 {t}（金额 {a}，税额 {x}）"
            ).format(
                n=blue.number,
                b=blue.buyer_name,
                d=blue.issued_at.replace("T", " "),
                t=money(blue.total),
                a=money(blue.amount),
                x=money(blue.tax),
            )
        )
        fill_left(self.table, case.state.left)
        if red.fully_red(case.state.left):
            self.note.setText(self.tr("这张发票已全额红冲，没有可红冲的余额。"))
        elif red.already_red(case.state.left):
            self.note.setText(self.tr("这张发票已部分红冲：下面的“可红冲”列是剩余部分。"))
        else:
            self.note.setText(self.tr("这张发票还没有红冲过。"))
        self.note.setText(
            self.note.text() + self.tr("点“下一步”向开票平台核对能否红冲。")
            if case.step is Step.BLUE
            else self.note.text()
        )
        if case.message and case.step is Step.BLUE:
            self.note.setText(self.note.text() + "\n" + case.message)


def fill_left(table: QTableWidget, left: tuple[red.Redeemable, ...]) -> None:
    table.setRowCount(len(left))
    for row, r in enumerate(left):
        line = r.line
        values = [
            (str(r.index), False),
            (line.name, False),
            (line.tax_code, False),
            (qty(line.quantity), True),
            (money(line.amount), True),
            (money(line.tax), True),
            (money(line.amount - r.amount), True),
            (qty(r.quantity), True),
            (money(r.amount), True),
        ]
        for col, (text, right) in enumerate(values):
            table.setItem(row, col, _item(text, right=right))


# ---- 2 the vendor's check ----------------------------------------------------------------------


class CheckPage(_Page):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第2步：平台核对蓝字发票"))
        self.verdict = _label(name="redVerdict")
        self.verdict.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.detail = _label(name="redCheckDetail")
        self.table = self.redeemable_table()
        self.box.addWidget(self.verdict)
        self.box.addWidget(self.detail)
        self.box.addWidget(self.table, 1)

    next_page = P_SCOPE

    def complete(self, case: RedCase) -> bool:
        return bool(case.state.check_ok)

    def show_case(self, case: RedCase) -> None:
        if case.step is Step.BLUE:
            self.verdict.setText(self.tr("正在向开票平台核对…"))
            self.detail.setText("")
            return
        ok = bool(case.state.check_ok)
        self.verdict.setText(self.tr("✔ 可以红冲") if ok else self.tr("✘ 不能红冲"))
        self.verdict.setStyleSheet(
            "font-size: 15px; font-weight: bold; color: %s;" % ("#1a7f37" if ok else "#c81e1e")
        )
        hint = self.tr("平台答复：") + (case.state.check_message or "—")
        if not ok:
            hint += "\n" + self.tr("处理后可关闭向导，稍后从历史记录重新开始。")
        self.detail.setText(hint)
        fill_left(self.table, case.state.left)


# ---- 3 reason and scope -------------------------------------------------------------------------


class ScopePage(_Page):
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
            note = _label()
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
        self.partial_note = _label(name="redPartialNote")
        self.table = _table(
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
        self.table.itemChanged.connect(lambda _i: self.update_totals())
        self.totals = _label(name="redTotals")
        self.totals.setStyleSheet("font-weight: bold; color: #c81e1e;")
        self.problem = _label(name="redScopeProblem")
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
                _item(str(r.index)),
                _item(r.line.name),
                _item(qty(r.line.unit_price), right=True),
                _item(qty(r.quantity), right=True),
                _item(money(r.amount), right=True),
                _item(q, right=True, editable=True),
                _item(a, right=True, editable=True),
                _item(""),
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
        partial_why = red.partial_allowed(reason, blue) if reason else self.tr("请先选择红冲原因。")
        self.partial.setEnabled(partial_why is None and not sending)
        self.full.setEnabled(bool(reason) and not sending)
        if partial_why is not None and self.partial.isChecked():
            self.full.setChecked(True)
        partial = self.partial.isChecked()
        can_qty, can_amount = red.editable(reason) if reason else (False, False)
        if partial_why is not None and reason:
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

    def typed(self) -> dict[int, tuple[str, str]]:
        case = self.w.need()
        out: dict[int, tuple[str, str]] = {}
        for row, r in enumerate(case.state.left):
            q = self.table.item(row, self.COL_QTY)
            a = self.table.item(row, self.COL_AMOUNT)
            out[r.index] = (q.text() if q else "", a.text() if a else "")
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


# ---- 4 the form ---------------------------------------------------------------------------------


class FormPage(_Page):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第4步：红字信息表"))
        self.form = _label(name="redFormInfo")
        self.form.setStyleSheet("font-size: 15px;")
        self.explain = _label(name="redFormExplain")
        self.box.addWidget(self.form)
        self.box.addWidget(self.explain)
        self.box.addStretch(1)

    next_page = P_RESULT

    def complete(self, case: RedCase) -> bool:
        return bool(case.state.form_no)

    def show_case(self, case: RedCase) -> None:
        s = case.state
        plan = s.plan
        if not s.form_no:
            return
        self.form.setText(
            self.tr(
                "信息表编号：{n}\n状态：{c} {t}\n红冲原因：{r}　{scope}\n红字合计：{total}"
            ).format(
                n=s.form_no,
                c=s.form_status,
                t=red.status_text(s.form_status),
                r=(f"{plan.reason} {red.REASONS[plan.reason]}" if plan else "—"),
                scope=(self.tr("全额") if plan and plan.full else self.tr("部分")),
                total=money(-plan.total) if plan else "—",
            )
        )
        self.explain.setText(red.explain_status(s.form_status))


# ---- 5 issue / pending / void --------------------------------------------------------------------


class ResultPage(_Page):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第5步：开具红字发票"))
        self.status = _label(name="redResultStatus")
        self.status.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.explain = _label(name="redResultExplain")
        self.left = _label(name="redTimeLeft")
        self.issue_button = QPushButton(self.tr("开具红字发票"))
        self.issue_button.setObjectName("redIssueButton")
        self.issue_button.clicked.connect(lambda: self.w.run(self.w.service.issue(self.w.need())))
        self.refresh_button = QPushButton(self.tr("刷新信息表状态"))
        self.refresh_button.setObjectName("redRefreshButton")
        self.refresh_button.clicked.connect(
            lambda: self.w.run(self.w.service.refresh(self.w.need()))
        )
        self.again_button = QPushButton(self.tr("重新申请"))
        self.again_button.setObjectName("redReapplyButton")
        self.again_button.clicked.connect(lambda: self.w.run(self.w.reapply()))
        self.box.addWidget(self.status)
        self.box.addWidget(self.explain)
        self.box.addWidget(self.left)
        self.box.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in (self.refresh_button, self.again_button, self.issue_button):
            row.addWidget(b)
        self.box.addLayout(row)

    next_page = P_DONE

    def show_case(self, case: RedCase) -> None:
        s = case.state
        if not s.form_no:
            return
        self.status.setText(
            self.tr("信息表 {n}：{c} {t}").format(
                n=s.form_no, c=s.form_status, t=red.status_text(s.form_status)
            )
        )
        text = red.explain_status(s.form_status)
        if case.step is Step.PENDING:
            text += "\n" + self.tr(
                "可以关闭向导：信息表会保留在“红字发票”页，对方确认后在那里或这里开具。"
            )
        if case.message:
            text += "\n" + case.message
        self.explain.setText(text)
        left = self.w.service.time_left(case)
        pending = case.step is Step.PENDING
        self.left.setVisible(pending and left is not None)
        if left is not None:
            self.left.setText(
                self.tr("确认期限：{d}（{l}）").format(
                    d=red.deadline(s.applied_at).strftime("%Y-%m-%d %H:%M")
                    if s.applied_at
                    else "—",
                    l=red.format_left(left),
                )
            )
        busy = self.w.busy
        self.issue_button.setVisible(case.step is Step.ISSUE)
        self.issue_button.setEnabled(case.step is Step.ISSUE and not busy)
        self.refresh_button.setVisible(pending)
        self.refresh_button.setEnabled(pending and not busy)
        self.again_button.setVisible(case.step is Step.VOID)
        self.again_button.setEnabled(case.step is Step.VOID and not busy)


# ---- 6 done -------------------------------------------------------------------------------------


class DonePage(_Page):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第6步：完成"))
        self.result = _label(name="redDone")
        self.result.setStyleSheet("font-size: 15px;")
        self.table = self.redeemable_table()
        self.table.setObjectName("redDoneLeft")
        self.box.addWidget(self.result)
        self.box.addWidget(_label(self.tr("蓝字发票红冲后剩余：")))
        self.box.addWidget(self.table, 1)

    def complete(self, case: RedCase) -> bool:
        return True

    def show_case(self, case: RedCase) -> None:
        s = case.state
        plan = s.plan
        total = money(-plan.total) if plan else "—"
        if s.red_number:
            text = self.tr("红字发票 {r} 已开具，价税合计 {t}。").format(r=s.red_number, t=total)
            text += "\n" + self.tr("它对应蓝字发票 {b}；两张发票在历史记录中互相关联。").format(
                b=s.blue.number
            )
        else:
            text = self.tr("红字订单已提交开票中台（价税合计 {t}），对应蓝字发票 {b}。").format(
                t=total, b=s.blue.number
            )
            text += "\n" + self.tr("中台开具后，同步历史即可看到红字发票号码。")
        self.result.setText(text)
        fill_left(self.table, s.left)


# ---- the wizard ---------------------------------------------------------------------------------


class RedWizard(QWizard):
    """Public API: RedWizard(service, case), case, service, show_case(case), run(coro),
    busy, pages (dict id → page), caseChanged(int)."""

    caseChanged = Signal(int)

    def __init__(self, service: RedService, case: RedCase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.case: RedCase | None = case
        self.busy = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setWindowTitle(self.tr("红冲向导 — 蓝字发票 {n}").format(n=case.state.blue.number))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButton, False)
        self.setButtonLayout(
            [
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("关闭"))
        self.pages: dict[int, _Page] = {
            P_BLUE: BluePage(self),
            P_CHECK: CheckPage(self),
            P_SCOPE: ScopePage(self),
            P_FORM: FormPage(self),
            P_RESULT: ResultPage(self),
            P_DONE: DonePage(self),
        }
        for pid, page in self.pages.items():
            self.setPage(pid, page)
        self.currentIdChanged.connect(self._entered)
        self.resize(920, 640)
        self.show_case(case)

    def need(self) -> RedCase:
        assert self.case is not None
        return self.case

    def show_case(self, case: RedCase) -> None:
        """Display the case: jump to its step's page and refresh every page."""
        self.case = case
        target = PAGE_OF[case.step]
        if target == P_RESULT and -1 < self.currentId() < P_FORM:
            target = P_FORM  # just applied: show the form first
        if case.step is Step.BLUE and self.currentId() == P_CHECK and self.busy:
            target = P_CHECK
        if self.currentId() != target:
            self.setStartId(target)
            self.restart()
        for page in self.pages.values():
            page.show_case(case)
            page.completeChanged.emit()
        self.caseChanged.emit(case.id)

    def _entered(self, pid: int) -> None:
        """Next on page 1 runs the vendor's check; Next on page 2 moves the case to SCOPE."""
        case = self.case
        if case is None:
            return
        if pid == P_CHECK and case.step is Step.BLUE:
            self.run(self.service.check(case))
        elif pid == P_SCOPE and case.step is Step.CHECK:
            self.run(self.service.to_scope(case))

    def run(self, coro: Coroutine[Any, Any, RedCase | None]) -> asyncio.Task[Any]:
        """Run one service call; the answer (a case) is shown; errors become page text."""

        async def go() -> None:
            self._set_busy(True)
            try:
                result = await coro
            except (RedError, RedRuleError) as exc:
                self._problem(str(exc))
                return
            finally:
                self._set_busy(False)
            if result is not None:
                self.show_case(result)

        task = asyncio.ensure_future(go())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
        if self.case is not None:
            for page in self.pages.values():
                page.show_case(self.case)

    def _problem(self, text: str) -> None:
        page = self.pages[P_SCOPE]
        assert isinstance(page, ScopePage)
        page.problem.setText(text)
        current = self.currentPage()
        if isinstance(current, BluePage):
            current.note.setText(text)

    async def apply(self, plan: red.RedPlan) -> RedCase:
        case = await self.service.choose(self.need(), plan)
        if case.state.needs_form:
            return await self.service.apply_form(case)
        return await self.service.issue(case)

    async def reapply(self) -> RedCase:
        return await self.service.reapply(self.need())

    def tasks(self) -> set[asyncio.Task[Any]]:
        return set(self._tasks)
