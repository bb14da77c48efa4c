"""Languages: Chinese by default whatever the system locale, English from the .qm file, the
choice remembered for the next start, and the translation files complete."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from invoicedesk.paths import resource
from invoicedesk.ui import i18n, preferences


@pytest.fixture
def clean_translators(qapp: QApplication) -> Iterator[list[Any]]:
    installed: list[Any] = []
    locale = QLocale()
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)


def test_chinese_by_default_even_on_an_english_system(
    qtbot: Any, qapp: QApplication, clean_translators: list[Any], data_dir: Path
) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    language = preferences.saved_language(data_dir)
    assert language == i18n.CHINESE
    clean_translators += i18n.install_language(qapp, language)
    assert QLocale().language() == QLocale.Language.Chinese
    from invoicedesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "开票"
    assert window.welcome.sandbox_button.text() == "先用沙箱体验"


def test_english_from_the_qm_file(
    qtbot: Any, qapp: QApplication, clean_translators: list[Any]
) -> None:
    clean_translators += i18n.install_language(qapp, i18n.ENGLISH)
    assert clean_translators, "invoicedesk_en.qm did not load"
    from invoicedesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[:3] == ["Issue", "Drafts", "History"]
    assert "Settings" in labels and "Red letters" in labels
    assert window.welcome.sandbox_button.text() == "Try the sandbox"
    assert window.reach_label.text() == "Vendor: not checked"


def test_language_choice_is_remembered_and_says_restart(
    qtbot: Any, qapp: QApplication, data_dir: Path
) -> None:
    box = preferences.PreferencesBox(data_dir)
    qtbot.addWidget(box)
    assert "重新启动" in box.language_note.text()
    index = box.language_combo.findData(i18n.ENGLISH)
    box.language_combo.setCurrentIndex(index)
    box.language_combo.activated.emit(index)
    assert preferences.saved_language(data_dir) == i18n.ENGLISH
    assert "重新启动" in box.language_note.text()


def test_english_ts_has_every_string_translated() -> None:
    tree = ET.parse(resource("translations", "invoicedesk_en.ts"))
    messages = list(tree.iter("message"))
    assert len(messages) > 400
    unfinished = [
        m.findtext("source")
        for m in messages
        if (t := m.find("translation")) is None or t.get("type") == "unfinished" or not t.text
    ]
    assert unfinished == []
    assert resource("translations", "invoicedesk_en.qm").stat().st_size > 10_000


def test_a_text_without_translation_stays_chinese_in_english(
    qapp: QApplication, clean_translators: list[Any]
) -> None:
    from PySide6.QtCore import QCoreApplication

    clean_translators += i18n.install_language(qapp, i18n.ENGLISH)
    # not blank: the translator answers "not mine" and Qt keeps the source text
    assert QCoreApplication.translate("Nowhere", "没有这条译文") == "没有这条译文"
    # a string filed under no context (tr = self.tr) is found for the class's context
    assert QCoreApplication.translate("WelcomePage", "先用沙箱体验") == "Try the sandbox"
    assert QCoreApplication.translate("LinesModel", "项目名称") == "Item"  # _tr() helpers
