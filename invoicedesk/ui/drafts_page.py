"""草稿箱: the saved drafts, searchable; open, duplicate, delete with undo.

Drafts are few (dozens), so a small item model refilled from DraftService.list() is enough;
every store call goes through the service (off the GUI thread), and a result that arrives after
the search text changed again is dropped.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.drafts import COPY_MARK, PENDING, DraftService, DraftSummary
from invoicedesk.ui.tasks import spawn

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class DraftsPage(QWidget):
    """Public API: refresh() (coroutine), selected_id(), selected_ids(), select_ids(ids),
    show_outcome(id, text); signals openRequested(str draft id), issueRequested(list of ids)."""

    openRequested = Signal(str)
    issueRequested = Signal(list)

    def __init__(self, drafts: DraftService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftsPage")
        self.drafts = drafts
        self._generation = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._last_deleted: str | None = None
        self._outcomes: dict[str, str] = {}  # per-draft result of the last 开具所选
        tr = self.tr

        self.search = QLineEdit()
        self.search.setObjectName("draftSearch")
        self.search.setPlaceholderText(tr("搜索购买方或项目名称"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.model = QStandardItemModel(0, 5, self)
        self.model.setHorizontalHeaderLabels(
            [tr("草稿"), tr("价税合计"), tr("状态"), tr("修改时间"), tr("开票结果")]
        )
        self.table = QTableView()
        self.table.setObjectName("draftsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 110), (2, 56), (3, 150), (4, 220)):
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(lambda _i: self.open_selected())

        self.open_button = QPushButton(tr("打开"))
        self.open_button.setToolTip(tr("打开草稿（Enter）"))
        self.duplicate_button = QPushButton(tr("复制"))
        self.duplicate_button.setToolTip(tr("复制为新草稿（Ctrl+D）"))
        self.delete_button = QPushButton(tr("删除"))
        self.delete_button.setToolTip(tr("删除草稿（Delete），可撤销"))
        self.issue_button = QPushButton(tr("开具所选"))
        self.issue_button.setObjectName("issueSelectedButton")
        self.issue_button.setToolTip(
            tr("逐张开具选中的草稿（Ctrl+Enter）；可按住 Ctrl 或 Shift 多选")
        )
        self.issue_button.clicked.connect(self._issue_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.duplicate_button.clicked.connect(lambda: self._start(self.duplicate_selected()))
        self.delete_button.clicked.connect(lambda: self._start(self.delete_selected()))

        self.undo_label = QLabel()
        self.undo_button = QPushButton(tr("撤销"))
        self.undo_button.setObjectName("undoDelete")
        self.undo_button.setToolTip(tr("恢复刚删除的草稿（Ctrl+Z）"))
        self.undo_button.clicked.connect(lambda: self._start(self.undo_delete()))
        self._show_undo(False)

        for text, key, slot in (
            (tr("删除"), QKeySequence.StandardKey.Delete, self.delete_button.click),
            (tr("复制"), QKeySequence("Ctrl+D"), self.duplicate_button.click),
            (tr("撤销"), QKeySequence.StandardKey.Undo, self.undo_button.click),
            (tr("开具所选"), QKeySequence("Ctrl+Return"), self.issue_button.click),
        ):
            action = QAction(text, self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.duplicate_button)
        top.addWidget(self.delete_button)
        top.addWidget(self.issue_button)
        undo = QHBoxLayout()
        undo.addWidget(self.undo_label)
        undo.addWidget(self.undo_button)
        undo.addStretch(1)
        # an empty list says why: nothing saved yet, or nothing matches the search
        self.empty_label = QLabel()
        self.empty_label.setObjectName("draftsEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        self.results = QListWidget()
        self.results.setObjectName("batchResults")
        self.results.setMaximumHeight(120)
        self.results.setToolTip(tr("本次“开具所选”的每张草稿的结果"))
        self.results.hide()
        layout.addWidget(self.results)
        layout.addLayout(undo)

    # ---- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        self._start(self.refresh())

    async def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        rows = await self.drafts.list(self.search.text().strip())
        if generation != self._generation:
            return  # the search changed while we were reading: a newer refresh will fill in
        self._fill(rows)

    def _fill(self, rows: list[DraftSummary]) -> None:
        selected = set(self.selected_ids())
        self.model.removeRows(0, self.model.rowCount())
        for r in rows:
            title = QStandardItem(self._title(r.title))
            title.setData(r.id, ID_ROLE)
            total = QStandardItem("" if r.total is None else f"¥{r.total:.2f}")
            total.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            status = QStandardItem(self.tr("待开") if r.status == PENDING else self.tr("草稿"))
            when = QStandardItem(r.updated_at.replace("T", " "))
            outcome = QStandardItem(self._outcomes.get(r.id, ""))
            outcome.setToolTip(outcome.text())
            self.model.appendRow([title, total, status, when, outcome])
        query = self.search.text().strip()
        if rows:
            self.empty_label.clear()
        elif query:
            self.empty_label.setText(
                self.tr("没有与“{q}”匹配的草稿。可以换个词，或清空搜索框查看全部草稿。").format(
                    q=query[:40]
                )
            )
        else:
            self.empty_label.setText(self.tr("草稿箱是空的：在“开票”页填写的发票会自动存为草稿。"))
        self.empty_label.setVisible(not rows)
        keep = [r.id for r in rows if r.id in selected]
        if keep:
            self.select_ids(keep)
        elif rows:
            self.table.selectRow(0)

    def _title(self, title: str) -> str:
        """The stored title, its copy mark in the window's language."""
        copy = title.startswith(COPY_MARK)
        rest = title[len(COPY_MARK) :] if copy else title
        text = rest or self.tr("（空白草稿）")
        return self.tr("（副本）") + text if copy else text

    def select_ids(self, ids: list[str]) -> None:
        from PySide6.QtCore import QItemSelectionModel

        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(ID_ROLE) in ids:
                selection.select(self.model.index(row, 0), flags)
                self.table.setCurrentIndex(self.model.index(row, 0))
                selection.select(self.model.index(row, 0), flags)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [str(self.model.index(r, 0).data(ID_ROLE)) for r in rows]

    def start_batch(self, count: int) -> None:
        self.results.clear()
        self.results.setVisible(True)
        self.results.addItem(self.tr("正在逐张开具 {n} 张草稿…").format(n=count))

    def show_outcome(self, draft_id: str, text: str, title: str = "") -> None:
        """The result of issuing one draft: in its row (kept across refreshes; an issued draft
        leaves the list) and in the results list under the table."""
        self._outcomes[draft_id] = text
        self.results.setVisible(True)
        self.results.addItem(f"{title or draft_id}：{text}")
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(ID_ROLE) == draft_id:
                item = self.model.item(row, 4)
                item.setText(text)
                item.setToolTip(text)

    def _issue_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.issueRequested.emit(ids)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.model.index(index.row(), 0).data(ID_ROLE)
        return str(value) if value else None

    # ---- actions ---------------------------------------------------------------------------

    def open_selected(self) -> None:
        draft_id = self.selected_id()
        if draft_id:
            self.openRequested.emit(draft_id)

    async def duplicate_selected(self) -> str | None:
        draft_id = self.selected_id()
        if not draft_id:
            return None
        new_id = await self.drafts.duplicate(draft_id)  # titled （副本）…
        await self.refresh()
        self.select_ids([new_id])  # the copy, not the original, is the one now selected
        return new_id

    async def delete_selected(self) -> None:
        draft_id = self.selected_id()
        if not draft_id:
            return
        title = self.model.index(self.table.currentIndex().row(), 0).data()
        await self.drafts.delete(draft_id)
        self._last_deleted = draft_id
        self.undo_label.setText(self.tr("已删除草稿：") + str(title))
        self._show_undo(True)
        await self.refresh()

    async def undo_delete(self) -> None:
        if self._last_deleted is None:
            return
        await self.drafts.undelete(self._last_deleted)
        self._last_deleted = None
        self._show_undo(False)
        await self.refresh()

    def _show_undo(self, visible: bool) -> None:
        self.undo_label.setVisible(visible)
        self.undo_button.setVisible(visible)

    def _start(self, coro: Any) -> None:
        spawn(coro, self._tasks)
