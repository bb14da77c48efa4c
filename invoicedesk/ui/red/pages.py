"""The red-letter wizard's pages but the scope page: each only displays the case (see
wizard.py); page ids and the step each shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from invoicedesk.domain import red
from invoicedesk.domain.red import Step
from invoicedesk.services.red import RedCase
from invoicedesk.ui.red.common import deadline_text, money, qty

if TYPE_CHECKING:
    from invoicedesk.ui.red.wizard import RedWizard


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


def make_item(text: str, *, right: bool = False, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def make_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return table


def make_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class WizardPage(QWizardPage):
    def __init__(self, wizard: RedWizard, title: str) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(title)
        self.box = QVBoxLayout(self)

    def redeemable_table(self) -> QTableWidget:
        """The blue invoice's lines with what is already red-lettered and what is left."""
        return make_table(
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


class BluePage(WizardPage):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第1步：蓝字发票"))
        self.header = make_label(name="redBlueHeader")
        self.table = self.redeemable_table()
        self.table.setObjectName("redBlueLines")
        self.note = make_label(name="redBlueNote")
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
            table.setItem(row, col, make_item(text, right=right))


# ---- 2 the vendor's check ----------------------------------------------------------------------


class CheckPage(WizardPage):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第2步：平台核对蓝字发票"))
        self.verdict = make_label(name="redVerdict")
        self.verdict.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.detail = make_label(name="redCheckDetail")
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


class FormPage(WizardPage):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第4步：红字信息表"))
        self.form = make_label(name="redFormInfo")
        self.form.setStyleSheet("font-size: 15px;")
        self.explain = make_label(name="redFormExplain")
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


class ResultPage(WizardPage):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第5步：开具红字发票"))
        self.status = make_label(name="redResultStatus")
        self.status.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.explain = make_label(name="redResultExplain")
        self.left = make_label(name="redTimeLeft")
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
                    d=deadline_text(s.applied_at) if s.applied_at else "—",
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


class DonePage(WizardPage):
    def __init__(self, wizard: RedWizard) -> None:
        super().__init__(wizard, self.tr("第6步：完成"))
        self.result = make_label(name="redDone")
        self.result.setStyleSheet("font-size: 15px;")
        self.table = self.redeemable_table()
        self.table.setObjectName("redDoneLeft")
        self.box.addWidget(self.result)
        self.box.addWidget(make_label(self.tr("蓝字发票红冲后剩余：")))
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
