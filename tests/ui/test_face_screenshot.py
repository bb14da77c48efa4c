"""The face dialog's screenshot script writes readable PNGs: the QR in them decodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from screenshots.face import DEMO_EWM, render


def test_face_screenshots_decode(qapp: Any, tmp_path: Path) -> None:
    paths = render(tmp_path)
    assert [p.name for p in paths] == [
        "face-piaodanyun.png",
        "face-failed.png",
        "face-ws-invoice.png",
    ]
    for name in ("face-piaodanyun.png", "face-ws-invoice.png"):
        found = zxingcpp.read_barcodes(Image.open(tmp_path / name))
        assert [b.text for b in found] == [DEMO_EWM]
