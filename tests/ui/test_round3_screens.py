"""What the round-3 screenshots of every page showed (issue 19): the 设置 page's 测试连接
failure says 连接失败 as the dialog does; the English window translates the account dialog's
platforms, per-platform fields and provinces, and the history's stored status words; the
history's 发票类型 column holds its longest type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from invoicedesk.app import GuiApp
from invoicedesk.ui import i18n
from invoicedesk.ui.account_dialog import AccountDialog
from invoicedesk.ui.column_names import label as column_label
from invoicedesk.ui.history.columns import type_labels
from invoicedesk.vendors.base import Profile, Seller, VendorKey
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import gui

__all__ = ["gui"]

SELLER = Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G")


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translators = i18n.install_language(qapp, "en")
    try:
        yield
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        i18n.install_language(qapp, i18n.CHINESE)


def test_the_accounts_page_says_connection_failed_like_the_dialog(
    qtbot: Any, qloop: Any, gui: GuiApp
) -> None:
    dead = Profile(
        name="连不上的账户",
        vendor=VendorKey.OPEN_API,
        base_url="http://127.0.0.1:1/open-api",  # nothing listens
        seller=SELLER,
    )
    profiles = gui.services.profiles
    run_in_loop(qtbot, qloop, profiles.save(dead, {"api_key": "some-key"}))
    page = gui.accounts_page
    page.fill(run_in_loop(qtbot, qloop, profiles.list_all()))
    page.select(dead.name)
    assert not run_in_loop(qtbot, qloop, page.test_selected(), 30000)
    assert page.status.text().startswith("连接失败：无法连接开票平台"), page.status.text()


async def _nothing(*_: Any) -> None:
    return None


def _texts(dialog: AccountDialog) -> list[str]:
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog)]
    for widget in (dialog.vendor_combo, *dialog.field_edits.values()):
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        else:
            texts.append(widget.placeholderText())
    return texts


def _english_tables() -> dict[str, str]:
    """Every English the translation files have or will have once the lead regenerates them
    (packaging/translations_en/*.py are filled into the .ts by packaging/fill_translations.py)."""
    import runpy
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    table: dict[str, str] = {}
    for path in sorted((root / "packaging" / "translations_en").glob("*.py")):
        table.update(runpy.run_path(str(path))["T"])
    ts = root / "resources" / "translations" / "invoicedesk_en.ts"
    for message in ET.parse(ts).iter("message"):
        english = message.findtext("translation")
        if english:
            table.setdefault(message.findtext("source") or "", english)
    return table


@pytest.mark.usefixtures("english")
def test_the_english_account_dialog_translates_every_platform(qtbot: Any) -> None:
    import re

    known = _english_tables()
    dialog = AccountDialog(_nothing, _nothing)
    qtbot.addWidget(dialog)
    assert dialog.vendor_combo.itemText(0) == "Open Platform API"
    for i in range(dialog.vendor_combo.count()):
        dialog.vendor_combo.setCurrentIndex(i)
        chinese = [t for t in _texts(dialog) if re.search("[\u4e00-\u9fff]", t)]
        # still Chinese: only what the next translation update fills in, or an English text
        # whose example is Chinese on purpose ("e.g. 法定代表人…", the platform's own words)
        english = set(known.values())
        missing = [t for t in chinese if t not in known and t not in english]
        assert not missing, (dialog.vendor_combo.currentText(), missing)
    dialog.vendor_combo.setCurrentIndex(dialog.vendor_combo.findData(VendorKey.OPEN_API.value))
    assert "API key" in _texts(dialog)  # through ColumnNames, as the .qm has it today


@pytest.mark.usefixtures("english")
def test_english_history_words() -> None:
    assert column_label("正常") == "Normal"
    assert "红字信息表待确认" in _english_tables()
    assert set(type_labels().values()) == {"Special VAT e-invoice", "Ordinary VAT e-invoice"}


@pytest.mark.usefixtures("english")
def test_the_english_dry_run_shows_english_problems_and_whole_headers(
    qtbot: Any, qloop: Any, sandbox: Any, data_dir: Any, tmp_path: Any
) -> None:
    import re

    from invoicedesk.ui.batch.page import BatchPage
    from tests.e2e.helpers import open_services
    from tests.services.test_batch_io import GOOD, write_xlsx

    services = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    try:
        page = BatchPage(services)
        qtbot.addWidget(page)
        page.resize(1280, 640)
        page.show()
        qtbot.waitExposed(page)
        rows: list[dict[str, object]] = [
            {"draft": "A", **GOOD},
            {"draft": "B", **GOOD, "buyer.tax_id": "9111O108MA01K2P4XY"},  # O for 0
        ]
        book = write_xlsx(tmp_path / "sheet.xlsx", rows)
        assert run_in_loop(qtbot, qloop, page.import_page.load(book))
        ip = page.import_page
        model = ip.model
        last = model.columnCount() - 1
        problem = model.data(model.index(1, last))
        assert problem and not re.search("[\u4e00-\u9fff]", problem), problem
        header = ip.table.horizontalHeader()
        for col in range(last):
            title = str(model.headerData(col, Qt.Orientation.Horizontal))
            assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(title), title
        assert "\n" in ip.summary.text()  # the red-cells sentence on its own line
        # a marked cell's text stays dark on its light mark, also in the dark theme
        from invoicedesk.ui.batch.models import ON_MARK_FG

        marked = model.index(1, last)
        assert model.data(marked, Qt.ItemDataRole.BackgroundRole) is not None
        assert model.data(marked, Qt.ItemDataRole.ForegroundRole).color() == ON_MARK_FG
        run_in_loop(qtbot, qloop, page.aclose())
    finally:
        run_in_loop(qtbot, qloop, services.aclose())


def test_the_history_day_is_beijing_whatever_the_machine_zone() -> None:
    import datetime as dt

    from invoicedesk.ui.history.dates import beijing_date

    # 19:06 UTC on 4 December is 03:06 on 5 December in Beijing: the day the invoice shows
    late = dt.datetime(2026, 12, 4, 19, 6, tzinfo=dt.UTC)
    assert beijing_date(late) == dt.date(2026, 12, 5)
    assert beijing_date(late.replace(hour=15)) == dt.date(2026, 12, 4)
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert beijing_date(dt.datetime(2026, 12, 31, 12, 0, tzinfo=new_york)) == dt.date(2027, 1, 1)


@pytest.mark.usefixtures("english")
def test_the_account_dialogs_placeholders_are_never_clipped(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit

    dialog = AccountDialog(_nothing, _nothing)
    qtbot.addWidget(dialog)
    dialog.show()
    for i in range(dialog.vendor_combo.count()):
        dialog.vendor_combo.setCurrentIndex(i)
        dialog.adjustSize()  # as small as its layout allows
        qtbot.wait(10)
        for edit in dialog.findChildren(QLineEdit):
            hint = edit.placeholderText()
            if hint and edit.isVisible():
                needed = edit.fontMetrics().horizontalAdvance(hint)
                # the text area is the width less the frame and margins (about 12 px)
                assert edit.width() >= needed + 14, (dialog.vendor_combo.currentText(), hint)
        squeezed = [
            label.text()
            for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.text() and label.width() < label.sizeHint().width()
        ]
        assert not squeezed, (dialog.vendor_combo.currentText(), squeezed)


def test_a_failed_scan_message_never_covers_the_qr(qtbot: Any) -> None:
    import datetime as dt
    import io

    import qrcode

    from invoicedesk.ui.face_dialog import FaceDialog
    from invoicedesk.vendors.base import FaceChallenge

    now = dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)
    png = io.BytesIO()
    qrcode.make("https://etax.sandbox.invalid/face?id=0123456789ab").save(png)
    dialog = FaceDialog(None, choose_app=False, sandbox=True, now=lambda: now)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_challenge(
        FaceChallenge(png=png.getvalue(), expires_at=now + dt.timedelta(minutes=5))
    )
    dialog.adjustSize()  # as small as it opens: the waiting line is one line
    qtbot.wait(20)
    dialog.show_failed()  # three lines in Chinese
    qtbot.wait(20)
    assert dialog.status_label.geometry().top() >= dialog.qr.geometry().bottom()
    label = dialog.status_label
    assert label.height() >= label.heightForWidth(label.width())
