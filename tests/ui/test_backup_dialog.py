"""备份 and 恢复 in the GUI: the backup dialog writes a file, the restore dialog checks a file
and shows what it holds before 恢复 can be pressed, and backup → delete the data folder →
restore (app.restore_data_folder, what run_gui does after the quit) gives back drafts,
invoices and files."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.store import InvoiceFilter, Store, schema
from invoicedesk.store.records import InvoiceRecord
from invoicedesk.ui.backup_dialog import BackupDialog, RestoreDialog
from tests.conftest import run_in_loop

NOW = dt.datetime(2026, 11, 21, 20, 15, 0)


def _fill(data_dir: Path) -> tuple[str, int]:
    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        draft_id = store.save_draft(
            None,
            '{"buyer": {"name": "杭州示例贸易有限公司"}, "lines": []}',
            title="备份测试",
            buyer_name="杭州示例贸易有限公司",
            total=Decimal("106.00"),
        )
        invoice_id = _invoice(store)
        pdf = data_dir / "archive" / "2026" / "25332000000000000001.pdf"
        pdf.parent.mkdir(parents=True)
        pdf.write_bytes(b"%PDF-1.4 demo")
        store.add_file(invoice_id, "pdf", pdf.relative_to(data_dir), "ab" * 32, pdf.stat().st_size)
    finally:
        store.close()
    return draft_id, invoice_id


def _invoice(store: Store) -> int:
    record = InvoiceRecord(
        profile="open-api",
        vendor="open-api",
        number="25332000000000000001",
        serial="S-1",
        issued_at="2026-11-20T10:00:00",
        amount=Decimal("100.00"),
        tax=Decimal("6.00"),
        total=Decimal("106.00"),
        buyer_name="杭州示例贸易有限公司",
        buyer_tax_id="91330701MA2DFB848M",
    )
    return store.upsert_invoice(record)


def test_backup_then_delete_then_restore_gives_everything_back(
    qtbot: Any, qloop: Any, tmp_path: Path
) -> None:
    from invoicedesk.app import restore_data_folder

    data_dir = tmp_path / "data"
    draft_id, invoice_id = _fill(data_dir)
    dialog = BackupDialog(data_dir, clock=lambda: NOW)
    qtbot.addWidget(dialog)
    target = tmp_path / "backups" / "mine"
    target.parent.mkdir()
    dialog.path_row.edit.setText(str(target))
    info = run_in_loop(qtbot, qloop, dialog.make())
    assert info is not None and info.file_count == 2  # the database and the PDF
    backup = target.with_name("mine.zip")
    assert zipfile.is_zipfile(backup)
    assert "备份完成" in dialog.status.text()

    shutil.rmtree(data_dir)  # the disaster
    restore = RestoreDialog(schema.CURRENT_VERSION)
    qtbot.addWidget(restore)
    assert not restore.restore_button.isEnabled()
    restore.path_row.edit.setText(str(backup))
    checked = run_in_loop(qtbot, qloop, restore.check())
    assert checked is not None
    assert restore.created.text() == "2026-11-21 20:15:00"
    assert restore.files.text() == "2"
    assert restore.schema.text().startswith(str(schema.CURRENT_VERSION))
    assert restore.restore_button.isEnabled()

    notice = restore_data_folder(restore.checked_path or backup, data_dir)
    assert notice.startswith("已从备份恢复数据")
    store = Store.open(data_dir / "invoicedesk.sqlite3")
    try:
        row = store.get_draft(draft_id)
        assert row is not None and row.title == "备份测试"
        assert store.get_invoice(invoice_id) is not None
        page = store.query_invoices(InvoiceFilter())
        assert "25332000000000000001" in repr(page)
        files = store.files(invoice_id)
        assert len(files) == 1
    finally:
        store.close()
    pdf = data_dir / "archive" / "2026" / "25332000000000000001.pdf"
    assert pdf.read_bytes() == b"%PDF-1.4 demo"


def test_restore_dialog_refuses_a_bad_file(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-backup.zip"
    bad.write_bytes(b"hello")
    dialog = RestoreDialog(schema.CURRENT_VERSION)
    qtbot.addWidget(dialog)
    dialog.path_row.edit.setText(str(bad))
    assert run_in_loop(qtbot, qloop, dialog.check()) is None
    assert dialog.status.text().startswith("不能恢复：")
    assert "不是有效的备份文件" in dialog.status.text()
    assert not dialog.restore_button.isEnabled()
    dialog.path_row.edit.setText(str(tmp_path / "missing.zip"))
    assert run_in_loop(qtbot, qloop, dialog.check()) is None
    assert "找不到文件" in dialog.status.text()


def test_restore_dialog_refuses_a_newer_schema(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _fill(data_dir)
    dialog = BackupDialog(data_dir, clock=lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.path_row.edit.setText(str(tmp_path / "b.zip"))
    assert run_in_loop(qtbot, qloop, dialog.make()) is not None
    restore = RestoreDialog(max_schema=1)  # an older program
    qtbot.addWidget(restore)
    restore.path_row.edit.setText(str(tmp_path / "b.zip"))
    assert run_in_loop(qtbot, qloop, restore.check()) is None
    assert "更新版本" in restore.status.text()
    assert not restore.restore_button.isEnabled()


def test_menu_restore_hands_the_checked_file_to_the_quit_path(
    qtbot: Any, qloop: Any, tmp_path: Path
) -> None:
    """文件 → 恢复数据: after the check and 恢复, the application quits into run_gui's restore."""
    import asyncio

    from invoicedesk.ui import menus
    from invoicedesk.ui.main_window import MainWindow

    data_dir = tmp_path / "data"
    _fill(data_dir)
    maker = BackupDialog(data_dir, clock=lambda: NOW)
    qtbot.addWidget(maker)
    maker.path_row.edit.setText(str(tmp_path / "b.zip"))
    assert run_in_loop(qtbot, qloop, maker.make()) is not None

    class Gui:
        def __init__(self) -> None:
            self.data_dir = data_dir
            self.services = None
            self.restore_from: Path | None = None
            self.quits = 0

        def request_quit(self) -> None:
            self.quits += 1

    window = MainWindow()
    qtbot.addWidget(window)
    gui = Gui()
    installed = menus.install(window, gui)

    async def choose() -> bool:
        task = asyncio.ensure_future(installed.restore())
        await asyncio.sleep(0)
        dialog = installed.dialog
        assert isinstance(dialog, RestoreDialog)
        dialog.max_schema = schema.CURRENT_VERSION
        dialog.path_row.edit.setText(str(tmp_path / "b.zip"))
        assert await dialog.check() is not None
        dialog.restore_button.click()
        return await task

    assert run_in_loop(qtbot, qloop, choose()) is True
    assert gui.restore_from == tmp_path / "b.zip"
    assert gui.quits == 1


def _fresh_home(monkeypatch: Any, home: Path) -> None:
    """A user account that never had a documents folder (no ~/Documents, no user-dirs)."""
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)


def test_backup_to_the_suggested_path_works_for_a_fresh_user(
    qtbot: Any, qloop: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Issue 19 item 5: a fresh user has no ~/Documents; the suggested folder is created."""
    home = tmp_path / "home"
    _fresh_home(monkeypatch, home)
    data_dir = tmp_path / "data"
    _fill(data_dir)
    dialog = BackupDialog(data_dir, clock=lambda: NOW)
    qtbot.addWidget(dialog)
    suggested = Path(dialog.path_row.edit.text())
    assert suggested.parent == home / "Documents"
    assert suggested.parent.is_dir()
    info = run_in_loop(qtbot, qloop, dialog.make())
    assert info is not None, dialog.status.text()
    assert zipfile.is_zipfile(suggested)
    assert "备份完成" in dialog.status.text()


def test_a_backup_into_a_missing_folder_says_what_to_do(
    qtbot: Any, qloop: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    _fill(data_dir)
    dialog = BackupDialog(data_dir, clock=lambda: NOW)
    qtbot.addWidget(dialog)
    missing = tmp_path / "nowhere" / "backup.zip"
    dialog.path_row.edit.setText(str(missing))
    assert run_in_loop(qtbot, qloop, dialog.make()) is None
    text = dialog.status.text()
    assert text.startswith("备份失败：文件夹")
    assert "不存在" in text and "浏览" in text
    assert "Error" not in text and "[Errno" not in text
    assert not missing.parent.exists()  # nothing half-written anywhere


def test_write_failures_read_as_chinese_with_what_to_do(tmp_path: Path) -> None:
    """Permission, full disk, a folder as target: a sentence to act on, never an exception."""
    import errno

    from invoicedesk.services.backup import write_error_message

    target = tmp_path / "backup.zip"
    denied = write_error_message(PermissionError(errno.EACCES, "Permission denied"), target)
    assert "没有写入" in denied and "换一个文件夹" in denied
    full = write_error_message(OSError(errno.ENOSPC, "No space left on device"), target)
    assert "磁盘空间不足" in full
    (tmp_path / "dir.zip").mkdir()
    folder = write_error_message(IsADirectoryError(errno.EISDIR, "x"), tmp_path / "dir.zip")
    assert "是一个文件夹" in folder
    for text in (denied, full, folder):
        assert "Error" not in text and "Errno" not in text
