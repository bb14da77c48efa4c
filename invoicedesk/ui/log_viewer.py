"""帮助 → 查看日志: the log file, read-only, for support. Secrets were removed when written
(the redacting filter in logging_setup), so what is shown can be copied into a support mail."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

TAIL_BYTES = 512_000  # the end of the file is what support needs


def read_tail(path: Path, limit: int = TAIL_BYTES) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - limit))
        data = handle.read()
    text = data.decode("utf-8", errors="replace")
    if size > limit:  # start at a whole line
        text = text.split("\n", 1)[-1]
    return text


class LogViewer(QDialog):
    def __init__(self, log_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logViewer")
        self.setWindowTitle(self.tr("日志"))
        self.resize(900, 560)
        self.log_file = log_file
        self.path_label = QLabel(self.tr("日志文件：") + str(log_file))
        self.path_label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("logText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        note = QLabel(self.tr("密码、密钥等敏感信息在写入日志时已被隐去，可以放心发给技术支持。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reload_button = QPushButton(self.tr("刷新"))
        self.copy_button = QPushButton(self.tr("复制全部"))
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(self.reload)
        self.copy_button.clicked.connect(self.copy_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.path_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        text = read_tail(self.log_file)
        self.text.setPlainText(text or self.tr("（日志为空）"))
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
