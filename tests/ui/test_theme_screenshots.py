"""The README screenshots: light, dark and English variants of the main window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage
from screenshots import window as screenshots


def _mean_lightness(image: QImage) -> float:
    total, count = 0, 0
    for y in range(0, image.height(), 16):
        for x in range(0, image.width(), 16):
            total += image.pixelColor(x, y).lightness()
            count += 1
    return total / count


def test_variants_are_written_and_differ(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    written = screenshots.render_variants(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        f"{v}-{page}.png"
        for v in ("light", "dark", "en")
        for page in ("welcome", "form", "settings")
    )
    light = QImage(str(tmp_path / "light-form.png"))
    dark = QImage(str(tmp_path / "dark-form.png"))
    english = QImage(str(tmp_path / "en-form.png"))
    assert (light.width(), light.height()) == (1366, 768)
    assert _mean_lightness(light) > 180 > 80 > _mean_lightness(dark)
    assert english != light  # the same form, other words
