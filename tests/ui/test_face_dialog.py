"""The face-authentication dialog through the real sandbox, for both vendors that have one:
piaodanyun (state check before issuing, a QR we draw from `ewm`, polling) and ws-invoice (the
QR pushed mid-issue to a FaceHandler). The QR on screen is decoded back with zxing-cpp."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
import zxingcpp
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel

from invoicedesk.services.face import FaceSettings
from invoicedesk.ui.face_dialog import (
    DialogFaceHandler,
    FaceDialog,
    ensure_face_auth,
    face_flow_for,
    face_handler_for,
    issue_with_face,
)
from invoicedesk.ui.qr_widget import MIN_MODULE_PX
from tests.conftest import run_in_loop
from tests.e2e.helpers import control, open_services, sandbox_invoices
from tests.services.helpers import SELLER, make_draft
from tests.store.beside import beside

PDY = "piaodanyun"
WS = "ws-invoice"


@pytest.fixture
def services(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> Iterator[Any]:
    s = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox, timeout_s=5))
    s.face.settings = FaceSettings(poll_interval_s=0.2)
    yield s
    run_in_loop(qtbot, qloop, s.aclose())
    for dialog in face_dialogs():
        dialog.done(0)
        dialog.deleteLater()  # top-level widgets outlive the test otherwise


def face_dialogs() -> list[FaceDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, FaceDialog)]


def gone(dialog: FaceDialog) -> bool:
    """Closed (and, once the loop got round to it, deleted)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def open_dialog(qtbot: Any) -> FaceDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in face_dialogs()), timeout=10000)
    dialog = next(d for d in face_dialogs() if d.isVisible())
    qtbot.waitUntil(lambda: dialog.challenge is not None and dialog.qr.image is not None)
    return dialog


def require(sandbox: Any, vendor: str) -> None:
    control(sandbox, "face/require", {"vendor": vendor, "tax_id": SELLER.tax_id})


def scan(sandbox: Any, vendor: str, ok: bool = True) -> None:
    control(sandbox, "face/scan", {"vendor": vendor, "tax_id": SELLER.tax_id, "ok": ok})


def screen_qr(dialog: FaceDialog) -> tuple[str, QImage]:
    """What a phone would read off the dialog: grab the QR widget as painted, decode it."""
    image = dialog.qr.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "exactly one readable QR on screen"
    return found[0].text, image


def assert_crisp(dialog: FaceDialog) -> None:
    """Scaled by a whole number, no smoothing: every drawn pixel is pure black or white."""
    view = dialog.qr
    assert view.image is not None
    k = view.scale()
    rect = view.qr_rect()
    assert rect.width() == view.image.width() * k and rect.height() == view.image.height() * k
    assert rect.width() == rect.height()
    image = view.grab().toImage().copy(rect)
    colours = {image.pixel(x, y) & 0xFFFFFF for x in range(image.width()) for y in range(0, 40)}
    assert colours <= {0x000000, 0xFFFFFF}


def journal_states(services: Any) -> list[str]:
    """Every issuing journal row's state, oldest first, as committed to the store's file."""
    with beside(services.store) as conn:
        return [r[0] for r in conn.execute("SELECT state FROM journal ORDER BY id")]


# ---- piaodanyun -------------------------------------------------------------------------------


async def issue_after_check(services: Any, draft: Any) -> Any:
    """What the issue controller does for piaodanyun: the check, then the issue."""
    if not await ensure_face_auth(None, services, PDY):
        return None
    return await services.issuing.issue(PDY, draft)


