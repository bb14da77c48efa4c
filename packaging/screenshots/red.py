"""Render every page of the red-letter wizard and the 红字发票 page offscreen to PNG files.

    QT_QPA_PLATFORM=offscreen python packaging/screenshots/red.py OUT_DIR

Runs a private sandbox, issues a blue invoice through piaodanyun, marks it used by the buyer (so
the form needs confirmation), and walks the wizard: blue → check → scope (partial 02) → form
(pending) → pending → confirmed → done, then the void explanation and the 红字发票 page. Needs a
CJK font (Debian: fonts-wqy-microhei), or Chinese renders as empty boxes.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtWidgets import QApplication, QWidget

from invoicedesk.domain.models import Buyer, Draft, Line

if TYPE_CHECKING:
    from invoicedesk.sandbox.core import SandboxState
    from invoicedesk.services.context import AppServices


def demo_draft(count: str = "10") -> Draft:
    def line(name: str, code: str, q: str, p: str, rate: str) -> Line:
        return Line(
            name=name,
            tax_code=code,
            unit="件",
            quantity=q,
            unit_price=p,
            tax_rate=rate,
            price_includes_tax=False,
        )

    return Draft(
        invoice_type="82",
        buyer=Buyer(name="杭州示例贸易有限公司", tax_id="91330701MA2DFB848M"),
        lines=[
            line("*计算机配套产品*激光打印纸A4", "1060301020100000000", count, "100", "0.13"),
            line("*信息技术服务*打印机安装服务", "3040201010000000000", "1", "200", "0.06"),
        ],
    )


async def _until(check: Callable[[], bool], timeout_s: float = 20) -> None:
    for _ in range(int(timeout_s * 20)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the wizard did not reach the expected step")


def _shot(widget: QWidget, out: Path, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


async def walk(out: Path, server: object) -> None:
    from invoicedesk.domain.red import Step
    from invoicedesk.services.context import AppServices
    from invoicedesk.services.secrets import MemorySecretStore
    from invoicedesk.ui.red.page import RedPage, open_red_wizard
    from invoicedesk.ui.red.wizard import P_FORM, P_RESULT, ScopePage

    state = server.state  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        s = await AppServices.open(Path(tmp), MemorySecretStore())
        try:
            await s.profiles.sandbox_profiles(server.base_urls)  # type: ignore[attr-defined]
            await s.account.sandbox_tax_login("piaodanyun")
            result = await s.issuing.issue("piaodanyun", demo_draft())
            number = str(result.invoice_no)
            state.invoices.get(number).used = True  # the buyer used it: confirmation needed
            w = await open_red_wizard(s, "piaodanyun", number)
            _shot(w, out, "red-1-blue")
            w.next()
            await _until(lambda: not w.busy and w.need().step is Step.CHECK)
            _shot(w, out, "red-2-check")
            w.next()
            await _until(lambda: not w.busy and w.need().step is Step.SCOPE)
            page = w.currentPage()
            assert isinstance(page, ScopePage)
            page.reason_buttons["02"].click()  # piaodanyun: full only, the note says why
            _shot(w, out, "red-3-scope")
            page.apply_button.click()
            await _until(lambda: not w.busy and w.currentId() == P_FORM)
            _shot(w, out, "red-4-form")
            w.next()
            _shot(w, out, "red-5-pending")
            profiles = await s.profiles.list_all()
            active = next(p for p in profiles if p.name == "piaodanyun")
            red_page = RedPage(s, lambda: active)
            red_page.resize(1000, 480)
            red_page.show()
            await red_page.reload()
            _shot(red_page, out, "red-page")
            state.red.confirm(w.need().state.form_no, True)
            w.currentPage().refresh_button.click()  # type: ignore[attr-defined]
            await _until(lambda: not w.busy and w.need().step is Step.ISSUE)
            _shot(w, out, "red-5-issue")
            w.currentPage().issue_button.click()  # type: ignore[attr-defined]
            await _until(lambda: not w.busy and w.need().step is Step.DONE)
            _shot(w, out, "red-6-done")
            w.close()
            red_page.close()
            # a second blue invoice whose form is left unconfirmed for 73 hours
            result = await s.issuing.issue("piaodanyun", demo_draft("20"))
            number = str(result.invoice_no)
            state.invoices.get(number).used = True
            w = await open_red_wizard(s, "piaodanyun", number)
            w.next()
            await _until(lambda: not w.busy and w.need().step is Step.CHECK)
            w.next()
            await _until(lambda: not w.busy and w.need().step is Step.SCOPE)
            page = w.currentPage()
            assert isinstance(page, ScopePage)
            page.reason_buttons["04"].click()
            page.apply_button.click()
            await _until(lambda: not w.busy and w.currentId() == P_FORM)
            w.next()
            state.clock.advance(hours=73)
            w.currentPage().refresh_button.click()  # type: ignore[attr-defined]
            await _until(lambda: not w.busy and w.need().step is Step.VOID)
            assert w.currentId() == P_RESULT
            _shot(w, out, "red-5-void")
            w.close()
            await walk_faw(out, s, state)
        finally:
            await s.aclose()


async def walk_faw(out: Path, s: AppServices, state: SandboxState) -> None:
    """An accepted FAW order: the typed blue number, then a partial red by quantity."""
    from invoicedesk.domain.red import Step
    from invoicedesk.store.records import InvoiceFilter
    from invoicedesk.ui.red.blue_number import BlueNumberDialog
    from invoicedesk.ui.red.page import open_red_wizard
    from invoicedesk.ui.red.wizard import ScopePage

    result = await s.issuing.issue("faw", demo_draft())
    (row,) = s.store.query_invoices(InvoiceFilter(profiles=("faw",)))
    order = state.invoices.find_serial("faw", row.serial or "")
    assert result.state == "ACCEPTED" and order is not None
    ask = BlueNumberDialog(s, "faw", row.id)
    ask.show()
    ask.number_edit.setText(order.extra["invoice_number"])
    _shot(ask, out, "red-0-faw-number")
    ask.ok_button.click()
    await _until(lambda: bool(ask.number))
    w = await open_red_wizard(s, "faw", ask.number)
    w.next()
    await _until(lambda: not w.busy and w.need().step is Step.CHECK)
    w.next()
    await _until(lambda: not w.busy and w.need().step is Step.SCOPE)
    page = w.currentPage()
    assert isinstance(page, ScopePage)
    page.reason_buttons["02"].click()
    page.partial.click()
    item = page.table.item(0, page.COL_QTY)
    assert item is not None
    item.setText("3")  # fills 红冲金额 300.00
    _shot(w, out, "red-3-scope-faw")
    w.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "screenshots")
    out.mkdir(parents=True, exist_ok=True)

    from invoicedesk.sandbox.server import SandboxServer
    from invoicedesk.ui.event_loop import QtEventLoop

    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)  # type: ignore[attr-defined]
    server = SandboxServer.start_in_thread(host="127.0.0.1", port=0)
    try:
        loop = QtEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(walk(out, server))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
