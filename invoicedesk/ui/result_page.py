"""The page shown after an invoice was sent: issued (number, date), accepted (FAW: an order with
no number yet), or still being checked with the vendor (the outcome was unknown)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.models import Buyer
from invoicedesk.domain.money import grouped_money_text


class IssueResultPage(QWidget):
    """Public API: show_issued(...), show_accepted(...), show_checking(...), show_failed(...);
    number(). Signals: openPdfRequested(str number), sameBuyerRequested(object Buyer),
    newRequested(), backRequested() (back to the form with the draft as it was)."""

    openPdfRequested = Signal(str)
    sameBuyerRequested = Signal(object)
    newRequested = Signal()
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPage")
        self._buyer = Buyer()
        self._number = ""
        tr = self.tr
        self.heading = QLabel()
        self.heading.setObjectName("resultHeading")
        self.heading.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.explain = QLabel()
        self.explain.setObjectName("resultExplain")
        self.explain.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(240)

        self.number_label = QLabel()
        self.number_label.setObjectName("resultNumber")
        self.number_label.setStyleSheet("font-size: 18px; font-family: monospace;")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date_label = QLabel()
        self.date_label.setObjectName("resultDate")
        self.buyer_label = QLabel()
        self.buyer_label.setWordWrap(True)
        self.total_label = QLabel()
        self.serial_label = QLabel()
        self.serial_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QFormLayout()
        self.details.addRow(tr("发票号码"), self.number_label)
        self.details.addRow(tr("开票日期"), self.date_label)
        self.details.addRow(tr("购买方"), self.buyer_label)
        self.details.addRow(tr("价税合计"), self.total_label)
        self.details.addRow(tr("请求流水号"), self.serial_label)

        self.pdf_button = QPushButton(tr("打开 PDF"))
        self.pdf_button.setObjectName("openPdfButton")
        self.pdf_button.setToolTip(tr("下载并打开发票 PDF（Ctrl+O）"))
        self.pdf_button.setShortcut("Ctrl+O")
        self.copy_button = QPushButton(tr("复制发票号码"))
        self.copy_button.setObjectName("copyNumberButton")
        self.copy_button.setToolTip(tr("把发票号码复制到剪贴板（Ctrl+Shift+C）"))
        self.copy_button.setShortcut("Ctrl+Shift+C")
        self.same_button = QPushButton(tr("同一购买方再开一张"))
        self.same_button.setObjectName("sameBuyerButton")
        self.same_button.setToolTip(tr("新发票，购买方信息已填好（Ctrl+Shift+N）"))
        self.same_button.setShortcut("Ctrl+Shift+N")
        self.new_button = QPushButton(tr("开新发票"))
        self.new_button.setObjectName("newInvoiceButton")
        self.new_button.setToolTip(tr("空白的新发票（Ctrl+N）"))
        self.new_button.setShortcut("Ctrl+N")
        self.back_button = QPushButton(tr("返回修改"))
        self.back_button.setObjectName("backButton")
        self.back_button.setToolTip(tr("回到发票表单"))
        self.pdf_button.clicked.connect(lambda: self.openPdfRequested.emit(self._number))
        self.copy_button.clicked.connect(self.copy_number)
        self.same_button.clicked.connect(lambda: self.sameBuyerRequested.emit(self._buyer))
        self.new_button.clicked.connect(self.newRequested)
        self.back_button.clicked.connect(self.backRequested)
        self.status = QLabel()
        self.status.setObjectName("resultStatus")
        self.status.setWordWrap(True)
        # the platform issued other figures than the draft's (ws-invoice applies its own rate)
        self.warning = QLabel()
        self.warning.setObjectName("resultWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b45309; font-weight: bold;")
        self.warning.hide()

        buttons = QHBoxLayout()
        for button in (
            self.pdf_button,
            self.copy_button,
            self.same_button,
            self.new_button,
            self.back_button,
        ):
            button.setMinimumHeight(32)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addWidget(self.progress)
        layout.addWidget(self.warning)
        layout.addSpacing(8)
        layout.addLayout(self.details)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

    # ---- states ----------------------------------------------------------------------------

    def _common(self, buyer: Buyer, total: Decimal | None, serial: str | None) -> None:
        self._buyer = buyer
        name = buyer.name or self.tr("（未填写名称）")
        self.buyer_label.setText(f"{name}  {buyer.tax_id}".strip())
        self.total_label.setText("" if total is None else f"¥{grouped_money_text(total)}")
        self.serial_label.setText(serial or "")
        self.status.clear()
        self.warning.clear()
        self.warning.hide()

    def _buttons(self, *, pdf: bool, copy: bool, back: bool) -> None:
        self.pdf_button.setVisible(pdf)
        self.copy_button.setVisible(copy)
        self.back_button.setVisible(back)
        self.same_button.setVisible(True)
        self.new_button.setVisible(True)

    def show_issued(
        self,
        number: str,
        date: str,
        buyer: Buyer,
        total: Decimal | None,
        serial: str | None,
        *,
        has_files: bool,
        warning: str = "",
    ) -> None:
        """`number` "" with a serial: issued, the number is still to be found (号码待查); the
        PDF is then opened by the serial. `warning`: the platform's figures differ."""
        pending = not number
        self._number = number or serial or ""
        self._common(buyer, total, serial)
        self.heading.setText(self.tr("发票已开具"))
        if pending:
            self.explain.setText(
                self.tr(
                    "开票平台已开出这张发票，但答复中没有发票号码。"
                    "程序会按购买方、金额和开票时间查询号码，同步或核对时自动补上；不会重复开票。"
                )
            )
        else:
            self.explain.setText(self.tr("开票平台已开出这张发票。"))
        self.progress.hide()
        self.number_label.setText(self.tr("号码待查") if pending else number)
        self.date_label.setText(date.replace("T", " ") if date else self.tr("（待查）"))
        self._buttons(pdf=has_files, copy=not pending, back=False)
        if not has_files:
            self.pdf_button.setToolTip(self.tr("该开票平台不提供发票文件下载"))
        if warning:
            self.warning.setText(self.tr("注意：") + warning)
            self.warning.show()

    def show_accepted(self, buyer: Buyer, total: Decimal | None, serial: str | None) -> None:
        self._number = ""
        self._common(buyer, total, serial)
        self.heading.setText(self.tr("开票申请已被税务中台受理"))
        self.explain.setText(
            self.tr(
                "税务中台已接收这张发票的开票申请，但还没有发票号码。"
                "发票开出后，号码会在开票平台中显示；请不要重复提交。"
            )
        )
        self.progress.hide()
        self.number_label.setText(self.tr("（暂无号码）"))
        self.date_label.setText("")
        self._buttons(pdf=False, copy=False, back=False)

    def show_checking(self, buyer: Buyer, total: Decimal | None, serial: str | None) -> None:
        self._number = ""
        self._common(buyer, total, serial)
        self.heading.setText(self.tr("正在与开票平台核对结果"))
        self.explain.setText(
            self.tr(
                "没有收到开票平台的明确答复，不能确定发票是否已经开出。"
                "程序正在用同一个请求流水号向平台核对，不会重复开票；结果确定后会显示在这里。"
            )
        )
        self.progress.show()
        self.number_label.setText(self.tr("（核对中）"))
        self.date_label.setText("")
        self._buttons(pdf=False, copy=False, back=False)
        self.same_button.setVisible(False)

    def show_failed(self, message: str) -> None:
        """The check ended with a refusal: nothing was issued."""
        self._number = ""
        self.heading.setText(self.tr("发票没有开出"))
        self.explain.setText(message)
        self.progress.hide()
        self.number_label.setText("")
        self._buttons(pdf=False, copy=False, back=True)

    # ---- actions ---------------------------------------------------------------------------

    def number(self) -> str:
        return self._number

    def copy_number(self) -> None:
        if self._number:
            QGuiApplication.clipboard().setText(self._number)
            self.status.setText(self.tr("发票号码已复制"))

    def set_status(self, text: str) -> None:
        self.status.setText(text)
