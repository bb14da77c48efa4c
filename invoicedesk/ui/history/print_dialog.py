"""Record a paper invoice's print information (signed-api `invoice.update`).

Every field may be left unchanged; at least one must be filled (services.print_info checks it).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.print_info import PAPER_NO_MAX, PrintInfo

UNCHANGED = -1  # the print count spin box's "不更改" value


class PrintInfoDialog(QDialog):
    """Public API: info() -> PrintInfo; widgets status, time_check, time_edit, count,
    paper_no."""

    def __init__(self, number: str, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPrintDialog")
        tr = self.tr
        self.setWindowTitle(tr("更新打印信息"))
        intro = QLabel(
            tr("发票 {n}：记录纸质打印的情况（保存到签名开票平台）。不填的项保持不变。").format(
                n=number
            )
        )
        intro.setWordWrap(True)
        self.status = QComboBox()
        for label, value in ((tr("不更改"), None), (tr("已打印"), True), (tr("未打印"), False)):
            self.status.addItem(label, value)
        self.time_check = QCheckBox(tr("记录打印时间"))
        self.time_edit = QDateTimeEdit(
            QDateTime(now.year, now.month, now.day, now.hour, now.minute, now.second)
        )
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setEnabled(False)
        self.time_check.toggled.connect(self.time_edit.setEnabled)
        self.count = QSpinBox()
        self.count.setRange(UNCHANGED, 999)
        self.count.setValue(UNCHANGED)
        self.count.setSpecialValueText(tr("不更改"))
        self.paper_no = QLineEdit()
        self.paper_no.setMaxLength(PAPER_NO_MAX)
        self.paper_no.setPlaceholderText(tr("纸质发票号码（最多 {n} 位）").format(n=PAPER_NO_MAX))
        # the whole placeholder shows (it was cut at the field's default width)
        placeholder = self.paper_no.fontMetrics().horizontalAdvance(self.paper_no.placeholderText())
        self.paper_no.setMinimumWidth(placeholder + 24)

        form = QFormLayout()
        form.addRow(tr("打印状态"), self.status)
        form.addRow(self.time_check, self.time_edit)
        form.addRow(tr("打印次数"), self.count)
        form.addRow(tr("纸质发票号码"), self.paper_no)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def info(self) -> PrintInfo:
        when: dt.datetime | None = None
        if self.time_check.isChecked():
            q = self.time_edit.dateTime()
            d, t = q.date(), q.time()
            when = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())
        count = self.count.value()
        return PrintInfo(
            printed=self.status.currentData(),
            print_time=when,
            print_count=None if count == UNCHANGED else count,
            paper_invoice_no=self.paper_no.text(),
        )
