"""Themes: light/dark palettes, the remembered choice, "system" following the colour scheme,
icons that exist and render, tidy tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication, QTableView, QVBoxLayout, QWidget

from invoicedesk.paths import resource
from invoicedesk.ui import preferences, theme


@pytest.fixture
def restore_look(qapp: Any) -> Iterator[QApplication]:
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name() or "Fusion"
    yield qapp
    manager = qapp.findChild(theme.ThemeManager)
    if manager is not None:
        manager.setParent(None)
        manager.deleteLater()
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


def _window_lightness(app: QApplication) -> int:
    return app.palette().color(QPalette.ColorRole.Window).lightness()


def test_light_and_dark_palettes(restore_look: QApplication) -> None:
    theme.apply_theme(restore_look, theme.DARK)
    assert _window_lightness(restore_look) < 60
    dark_text = restore_look.palette().color(QPalette.ColorRole.WindowText).lightness()
    assert dark_text > 200  # light text on the dark window
    theme.apply_theme(restore_look, theme.LIGHT)
    assert _window_lightness(restore_look) > 200
    assert "QListWidget#navigation" in restore_look.styleSheet()
    # one manager, re-applied
    assert len(restore_look.findChildren(theme.ThemeManager)) == 1


def test_system_choice_follows_the_colour_scheme(restore_look: QApplication) -> None:
    manager = theme.apply_theme(restore_look, theme.SYSTEM)
    # the offscreen platform reports no dark scheme
    assert manager.dark is theme.system_is_dark()
    assert theme.is_dark(theme.DARK) and not theme.is_dark(theme.LIGHT)
    assert theme.apply_theme(restore_look, "purple").choice == theme.SYSTEM  # unknown → system


def test_preferences_box_remembers_the_theme(
    qtbot: Any, restore_look: QApplication, data_dir: Path
) -> None:
    box = preferences.PreferencesBox(data_dir)
    qtbot.addWidget(box)
    assert box.theme_combo.currentData() == theme.SYSTEM
    index = box.theme_combo.findData(theme.DARK)
    box.theme_combo.setCurrentIndex(index)
    box.theme_combo.activated.emit(index)
    assert preferences.saved_theme(data_dir) == theme.DARK
    assert _window_lightness(restore_look) < 60  # applied at once
    again = preferences.PreferencesBox(data_dir)
    qtbot.addWidget(again)
    assert again.theme_combo.currentData() == theme.DARK


@pytest.mark.parametrize(
    "name",
    [
        "invoicedesk",
        "issue",
        "drafts",
        "history",
        "red",
        "customers",
        "products",
        "settings",
        "backup",
        "restore",
        "help",
        "log",
        "about",
        "sandbox",
        "batch",
    ],
)
def test_icons_are_svg_and_render_sharp_at_2x(qapp: Any, name: str) -> None:
    path = resource("icons", f"{name}.svg")
    assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    icon = QIcon(str(path))
    pixmap = icon.pixmap(QSize(24, 24), 2.0)  # high-DPI: rendered for the device, not scaled up
    assert not pixmap.isNull()
    assert pixmap.width() == 48 and pixmap.devicePixelRatio() == 2.0


def test_tidy_tables_turns_on_alternating_rows(qtbot: Any) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    tables = [QTableView(), QTableView()]
    for table in tables:
        layout.addWidget(table)
    assert theme.tidy_tables(root) == 2
    assert all(t.alternatingRowColors() for t in tables)


@pytest.mark.parametrize("kind", ["check", "radio"])
def test_an_unticked_box_stands_out_on_the_dark_window(
    restore_look: QApplication, qtbot: Any, kind: str
) -> None:
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

    theme.apply_theme(restore_look, theme.DARK, follow=False)
    button = QCheckBox("差额征税") if kind == "check" else QRadioButton("个人所得税 App")
    qtbot.addWidget(button)
    button.show()
    option = QStyleOptionButton()
    button.initStyleOption(option)
    element = (
        QStyle.SubElement.SE_CheckBoxIndicator
        if kind == "check"
        else QStyle.SubElement.SE_RadioButtonIndicator
    )
    box = button.style().subElementRect(element, option, button)
    image = button.grab().toImage()
    window = restore_look.palette().color(QPalette.ColorRole.Window).lightness()
    edge = max(
        image.pixelColor(x, y).lightness()
        for x in range(box.left(), box.right() + 1)
        for y in range(box.top(), box.bottom() + 1)
    )
    # Fusion alone draws the outline darker than the window: nothing to see (edge ≈ window)
    assert edge - window > 60
