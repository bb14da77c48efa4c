"""Render the SVG application icon to the PNG/ICO/ICNS files PyInstaller wants."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main() -> None:
    svg, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication([])
    render(svg, 256).save(str(out / "invoicedesk.png"))
    # Pillow writes multi-size .ico and .icns from one large image.
    from PIL import Image

    png = Image.open(out / "invoicedesk.png")
    png.save(out / "invoicedesk.ico", sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])
    png.save(out / "invoicedesk.icns")
    del app


if __name__ == "__main__":
    main()
