"""Cancelling the ws-invoice face scan from the running program (the issue controller with the
real face dialog over the session sandbox): the form says 已取消 and keeps the draft, nothing is
issued, not even by a scan after the cancel."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtWidgets import QApplication

from invoicedesk.app import GuiApp
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.ui.face_dialog import FaceDialog
from tests.conftest import run_in_loop
from tests.ui.gui_fixtures import BUYER_TAX_ID, gui, issue_through_preview

__all__ = ["gui"]

WS = "ws-invoice"
SELLER_TAX_ID = "91330106MA2H7Q3D1G"
CANCELLED = "已取消，发票未开具，草稿保持不变"


def control(sandbox: Any, path: str, body: dict[str, Any]) -> None:
    httpx.post(f"{sandbox.control_url}/{path}", json=body, timeout=10).raise_for_status()


def ws_invoices(sandbox: Any) -> list[dict[str, Any]]:
    reply = httpx.get(f"{sandbox.control_url}/invoices", timeout=10)
    reply.raise_for_status()
    return [i for i in reply.json()["invoices"] if i["vendor"] == WS]


def visible_dialog() -> FaceDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, FaceDialog)]
    return next((w for w in found if w.isVisible()), None)


def draft() -> Draft:
    return Draft(
        buyer=Buyer(name="取消刷脸有限公司", tax_id=BUYER_TAX_ID),
        lines=[
            Line(
                name="*信息技术服务*软件开发服务",
                tax_code="3040201010000000000",
                quantity="1",
                unit_price="100",
                amount="100.00",
                tax_rate="0.06",
            )
        ],
    )


def start_issue(qtbot: Any, qloop: Any, app: GuiApp, sandbox: Any) -> FaceDialog:
    assert run_in_loop(qtbot, qloop, app.choose_account(WS))
    run_in_loop(qtbot, qloop, app.settled(), 20000)
    qtbot.waitUntil(lambda: app.controller.face_handler is not None, timeout=15000)
    control(sandbox, "face/require", {"vendor": WS, "tax_id": SELLER_TAX_ID})
    app.window.form.set_draft(draft())
    issue_through_preview(qtbot, app.window.form)
    qtbot.waitUntil(lambda: visible_dialog() is not None, timeout=20000)
    dialog = visible_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.challenge is not None, timeout=10000)
    return dialog


def assert_cancelled(qtbot: Any, qloop: Any, app: GuiApp, sandbox: Any, before: Draft) -> None:
    form = app.window.form
    qtbot.waitUntil(lambda: not app.controller.in_flight, timeout=15000)
    assert form.notice_label.text() == CANCELLED
    assert form.draft().model_dump() == before.model_dump()
    assert app.window.issue_stack.currentWidget() is not app.window.result_page
    assert visible_dialog() is None  # no second dialog after the cancel
    assert ws_invoices(sandbox) == []
    settle(qtbot, qloop, app)


def settle(qtbot: Any, qloop: Any, app: GuiApp) -> None:
    """Let the program's own background steps (the drafts page's reload among them) end
    before the test goes on and the fixture quits the program."""
    run_in_loop(qtbot, qloop, app.settled(), 20000)


def test_cancel_while_the_platform_waits_for_the_scan(
    qtbot: Any, qloop: Any, gui: GuiApp, sandbox: Any
) -> None:
    dialog = start_issue(qtbot, qloop, gui, sandbox)
    before = gui.window.form.draft()
    dialog.cancel_button.click()
    assert_cancelled(qtbot, qloop, gui, sandbox, before)
    # the client closed its socket: a scan now must not issue the abandoned invoice
    control(sandbox, "face/scan", {"vendor": WS, "tax_id": SELLER_TAX_ID, "ok": True})
    assert ws_invoices(sandbox) == []
    settle(qtbot, qloop, gui)


def test_cancel_after_a_failed_scan(qtbot: Any, qloop: Any, gui: GuiApp, sandbox: Any) -> None:
    dialog = start_issue(qtbot, qloop, gui, sandbox)
    before = gui.window.form.draft()
    control(sandbox, "face/scan", {"vendor": WS, "tax_id": SELLER_TAX_ID, "ok": False})
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled(), timeout=10000)
    dialog.cancel_button.click()
    assert_cancelled(qtbot, qloop, gui, sandbox, before)
