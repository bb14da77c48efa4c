"""The form's tax-treatment controls (issue 16): the 税收优惠 cell editor offering only what
fits the line's code and rate, and the bar under the lines with the 税率说明 (asked for when a
small-scale seller has a 3% line), the 差额征税 switch with its 扣除额, and what the account's
platform cannot carry."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.models import Deduction, Draft
from invoicedesk.domain.money import DEDUCTION_MODES
from invoicedesk.domain.treatments import (
    RATE_NOTES,
    SMALL_SCALE_NOTE_RATE,
    TREATMENTS,
    treatments_for,
)
from invoicedesk.ui.lines_model import Col, parse_decimal

Index = QModelIndex | QPersistentModelIndex


class TreatmentDelegate(QStyledItemDelegate):
    """The 税收优惠 cell: a combo of the treatments that fit the line's tax code and rate."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        model = index.model()
        code = str(model.index(index.row(), Col.TAX_CODE).data(Qt.ItemDataRole.EditRole) or "")
        rate_text = model.index(index.row(), Col.TAX_RATE).data(Qt.ItemDataRole.EditRole)
        rate = parse_decimal(str(rate_text or ""))
        current = str(index.data(Qt.ItemDataRole.EditRole) or "")
        keys = treatments_for(code, rate)
        if current and current not in keys:
            keys.append(current)  # keep what is there visible; the rules say what is wrong
        for key in keys:
            combo.addItem(TREATMENTS.get(key, key) if key else self.tr("无"), key)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox) and editor.currentIndex() >= 0:
            model.setData(index, str(editor.currentData()), Qt.ItemDataRole.EditRole)


class TreatmentBar(QWidget):
    """税率说明 and 差额征税 for the whole invoice, and the account's platform's limits.

    Public API: rate_note(), deduction(), set_from(draft), set_context(seller_type, draft),
    set_platform_text(text), field_widgets() (draft field -> widget, for problem colours).
    Signal: changed()."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("treatmentBar")
        tr = self.tr
        self.note_label = QLabel(tr("税率说明"))
        self.rate_note = QComboBox()
        self.rate_note.setObjectName("rateNote")
        self.rate_note.addItem(tr("请选择（小规模纳税人按 3% 开具）"), "")
        self.rate_note.addItem(tr("2 前期已开具发票，需开红字或重新开具"), "2")
        self.rate_note.addItem(tr("3 因实际经营需要，放弃享受减按1%征收率"), "3")
        for i in range(self.rate_note.count()):
            self.rate_note.setItemData(
                i, RATE_NOTES[str(self.rate_note.itemData(i))], Qt.ItemDataRole.ToolTipRole
            )
        self.rate_note.setProperty("baseToolTip", tr("小规模纳税人按 3% 开具时必须选择税率说明"))
        self.rate_note.setToolTip(str(self.rate_note.property("baseToolTip")))
        self.deduction_switch = QCheckBox(tr("差额征税"))
        self.deduction_switch.setObjectName("deductionSwitch")
        self.deduction_mode = QComboBox()
        self.deduction_mode.setObjectName("deductionMode")
        for key, label in DEDUCTION_MODES.items():
            self.deduction_mode.addItem(tr(label), key)
        self.deduction_amount = QLineEdit()
        self.deduction_amount.setObjectName("deductionAmount")
        self.deduction_amount.setPlaceholderText(tr("扣除额"))
        self.deduction_amount.setMaximumWidth(140)
        self.deduction_amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.deduction_amount.setProperty("baseToolTip", tr("扣除额：0 到含税金额之间"))
        self.deduction_amount.setToolTip(str(self.deduction_amount.property("baseToolTip")))
        self.amount_label = QLabel(tr("扣除额"))
        self.deduction_help = QLabel(
            tr(
                "差额征税发票只能有一行明细，按含税金额填写，不能有折扣行；"
                "差额开具时税额按（含税金额−扣除额）计算，全额开具时按含税金额计算。"
            )
        )
        self.deduction_help.setObjectName("deductionHelp")
        self.deduction_help.setWordWrap(True)
        self.deduction_help.setStyleSheet("color: palette(mid);")
        self.platform_label = QLabel()
        self.platform_label.setObjectName("platformTreatments")
        self.platform_label.setWordWrap(True)
        self.platform_label.setStyleSheet("color: #b00020;")
        self.platform_label.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.deduction_switch)
        row.addWidget(self.deduction_mode)
        row.addWidget(self.amount_label)
        row.addWidget(self.deduction_amount)
        row.addSpacing(16)
        row.addWidget(self.note_label)
        row.addWidget(self.rate_note, 1)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.deduction_help)
        layout.addWidget(self.platform_label)

        self.deduction_switch.toggled.connect(self._switched)
        self.deduction_mode.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.deduction_amount.textChanged.connect(lambda _t: self.changed.emit())
        self.rate_note.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._switched(False, emit=False)
        self._show_note(False)

    # ---- values -----------------------------------------------------------------------------

    def rate_note_value(self) -> str:
        return str(self.rate_note.currentData() or "")

    def deduction(self) -> Deduction | None:
        if not self.deduction_switch.isChecked():
            return None
        return Deduction(
            mode=str(self.deduction_mode.currentData()), amount=self.deduction_amount.text()
        )

    def set_from(self, draft: Draft) -> None:
        """Show a draft's values (no `changed` while doing so)."""
        self.blockSignals(True)
        try:
            found = self.rate_note.findData(draft.rate_note)
            self.rate_note.setCurrentIndex(max(found, 0))
            deduction = draft.deduction
            self.deduction_switch.setChecked(deduction is not None)
            if deduction is not None:
                self.deduction_mode.setCurrentIndex(
                    max(self.deduction_mode.findData(deduction.mode), 0)
                )
                self.deduction_amount.setText(deduction.amount)
            else:
                self.deduction_amount.clear()
            self._switched(deduction is not None, emit=False)
        finally:
            self.blockSignals(False)

    def set_context(self, seller_type: str, draft: Draft) -> None:
        """Ask for the 税率说明 only where it applies: a small-scale seller with a 3% line (or a
        draft that carries a note already, so that it can be taken away)."""
        at_three = any(
            parse_decimal(line.tax_rate) == SMALL_SCALE_NOTE_RATE for line in draft.lines
        )
        self._show_note((seller_type == "small_scale" and at_three) or bool(draft.rate_note))

    def set_platform_text(self, text: str) -> None:
        self.platform_label.setText(text)
        self.platform_label.setVisible(bool(text))

    def field_widgets(self) -> dict[str, QWidget]:
        return {
            "rate_note": self.rate_note,
            "deduction": self.deduction_switch,
            "deduction.amount": self.deduction_amount,
            "deduction.mode": self.deduction_mode,
        }

    # ---- helpers ----------------------------------------------------------------------------

    def _show_note(self, show: bool) -> None:
        self.note_label.setVisible(show)
        self.rate_note.setVisible(show)

    def _switched(self, on: bool, *, emit: bool = True) -> None:
        for widget in (self.deduction_mode, self.amount_label, self.deduction_amount):
            widget.setVisible(on)
        self.deduction_help.setVisible(on)
        if emit:
            self.changed.emit()
