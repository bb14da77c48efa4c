"""The dialogs and the batch pages of the running program, for pages.py's light / dark / English
review: the add-account dialog for each platform, 关于, 备份数据, 使用说明, 日志, 开具前预览,
按编码浏览, the face dialog as ws-invoice shows it (the platform's PNG), and the batch page's
dry run and progress on a small workbook.

Each is written as {variant}-dialog-{name}.png or {variant}-batch-{name}.png; the Chinese texts
each shows go into the variant's chinese-texts report like the pages'.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from invoicedesk.domain.models import Draft

# a small batch: two good drafts, one with a wrong tax ID (its problem is shown in the dry run)
GOOD_ROW = {
    "buyer.name": "测试购买方有限公司",
    "buyer.tax_id": "91110108MA01K2P4XY",
    "lines.name": "*信息技术服务*软件开发服务",
    "lines.tax_code": "3040201010000000000",
    "lines.amount": "100.00",
    "lines.tax_rate": "0.06",
}
BATCH_ROWS = (
    {"draft": "A", **GOOD_ROW},
    {"draft": "B", **GOOD_ROW, "buyer.name": "乙公司", "lines.amount": "250.00"},
    {"draft": "C", **GOOD_ROW, "buyer.name": "丙公司", "buyer.tax_id": "9111O108MA01K2P4XY"},
)

Shot = Callable[[QWidget, str], Path]


async def settle(seconds: float) -> None:
    await asyncio.sleep(seconds)
    QApplication.processEvents()


async def render_dialogs(gui: Any, draft: Draft, shot: Shot) -> list[Path]:
    from invoicedesk import logging_setup
    from invoicedesk.ui.about import AboutDialog
    from invoicedesk.ui.account_dialog import AccountDialog
    from invoicedesk.ui.backup_dialog import BackupDialog
    from invoicedesk.ui.help_pages import HelpDialog
    from invoicedesk.ui.issue_preview import Account, IssuePreview
    from invoicedesk.ui.log_viewer import LogViewer
    from invoicedesk.ui.vendor_names import vendor_name
    from invoicedesk.vendors.base import VendorKey

    window = gui.window
    written: list[Path] = []

    async def nothing(*_: Any) -> None:
        return None

    for vendor in VendorKey:
        dialog = AccountDialog(nothing, nothing, parent=window)
        dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(vendor.value))
        written.append(await _shown(dialog, shot, f"dialog-account-{vendor.value}"))

    data_dir = Path(gui.data_dir)
    platform = vendor_name(VendorKey.OPEN_API)  # in the window's language, as the form gives it
    account = Account("open-api", platform, "演示科技有限公司", "91330106MA2H7Q3D1G")
    others: tuple[tuple[str, QDialog], ...] = (
        ("about", AboutDialog(data_dir, logging_setup.log_dir(data_dir), window)),
        ("backup", BackupDialog(data_dir, window)),
        ("help", HelpDialog("issue", window)),
        ("log", LogViewer(logging_setup.log_file(data_dir), window)),
        ("preview", IssuePreview(draft, account, window)),
    )
    for name, other in others:
        written.append(await _shown(other, shot, f"dialog-{name}", fit=False))

    editor = window.form.lines_editor
    window.form.table.setCurrentIndex(window.form.model.index(0, 0))
    editor.browse_codes()
    await settle(0.8)
    if editor.browser is not None:
        written.append(shot(editor.browser, "dialog-code-browser"))
        editor.browser.close()
    written.append(await _face_pushed(window, shot))
    return written


async def _shown(dialog: QDialog, shot: Shot, name: str, *, fit: bool = True) -> Path:
    dialog.show()
    await settle(0.3)
    if fit:
        dialog.adjustSize()
        await settle(0.1)
    saved = shot(dialog, name)
    dialog.done(0)
    dialog.deleteLater()
    return saved


async def _face_pushed(window: QWidget, shot: Shot) -> Path:
    """ws-invoice's face dialog: the platform's own PNG, no app choice."""
    import io

    import qrcode

    from invoicedesk.ui.face_dialog import FaceDialog
    from invoicedesk.vendors.base import FaceChallenge

    now = dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)
    png = io.BytesIO()
    qrcode.make("https://etax.sandbox.invalid/face?id=0123456789ab").save(png)
    dialog = FaceDialog(window, choose_app=False, sandbox=True, now=lambda: now)
    dialog.show()
    dialog.show_challenge(
        FaceChallenge(png=png.getvalue(), expires_at=now + dt.timedelta(minutes=5))
    )
    dialog.adjustSize()
    await settle(0.3)
    saved = shot(dialog, "dialog-face-ws-invoice")
    dialog.show_failed()
    await settle(0.1)
    shot(dialog, "dialog-face-ws-invoice-failed")
    dialog.done(0)
    dialog.deleteLater()
    return saved


async def render_batch(gui: Any, shot: Shot) -> list[Path]:
    """The batch page: a small workbook's dry run, then its progress once issued."""
    from openpyxl import Workbook

    from invoicedesk.services import batch_io
    from invoicedesk.ui.main_window import Page

    window = gui.window
    window.show_page(Page.BATCH)
    await settle(0.5)
    page = gui.batch_page
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "月末开票.xlsx"
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(batch_io.COLUMNS))
        for row in BATCH_ROWS:
            sheet.append([row.get(h) for h in batch_io.COLUMNS])
        book.save(path)
        page.import_page.profile_box.setCurrentText("open-api")
        await page.import_page.load(path)
    await settle(0.5)
    written.append(shot(window, "batch-dry-run"))
    await page.start_batch()
    for _ in range(100):  # three drafts through the sandbox: well under ten seconds
        if page.runs_done:
            break
        await asyncio.sleep(0.1)
    await settle(0.5)
    written.append(shot(window, "batch-progress"))
    return written
