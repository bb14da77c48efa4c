"""The history filter bar: dates (with quick picks), buyer, status, colour, type, amount, account.

Typing waits for a 150 ms pause (debounce) before the filter is emitted; choices in a combo box
are emitted at once. A bad amount is shown on its field (with a tooltip saying what to type) and
left out of the filter instead of raising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.money import FigureError, parse_amount
from invoicedesk.services.history_query import InvoiceFilter
from invoicedesk.ui.column_names import label as column_label
from invoicedesk.ui.history.dates import quick_range

DEBOUNCE_MS = 150
STATUSES = ("正常", "已红冲", "部分红冲", "已作废")
BAD_FIELD = "QLineEdit { border: 1px solid #c0392b; }"


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class FilterBar(QWidget):
    """Public API: current() -> InvoiceFilter, set_accounts(names), pick_range(kind),
    buyer / status / color / kind / min_total / max_total / account / range_combo widgets.
    Signal filterChanged(object: InvoiceFilter)."""

    filterChanged = Signal(object)

    def __init__(
        self, today: Callable[[], dt.date] = dt.date.today, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today
        tr = self.tr
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)

        self.range_combo = QComboBox()
        self.range_combo.setObjectName("historyRange")
        for label, kind in (
            (tr("全部日期"), ""),
            (tr("本月"), "this_month"),
            (tr("上月"), "last_month"),
            (tr("本季度"), "this_quarter"),
            (tr("本年"), "this_year"),
            (tr("自定义"), "custom"),
        ):
            self.range_combo.addItem(label, kind)
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(today()))
            edit.setEnabled(False)
        self.range_combo.currentIndexChanged.connect(self._range_picked)
        self.date_from.dateChanged.connect(self._dates_edited)
        self.date_to.dateChanged.connect(self._dates_edited)

        self.buyer = QLineEdit()
        self.buyer.setObjectName("historyBuyer")
        self.buyer.setPlaceholderText(tr("购买方名称或税号（任意部分）"))
        self.buyer.setClearButtonEnabled(True)
        self.buyer.setMinimumWidth(200)
        self.buyer.textEdited.connect(self._typed)

        self.status = QComboBox()
        self.status.addItem(tr("全部状态"), "")
        for s in STATUSES:  # stored words; shown in the window's language
            self.status.addItem(column_label(s), s)
        self.color = QComboBox()
        for label, value in ((tr("蓝字和红字"), ""), (tr("蓝字"), "blue"), (tr("红字"), "red")):
            self.color.addItem(label, value)
        self.kind = QComboBox()
        for label, value in ((tr("全部类型"), ""), (tr("数电专票"), "81"), (tr("数电普票"), "82")):
            self.kind.addItem(label, value)
        self.account = QComboBox()
        self.account.setObjectName("historyAccount")
        self.account.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.account.addItem(tr("全部账户"), "")
        for combo in (self.status, self.color, self.kind, self.account):
            combo.currentIndexChanged.connect(self._emit_now)

        self.min_total = QLineEdit()
        self.max_total = QLineEdit()
        for amount, hint in ((self.min_total, tr("最低")), (self.max_total, tr("最高"))):
            amount.setPlaceholderText(hint)
            amount.setMaximumWidth(100)
            amount.setClearButtonEnabled(True)
            amount.textEdited.connect(self._typed)

        row1 = QHBoxLayout()
        row1.addWidget(QLabel(tr("开票日期")))
        row1.addWidget(self.range_combo)
        row1.addWidget(self.date_from)
        row1.addWidget(QLabel("—"))
        row1.addWidget(self.date_to)
        row1.addSpacing(12)
        row1.addWidget(QLabel(tr("购买方")))
        row1.addWidget(self.buyer, 1)
        row2 = QHBoxLayout()
        for widget in (self.status, self.color, self.kind):
            row2.addWidget(widget)
        row2.addSpacing(12)
        row2.addWidget(QLabel(tr("价税合计")))
        row2.addWidget(self.min_total)
        row2.addWidget(QLabel("—"))
        row2.addWidget(self.max_total)
        row2.addSpacing(12)
        row2.addWidget(QLabel(tr("开票账户")))
        row2.addWidget(self.account)
        row2.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row1)
        layout.addLayout(row2)

    # ---- reading the filter ------------------------------------------------------------------

    def current(self) -> InvoiceFilter:
        kind = self.range_combo.currentData()
        date_from = date_to = None
        if kind:
            date_from, date_to = _pydate(self.date_from.date()), _pydate(self.date_to.date())
        status = self.status.currentData()
        account = self.account.currentData()
        return InvoiceFilter(
            date_from=date_from,
            date_to=date_to,
            buyer=self.buyer.text().strip(),
            statuses=(status,) if status else (),
            color=self.color.currentData() or None,
            invoice_type=self.kind.currentData() or None,
            min_total=self._amount(self.min_total, self.tr("最低价税合计")),
            max_total=self._amount(self.max_total, self.tr("最高价税合计")),
            profiles=(account,) if account else (),
        )

    def _amount(self, edit: QLineEdit, label: str) -> Decimal | None:
        text = edit.text().strip()
        value: Decimal | None = None
        problem = ""
        if text:
            try:
                value = parse_amount(text, label)
            except FigureError as exc:
                problem = exc.message
        # only on a change: a style sheet set on every filter re-polishes the field each time
        if edit.property("bad") != bool(problem):
            edit.setProperty("bad", bool(problem))
            edit.setStyleSheet(BAD_FIELD if problem else "")
        if edit.toolTip() != problem:
            edit.setToolTip(problem)
        return value

    # ---- changes -----------------------------------------------------------------------------

    def set_accounts(self, names: list[str]) -> None:
        chosen = self.account.currentData()
        self.account.blockSignals(True)
        self.account.clear()
        self.account.addItem(self.tr("全部账户"), "")
        for name in names:
            self.account.addItem(name, name)
        index = self.account.findData(chosen)
        self.account.setCurrentIndex(max(0, index))
        self.account.blockSignals(False)
        if chosen and index < 0:
            self._emit_now()

    def pick_range(self, kind: str) -> None:
        """Choose a quick range ("this_month", ..., "" for all dates, "custom")."""
        self.range_combo.setCurrentIndex(max(0, self.range_combo.findData(kind)))

    def _range_picked(self) -> None:
        kind = self.range_combo.currentData()
        custom = kind == "custom"
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(custom)
        if kind and not custom:
            first, last = quick_range(kind, self._today())
            for edit, d in ((self.date_from, first), (self.date_to, last)):
                edit.blockSignals(True)
                edit.setDate(_qdate(d))
                edit.blockSignals(False)
        self._emit_now()

    def _dates_edited(self) -> None:
        if self.date_from.date() > self.date_to.date():
            sender = self.sender()
            other = self.date_to if sender is self.date_from else self.date_from
            other.blockSignals(True)
            other.setDate((self.date_from if sender is self.date_from else self.date_to).date())
            other.blockSignals(False)
        self._typed()

    def _typed(self) -> None:
        self._debounce.start()

    def _emit_now(self) -> None:
        self._debounce.stop()
        self._emit()

    def _emit(self) -> None:
        self.filterChanged.emit(self.current())
