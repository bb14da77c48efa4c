"""The invoice form's 购买方 box: the buyer fields, 备注, and completion from the customers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from invoicedesk.domain.models import Buyer
from invoicedesk.ui.tasks import spawn

BUYER_FIELDS = ("name", "tax_id", "address", "phone", "bank", "bank_account", "email")

CustomerSearch = Callable[[str], Awaitable[list[Buyer]]]


class BuyerBox(QGroupBox):
    """The buyer fields (`edits`, by Buyer attribute), `remark_edit` and the 存入客户 button.
    Signal: buyerChosen(object Buyer) when a customer was taken from the completion."""

    buyerChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_tr("购买方"))
        self._tasks: set[asyncio.Task[Any]] = set()
        self._customer_search: CustomerSearch | None = None
        self._customer_hits: dict[str, Buyer] = {}
        self._customer_timer = QTimer(self)
        self._customer_timer.setSingleShot(True)
        self._customer_timer.setInterval(150)
        self._customer_timer.timeout.connect(self._search_customers)
        self._build()

    def _build(self) -> None:
        tr = _tr
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setVerticalSpacing(4)
        self.edits: dict[str, QLineEdit] = {}
        labels = {
            "name": tr("名称"),
            "tax_id": tr("纳税人识别号"),
            "address": tr("地址"),
            "phone": tr("电话"),
            "bank": tr("开户银行"),
            "bank_account": tr("银行账号"),
            "email": tr("邮箱"),
        }
        placeholders = {
            "name": tr("输入名称或税号，可从客户中选择"),
            "tax_id": tr("统一社会信用代码 / 纳税人识别号"),
            "email": tr("交付发票的电子邮箱（选填）"),
        }
        for i, field in enumerate(BUYER_FIELDS):
            edit = QLineEdit()
            edit.setObjectName(f"buyer_{field}")
            edit.setPlaceholderText(placeholders.get(field, tr("选填")))
            edit.setProperty("baseToolTip", labels[field])
            edit.setToolTip(labels[field])
            label = QLabel(labels[field])
            label.setBuddy(edit)
            row, pair = divmod(i, 2)
            grid.addWidget(label, row, pair * 2)
            grid.addWidget(edit, row, pair * 2 + 1)
            self.edits[field] = edit
        self.remark_edit = QLineEdit()
        self.remark_edit.setObjectName("remark")
        self.remark_edit.setPlaceholderText(tr("备注（选填）"))
        self.remark_edit.setProperty("baseToolTip", tr("备注"))
        remark_label = QLabel(tr("备注"))
        remark_label.setBuddy(self.remark_edit)
        grid.addWidget(remark_label, 3, 2)
        grid.addWidget(self.remark_edit, 3, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.save_buyer_button = QToolButton()
        self.save_buyer_button.setObjectName("saveBuyerButton")
        self.save_buyer_button.setText(tr("存入客户"))
        self.save_buyer_button.setToolTip(tr("把这个购买方存入客户资料（Ctrl+Shift+B）"))
        self.save_buyer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self._customer_model = QStringListModel(self)
        completer = QCompleter(self._customer_model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated[str].connect(self._customer_chosen)  # type: ignore[index]
        self.edits["name"].setCompleter(completer)
        self.edits["name"].textEdited.connect(lambda _t: self._customer_timer.start())
        self.edits["tax_id"].textEdited.connect(lambda _t: self._customer_timer.start())

    # ---- customers --------------------------------------------------------------------------

    def set_customer_search(self, search: CustomerSearch | None) -> None:
        """Where buyer completions come from (the customer catalog, searched off the GUI)."""
        self._customer_search = search

    def _search_customers(self) -> None:
        if self._customer_search is None:
            return
        text = self.edits["name"].text().strip() or self.edits["tax_id"].text()
        if text:
            spawn(self._fill_customers(self._customer_search, text.strip()), self._tasks)

    async def _fill_customers(self, search: CustomerSearch, text: str) -> None:
        buyers = await search(text)
        self._customer_hits = {f"{b.name}  {b.tax_id}".strip(): b for b in buyers}
        self._customer_model.setStringList(list(self._customer_hits))
        if self._customer_hits and self.edits["name"].hasFocus():
            completer = self.edits["name"].completer()
            if completer is not None:
                completer.complete()

    def _customer_chosen(self, text: str) -> None:
        buyer = self._customer_hits.get(text)
        if buyer is None:
            return
        # after the completer has written its text, put the whole buyer in
        QTimer.singleShot(0, lambda: self.buyerChosen.emit(buyer))


def _tr(text: str) -> str:
    # the form's own context: these texts were the InvoiceForm's before the split
    return QCoreApplication.translate("InvoiceForm", text)
