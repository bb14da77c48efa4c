"""按编码浏览: the tax classification codes as a tree of their levels, with a search box.

The official table holds leaf codes only, so the groups have no names of their own: a group is
shown by its digits and the first names below it. The top level is the code's first digit
(goods, 加工修理修配劳务, services, intangibles, real estate, 不征税项目). Chains of groups with
one child are folded into one, so the tree is only as deep as it has choices.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.catalog import KINDS, CatalogEntry, TaxCatalog, code_levels
from invoicedesk.ui.catalog_choices import line_name

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SAMPLE_NAMES = 3


class _Group:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.groups: dict[str, _Group] = {}
        self.entries: list[CatalogEntry] = []

    def count(self) -> int:
        return len(self.entries) + sum(g.count() for g in self.groups.values())

    def names(self) -> list[str]:
        found = [e.name for e in self.entries[:SAMPLE_NAMES]]
        for group in self.groups.values():
            if len(found) >= SAMPLE_NAMES:
                break
            found += group.names()[: SAMPLE_NAMES - len(found)]
        return found


def _tree(catalog: TaxCatalog) -> _Group:
    root = _Group("")
    for entry in catalog.entries:
        levels = code_levels(entry.code)
        node = root.groups.setdefault(entry.code[0], _Group(entry.code[0]))
        # every level above the entry's own: first digit, then two digits a level
        for end in range(3, len(levels), 2):
            node = node.groups.setdefault(levels[:end], _Group(levels[:end]))
        node.entries.append(entry)
    return root


def build_model(catalog: TaxCatalog, parent: QWidget | None = None) -> QStandardItemModel:
    """Columns: 名称 (the tree), 编码 (a group's digits), 简称 (a group's count)."""
    model = QStandardItemModel(0, 3, parent)
    model.setHorizontalHeaderLabels([_tr("名称"), _tr("税收分类编码"), _tr("简称 / 项数")])

    def add(parent_item: QStandardItem, group: _Group, top: bool) -> None:
        while not top and len(group.groups) == 1 and not group.entries:
            group = next(iter(group.groups.values()))  # fold single-child chains
        if top:
            label = f"{group.prefix} {_tr(KINDS.get(group.prefix, ''))}"
        else:
            more = "…" if group.count() > SAMPLE_NAMES else ""
            label = "、".join(group.names()) + more
        item = QStandardItem(label)
        item.setToolTip(label)
        count = QStandardItem(_tr("%1 项").replace("%1", str(group.count())))
        digits = QStandardItem(group.prefix)
        for cell in (item, count, digits):
            cell.setEditable(False)
        parent_item.appendRow([item, digits, count])
        for child in group.groups.values():
            add(item, child, False)
        for entry in group.entries:
            leaf = QStandardItem(entry.name)
            leaf.setData(entry, ENTRY_ROLE)
            leaf.setToolTip(line_name(entry.short_name, entry.name))
            code = QStandardItem(entry.code)
            short = QStandardItem(entry.short_name)
            for cell in (leaf, code, short):
                cell.setEditable(False)
            item.appendRow([leaf, code, short])

    root = model.invisibleRootItem()
    for group in _tree(catalog).groups.values():
        add(root, group, True)
    return model


class CodeBrowser(QDialog):
    """Pick a code from the tree (double-click, Enter or 选用). Signal codeChosen(object
    CatalogEntry); `filter` narrows the tree to names, codes and 简称 containing the text."""

    codeChosen = Signal(object)

    def __init__(
        self,
        catalog: TaxCatalog,
        parent: QWidget | None = None,
        search: Callable[[str], list[CatalogEntry]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codeBrowser")
        self.setWindowTitle(self.tr("按编码浏览税收分类编码"))
        self.resize(820, 560)
        self.catalog = catalog
        self.filter = QLineEdit()
        self.filter.setObjectName("codeFilter")
        self.filter.setPlaceholderText(self.tr("筛选：名称、拼音首字母、全拼或编码开头"))
        self.filter.setClearButtonEnabled(True)
        self.model = build_model(catalog, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterRole(ENTRY_ROLE + 1)
        self.tree = QTreeView()
        self.tree.setObjectName("codeTree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setColumnWidth(1, 170)
        self.tree.setColumnWidth(2, 120)
        self.tree.activated.connect(self._activated)
        self.hint = QLabel(
            self.tr("共 %1 个编码。双击或按 Enter 选用；只改编码，不改项目名称。").replace(
                "%1", str(len(catalog.entries))
            )
        )
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.use_button = buttons.addButton(self.tr("选用"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.clicked.connect(lambda: self._activated(self.tree.currentIndex()))
        cancel = buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self._search = search or (lambda text: catalog.search(text, limit=500))
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())

    def _mark(self, item: QStandardItem, codes: set[str]) -> None:
        """Filter role: "1" on the leaves whose code is in `codes`."""
        for row in range(item.rowCount()):
            child = item.child(row)
            entry = child.data(ENTRY_ROLE)
            if isinstance(entry, CatalogEntry):
                child.setData("1" if entry.code in codes else "", ENTRY_ROLE + 1)
            else:
                self._mark(child, codes)

    def _apply_filter(self) -> None:
        text = self.filter.text().strip()
        if not text:
            self.proxy.setFilterFixedString("")
            self.tree.collapseAll()
            return
        codes = {e.code for e in self._search(text)}
        self._mark(self.model.invisibleRootItem(), codes)
        self.proxy.setFilterFixedString("1")
        self.proxy.invalidate()
        self.tree.expandAll()

    def _activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        entry = self.proxy.mapToSource(index.siblingAtColumn(0)).data(ENTRY_ROLE)
        if isinstance(entry, CatalogEntry):
            self.codeChosen.emit(entry)
            self.accept()
        else:
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

    def show_code(self, code: str) -> None:
        """Open the tree at a code (the line's current one)."""
        for row in range(self.proxy.rowCount()):
            self._expand_to(self.proxy.index(row, 0), code)

    def _expand_to(self, index: QModelIndex, code: str) -> bool:
        entry = index.data(ENTRY_ROLE)
        if isinstance(entry, CatalogEntry):
            if entry.code == code:
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
                return True
            return False
        prefix = str(index.siblingAtColumn(1).data() or "")
        if not code.startswith(prefix):
            return False
        for row in range(self.proxy.rowCount(index)):
            if self._expand_to(self.proxy.index(row, 0, index), code):
                self.tree.setExpanded(index, True)
                return True
        return False


def _tr(text: str) -> str:
    return QCoreApplication.translate("CodeBrowser", text)
