"""帮助 → 关于: version, where the data and the log are, and the licences of what we ship."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from invoicedesk import __version__
from invoicedesk.paths import resource

# (library, licence): the main libraries shipped in the bundle
LICENCES: tuple[tuple[str, str], ...] = (
    ("Qt 6 / PySide6", "LGPL-3.0"),
    ("qasync", "BSD-2-Clause"),
    ("httpx", "BSD-3-Clause"),
    ("websockets", "BSD-3-Clause"),
    ("pydantic", "MIT"),
    ("keyring", "MIT"),
    ("platformdirs", "MIT"),
    ("openpyxl", "MIT"),
    ("qrcode", "BSD-3-Clause"),
    ("Pillow", "MIT-CMU (HPND)"),
    ("pypinyin", "MIT"),
    ("reportlab", "BSD-3-Clause"),
    ("starlette", "BSD-3-Clause"),
    ("uvicorn", "BSD-3-Clause"),
    ("Python", "PSF-2.0"),
)


def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "invoicedesk.svg")))


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("关于 InvoiceDesk"))
        self.setWindowIcon(app_icon())
        self.resize(560, 520)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))  # QIcon renders the SVG at the device ratio
        icon.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        title = QLabel(f"<h2>InvoiceDesk {html.escape(__version__)}</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        summary = QLabel(self.tr("为小微企业会计准备和开具数电票的桌面程序。"))
        summary.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.info = QTextBrowser()
        self.info.setObjectName("aboutInfo")
        self.info.setOpenExternalLinks(False)
        rows = [
            (self.tr("版本"), __version__),
            (self.tr("数据文件夹"), str(data_dir)),
            (self.tr("日志文件夹"), str(log_dir)),
            ("Python", platform.python_version()),
            ("PySide6", pyside_version),
        ]
        parts = ["<table cellpadding='3'>"]
        for name, value in rows:
            parts.append(
                f"<tr><td><b>{html.escape(name)}</b></td><td>{html.escape(value)}</td></tr>"
            )
        parts.append("</table>")
        heading = self.tr("所用开源软件及其许可证")  # outside the f-string, where lupdate sees it
        parts.append(f"<h4>{html.escape(heading)}</h4><table cellpadding='2'>")
        for lib, licence in LICENCES:
            parts.append(f"<tr><td>{html.escape(lib)}</td><td>{html.escape(licence)}</td></tr>")
        parts.append("</table>")
        parts.append(
            "<p>"
            + html.escape(
                self.tr("Qt 以 LGPLv3 许可证动态链接使用；您可以替换程序文件夹中的 Qt 库。")
            )
            + "</p>"
        )
        self.info.setHtml("".join(parts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (icon, title, summary, self.info):
            layout.addWidget(widget)
        layout.addWidget(buttons)
