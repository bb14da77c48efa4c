"""The application style: Fusion, with check boxes and radio buttons outlined on a dark window
(ui/theme.py installs it when a dark palette is first applied)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from invoicedesk.ui.theme import palette_is_dark


class ThemeStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons outlined so that they stay visible on a dark
    window: Fusion draws their outline from the window colour darkened, which all but vanishes
    on the dark theme's near-black."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        radio = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        box = element == QStyle.PrimitiveElement.PE_IndicatorCheckBox
        if not (radio or box) or not palette_is_dark(option.palette):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(option.palette.color(QPalette.ColorRole.PlaceholderText), 1))
        painter.setBrush(QBrush())  # no fill
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if radio:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2, 2)
        painter.restore()
