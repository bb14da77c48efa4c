"""批量开票 — step two: a row per draft with its state, overall progress with the time left, and
the controls (pause, resume, cancel, retry the rejected, edit a rejected draft, export).

The widgets only show and forward; `BatchPage` (page.py) owns the BatchService calls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services import batch_io
from invoicedesk.services.batches import Progress
from invoicedesk.ui.banner import banner_style
from invoicedesk.ui.batch.models import DryRunModel, ProgressModel


def time_left_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds + 0.5)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


class ProgressPage(QWidget):
    pauseToggled = Signal()
    cancelRequested = Signal()
    continueRequested = Signal()
    retryRequested = Signal()
    editRequested = Signal(int)  # row
    exportRequested = Signal()
    newBatchRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchProgressPage")
        tr = self.tr
        self.title = QLabel()
        self.title.setObjectName("batchTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.banner = QLabel()
        self.banner.setObjectName("batchBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(banner_style())  # readable in both themes
        self.banner.hide()
        self.bar = QProgressBar()
        self.bar.setObjectName("batchProgress")
        self.status = QLabel()
        self.status.setObjectName("batchStatus")

        self.pause_button = QPushButton(tr("暂停"))
        self.pause_button.setObjectName("batchPause")
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.setObjectName("batchCancel")
        self.cancel_button.setToolTip(tr("不再发送新的草稿；正在发送的会完成并核对结果"))
        self.continue_button = QPushButton(tr("继续开具"))
        self.continue_button.setObjectName("batchContinue")
        self.continue_button.setToolTip(tr("先核对结果未知的，再开具等待中的"))
        self.edit_button = QPushButton(tr("修改所选…"))
        self.retry_button = QPushButton(tr("重试被拒绝的"))
        self.retry_button.setObjectName("batchRetry")
        self.export_button = QPushButton(tr("导出结果…"))
        self.new_button = QPushButton(tr("新建批次"))

        self.model = ProgressModel(self)
        self.table = QTableView()
        self.table.setObjectName("batchTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((90, 130, 190, 100, 100)):
            self.table.setColumnWidth(col, width)

        buttons = QHBoxLayout()
        for b in (
            self.pause_button,
            self.cancel_button,
            self.continue_button,
            self.edit_button,
            self.retry_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.pause_button.clicked.connect(self.pauseToggled)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.continue_button.clicked.connect(self.continueRequested)
        self.retry_button.clicked.connect(self.retryRequested)
        self.export_button.clicked.connect(self.exportRequested)
        self.new_button.clicked.connect(self.newBatchRequested)
        self.edit_button.clicked.connect(self._edit_selected)
        self.table.doubleClicked.connect(lambda index: self.editRequested.emit(index.row()))
        self.set_running(False, paused=False)

    def _edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.editRequested.emit(rows[0].row())

    def set_running(self, running: bool, *, paused: bool) -> None:
        tr = self.tr
        self.pause_button.setEnabled(running)
        self.pause_button.setText(tr("继续") if paused else tr("暂停"))
        self.cancel_button.setEnabled(running)
        views = self.model.views
        open_ = any(v.state in ("waiting", "sending", "unknown") for v in views)
        rejected = any(v.state == "rejected" for v in views)
        self.continue_button.setEnabled(not running and open_)
        self.retry_button.setEnabled(not running and rejected)
        self.edit_button.setEnabled(not running and rejected)
        self.export_button.setEnabled(not running and bool(views))
        self.new_button.setEnabled(not running)

    def show_progress(self, p: Progress, *, running: bool, paused: bool) -> None:
        tr = self.tr
        self.bar.setMaximum(max(1, p.total))
        self.bar.setValue(p.done)
        text = (
            tr("已完成 %1 / %2：已开具 %3，被拒绝 %4，结果未知 %5。")
            .replace("%1", str(p.done))
            .replace("%2", str(p.total))
            .replace("%3", str(p.issued))
            .replace("%4", str(p.rejected))
            .replace("%5", str(p.unknown))
        )
        if paused and running:
            text += tr("已暂停：正在发送的会完成，点“继续”接着开具。")
        elif running and p.seconds_left is not None:
            text += tr("预计还需 %1。").replace("%1", time_left_text(p.seconds_left))
        self.status.setText(text)


class EditDialog(QDialog):
    """Edit a rejected draft's cells (the dry-run table over one draft), checked on OK."""

    def __init__(self, draft: batch_io.ImportedDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改草稿 %1").replace("%1", draft.label))
        self.resize(900, 300)
        self.model = DryRunModel(self)
        self.model.set_drafts([draft], [batch_io.content_key(draft.draft)])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.hideColumn(0)
        self.note = QLabel(self.tr("双击格子修改；红色格子有错误，改正后才能重新开具。"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.model.changed.connect(self._check)
        self._check()

    @property
    def draft(self) -> batch_io.ImportedDraft:
        return self.model.drafts[0]

    def _check(self) -> None:
        ok = not self.draft.has_errors
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(ok)
        self.table.resizeColumnsToContents()
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft)
