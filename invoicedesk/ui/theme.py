"""Light and dark themes: the Fusion style with one palette each, plus a small style sheet.

"system" follows the desktop's colour scheme (Qt 6.5+: QStyleHints.colorScheme) and switches
live when it changes; "light" and "dark" are fixed. The choice is remembered in the data
folder's ui.ini (see ui/preferences.py). Tables get alternating rows (tidy_tables).
"""

from __future__ import annotations

import shiboken6

# not Qt's namespace: its first import builds every enum (~15 ms), before the first paint
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from invoicedesk.paths import resource

SYSTEM, LIGHT, DARK = "system", "light", "dark"
FUSION_ARGS = ["-style", "Fusion"]  # Qt's own command-line option: the style from the start
CHOICES = (SYSTEM, LIGHT, DARK)

# (role, light, dark): calm greys and one blue accent, close to the app icon's blue
_COLORS: tuple[tuple[QPalette.ColorRole, str, str], ...] = (
    (QPalette.ColorRole.Window, "#f5f6f8", "#202124"),
    (QPalette.ColorRole.WindowText, "#1f2328", "#e8eaed"),
    (QPalette.ColorRole.Base, "#ffffff", "#17181a"),
    (QPalette.ColorRole.AlternateBase, "#f3f6fa", "#232529"),
    (QPalette.ColorRole.ToolTipBase, "#ffffe8", "#2d2f33"),
    (QPalette.ColorRole.ToolTipText, "#1f2328", "#e8eaed"),
    (QPalette.ColorRole.PlaceholderText, "#8a9099", "#80868b"),
    (QPalette.ColorRole.Text, "#1f2328", "#e8eaed"),
    (QPalette.ColorRole.Button, "#eceef1", "#2d2f33"),
    (QPalette.ColorRole.ButtonText, "#1f2328", "#e8eaed"),
    (QPalette.ColorRole.BrightText, "#d93025", "#f28b82"),
    (QPalette.ColorRole.Light, "#ffffff", "#3c4043"),
    (QPalette.ColorRole.Midlight, "#e3e6ea", "#34363a"),
    (QPalette.ColorRole.Mid, "#c4c9d0", "#4a4d52"),
    (QPalette.ColorRole.Dark, "#9aa0a6", "#111213"),
    (QPalette.ColorRole.Shadow, "#5f6368", "#000000"),
    (QPalette.ColorRole.Highlight, "#1a73e8", "#4c8df6"),
    (QPalette.ColorRole.HighlightedText, "#ffffff", "#ffffff"),
    (QPalette.ColorRole.Link, "#1a5fb4", "#8ab4f8"),
    (QPalette.ColorRole.LinkVisited, "#6a3fb4", "#c58af9"),
)


def palette(dark: bool) -> QPalette:
    pal = QPalette()
    for role, light_hex, dark_hex in _COLORS:
        pal.setColor(role, QColor(dark_hex if dark else light_hex))
    # disabled widgets: softer text in both themes
    disabled = QColor("#6b6f75" if dark else "#a0a5ab")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def system_is_dark() -> bool:
    """The desktop's colour scheme (Qt 6.5+). Its first call builds Qt's enum tables (~20 ms),
    which is why the start-up asks `palette_is_dark` instead until the window has painted."""
    from PySide6.QtCore import Qt  # its first import builds the enum tables: not at start-up

    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def palette_is_dark(pal: QPalette) -> bool:
    """A dark window colour: how the platform's own palette says the desktop is dark."""
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def is_dark(choice: str) -> bool:
    return choice == DARK or (choice == SYSTEM and system_is_dark())


def style_sheet() -> str:
    path = resource("styles", "app.qss")
    return path.read_text(encoding="utf-8") if path.exists() else ""


class ThemeManager(QObject):
    """Owns the current choice; with "system" it follows colorSchemeChanged."""

    def __init__(
        self,
        app: QApplication,
        choice: str = SYSTEM,
        *,
        follow: bool = True,
        fusion_started: bool = False,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.choice = SYSTEM
        self.dark = False
        self.following = False
        # Fusion: the same look on every system, and palettes apply fully. The program starts
        # Qt with it (FUSION_ARGS, fusion_started): setting it from Python wraps the QStyle Qt
        # returns, and PySide6 builds that class and a dozen enums on first use (~6 ms before
        # the first paint). Its dark variant (ui/theme_style.py) is made when a dark palette
        # is first applied; a light first paint needs none of it.
        if not fusion_started:
            app.setStyle("Fusion")
        _managers[:] = [self]
        self.dark_style = False
        self.platform_dark = palette_is_dark(app.palette())  # before ours replaces it
        self.apply(choice)
        if follow:
            self.follow_system()

    def follow_system(self) -> None:
        """Track the desktop's colour scheme from now on (start-up calls this after the first
        paint). Idempotent."""
        if self.following:
            return
        self.following = True
        self.app.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        if self.choice == SYSTEM and system_is_dark() != self.dark:
            self.apply(SYSTEM)

    def _system_dark(self) -> bool:
        return system_is_dark() if self.following else self.platform_dark

    def apply(self, choice: str) -> None:
        self.choice = choice if choice in CHOICES else SYSTEM
        self.dark = self.choice == DARK or (self.choice == SYSTEM and self._system_dark())
        if self.dark and not self.dark_style:
            from invoicedesk.ui.theme_style import ThemeStyle

            self.app.setStyle(ThemeStyle())  # kept from now on: it changes only dark palettes
            self.dark_style = True
        self.app.setPalette(palette(self.dark))
        self.app.setStyleSheet(style_sheet())
        self.app.setProperty("darkTheme", self.dark)

    def _scheme_changed(self, _scheme: object) -> None:
        if self.choice == SYSTEM:
            self.apply(SYSTEM)


def apply_theme(
    app: QApplication, choice: str, *, follow: bool = True, fusion_started: bool = False
) -> ThemeManager:
    """Install (or re-apply) the theme on the application; returns its manager. `follow=False`
    (start-up, before the first paint) defers tracking the desktop's scheme to
    `follow_system`; `fusion_started`: the application was made with FUSION_ARGS."""
    manager = _manager_of(app)
    if manager is not None:
        manager.apply(choice)
        if follow:
            manager.follow_system()
        return manager
    return ThemeManager(app, choice, follow=follow, fusion_started=fusion_started)


def follow_system(app: QApplication) -> None:
    manager = _manager_of(app)
    if manager is not None:
        manager.follow_system()


_managers: list[ThemeManager] = []  # the latest one made (every one registers itself here)


def _manager_of(app: QApplication) -> ThemeManager | None:
    """The application's theme manager, if one was made. Not `app.findChild`: that wraps every
    child of the application (the style among them), and PySide6 builds those classes and
    their enums on first use (~6 ms before the first paint)."""
    for manager in _managers:
        if shiboken6.isValid(manager) and manager.parent() is app:
            return manager
    return None


def tidy_tables(root: QWidget) -> int:
    """Alternating rows and row selection on every table/tree under `root`; returns how many."""
    count = 0
    # imported here: PySide6 builds each class on first import, and the first paint needs none
    from PySide6.QtWidgets import QAbstractItemView, QTableView, QTreeView

    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, (QTableView, QTreeView)):
            view.setAlternatingRowColors(True)
            count += 1
    return count
