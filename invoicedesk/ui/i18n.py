"""Interface language: Simplified Chinese always by default, English when chosen in 设置.

The source strings in tr() are Chinese, so Chinese needs no translation file of ours; Qt's own
strings (standard buttons, context menus) come from Qt's qtbase_zh_CN.qm (in PySide6's
translations folder, PySide6-Essentials included; the bundle carries it, see
packaging/invoicedesk.spec), plus resources/translations/qt_extra_zh_CN.qm for the few Qt
strings that file lacks (the file dialog's "Look in:"). English loads
resources/translations/invoicedesk_en.qm. The language is read once at start-up (a change in
设置 takes effect on the next start; the settings page says so).
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from invoicedesk.paths import resource

CHINESE, ENGLISH = "zh_CN", "en"
LANGUAGES = {CHINESE: "简体中文", ENGLISH: "English"}


class FallbackTranslator(QTranslator):
    """Looks a text up in its class's context, then in the empty context: lupdate files
    `tr = self.tr; tr("…")` (a common pattern here) under no context, while Qt asks with the
    class name at run time."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        text = super().translate(context, source, disambiguation, n)
        if not text and context:
            text = super().translate("", source, disambiguation, n)
        # None is Qt's null string, "not translated here" (an empty string would be used as
        # the translation and blank the text)
        return text or None


def is_english() -> bool:
    """The window speaks English (install_language set the default locale to match)."""
    return QLocale().language() == QLocale.Language.English


def translation_file(language: str) -> str:
    return str(resource("translations", f"invoicedesk_{language}.qm"))


def install_language(app: QApplication, language: str) -> list[QTranslator]:
    """Install the translators for `language` (unknown values mean Chinese); returns them
    (parented to the application, so they live as long as it does)."""
    if language not in LANGUAGES:
        language = CHINESE
    installed: list[QTranslator] = []
    if language == ENGLISH:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        ours = FallbackTranslator(app)
        if ours.load(translation_file(ENGLISH)):
            app.installTranslator(ours)
            installed.append(ours)
    else:
        # whatever the system locale: dates, numbers and Qt's own buttons in Chinese
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load("qtbase_zh_CN", qt_dir):
            app.installTranslator(qt)
            installed.append(qt)
        # Qt's strings qtbase_zh_CN lacks ("&Look in:" of the file dialog); installed last,
        # so asked first
        extra = QTranslator(app)
        if extra.load(str(resource("translations", "qt_extra_zh_CN.qm"))):
            app.installTranslator(extra)
            installed.append(extra)
    return installed
