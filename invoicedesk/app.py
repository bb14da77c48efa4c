"""Composition root of the GUI (placeholder until the main window lands)."""

from __future__ import annotations

import argparse


def run_gui(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    label = QLabel("InvoiceDesk")
    label.setWindowTitle("InvoiceDesk")
    label.show()
    return app.exec()
