"""帮助 → 使用说明: one short page per main task, Markdown files in resources/help/
(English ones in resources/help/en/ when the interface is in English)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QTextBrowser, QWidget

from invoicedesk.paths import resource

# (file stem, title); QT_TRANSLATE_NOOP marks the titles for lupdate, topics() translates them
_SOURCE: tuple[tuple[str, object], ...] = (
    ("issue", QT_TRANSLATE_NOOP("HelpPages", "开票")),
    ("drafts", QT_TRANSLATE_NOOP("HelpPages", "草稿")),
    ("history", QT_TRANSLATE_NOOP("HelpPages", "历史")),
    ("red", QT_TRANSLATE_NOOP("HelpPages", "红字")),
    ("batch", QT_TRANSLATE_NOOP("HelpPages", "批量")),
    ("accounts", QT_TRANSLATE_NOOP("HelpPages", "账户")),
    ("sandbox", QT_TRANSLATE_NOOP("HelpPages", "沙箱")),
)


def topics() -> list[tuple[str, str]]:
    """(stem, title) in the current language (translated when called, not at import)."""
    return [(stem, QCoreApplication.translate("HelpPages", str(title))) for stem, title in _SOURCE]


def page_path(stem: str, english: bool | None = None) -> Path:
    if english is None:
        english = QLocale().language() == QLocale.Language.English
    english_path = resource("help", "en", f"{stem}.md")
    if english and english_path.exists():
        return english_path
    return resource("help", f"{stem}.md")


class HelpDialog(QDialog):
    def __init__(self, topic: str = "issue", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("使用说明"))
        self.resize(820, 540)
        self.list = QListWidget()
        self.list.setObjectName("helpTopics")
        self.list.setMaximumWidth(160)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self._stems = [stem for stem, _ in topics()]
        for _stem, title in topics():
            self.list.addItem(title)
        self.list.currentRowChanged.connect(self._show)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.browser, 1)
        self.show_topic(topic)

    def show_topic(self, stem: str) -> None:
        row = self._stems.index(stem) if stem in self._stems else 0
        self.list.setCurrentRow(row)
        self._show(row)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._stems):
            path = page_path(self._stems[row])
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
