"""Choose the columns and the format of an export (Excel or CSV). The file name is asked next."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.export import ExportColumn
from invoicedesk.ui.history.columns import (
    color_labels,
    columns,
    treatment_columns,
    type_labels,
)
from invoicedesk.ui.treatment_text import (
    deduction_mode_labels,
    rate_note_labels,
    seller_type_labels,
)


class ExportDialog(QDialog):
    """Public API: chosen_columns() -> list[ExportColumn], suffix() -> ".xlsx" | ".csv",
    checks (one QCheckBox per column), excel / csv radio buttons."""

    def __init__(self, count: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyExportDialog")
        tr = self.tr
        self.setWindowTitle(tr("导出发票历史"))
        self._columns = columns() + treatment_columns()
        chosen = {c.key for c in columns()}  # the treatment columns only when asked for
        layout = QVBoxLayout(self)
        what = (
            tr("导出当前筛选条件下的全部发票（共 {n} 张），末尾附合计行。").format(n=f"{count:,}")
            if count is not None
            else tr("导出当前筛选条件下的全部发票，末尾附合计行。")
        )
        text = QLabel(what)
        text.setWordWrap(True)
        layout.addWidget(text)
        box = QGroupBox(tr("导出的列"))
        grid = QGridLayout(box)
        self.checks: list[QCheckBox] = []
        for i, col in enumerate(self._columns):
            check = QCheckBox(col.header)
            check.setChecked(col.key in chosen)
            check.toggled.connect(self._update_ok)
            grid.addWidget(check, i // 3, i % 3)
            self.checks.append(check)
        layout.addWidget(box)
        fmt = QGroupBox(tr("格式"))
        fmt_layout = QVBoxLayout(fmt)
        self.excel = QRadioButton(tr("Excel 工作簿（.xlsx）"))
        self.csv = QRadioButton(tr("CSV（UTF-8，Excel 可直接打开）"))
        self.excel.setChecked(True)
        fmt_layout.addWidget(self.excel)
        fmt_layout.addWidget(self.csv)
        layout.addWidget(fmt)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("导出…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(any(c.isChecked() for c in self.checks))
        ok.setToolTip("" if ok.isEnabled() else self.tr("请至少选择一列"))

    def chosen_columns(self) -> list[ExportColumn]:
        labels = {
            "color": color_labels(),
            "invoice_type": type_labels(),
            "deduction_mode": deduction_mode_labels(),
            "seller_type": seller_type_labels(),
            # the code with its meaning: the full 税率说明 is a long sentence for a cell
            "rate_note": {k: f"{k}：{v}" for k, v in rate_note_labels().items()},
        }
        return [
            ExportColumn(col.key, col.header, labels.get(col.key, {}))
            for col, check in zip(self._columns, self.checks, strict=True)
            if check.isChecked()
        ]

    def suffix(self) -> str:
        return ".csv" if self.csv.isChecked() else ".xlsx"
