"""设置 → 外观与语言: theme (跟随系统/浅色/深色) and interface language, kept in ui.ini.

ui.ini lives in the data folder (no secrets). The theme applies at once; the language on the
next start (the box says so).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from invoicedesk.ui import i18n, theme

SETTINGS_FILE = "ui.ini"
THEME_KEY = "appearance/theme"
LANGUAGE_KEY = "appearance/language"


def settings(data_dir: Path) -> QSettings:
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def saved_theme(data_dir: Path) -> str:
    value = str(settings(data_dir).value(THEME_KEY, theme.SYSTEM))
    return value if value in theme.CHOICES else theme.SYSTEM


def saved_language(data_dir: Path) -> str:
    value = str(settings(data_dir).value(LANGUAGE_KEY, i18n.CHINESE))
    return value if value in i18n.LANGUAGES else i18n.CHINESE


def apply_saved(app: QApplication, data_dir: Path, *, fusion_started: bool = False) -> None:
    """At start-up, before any window exists: the language, then the theme (which starts
    following the desktop's scheme once the window has painted: theme.follow_system).
    `fusion_started`: the application was made with theme.FUSION_ARGS."""
    i18n.install_language(app, saved_language(data_dir))
    theme.apply_theme(app, saved_theme(data_dir), follow=False, fusion_started=fusion_started)


class PreferencesBox(QGroupBox):
    themeChanged = Signal(str)
    languageChanged = Signal(str)

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesBox")
        self.setTitle(self.tr("外观与语言"))
        self.data_dir = data_dir
        self.theme_combo = QComboBox()
        self.theme_combo.setObjectName("themeCombo")
        for value, label in (
            (theme.SYSTEM, self.tr("跟随系统")),
            (theme.LIGHT, self.tr("浅色")),
            (theme.DARK, self.tr("深色")),
        ):
            self.theme_combo.addItem(label, value)
        self.theme_combo.setCurrentIndex(self.theme_combo.findData(saved_theme(data_dir)))
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        for value, label in i18n.LANGUAGES.items():
            self.language_combo.addItem(label, value)
        self.started_language = saved_language(data_dir)
        self.language_combo.setCurrentIndex(self.language_combo.findData(self.started_language))
        self.language_note = QLabel(self.tr("更改语言后，重新启动程序才会生效。"))
        self.language_note.setObjectName("languageNote")
        self.language_note.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for combo in (self.theme_combo, self.language_combo):
            combo.setMinimumContentsLength(12)
        form.addRow(self.tr("主题："), self.theme_combo)
        form.addRow(self.tr("界面语言："), self.language_combo)
        form.addRow("", self.language_note)
        self.theme_combo.activated.connect(self._theme_picked)
        self.language_combo.activated.connect(self._language_picked)

    def _theme_picked(self, index: int) -> None:
        value = str(self.theme_combo.itemData(index))
        store = settings(self.data_dir)
        store.setValue(THEME_KEY, value)
        store.sync()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, value)
        self.themeChanged.emit(value)

    def _language_picked(self, index: int) -> None:
        value = str(self.language_combo.itemData(index))
        store = settings(self.data_dir)
        store.setValue(LANGUAGE_KEY, value)
        store.sync()
        if value != self.started_language:
            self.language_note.setText(self.tr("已保存。请重新启动程序以切换界面语言。"))
        else:
            self.language_note.setText(self.tr("更改语言后，重新启动程序才会生效。"))
        self.languageChanged.emit(value)
