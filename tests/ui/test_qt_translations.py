"""Qt's own dialogs speak Chinese in the Chinese window (issue 19 item 8): qtbase_zh_CN from
PySide6's translations folder, plus our qt_extra_zh_CN for what that file lacks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QPushButton

from invoicedesk.ui import i18n


def test_qtbase_zh_cn_ships_with_pyside6_essentials() -> None:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").is_file()


def test_the_file_dialog_is_chinese(qtbot: Any, qapp: QApplication) -> None:
    translators = i18n.install_language(qapp, i18n.CHINESE)
    try:
        assert len(translators) == 2  # Qt's, and the few strings it lacks
        dialog = QFileDialog(None, "导出")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        dialog.show()
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        buttons = [b.text() for b in dialog.findChildren(QPushButton) if b.text()]
        latin = [t for t in labels + buttons if re.search("[A-Za-z]{2,}", t)]
        assert latin == [], latin  # was "&Look in:", "Files of &type:"
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
