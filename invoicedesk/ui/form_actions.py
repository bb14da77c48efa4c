"""The invoice form's actions: the line tool bar (添加行, 删除行, … 浏览编码, 存入商品) with their
shortcuts, 存入客户, 保存草稿 and 开具发票 (Ctrl+Enter opens the preview)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton

if TYPE_CHECKING:
    from invoicedesk.ui.invoice_form import InvoiceForm


def build_actions(form: InvoiceForm) -> dict[str, QAction]:
    """Make the actions (shortcuts work anywhere in the form) and the line bar's buttons."""
    tr = form.tr
    lines = form.lines_editor
    specs: list[tuple[str, str, list[str], Callable[[], None]]] = [
        ("add", tr("添加行"), ["Alt+Insert", "Alt+N"], lines.add_line),
        ("remove", tr("删除行"), ["Alt+Delete"], lines.remove_line),
        ("up", tr("上移"), ["Alt+Up"], lambda: lines.move_line(-1)),
        ("down", tr("下移"), ["Alt+Down"], lambda: lines.move_line(1)),
        ("duplicate", tr("复制行"), ["Alt+D"], lines.duplicate_line),
        ("discount", tr("添加折扣行"), ["Alt+Z"], lines.add_discount),
        ("browse", tr("浏览编码"), ["F4"], lines.browse_codes),
        ("product", tr("存入商品"), ["Alt+P"], form.request_save_line),
    ]
    actions: dict[str, QAction] = {}
    for name, text, keys, slot in specs:
        action = QAction(text, form)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text}（{keys[0]}）")
        action.triggered.connect(slot)
        form.addAction(action)
        button = QToolButton()
        button.setDefaultAction(action)
        button.setObjectName(f"line_{name}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard users have the shortcut
        form.line_bar.addWidget(button)
        actions[name] = action
    form.line_bar.addStretch(1)
    form.line_bar.addWidget(form.save_buyer_button)
    save_buyer = QAction(tr("存入客户"), form)
    save_buyer.setShortcut(QKeySequence("Ctrl+Shift+B"))
    save_buyer.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    save_buyer.triggered.connect(form.request_save_buyer)
    form.addAction(save_buyer)
    actions["save_buyer"] = save_buyer

    save = QAction(tr("保存草稿"), form)
    save.setShortcut(QKeySequence.StandardKey.Save)
    save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    save.triggered.connect(form.request_save)
    form.addAction(save)
    issue = QAction(tr("开具发票"), form)
    issue.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    issue.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    issue.triggered.connect(form.request_issue)
    form.addAction(issue)
    actions["save"] = save
    actions["issue"] = issue
    return actions
