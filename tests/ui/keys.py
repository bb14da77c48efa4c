"""Typing for tests: ASCII through key events, Chinese as an input method commits it.

QTest cannot synthesise key events for non-ASCII characters (it asserts), and a real user types
Chinese through an IME anyway, which delivers a QInputMethodEvent with the committed text.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    for is_ascii, run in itertools.groupby(text, key=str.isascii):
        chunk = "".join(run)
        if is_ascii:
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def edit_cell(qtbot: Any, form: Any, row: int, column: int) -> QLineEdit:
    """Open a table's editor on a cell with F2, as a user does; returns the editor. `form`: the
    invoice form, or any page with the same `table` and `model` (the catalog pages)."""
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(row, column))
    qtbot.keyClick(form.table, Qt.Key.Key_F2)

    def editing() -> bool:
        widget = QApplication.focusWidget()
        return isinstance(widget, QLineEdit) and form.table.isAncestorOf(widget)

    qtbot.waitUntil(editing)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor
