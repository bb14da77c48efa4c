"""文件 → 备份数据 / 恢复数据: the whole data folder to one file and back.

BackupDialog writes the file (safe while the program runs). RestoreDialog checks a chosen file
completely first and shows what it holds (time, files, data version); only then can 恢复 be
pressed. The restore itself is done by the application (ui/menus.py), which closes the services
and the database first and reopens them afterwards.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.backup import (
    BackupError,
    BackupInfo,
    inspect_backup,
    make_backup,
    suggested_backup_folder,
    write_error_message,
)

FILE_FILTER = "InvoiceDesk 备份 (*.zip)"


def default_backup_name(now: dt.datetime) -> str:
    return f"invoicedesk-backup-{now:%Y%m%d-%H%M}.zip"


class _PathRow(QWidget):
    def __init__(self, browse: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("backupPath")
        self.button = QPushButton(self.tr("浏览…"))
        self.button.clicked.connect(browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)


class BackupDialog(QDialog):
    def __init__(
        self,
        data_dir: Path,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(self.tr("备份数据"))
        self.setMinimumWidth(560)
        self.data_dir = data_dir
        self.clock = clock
        self.info: BackupInfo | None = None
        self._task: asyncio.Task[Any] | None = None
        intro = QLabel(
            self.tr("把全部数据（草稿、发票、客户、商品、账户设置和发票文件）保存到一个文件。")
            + self.tr("密码和密钥不在备份中，恢复到新电脑后需要重新填写。")
        )
        intro.setWordWrap(True)
        self.path_row = _PathRow(self._browse)
        self.path_row.edit.setText(str(suggested_backup_folder() / default_backup_name(clock())))
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.addButton(
            self.tr("开始备份"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.start_button.setObjectName("startBackup")
        self.start_button.clicked.connect(self._start)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("备份文件："), self.path_row)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("备份到"), self.path_row.edit.text(), FILE_FILTER
        )
        if path:
            self.path_row.edit.setText(path)

    def _start(self) -> None:
        self._task = asyncio.ensure_future(self.make())

    async def make(self) -> BackupInfo | None:
        text = self.path_row.edit.text().strip()
        if not text:
            self.status.setText(self.tr("请先选择备份文件的位置。"))
            return None
        target = Path(text)
        if target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        self.start_button.setEnabled(False)
        self.status.setText(self.tr("正在备份…"))
        try:
            self.info = await asyncio.to_thread(
                make_backup, self.data_dir, target, now=self.clock()
            )
        except BackupError as exc:
            self.status.setText(self.tr("备份失败：") + str(exc))
            return None
        except OSError as exc:  # make_backup wraps its own; this is a last resort
            self.status.setText(self.tr("备份失败：") + write_error_message(exc, target))
            return None
        finally:
            self.start_button.setEnabled(True)
        self.status.setText(
            self.tr("备份完成：{path}（{n} 个文件）。").format(path=target, n=self.info.file_count)
        )
        return self.info


class RestoreDialog(QDialog):
    """Choose a file, check it (check() runs by itself when a path is picked), then 恢复."""

    def __init__(self, max_schema: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("恢复数据"))
        self.setMinimumWidth(560)
        self.max_schema = max_schema
        self.info: BackupInfo | None = None
        self.checked_path: Path | None = None
        self.chosen: Path | None = None
        self._task: asyncio.Task[Any] | None = None
        warning = QLabel(
            self.tr("恢复会用备份中的数据替换当前的全部数据。")
            + self.tr("建议先做一次备份。恢复前会先完整检查备份文件。")
        )
        warning.setWordWrap(True)
        self.path_row = _PathRow(self._browse)
        self.path_row.edit.editingFinished.connect(self._check_soon)
        self.check_button = QPushButton(self.tr("检查"))
        self.check_button.clicked.connect(self._check_soon)
        self.created = QLabel("—")
        self.created.setObjectName("backupCreated")
        self.files = QLabel("—")
        self.files.setObjectName("backupFiles")
        self.schema = QLabel("—")
        self.schema.setObjectName("backupSchema")
        self.status = QLabel()
        self.status.setObjectName("restoreStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("备份文件："), self.path_row)
        form.addRow("", self.check_button)
        form.addRow(self.tr("备份时间："), self.created)
        form.addRow(self.tr("文件数："), self.files)
        form.addRow(self.tr("数据版本："), self.schema)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            self.tr("恢复"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择备份文件"), str(suggested_backup_folder()), FILE_FILTER
        )
        if path:
            self.path_row.edit.setText(path)
            self._check_soon()

    def _check_soon(self) -> None:
        text = self.path_row.edit.text().strip()
        if self.checked_path is not None and text == str(self.checked_path):
            return  # already checked (editingFinished also fires when 恢复 takes the focus)
        self._task = asyncio.ensure_future(self.check())

    def accept(self) -> None:
        self.chosen = self.checked_path  # what was checked is what gets restored
        super().accept()

    async def check(self) -> BackupInfo | None:
        """Check the file in the path field; 恢复 is enabled only for a good file."""
        self.info, self.checked_path = None, None
        self.restore_button.setEnabled(False)
        for label in (self.created, self.files, self.schema):
            label.setText("—")
        text = self.path_row.edit.text().strip()
        if not text:
            self.status.setText(self.tr("请先选择备份文件。"))
            return None
        path = Path(text)
        if not path.is_file():
            self.status.setText(self.tr("找不到文件：{path}").format(path=path))
            return None
        self.status.setText(self.tr("正在检查备份文件…"))
        try:
            info = await asyncio.to_thread(inspect_backup, path, max_schema=self.max_schema)
        except (BackupError, OSError) as exc:
            self.status.setText(self.tr("不能恢复：") + _message(exc))
            return None
        self.info, self.checked_path = info, path
        self.created.setText(info.created_at.replace("T", " "))
        self.files.setText(str(info.file_count))
        self.schema.setText(
            self.tr("{v}（程序版本 {app}）").format(v=info.schema_version, app=info.app_version)
        )
        self.status.setText(self.tr("检查通过。点“恢复”将替换当前数据，程序随后重新打开数据。"))
        self.restore_button.setEnabled(True)
        return info


def _message(exc: BaseException) -> str:
    if isinstance(exc, BackupError):
        return str(exc)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "无法读取"
    return f"读取文件时出错（{reason}）。请确认文件还在、可以打开，或换一个备份文件。"
