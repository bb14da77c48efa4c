"""Render the main window offscreen to PNG files, for review and for the docs.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots/window.py OUT_DIR

Needs a CJK font (Debian: fonts-wqy-microhei), or Chinese renders as empty boxes.
Writes welcome-*.png and form-*.png at 1366×768 and at the window's minimum size. With
`--variants` (before or after OUT_DIR): {light,dark,en}-{welcome,form,settings}.png instead, the
README's screenshots (light and dark theme, English). With `--pages`: every page of the
running program and its main dialogs in light, dark and English (see pages.py);
both options together write both sets.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

if __package__ in (None, ""):  # run as a file: packaging/ on the path, for `screenshots.*`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.vocabulary import Profile, Seller, VendorKey

SIZES = {"1366x768": QSize(1366, 768)}

DEMO_PROFILE = Profile(
    name="open-api",
    vendor=VendorKey.OPEN_API,
    base_url="http://127.0.0.1:8765/open-api",
    seller=Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G"),
)

THREE_LINES = Draft(
    invoice_type="81",
    buyer=Buyer(
        name="杭州示例贸易有限公司",
        tax_id="91330701MA2DFB848M",
        address="浙江省杭州市西湖区文三路 100 号",
        phone="0571-88886666",
        bank="中国工商银行杭州文三支行",
        bank_account="1202020209000012345",
        email="finance@example.com",
    ),
    lines=[
        Line(
            name="*信息技术服务*软件开发服务",
            tax_code="3040201010000000000",
            unit="项",
            quantity="1",
            unit_price="12000",
            amount="12000.00",
            tax_rate="0.06",
        ),
        Line(
            name="*信息技术服务*软件维护服务",
            tax_code="3040201030000000000",
            unit="月",
            quantity="3",
            unit_price="1500",
            amount="4500.00",
            tax_rate="0.06",
        ),
        Line(
            name="*信息技术服务*软件测试服务",
            tax_code="3040201040000000000",
            spec="标准版",
            unit="次",
            quantity="2",
            unit_price="800.5",
            amount="1601.00",
            tax_rate="0.06",
        ),
    ],
    remark="合同号 HT-2026-018",
)


ACCOUNT_PROFILES = [
    DEMO_PROFILE,
    Profile(
        name="公司票单云",
        vendor=VendorKey.PIAODANYUN,
        base_url="https://api.piaodanyun.example.com",
        seller=Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G"),
        user_name="13800000000",
        options={"tenant_id": "1", "seller_address_phone": "杭州市西湖区文三路 100 号"},
    ),
    Profile(
        name="集团中台",
        vendor=VendorKey.FAW,
        base_url="https://faw.example.com/api",
        seller=Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G"),
        user_name="U10086",
    ),
]


def has_cjk_font() -> bool:
    return any(
        QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
        for family in QFontDatabase.families()
    )


def render(out_dir: Path) -> list[Path]:
    from invoicedesk.ui.main_window import MINIMUM_SIZE, MainWindow

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not has_cjk_font():
        print("warning: no CJK font installed; Chinese will not render", file=sys.stderr)
    sizes = {**SIZES, "minimum": MINIMUM_SIZE}
    written: list[Path] = []
    window = MainWindow()
    window.show()
    for size_name, size in sizes.items():
        window.resize(size)
        window.set_accounts([], None)
        app.processEvents()
        written.append(_save(window, out_dir / f"welcome-{size_name}.png"))

        window.set_accounts([DEMO_PROFILE], DEMO_PROFILE.name)
        window.form.set_draft(THREE_LINES)
        window.form.table.setCurrentIndex(window.form.model.index(0, 0))
        app.processEvents()
        written.append(_save(window, out_dir / f"form-{size_name}.png"))

        window.result_page.show_issued(
            "26332000000012345678",
            "2026-05-20T10:31:05",
            THREE_LINES.buyer,
            Decimal("19186.06"),
            "ID260520103104A1B2C3D4",
            has_files=True,
        )
        window.show_result_page()
        app.processEvents()
        written.append(_save(window, out_dir / f"result-{size_name}.png"))
        window.result_page.show_accepted(THREE_LINES.buyer, Decimal("19186.06"), "ID2605201031")
        app.processEvents()
        written.append(_save(window, out_dir / f"result-faw-{size_name}.png"))
        window.show_issue_form()

        written.append(_accounts(app, window, out_dir / f"accounts-{size_name}.png"))
    window.close_handler = None
    window.form.autosaver.drafts = None
    window.close()
    return written


# (file prefix, theme, language) for render_variants(): the README's screenshots
VARIANTS: tuple[tuple[str, str, str], ...] = (
    ("light", "light", "zh_CN"),
    ("dark", "dark", "zh_CN"),
    ("en", "light", "en"),
)


def render_variants(out_dir: Path) -> list[Path]:
    """The main window (welcome, form, 设置) in the light and dark theme and in English, with
    the menus and icons the application adds, at 1366×768."""
    import tempfile

    from invoicedesk.ui import i18n, menus, preferences, theme
    from invoicedesk.ui.main_window import MainWindow, Page

    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    palette, sheet = app.palette(), app.styleSheet()
    written: list[Path] = []

    class Gui:  # what menus.install needs from the application
        def __init__(self, data_dir: Path) -> None:
            self.data_dir = data_dir
            self.services = None
            self.controller = None
            self.restore_from: Path | None = None

        def request_quit(self) -> None:
            pass

    with tempfile.TemporaryDirectory() as tmp:
        for prefix, look, language in VARIANTS:
            translators = i18n.install_language(app, language)
            saved = preferences.settings(Path(tmp))  # the 设置 page shows the theme in use
            saved.setValue(preferences.THEME_KEY, look)
            saved.setValue(preferences.LANGUAGE_KEY, language)
            saved.sync()
            theme.apply_theme(app, look)
            window = MainWindow()
            menus.install(window, Gui(Path(tmp)))
            window.resize(SIZES["1366x768"])
            window.show()
            window.set_accounts([], None)
            app.processEvents()
            written.append(_save(window, out_dir / f"{prefix}-welcome.png"))
            window.set_accounts([DEMO_PROFILE], DEMO_PROFILE.name)
            window.form.set_draft(THREE_LINES)
            window.form.table.setCurrentIndex(window.form.model.index(0, 0))
            app.processEvents()
            written.append(_save(window, out_dir / f"{prefix}-form.png"))
            window.show_page(Page.SETTINGS)
            app.processEvents()
            written.append(_save(window, out_dir / f"{prefix}-settings.png"))
            window.close_handler = None
            window.form.autosaver.drafts = None
            window.close()
            window.deleteLater()
            for translator in translators:
                app.removeTranslator(translator)
    i18n.install_language(app, i18n.CHINESE)  # the default again (Qt's own strings)
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    return written


def _accounts(app: Any, window: Any, path: Path) -> Path:
    """设置 with the accounts list, and the account dialog (editing 票单云) drawn over it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    from invoicedesk.ui.accounts import AccountDialog, AccountsPage
    from invoicedesk.ui.main_window import Page

    page = window.findChild(AccountsPage)
    if page is None:
        page = AccountsPage(None)
        window.mount(Page.SETTINGS, page)
    page.fill(ACCOUNT_PROFILES)
    page.select(ACCOUNT_PROFILES[1].name)
    window.show_page(Page.SETTINGS)

    async def nothing(*_: Any) -> None:
        return None

    dialog = AccountDialog(nothing, nothing, profile=ACCOUNT_PROFILES[1], parent=window)
    dialog.show()
    app.processEvents()
    dialog.adjustSize()
    app.processEvents()
    image = window.grab()
    painter = QPainter(image)
    shot = dialog.grab()
    painter.drawPixmap(
        QPoint((image.width() - shot.width()) // 2, max(0, (image.height() - shot.height()) // 2)),
        shot,
    )
    painter.end()
    dialog.close()
    dialog.deleteLater()
    window.show_page(Page.ISSUE)
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def _save(window: object, path: Path) -> Path:
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    variants = "--variants" in args
    pages = "--pages" in args
    args = [a for a in args if a not in ("--variants", "--pages")]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(args[0])
    written = render_variants(out) if variants else [] if pages else render(out)
    if pages:
        from screenshots.pages import render_pages

        written += render_pages(out)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
