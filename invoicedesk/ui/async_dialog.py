"""Await a dialog without exec(): no nested event loop inside a coroutine (architecture.md).

result = await run_dialog(dialog)          # QDialog.DialogCode value (Accepted / Rejected)
ok = await confirm(parent, title, text)    # a Yes/No question as a coroutine
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget


def dialog_future(dialog: QDialog) -> asyncio.Future[int]:
    """Open the dialog (window-modal) and return a future resolved by its `finished` signal."""
    loop = asyncio.get_event_loop()
    future: asyncio.Future[int] = loop.create_future()

    def done(code: int) -> None:
        if not future.done():
            future.set_result(int(code))

    dialog.finished.connect(done)
    dialog.open()
    return future


async def run_dialog(dialog: QDialog) -> int:
    """Show the dialog and wait for it to finish; cancelling the await rejects the dialog."""
    future = dialog_future(dialog)
    try:
        return await future
    except asyncio.CancelledError:
        dialog.reject()
        raise


def _tr(text: str) -> str:
    return QCoreApplication.translate("AsyncDialog", text)


async def confirm(parent: QWidget | None, title: str, text: str, *, yes: str = "") -> bool:
    """A Yes/No question as a coroutine; True when the user chose yes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes or _tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    await run_dialog(box)
    return box.clickedButton() is yes_button


async def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.addButton(_tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    await run_dialog(box)
