"""Help: the About dialog, the 使用说明 pages, and the log viewer showing a log without secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from invoicedesk import __version__, logging_setup
from invoicedesk.ui.about import AboutDialog
from invoicedesk.ui.help_pages import HelpDialog, page_path, topics
from invoicedesk.ui.log_viewer import LogViewer, read_tail

DEMO_SECRET = "sk-demo-7f3a9c1e5b2d4680"


@pytest.fixture
def logged(data_dir: Path) -> Iterator[Path]:
    path = logging_setup.setup_logging(data_dir)
    yield path
    logging_setup.remove_logging(data_dir)


def test_about_shows_version_folders_and_licences(qtbot: Any, data_dir: Path) -> None:
    dialog = AboutDialog(data_dir, logging_setup.log_dir(data_dir))
    qtbot.addWidget(dialog)
    text = dialog.info.toPlainText()
    assert __version__ in text
    assert str(data_dir) in text and str(data_dir / "logs") in text
    for licence in ("PySide6", "LGPL-3.0", "qasync", "httpx", "BSD-3-Clause"):
        assert licence in text


def test_a_help_page_for_each_main_task(qtbot: Any) -> None:
    stems = [stem for stem, _ in topics()]
    assert stems == ["issue", "drafts", "history", "red", "batch", "accounts", "sandbox"]
    for stem in stems:
        assert page_path(stem, english=False).read_text(encoding="utf-8").startswith("# ")
        assert page_path(stem, english=True).parent.name == "en"
    dialog = HelpDialog("sandbox")
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 7
    assert dialog.list.currentItem().text() == "沙箱"
    assert "不会" in dialog.browser.toPlainText()  # the sandbox never issues real invoices
    dialog.list.setCurrentRow(0)
    assert "开具" in dialog.browser.toPlainText()


def test_log_viewer_shows_the_log_without_secrets(qtbot: Any, data_dir: Path, logged: Path) -> None:
    from invoicedesk.vendors.transport import register_secret

    register_secret(DEMO_SECRET)
    log = logging.getLogger("invoicedesk.vendors.open_api")
    log.warning(
        "POST /v1/invoices headers={'X-Api-Key': '%s', 'Authorization': 'Bearer %s'} -> 502",
        DEMO_SECRET,
        DEMO_SECRET,
    )
    logging.getLogger("some.library").error("retrying with token=%s", DEMO_SECRET)
    for handler in logging.getLogger().handlers:
        handler.flush()
    raw = logged.read_text(encoding="utf-8")
    assert "POST /v1/invoices" in raw and "retrying with" in raw
    assert DEMO_SECRET not in raw
    viewer = LogViewer(logged)
    qtbot.addWidget(viewer)
    shown = viewer.text.toPlainText()
    assert "POST /v1/invoices" in shown
    assert DEMO_SECRET not in shown


def test_read_tail_starts_at_a_whole_line(tmp_path: Path) -> None:
    path = tmp_path / "x.log"
    path.write_text("".join(f"line {i}\n" for i in range(1000)), encoding="utf-8")
    tail = read_tail(path, limit=100)
    assert tail.startswith("line ") and tail.endswith("line 999\n")
    assert read_tail(tmp_path / "missing.log") == ""


def test_menus_open_the_dialogs(qtbot: Any, data_dir: Path) -> None:
    from invoicedesk.ui import menus
    from invoicedesk.ui.main_window import MainWindow

    class Gui:
        def __init__(self) -> None:
            self.data_dir = data_dir
            self.services = None
            self.quit_asked = False

        def request_quit(self) -> None:
            self.quit_asked = True

    window = MainWindow()
    qtbot.addWidget(window)
    gui = Gui()
    installed = menus.install(window, gui)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "帮助(&H)"]
    assert window.findChild(menus.PreferencesBox) is not None  # on the 设置 page
    assert not window.nav.item(0).icon().isNull()
    for open_dialog, kind in (
        (installed.open_about, AboutDialog),
        (installed.open_help, HelpDialog),
        (installed.open_log, LogViewer),
    ):
        dialog = open_dialog()
        assert isinstance(dialog, kind) and dialog.isVisible()
        dialog.close()
