"""Banners: a notice across the top of a page or dialog, for news longer than a status-bar slot.

A banner names its text colour as well as its background: a style sheet that sets only the
background keeps the palette's text colour, which is light in the dark theme (light text on a
light-yellow background). The colours are fixed pairs that read in both themes.
(No `Qt` enums here: the main window builds a banner before its first paint, and the first
import of Qt's namespace costs ~20 ms.)
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

WARNING, INFO, ERROR = "warning", "info", "error"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Banner", text)


def no_keyring_text() -> str:
    """services.secrets.NoKeyring's message, through tr() (the English window shows it too)."""
    return _tr(
        "本机没有可用的系统密钥环，无法安全保存密码和密钥。"
        "请安装并解锁系统密钥环（如 GNOME Keyring 或 KWallet），"
        "或选择“仅本次使用”（密码只保存在内存中，关闭程序后需重新输入）。"
    )


# kind -> (background, text, border)
COLORS: dict[str, tuple[str, str, str]] = {
    WARNING: ("#fbeec0", "#3d2e00", "#e0c060"),
    INFO: ("#e3f0fb", "#0b2a4a", "#9cc3ea"),
    ERROR: ("#fde4e1", "#5c0b05", "#eea69d"),
}


def banner_style(kind: str = WARNING, selector: str = "") -> str:
    """The style sheet of a banner label or frame: background, text colour, border, padding.
    `selector` ("#pendingBar") limits it to the widget itself, not its buttons."""
    background, text, border = COLORS.get(kind, COLORS[WARNING])
    body = (
        f"background: {background}; color: {text}; border: 1px solid {border}; "
        "border-radius: 3px; padding: 6px;"
    )
    if not selector:
        return body
    return f"{selector} {{ {body} }} {selector} QLabel {{ color: {text}; border: none; }}"


class Banner(QFrame):
    """A notice with a close button; hidden while it has no text.

    Public API: show_text(text, kind), clear(), text(); signal closed()."""

    closed = Signal()

    def __init__(self, object_name: str = "banner", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.close_button = QPushButton(self.tr("知道了"))
        self.close_button.setToolTip(self.tr("关闭这条提示"))
        self.close_button.clicked.connect(self._close)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.kind = WARNING
        self.hide()

    def show_text(self, text: str, kind: str = WARNING) -> None:
        self.kind = kind
        background, color, border = COLORS.get(kind, COLORS[WARNING])
        name = self.objectName()
        self.setStyleSheet(
            f"#{name} {{ background: {background}; border: 1px solid {border}; }}"
            f"#{name} QLabel {{ color: {color}; background: transparent; border: none; }}"
        )
        self.label.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def clear(self) -> None:
        self.label.clear()
        self.hide()

    def _close(self) -> None:
        self.clear()
        self.closed.emit()
