"""Widgets of the history page that need no words of their own: the table view set up for a
million rows, and the save-file question of 保存文件 and 导出."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QTableView, QWidget

from invoicedesk.ui.async_dialog import dialog_future
from invoicedesk.ui.history.columns import type_labels
from invoicedesk.ui.history.header import arrow_follows_order
from invoicedesk.ui.history.model import HistoryModel

ROW_HEIGHT = 26


def history_table(model: HistoryModel) -> QTableView:
    """The table of `model`: whole rows, one at a time, fixed row height, movable columns never
    narrower than their header, newest first."""
    view = QTableView()
    view.setObjectName("historyTable")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setCornerButtonEnabled(False)
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # O(1) layout for 1M rows
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    metrics = header.fontMetrics()
    types = max(metrics.horizontalAdvance(t) for t in type_labels().values()) + 12
    for i, col in enumerate(model.columns):
        # never narrower than its header (English headers are longer), sort arrow included,
        # nor, for 发票类型, than its longest type ("Special VAT e-invoice" in English)
        wanted = metrics.horizontalAdvance(col.header) + 28
        if col.key == "invoice_type":
            wanted = max(wanted, types)
        header.resizeSection(i, max(col.width, wanted))
    arrow_follows_order(header)  # ▼ while the newest rows are on top
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    header.setSortIndicatorShown(True)
    header.setSectionsClickable(True)
    return view


async def ask_save_path(parent: QWidget, title: str, name: str, pattern: str) -> Path | None:
    """The file to save to (Qt's own dialog, awaited without blocking the loop); None when
    cancelled."""
    dialog = QFileDialog(parent, title)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setNameFilter(pattern)
    dialog.selectFile(name)
    code = await dialog_future(dialog)
    files = dialog.selectedFiles()
    dialog.deleteLater()
    if code != QFileDialog.DialogCode.Accepted or not files:
        return None
    return Path(files[0])