def test_piaodanyun_scan_ok_issues_and_qr_decodes_to_ewm(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    require(sandbox, PDY)
    task = asyncio.ensure_future(issue_after_check(services, make_draft()), loop=qloop)
    dialog = open_dialog(qtbot)
    assert dialog.challenge is not None and dialog.challenge.text
    assert dialog.challenge.text.startswith("qrcode_id=")
    assert dialog.qr.scale() >= MIN_MODULE_PX
    text, _ = screen_qr(dialog)
    assert text == dialog.challenge.text  # exactly the vendor's ewm
    assert_crisp(dialog)
    assert dialog.app_box.isVisible() and dialog.app() == 1
    assert dialog.simulate_button.isVisible()  # a sandbox profile
    assert "有效期还剩" in dialog.countdown_label.text()
    scan(sandbox, PDY)
    qtbot.waitUntil(task.done, timeout=10000)
    result = task.result()
    assert result.state == "ISSUED"
    assert gone(dialog)
    assert [i["serial"] for i in sandbox_invoices(sandbox, PDY)] == [result.serial]


def test_piaodanyun_failed_scan_then_refresh_and_simulated_scan(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    # queryFaceAuthState (Sfsl) cannot tell a failed scan from none yet: the QR runs out
    services.face.settings = FaceSettings(poll_interval_s=0.2, qr_lifetime_s=2)
    require(sandbox, PDY)
    task = asyncio.ensure_future(issue_after_check(services, make_draft()), loop=qloop)
    dialog = open_dialog(qtbot)
    first = dialog.challenge
    scan(sandbox, PDY, ok=False)
    qtbot.waitUntil(lambda: "没有通过" in dialog.status_label.text(), timeout=10000)
    assert dialog.challenge is first  # no new QR until the user asks
    assert dialog.refresh_button.isEnabled()
    assert not task.done()
    dialog.refresh_button.click()
    qtbot.waitUntil(lambda: dialog.challenge is not first, timeout=10000)
    assert dialog.challenge is not None and first is not None
    assert dialog.challenge.text != first.text
    assert screen_qr(dialog)[0] == dialog.challenge.text
    dialog.simulate_button.click()  # the sandbox's phone
    qtbot.waitUntil(task.done, timeout=10000)
    assert task.result().state == "ISSUED"
    assert len(sandbox_invoices(sandbox, PDY)) == 1


def test_piaodanyun_expired_qr_refresh_gives_a_new_one(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    # the QR's lifetime is the app's setting (the document gives none)
    services.face.settings = FaceSettings(poll_interval_s=0.2, qr_lifetime_s=2)
    require(sandbox, PDY)
    task = asyncio.ensure_future(issue_after_check(services, make_draft()), loop=qloop)
    dialog = open_dialog(qtbot)
    first = dialog.challenge
    qtbot.waitUntil(lambda: "已过期" in dialog.status_label.text(), timeout=10000)
    assert dialog.challenge is first
    assert dialog.countdown_label.text() == ""  # the status line says it, once
    dialog.refresh_button.click()
    qtbot.waitUntil(lambda: dialog.challenge is not first, timeout=10000)
    assert first is not None and dialog.challenge is not None
    assert dialog.challenge.text != first.text
    qtbot.waitUntil(lambda: "正在等待扫码结果" in dialog.status_label.text())
    assert screen_qr(dialog)[0] == dialog.challenge.text
    scan(sandbox, PDY)
    qtbot.waitUntil(task.done, timeout=10000)
    assert task.result().state == "ISSUED"


def test_piaodanyun_other_app_fetches_a_type_2_qr(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    require(sandbox, PDY)
    task = asyncio.ensure_future(ensure_face_auth(None, services, PDY), loop=qloop)
    dialog = open_dialog(qtbot)
    first = dialog.challenge
    dialog.app_group.button(2).click()
    qtbot.waitUntil(lambda: dialog.challenge is not first, timeout=10000)
    assert dialog.challenge is not None and dialog.challenge.app == 2
    dialog.cancel_button.click()
    qtbot.waitUntil(task.done)
    assert task.result() is False


def test_piaodanyun_cancel_leaves_the_draft_unsent(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    require(sandbox, PDY)
    draft = make_draft()
    before = draft.model_dump()
    task = asyncio.ensure_future(issue_after_check(services, draft), loop=qloop)
    dialog = open_dialog(qtbot)
    dialog.cancel_button.click()
    qtbot.waitUntil(task.done)
    assert task.result() is None
    assert gone(dialog)
    assert draft.model_dump() == before
    assert "ISSUED" not in journal_states(services)
    assert sandbox_invoices(sandbox, PDY) == []


def test_piaodanyun_controller_seam_after_face_auth_needed(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    """The issue controller's path: issue() says FaceAuthNeeded, face_flow shows the dialog,
    cancel keeps the row unsent; a second try scans and resumes the same serial."""
    from invoicedesk.services.issuing import FaceAuthNeeded

    flow = face_flow_for(None, services)
    require(sandbox, PDY)
    draft = make_draft()

    async def controller_like() -> Any:
        try:
            return await services.issuing.issue(PDY, draft)
        except FaceAuthNeeded as exc:
            if not await flow(PDY, exc.message):
                return None
        return await services.issuing.issue(PDY, draft)

    task = asyncio.ensure_future(controller_like(), loop=qloop)
    dialog = open_dialog(qtbot)
    intro = dialog.findChild(QLabel, "faceIntro")
    assert intro is not None and "人脸识别" in intro.toolTip()  # the vendor's words, once
    dialog.cancel_button.click()
    qtbot.waitUntil(task.done)
    assert task.result() is None
    assert "ISSUED" not in journal_states(services)
    assert sandbox_invoices(sandbox, PDY) == []

    task = asyncio.ensure_future(controller_like(), loop=qloop)
    dialog = open_dialog(qtbot)
    scan(sandbox, PDY)
    qtbot.waitUntil(task.done, timeout=10000)
    result = task.result()
    assert result.state == "ISSUED"
    assert journal_states(services) == ["ISSUED"]  # the same row, the same serial


def test_piaodanyun_no_dialog_when_no_scan_is_needed(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    shown: list[FaceDialog] = []
    qapp = QApplication.instance()
    assert qapp is not None
    result = run_in_loop(qtbot, qloop, issue_after_check(services, make_draft()))
    shown = [d for d in face_dialogs() if d.isVisible()]
    assert result.state == "ISSUED"
    assert shown == []
    reading = services.face.last_reading(PDY)
    assert reading is not None and reading.needed is False


# ---- ws-invoice -------------------------------------------------------------------------------


def ws_handler(services: Any) -> DialogFaceHandler:
    handler = face_handler_for(None, services)(WS)
    assert isinstance(handler, DialogFaceHandler)
    return handler


def ws_issue(services: Any, handler: DialogFaceHandler, draft: Any, loop: Any) -> Any:
    return asyncio.ensure_future(
        issue_with_face(handler, services.issuing.issue(WS, draft, face=handler)), loop=loop
    )


def test_ws_invoice_pushed_qr_scan_ok_issues(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    require(sandbox, WS)
    handler = ws_handler(services)
    task = ws_issue(services, handler, make_draft(), qloop)
    dialog = open_dialog(qtbot)
    assert dialog.challenge is not None and dialog.challenge.png
    text, _ = screen_qr(dialog)
    assert text.startswith("https://etax.sandbox.invalid/face?nsrsbh=")
    assert_crisp(dialog)
    source = QImage.fromData(dialog.challenge.png)
    assert dialog.qr.qr_rect().width() % source.width() == 0  # an integer factor, or 1
    assert not dialog.app_box.isVisible()
    assert not dialog.refresh_button.isEnabled()  # the platform pushes QRs itself
    dialog.simulate_button.click()
    qtbot.waitUntil(task.done, timeout=15000)
    result = task.result()
    assert result.state == "ISSUED"
    assert gone(dialog)
    assert len(sandbox_invoices(sandbox, WS)) == 1


def test_ws_invoice_failed_scan_says_so_and_retry_works(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    require(sandbox, WS)
    handler = ws_handler(services)
    task = ws_issue(services, handler, make_draft(), qloop)
    dialog = open_dialog(qtbot)
    first = dialog.challenge
    scan(sandbox, WS, ok=False)  # the platform answers invoice_qrcode "0"
    qtbot.waitUntil(lambda: "没有通过" in dialog.status_label.text(), timeout=10000)
    assert dialog.refresh_button.isEnabled()
    dialog.refresh_button.click()
    qtbot.waitUntil(lambda: handler.shown == 2, timeout=10000)
    assert dialog.challenge is not first
    assert screen_qr(dialog)[0].startswith("https://etax.sandbox.invalid/face?")
    scan(sandbox, WS)
    qtbot.waitUntil(task.done, timeout=15000)
    assert task.result().state == "ISSUED"
    assert len(sandbox_invoices(sandbox, WS)) == 1


def test_ws_invoice_expired_qr_refresh_gives_a_new_one(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any, monkeypatch: Any
) -> None:
    import invoicedesk.sandbox.ws_invoice as sandbox_ws

    # the sandbox platform stops waiting for the scan (its QR expires) after FACE_WAIT_S
    monkeypatch.setattr(sandbox_ws, "FACE_WAIT_S", 0.5)
    require(sandbox, WS)
    handler = ws_handler(services)
    task = ws_issue(services, handler, make_draft(), qloop)
    dialog = open_dialog(qtbot)
    first_text = screen_qr(dialog)[0]
    qtbot.waitUntil(lambda: "已过期" in dialog.status_label.text(), timeout=10000)
    monkeypatch.setattr(sandbox_ws, "FACE_WAIT_S", 60.0)
    dialog.refresh_button.click()
    qtbot.waitUntil(lambda: handler.shown == 2, timeout=10000)
    assert screen_qr(dialog)[0] != first_text
    scan(sandbox, WS)
    qtbot.waitUntil(task.done, timeout=15000)
    assert task.result().state == "ISSUED"


def test_ws_invoice_cancel_leaves_the_draft_unsent(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    require(sandbox, WS)
    draft = make_draft()
    before = draft.model_dump()
    handler = ws_handler(services)
    task = ws_issue(services, handler, draft, qloop)
    dialog = open_dialog(qtbot)
    dialog.cancel_button.click()
    qtbot.waitUntil(task.done, timeout=10000)
    assert task.result() is None
    assert handler.cancelled
    assert draft.model_dump() == before
    assert "ISSUED" not in journal_states(services)
    assert sandbox_invoices(sandbox, WS) == []


def test_ws_invoice_no_dialog_when_no_scan_is_needed(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any
) -> None:
    handler = ws_handler(services)
    result = run_in_loop(
        qtbot,
        qloop,
        issue_with_face(handler, services.issuing.issue(WS, make_draft(), face=handler)),
    )
    assert result.state == "ISSUED"
    assert handler.shown == 0 and handler.dialog is None
    assert [d for d in face_dialogs() if d.isVisible()] == []


def _fits(dialog: FaceDialog) -> None:
    """The whole QR (quiet zone included) inside the dialog: nothing cut at an edge."""
    rect = dialog.qr.qr_rect()
    top_left = dialog.qr.mapTo(dialog, rect.topLeft())
    bottom_right = dialog.qr.mapTo(dialog, rect.bottomRight())
    assert dialog.rect().contains(top_left) and dialog.rect().contains(bottom_right)
    assert dialog.qr.rect().contains(rect)


def test_face_dialogs_show_a_failed_scan_alike_and_fit_the_qr(
    qtbot: Any, qloop: Any, sandbox: Any, services: Any, tmp_path: Path
) -> None:
    """A failed scan on ws-invoice reads as on piaodanyun: the QR greyed out, the countdown
    gone, "没有通过" and what to do, 刷新二维码 enabled; no "正在等待" left."""
    require(sandbox, WS)
    handler = ws_handler(services)
    task = ws_issue(services, handler, make_draft(), qloop)
    dialog = open_dialog(qtbot)
    qtbot.waitExposed(dialog)
    _fits(dialog)
    dialog.grab().save(str(tmp_path / "ws-waiting.png"))
    scan(sandbox, WS, ok=False)
    qtbot.waitUntil(lambda: "没有通过" in dialog.status_label.text(), timeout=10000)
    assert "正在等待" not in dialog.status_label.text()
    assert dialog.qr.dimmed and dialog.refresh_button.isEnabled()
    assert dialog.countdown_label.text() == ""  # the status line says it, once
    dialog.grab().save(str(tmp_path / "ws-failed.png"))
    dialog.cancel_button.click()
    qtbot.waitUntil(task.done, timeout=10000)
