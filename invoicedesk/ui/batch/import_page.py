"""批量开票 — step one: download the template, import a sheet, and check the dry run.

Parsing and checking run in a worker process (services/batch_import.py), a chunk of drafts at a
time: the table shows the first chunk while the rest is checked, and each chunk costs the GUI
thread a few milliseconds. Nothing is issued here: `confirmed` hands the checked drafts to the
batch page (the start button waits until every draft is checked).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.treatments import TreatmentSupport, uncarried
from invoicedesk.services import batch_io
from invoicedesk.services.batch_import import ImportProcess
from invoicedesk.services.batch_issued import (
    ALREADY_ISSUED,
    IssuedBefore,
    issued_problem,
    issued_summary,
)
from invoicedesk.ui.batch.banded_table import BandedTableView
from invoicedesk.ui.batch.models import DryRunModel, row_layout
from invoicedesk.ui.tasks import spawn

IssuedLookup = Callable[
    [str, Sequence[batch_io.ImportedDraft]], Awaitable[list[IssuedBefore | None]]
]
log = logging.getLogger(__name__)

# column widths in pixels (measuring 10,000 rows for them would freeze the GUI)
_WIDTHS = (40, 48, 40, 140, 150, 165, 168, 44, 60, 70, 44, 40, 50, 72)
_SLICE = 8  # rows repainted per loop turn when a chunk arrives
_SLICE_GAP = 0.002  # seconds between slices: the loop paints the slice before


_TREATMENT_COLUMNS = ("lines.tax_treatment", "rate_note", "deduction.mode")


class ImportPage(QWidget):
    """Public API: `load(path)`, `aclose()` (coroutines), `prepare_import()`, `model`, `result`,
    `profile()`, `set_profiles()`;
    signals `confirmed()` and `templateRequested()` / `fileRequested()` (the page asks its
    owner to pick paths, so tests can drive it without file dialogs)."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchImportPage")
        tr = self.tr
        self.result: batch_io.ImportResult | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.importer = ImportProcess()  # its worker process starts with the first import
        self._loading = False
        # (profile, drafts) -> how each was issued before, or None; set by the batch page
        self.issued_lookup: IssuedLookup | None = None
        self.issued: list[IssuedBefore] = []

        self.template_button = QPushButton(tr("下载模板"))
        self.open_button = QPushButton(tr("导入表格…"))
        self.open_button.setToolTip(tr("支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）"))
        self.skip_button = QPushButton(tr("跳过所选草稿"))
        self.profile_box = QComboBox()
        self.profile_box.setObjectName("batchProfile")
        self.profile_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._supports: dict[str, TreatmentSupport] = {}
        self.profile_box.currentTextChanged.connect(lambda _t: self.refresh_summary())
        self.concurrency = QSpinBox()
        self.concurrency.setObjectName("batchConcurrency")
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(4)
        self.concurrency.setToolTip(tr("同时发送的张数（每个开票平台分别保存）；平台限流时请调小"))
        self.start_button = QPushButton(tr("确认无误，开始开具"))
        self.start_button.setObjectName("batchStart")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(False)

        self.heading = QLabel(
            tr("批量开票：下载模板，按模板填写后导入；导入后先检查，确认再开具。")
        )
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        # two lines kept for it from the start: a summary that grows from nothing when an
        # import starts would move the table and repaint the whole page (~10 ms)
        self.summary.setMinimumHeight(2 * self.summary.fontMetrics().lineSpacing())

        self.model = DryRunModel(self)
        self.table = BandedTableView()
        self.table.setObjectName("dryRunTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # one height for every row, set once: no row is measured (O(1) layout for 10,000
        # rows), and no word wrap or column fitting to contents on this table
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # the style's row height (30 px here: as many rows on screen as before)
        vertical.setDefaultSectionSize(vertical.defaultSectionSize())
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # the scroll bar is there from the start: appearing when the rows arrive it would
        # narrow the table and repaint it all once more, in the middle of the import
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

        top = QHBoxLayout()
        top.addWidget(self.template_button)
        top.addWidget(self.open_button)
        top.addWidget(self.skip_button)
        top.addStretch(1)
        top.addWidget(QLabel(tr("开票账户")))
        top.addWidget(self.profile_box)
        top.addWidget(QLabel(tr("同时发送")))
        top.addWidget(self.concurrency)
        top.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        # the selected row's problems in full (the table's last column is often cut short)
        self.detail = QLabel()
        self.detail.setObjectName("batchRowProblems")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)

        self.template_button.clicked.connect(self._pick_template)
        self.open_button.clicked.connect(self._pick_file)
        self.skip_button.clicked.connect(self.skip_selected)
        self.start_button.clicked.connect(self.confirmed)
        self.model.changed.connect(self.refresh_summary)
        self.model.changed.connect(self.show_detail)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.show_detail())

    # ---- public ------------------------------------------------------------------------------

    def set_profiles(
        self,
        names: list[str],
        active: str | None,
        supports: dict[str, TreatmentSupport] | None = None,
    ) -> None:
        """`supports`: what each account's platform can carry of the tax treatments, so that
        the dry run says which drafts that account cannot issue (issue 16)."""
        self._supports = supports or {}
        self.profile_box.clear()
        self.profile_box.addItems(names)
        if active in names:
            self.profile_box.setCurrentText(active)

    def profile(self) -> str:
        return self.profile_box.currentText()

    async def load(self, path: Path) -> bool:
        """Import in the worker process and show the dry run as it is checked. False (and a
        message) on failure."""
        tr = self.tr
        self.summary.setText(tr("正在读取“%1”…").replace("%1", path.name))
        self.open_button.setEnabled(False)
        self.start_button.setEnabled(False)
        self.skip_button.setEnabled(False)
        self._loading = True
        self.result = None
        self.issued = []
        if self.model.rowCount():
            self.model.set_drafts([], [])
        # Garbage collection: taking in 5,000 drafts makes ~20,000 objects, enough to start a
        # full collection of the whole heap in the middle of the import (40-50 ms measured).
        # So: collect, then gc.freeze() what is alive (the program's long-lived objects): the
        # collector's later scans go only through newer objects. prepare_import() did the
        # same when the file dialog opened, so this collection only sees what came since.
        gc.collect()
        gc.freeze()
        self.table.banding = True  # while rows arrive, a screen is painted a band at a time
        try:
            job = await self.importer.start(path)
            self.result = job.result
            # every row now, as placeholders: the table lays itself out and paints them while
            # the worker checks the first chunk, not in the same turn as that chunk's cells
            self.model.expect_drafts(row_layout(job.sizes))
            metrics = self.table.horizontalHeader().fontMetrics()
            for col, width in enumerate(_WIDTHS):
                # never narrower than its header: the English headers are longer
                title = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
                self.table.setColumnWidth(col, max(width, metrics.horizontalAdvance(title) + 16))
            async with contextlib.aclosing(job.chunks()) as chunks:
                async for drafts, keys in chunks:
                    # let the loop run between taking the chunk in and the table's update and
                    # paint, so the two never make one long stall
                    await asyncio.sleep(0)
                    top, bottom = self.model.add_drafts(drafts, keys)
                    await self._repaint_shown(top, bottom)
                    self.summary.setText(
                        tr("正在检查“%1”：已检查 %2 / %3 张…")
                        .replace("%1", path.name)
                        .replace("%2", str(len(self.model.drafts)))
                        .replace("%3", str(job.count))
                    )
        except batch_io.ImportFailed as exc:
            self.result = None
            self.model.set_drafts([], [])
            self.summary.setText(exc.message)
            return False
        finally:
            self._loading = False
            self.table.banding = False
            self.open_button.setEnabled(True)
            self.skip_button.setEnabled(True)
        job.result.drafts = self.model.drafts
        await self.mark_issued()
        self.refresh_summary()
        # the import's survivors (the drafts) join the frozen heap; the collection before
        # goes only through what the import made (~5 ms) and frees any cycles among it, so
        # nothing unreachable is ever frozen. Frozen objects are still freed by reference
        # counting (the drafts, replaced at the next import, hold no reference cycles).
        await asyncio.sleep(0)
        gc.collect()
        gc.freeze()
        return True

    async def _repaint_shown(self, top: int, bottom: int) -> None:
        """Repaint the rows top..bottom that are on screen (the user may have scrolled there),
        _SLICE rows per loop turn: a screen of this table costs ~8 ms to paint (each cell asks
        the Python model for seven roles), a slice a third of that."""
        first = max(top, self.table.rowAt(0))
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = min(bottom, self.model.rowCount() - 1 if last < 0 else last)
        for start in range(first, last + 1, _SLICE):
            if start > first:
                await asyncio.sleep(_SLICE_GAP)  # the slice before is painted meanwhile
            self.model.rows_changed(start, min(start + _SLICE - 1, last))

    async def aclose(self) -> None:
        """End the import's worker process (the owner calls this before the services close)."""
        await self.importer.aclose()

    async def mark_issued(self) -> None:
        """Drafts the chosen account issued before (a sheet imported again) are unticked with
        a warning naming the invoice and the batch; the summary says so."""
        profile = self.profile()
        if self.issued_lookup is None or not profile or not self.model.drafts:
            return
        drafts = self.model.drafts
        try:
            found = await self.issued_lookup(profile, drafts)
        except Exception:  # the dry run stands without it; issuing would resume anyway
            log.exception("looking up drafts issued before failed")
            return
        for di, (d, before) in enumerate(zip(drafts, found, strict=True)):
            if before is None or any(p.code == ALREADY_ISSUED for p in d.problems):
                continue
            d.problems.append(issued_problem(d, before))
            self.issued.append(before)
            self.model.set_skip(di, True)

    def issuable(self) -> list[batch_io.ImportedDraft]:
        return [d for d in self.model.drafts if d.issuable]

    def refresh_summary(self) -> None:
        drafts = self.model.drafts
        if self.result is None or self._loading:
            return
        ok, bad, skipped, total = self.model.summary()  # kept up to date by the model
        text = (
            self.tr(  # the disambiguation: its own English, worded without plurals
                "“%1”：共 %2 张，可开具 %3 张（价税合计 %4 元），有错误 %5 张，跳过 %6 张。",
                "counts without plural",
            )
            .replace("%1", Path(self.result.source).name)
            .replace("%2", str(len(drafts)))
            .replace("%3", str(ok))
            .replace("%4", f"{total:.2f}")
            .replace("%5", str(bad))
            .replace("%6", str(skipped))
        )
        if self.issued:
            text += issued_summary(self.issued)
        if bad:  # a new line: the English sentences would otherwise run together
            text += "\n" + self.tr("红色格子有错误：双击修改，或取消勾选“开具”跳过该草稿。")
        for p in self.result.file_problems:
            text += "\n" + p.message
        text += self._uncarried_text()
        self.summary.setText(text)
        self.start_button.setEnabled(bool(ok) and bool(self.profile()))

    def _uncarried_text(self) -> str:
        """The drafts whose tax treatment the chosen account's platform cannot carry (they
        would be refused before sending). Only drafts whose cells fill a treatment column are
        built, so a large ordinary sheet costs nothing here."""
        support = self._supports.get(self.profile())
        if support is None:
            return ""
        platform = self.tr("开票账户“%1”的平台").replace("%1", self.profile())
        found: list[str] = []
        for d in self.issuable():
            if not any(c.get(k) for c in d.cells for k in _TREATMENT_COLUMNS):
                continue
            problems = uncarried(d.draft, support, platform)
            if problems:
                found.append(self.tr("草稿 %1：").replace("%1", d.label) + problems[0].message)
        if not found:
            return ""
        shown = "\n".join(found[:5])
        more = self.tr("\n……另有 %1 张同样无法开具。").replace("%1", str(len(found) - 5))
        return "\n" + shown + (more if len(found) > 5 else "")

    def show_detail(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0 or row >= self.model.rowCount():
            self.detail.setText("")
            return
        last = self.model.columnCount() - 1
        text = self.model.data(self.model.index(row, last)) or ""
        self.detail.setText(text.replace("；", "\n"))

    def skip_selected(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        for di in sorted({self.model.draft_at(r) for r in rows}):
            self.model.set_skip(di, True)

    # ---- files -----------------------------------------------------------------------------

    def _start(self, coro: Any) -> None:
        spawn(coro, self._tasks)

    def prepare_import(self) -> None:
        """Before a file is picked: start the worker process and collect and freeze the heap
        (a full collection of the whole heap costs tens of milliseconds, unseen while the
        file dialog opens, and leaves load() only newer objects to collect)."""
        self._start(self.importer.warm())
        gc.collect()
        gc.freeze()

    def _pick_file(self) -> None:
        self.prepare_import()  # while the user picks the file
        dialog = QFileDialog(self, self.tr("导入批量开票表格"))
        dialog.setNameFilter(self.tr("表格 (*.xlsx *.csv)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self._start(self.load(Path(name))))
        dialog.open()

    def _pick_template(self) -> None:
        dialog = QFileDialog(self, self.tr("保存批量开票模板"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Excel 表格 (*.xlsx)"))
        dialog.selectFile(self.tr("批量开票模板.xlsx"))
        dialog.fileSelected.connect(lambda name: self._start(self.save_template(Path(name))))
        dialog.open()

    async def save_template(self, path: Path) -> None:
        try:
            await asyncio.to_thread(batch_io.write_template, path)
        except OSError as exc:
            self.summary.setText(
                self.tr("模板保存失败：%1。请换一个位置再试。").replace("%1", exc.strerror or "")
            )
            return
        self.summary.setText(self.tr("模板已保存到 %1").replace("%1", str(path)))
