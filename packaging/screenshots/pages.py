"""Every page of the running program, in the light and dark theme and in English, to look at.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots/window.py --pages OUT_DIR

For each of light / dark / en: the program (GuiApp) on a fresh temporary data folder with the
built-in sandbox, one invoice issued (so 发票历史 and 红字发票 have a row), then every page of
the navigation, the result page, the add-account dialog and the face dialog, at 1366×768, as
{variant}-page-{name}.png; then the dialogs and the batch pages of dialogs.py. The review of
issue 19 ("nothing clipped, overlapping or untranslated") is done on these.
"""

from __future__ import annotations

import asyncio
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

SIZE = QSize(1366, 768)
THREE_LINES_TOTAL = Decimal("19186.06")  # window.THREE_LINES, 价税合计
PAGES = (
    ("issue", 0),
    ("drafts", 1),
    ("history", 2),
    ("red", 3),
    ("customers", 4),
    ("products", 5),
    ("settings", 6),
    ("batch", 7),
)


def render_pages(out_dir: Path) -> list[Path]:

    from invoicedesk.ui import i18n, theme
    from invoicedesk.ui.event_loop import QtEventLoop
    from screenshots.window import VARIANTS

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    palette, sheet = app.palette(), app.styleSheet()
    written: list[Path] = []
    loop = QtEventLoop(app)
    asyncio.set_event_loop(loop)

    async def main() -> None:
        for prefix, look, language in VARIANTS:
            translators = i18n.install_language(app, language)
            theme.apply_theme(app, look, follow=False)
            with tempfile.TemporaryDirectory() as tmp:
                written.extend(await _one_variant(Path(tmp), out_dir, prefix))
            for translator in translators:
                app.removeTranslator(translator)

    with loop:
        loop.run_until_complete(main())
    i18n.install_language(app, i18n.CHINESE)
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    return written


async def _one_variant(data_dir: Path, out_dir: Path, prefix: str) -> list[Path]:
    from invoicedesk.gui_app import GuiApp
    from invoicedesk.services.secrets import MemorySecretStore
    from screenshots.dialogs import render_batch, render_dialogs
    from screenshots.window import THREE_LINES

    gui = GuiApp(data_dir, sandbox=True, secret_store=MemorySecretStore(), handle_signals=False)
    await gui.start()
    window = gui.window
    window.resize(SIZE)
    written: list[Path] = []
    chinese: list[str] = []
    try:
        await _settle(gui, 2.5)  # after-start work: face clock, products, reconciliation
        result = await gui.services.issuing.issue("open-api", THREE_LINES)
        window.form.set_draft(THREE_LINES)
        for name, page in PAGES:
            window.show_page(page)
            if name == "issue":
                window.show_issue_form()
            await _settle(gui, 1.0)
            written.append(_save(window, out_dir / f"{prefix}-page-{name}.png"))
            chinese += [f"{name}: {text}" for text in chinese_texts(window)]
        window.result_page.show_issued(
            result.invoice_no or "",
            result.invoice_date or "",
            THREE_LINES.buyer,
            result.total or THREE_LINES_TOTAL,
            result.serial or "",
            has_files=True,
        )
        window.show_result_page()
        await _settle(gui, 0.5)
        written.append(_save(window, out_dir / f"{prefix}-page-result.png"))
        window.show_issue_form()
        written.append(await _account_dialog(gui, out_dir / f"{prefix}-dialog-account.png"))
        written.append(await _face_dialog(window, out_dir / f"{prefix}-dialog-face.png"))

        def shot(widget: QWidget, name: str) -> Path:
            chinese.extend(f"{name}: {text}" for text in chinese_texts(widget))
            return _save(widget, out_dir / f"{prefix}-{name}.png")

        written += await render_dialogs(gui, THREE_LINES, shot)
        written += await render_batch(gui, shot)
        report = out_dir / f"{prefix}-chinese-texts.txt"  # for the English run: what escaped
        report.write_text("\n".join(dict.fromkeys(chinese)) + "\n", encoding="utf-8")
        written.append(report)
    finally:
        gui.request_quit()
        await gui.finished()
        window.deleteLater()
    return written


async def _settle(gui: Any, seconds: float) -> None:
    await asyncio.sleep(seconds)
    QApplication.processEvents()


async def _account_dialog(gui: Any, path: Path) -> Path:
    from invoicedesk.ui.accounts import AccountDialog

    async def nothing(*_: Any) -> None:
        return None

    dialog = AccountDialog(nothing, nothing, parent=gui.window)
    dialog.show()
    await _settle(gui, 0.3)
    dialog.adjustSize()
    await _settle(gui, 0.2)
    saved = _save(dialog, path)
    dialog.close()
    dialog.deleteLater()
    return saved


async def _face_dialog(window: QWidget, path: Path) -> Path:
    import datetime as dt

    from invoicedesk.ui.face_dialog import FaceDialog
    from invoicedesk.vocabulary import FaceChallenge

    now = dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)
    dialog = FaceDialog(window, choose_app=True, sandbox=True, now=lambda: now)
    dialog.show()
    dialog.show_challenge(
        FaceChallenge(
            text="https://etax.sandbox.invalid/face?nsrsbh=91330106MA2H7Q3D1G&id=0123456789ab",
            expires_at=now + dt.timedelta(minutes=5),
        )
    )
    await asyncio.sleep(0.3)
    QApplication.processEvents()
    saved = _save(dialog, path)
    dialog.done(0)
    dialog.deleteLater()
    return saved


def chinese_texts(root: QWidget) -> list[str]:
    """The visible texts under `root` that contain Chinese: labels, buttons, group-box titles,
    combo-box items, placeholders and the headers of tables. In the English window they are
    either data (names, addresses) or strings that escaped translation."""
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QTableView,
        QTreeView,
    )

    cjk = re.compile("[\u4e00-\u9fff]")
    found: list[str] = []

    def note(widget: QWidget, text: str) -> None:
        if text and cjk.search(text):
            found.append(f"{type(widget).__name__}#{widget.objectName()}: {text}")

    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            note(widget, widget.text())
        elif isinstance(widget, QGroupBox):
            note(widget, widget.title())
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                note(widget, widget.itemText(i))
        elif isinstance(widget, QLineEdit):
            note(widget, widget.placeholderText())
        elif isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
            model = widget.model()
            header = (
                widget.horizontalHeader() if isinstance(widget, QTableView) else widget.header()
            )
            for column in range(header.count()):
                note(widget, str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
    return found


def _save(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path
