"""A QR code that stays scannable from a screen: square, sharp, scaled only by whole numbers.

- From text (piaodanyun `ewm`): `qrcode`'s module matrix (quiet zone included) becomes an image
  of one pixel per module, drawn at an integer factor of at least `MIN_MODULE_PX`.
- From a PNG (ws-invoice pushes one): shown at its own size or an integer multiple of it, never
  shrunk or stretched by a fraction (that smears module edges and phones fail to read it).
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_MODULE_PX = 5  # ≥ 4 px per module reads reliably from a phone held at a screen
TARGET_PX = 300  # preferred drawn size of a text QR
QUIET_ZONE = 4  # modules of white border (the standard's minimum)


def qr_modules(text: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The QR module matrix for `text`, quiet zone included (True = dark)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_image(text: str, module_px: int = 1, border: int = QUIET_ZONE) -> QImage:
    """The QR as a black-on-white image, `module_px` (an integer) pixels per module."""
    modules = qr_modules(text, border)
    n = len(modules)
    image = QImage(n * module_px, n * module_px, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * module_px, y * module_px, module_px, module_px, black)
    painter.end()
    return image


class QrView(QWidget):
    """Shows one QR image at a whole-number scale, centred on white.

    Public API: set_text(text), set_png(data) (ValueError when not an image), clear(),
    image (the 1×-scale QImage or None), scale() (the integer factor used now), qr_rect()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qrView")
        self.image: QImage | None = None
        self._min_scale = 1
        self._dimmed = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_text(self, text: str) -> None:
        self._set(qr_image(text), MIN_MODULE_PX)

    def set_png(self, data: bytes) -> None:
        image = QImage()
        if not data or not image.loadFromData(data):
            raise ValueError("not an image")
        self._set(image.convertToFormat(QImage.Format.Format_RGB32), 1)

    def clear(self) -> None:
        self.image = None
        self.update()

    @property
    def dimmed(self) -> bool:
        """The code is greyed out (expired or refused: it can no longer be scanned)."""
        return self._dimmed

    def set_dimmed(self, dimmed: bool) -> None:
        """Grey the code out (expired): nobody should scan a dead QR."""
        self._dimmed = dimmed
        self.update()

    def _set(self, image: QImage, min_scale: int) -> None:
        self.image = image
        self._min_scale = min_scale
        self._dimmed = False
        side = image.width() * min_scale
        self.setMinimumSize(side, image.height() * min_scale)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        if self.image is None:
            return QSize(TARGET_PX, TARGET_PX)
        k = max(self._min_scale, TARGET_PX // max(1, self.image.width()))
        return QSize(self.image.width() * k, self.image.height() * k)

    def scale(self) -> int:
        if self.image is None:
            return 0
        fit = min(
            self.width() // max(1, self.image.width()),
            self.height() // max(1, self.image.height()),
        )
        return max(self._min_scale, fit)

    def qr_rect(self) -> QRect:
        """Where the code is drawn, in widget coordinates."""
        if self.image is None:
            return QRect()
        k = self.scale()
        w, h = self.image.width() * k, self.image.height() * k
        return QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.image is not None:
            # an integer factor with no smoothing: every module stays a crisp square
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(self.qr_rect(), self.image)
            if self._dimmed:
                painter.fillRect(self.qr_rect(), QColor(255, 255, 255, 200))
        painter.end()
