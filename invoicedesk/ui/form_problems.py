"""The invoice form's 问题 and 合计 panels: the problems list and where each problem belongs,
and the totals with their 大写.

A problem is shown for a field only once the user has left that field (a buyer field lost the
focus, a cell's editor was closed) or tried to issue: an empty form opens without red. Problems
of an opened draft are shown at once, it was typed before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.rules import Problem
from invoicedesk.ui.lines_model import COLUMN_OF_FIELD, Col
from invoicedesk.ui.problem_text import shown

ERROR_STYLE = "background-color: #f8d0d0;"
WARNING_STYLE = "background-color: #fbeec0;"
LIST_LIMIT = 200  # a 1,000-line invoice can have thousands; the cells show them all anyway

_LINE_FIELD = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")

Marks = dict[Any, tuple[str, str]]  # cell (row, column) or buyer field -> (severity, message)


class ProblemsBox(QGroupBox):
    """The list of problems; `problem_list` double-click / Enter jumps to the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_tr("问题"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problemList")
        self.problem_list.setToolTip(_tr("双击或按 Enter 跳到有问题的地方"))
        self.problem_list.setMaximumHeight(96)
        layout.addWidget(self.problem_list)

    def show_problems(
        self, problems: Iterable[Problem], rows: int, *, hidden: int = 0
    ) -> tuple[Marks, Marks]:
        """Fill the list; returns (cells, buyer fields) with what to paint where. `hidden`
        counts problems not shown yet (fields not yet left)."""
        cells: Marks = {}
        at_field: Marks = {}
        items: list[QListWidgetItem] = []
        shown_vendor: set[str] = set()
        for problem in problems:
            severity, message = problem.severity, shown(problem)
            field = expand_star(problem.field, rows)
            item: QListWidgetItem | None = None
            if problem.code == "vendor.rejected":
                if message not in shown_vendor:  # one entry per refusal, however many fields
                    shown_vendor.add(message)
                    item = QListWidgetItem(_tr("平台拒绝：") + message)
            elif len(items) < LIST_LIMIT:
                prefix = _tr("错误：") if severity == "error" else _tr("提示：")
                item = QListWidgetItem(prefix + message)
            if item is not None:
                item.setData(Qt.ItemDataRole.UserRole, field.split("|")[0])
                item.setToolTip(message)
                items.append(item)
            for one in field.split("|"):
                cell = cell_of(one)
                if cell is not None:
                    merge(cells, cell, severity, message)
                elif one:
                    merge(at_field, one.removeprefix("buyer."), severity, message)
        self.problem_list.setUpdatesEnabled(False)
        self.problem_list.clear()
        for item in items:
            self.problem_list.addItem(item)
        if not items:
            text = (
                _tr("填写完成后会在这里列出需要改正的地方")
                if hidden
                else _tr("没有发现问题，可以开具")
            )
            empty = QListWidgetItem(text)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.problem_list.addItem(empty)
        self.problem_list.setUpdatesEnabled(True)
        return cells, at_field


class TotalsBox(QGroupBox):
    """合计: 金额, 税额, 价税合计 in figures and in 大写."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_tr("合计"))
        totals = QFormLayout(self)
        totals.setContentsMargins(8, 4, 8, 4)
        totals.setVerticalSpacing(2)
        self.amount_label = QLabel()
        self.tax_label = QLabel()
        self.total_label = QLabel()
        self.capitals_label = QLabel()
        self.total_label.setStyleSheet("font-weight: bold;")
        for label in (self.amount_label, self.tax_label, self.total_label):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.capitals_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.capitals_label.setWordWrap(True)
        totals.addRow(_tr("金额"), self.amount_label)
        totals.addRow(_tr("税额"), self.tax_label)
        totals.addRow(_tr("价税合计（小写）"), self.total_label)
        totals.addRow(_tr("价税合计（大写）"), self.capitals_label)
        self.setMinimumWidth(300)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)


def cell_of(field: str) -> tuple[int, int] | None:
    match = _LINE_FIELD.match(field or "")
    if not match:
        return None
    column = COLUMN_OF_FIELD.get(match.group(2) or "name", Col.NAME)
    return int(match.group(1)), int(column)


def expand_star(field: str, rows: int) -> str:
    """A field like lines[*].tax_rate (the vendor named no line): every line, joined by "|"."""
    if not field.startswith("lines[*]"):
        return field
    rest = field[len("lines[*]") :]
    return "|".join(f"lines[{i}]{rest}" for i in range(rows)) or "lines"


def merge(target: Marks, key: Any, severity: str, message: str) -> None:
    """Several problems on one field: errors first, messages joined."""
    old = target.get(key)
    if old is None:
        target[key] = (severity, message)
    else:
        worst = "error" if "error" in (old[0], severity) else severity
        target[key] = (worst, f"{old[1]}\n{message}")


def _tr(text: str) -> str:
    # the form's own context: these texts were the InvoiceForm's before the split
    return QCoreApplication.translate("InvoiceForm", text)
