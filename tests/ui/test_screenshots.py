"""The screenshot script writes readable PNGs at both sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage
from screenshots import window as screenshots


def test_screenshots_are_written_at_both_sizes(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    written = screenshots.render(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"{kind}-{size}.png"
        for kind in ("welcome", "form", "result", "result-faw", "accounts")
        for size in ("1366x768", "minimum")
    )
    for size, wanted in (("1366x768", (1366, 768)), ("minimum", (1024, 640))):
        shot = QImage(str(tmp_path / f"accounts-{size}.png"))
        assert (shot.width(), shot.height()) == wanted
    image = QImage(str(tmp_path / "form-1366x768.png"))
    assert (image.width(), image.height()) == (1366, 768)
    small = QImage(str(tmp_path / "form-minimum.png"))
    assert (small.width(), small.height()) == (1024, 640)
