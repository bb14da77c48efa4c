"""Render the face-authentication dialog offscreen to PNG files, for review.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots/face.py OUT_DIR

Writes face-piaodanyun.png (a QR drawn from an `ewm` text, app choice, sandbox button),
face-failed.png (the "scan failed, try again" state) and face-ws-invoice.png (a pushed PNG).
Needs a CJK font (fonts-wqy-microhei).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

if __package__ in (None, ""):  # run as a file: packaging/ on the path, for `screenshots.*`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QWidget

from invoicedesk.services.face import utc_now
from invoicedesk.vocabulary import FaceChallenge

# the shape of a piaodanyun `ewm` (the document's example, with its stray space removed)
DEMO_EWM = (
    "qrcode_id=gYyixYMScMK4GQc2LfzqvKVnk33kJHs7p5wnpig3QdYFAdAvmDp7i7Yobk7zzkNM"
    "&areaPrefix=5100&interfaceCode=0004"
)


def render(out_dir: Path) -> list[Path]:
    from invoicedesk.ui.face_dialog import FaceDialog
    from screenshots.window import has_cjk_font

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not has_cjk_font():
        print("warning: no CJK font installed; Chinese will not render", file=sys.stderr)
    now = utc_now()
    challenge = FaceChallenge(
        text=DEMO_EWM, app=1, expires_at=now + dt.timedelta(minutes=4, seconds=37)
    )
    written = []
    dialog = FaceDialog(None, choose_app=True, sandbox=True, now=lambda: now)
    dialog.show_challenge(challenge)
    dialog.show()
    dialog.adjustSize()
    app.processEvents()
    written.append(_save(dialog, out_dir / "face-piaodanyun.png"))
    dialog.show_failed()
    app.processEvents()
    written.append(_save(dialog, out_dir / "face-failed.png"))
    dialog.done(0)

    # ws-invoice: the platform's own PNG, shown as it came (an integer factor at most)
    pushed = FaceChallenge(png=_vendor_png(DEMO_EWM), expires_at=challenge.expires_at)
    dialog = FaceDialog(None, choose_app=False, sandbox=True, now=lambda: now)
    dialog.refresh_button.setEnabled(False)
    dialog.show_challenge(pushed)
    dialog.show()
    dialog.adjustSize()
    app.processEvents()
    written.append(_save(dialog, out_dir / "face-ws-invoice.png"))
    dialog.done(0)
    return written


def _vendor_png(text: str) -> bytes:
    """A PNG as a platform would push it (qrcode's defaults: 10 px per module)."""
    import io

    import qrcode

    out = io.BytesIO()
    qrcode.make(text).save(out)
    return out.getvalue()


def _save(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for path in render(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
