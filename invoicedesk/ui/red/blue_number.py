"""Red letters for an accepted order that came back without an invoice number (FAW answers
none): the bookkeeper types the blue invoice's number and date from the issued invoice (the tax
bureau's copy or the PDF), they are kept on the order's history row, and the red wizard opens as
for any blue invoice."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.red import RedError
from invoicedesk.ui.tasks import spawn
from invoicedesk.vocabulary import BEIJING as CHINA_TZ

if TYPE_CHECKING:
    from invoicedesk.services.context import Core


class BlueNumberDialog(QDialog):
    """Asks for the number and date of the invoice an accepted order became. Public API:
    number_edit, date_edit, message, ok_button, number (after accept)."""

    def __init__(
        self, services: Core, profile: str, invoice_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("blueNumberDialog")
        self.setWindowTitle(self.tr("填写蓝字发票号码"))
        self.services, self.profile, self.invoice_id = services, profile, invoice_id
        self.number = ""
        self._tasks: set[Any] = set()
        intro = QLabel(
            self.tr(
                "开票平台接受订单后不返回发票号码。红冲前，请按电子税务局或发票文件上的内容，"
                "填写这张订单开出的蓝字发票号码和开票日期。"
            )
        )
        intro.setWordWrap(True)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("blueNumber")
        self.number_edit.setPlaceholderText(self.tr("20 位数电发票号码"))
        self.number_edit.setMaxLength(20)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("blueDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        today = dt.datetime.now(CHINA_TZ).date()  # invoice dates are Beijing dates
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.message = QLabel()
        self.message.setObjectName("blueNumberMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c81e1e;")
        form = QFormLayout()
        form.addRow(self.tr("蓝字发票号码"), self.number_edit)
        form.addRow(self.tr("开票日期"), self.date_edit)
        self.ok_button = QPushButton(self.tr("确定并红冲"))
        self.ok_button.setObjectName("blueNumberOk")
        self.ok_button.setDefault(True)
        cancel = QPushButton(self.tr("取消"))
        self.ok_button.clicked.connect(lambda: spawn(self._save(), self._tasks))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    async def _save(self) -> None:
        self.ok_button.setEnabled(False)
        day = self.date_edit.date().toString("yyyy-MM-dd")
        try:
            self.number = await self.services.red.name_blue_invoice(
                self.profile, self.invoice_id, self.number_edit.text(), day
            )
        except RedError as exc:
            self.message.setText(exc.message)
            return
        finally:
            self.ok_button.setEnabled(True)
        self.accept()


async def open_red_wizard_for_order(
    services: Core, profile: str, invoice_id: int, parent: QWidget | None = None
) -> Any:
    """Ask for the blue number and date, then open the red wizard (None when cancelled)."""
    from invoicedesk.ui.async_dialog import run_dialog
    from invoicedesk.ui.red.page import open_red_wizard

    dialog = BlueNumberDialog(services, profile, invoice_id, parent)
    try:
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.number:
            return None
        return await open_red_wizard(services, profile, dialog.number, parent)
    finally:
        dialog.deleteLater()
