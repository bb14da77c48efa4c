"""The QR view on its own: whole-number scaling, quiet zone, bad PNG data; and the sandbox-only
"模拟扫码" button."""

from __future__ import annotations

import io
from typing import Any

import pytest
import qrcode
import zxingcpp

from invoicedesk.services.face import FaceAuthService
from invoicedesk.ui.face_dialog import DialogFaceHandler, PollingFaceFlow
from invoicedesk.ui.qr_widget import MIN_MODULE_PX, QUIET_ZONE, QrView, qr_image, qr_modules
from invoicedesk.vendors.base import FaceChallenge, Profile, Seller, VendorKey
from tests.conftest import run_in_loop

TEXT = "qrcode_id=abcDEF123&areaPrefix=3300&interfaceCode=0004"


def test_qr_image_has_a_quiet_zone_and_whole_pixel_modules(qapp: Any) -> None:
    modules = qr_modules(TEXT)
    n = len(modules)
    assert all(not dark for dark in modules[0]) and all(not row[0] for row in modules)
    image = qr_image(TEXT, module_px=3)
    assert image.width() == image.height() == n * 3
    # the quiet zone is white, the finder pattern's corner is black
    assert image.pixel(0, 0) & 0xFFFFFF == 0xFFFFFF
    corner = QUIET_ZONE * 3
    assert image.pixel(corner, corner) & 0xFFFFFF == 0x000000
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [TEXT]


def test_view_scales_by_whole_numbers_only(qtbot: Any) -> None:
    view = QrView()
    qtbot.addWidget(view)
    view.set_text(TEXT)
    assert view.image is not None
    n = view.image.width()
    assert view.minimumWidth() == n * MIN_MODULE_PX
    for side in (n * MIN_MODULE_PX, n * 7 + n // 2, n * 9 - 1):
        view.resize(side + 40, side)
        k = view.scale()
        assert k == max(MIN_MODULE_PX, side // n)
        assert view.qr_rect().width() == n * k == view.qr_rect().height()


def test_view_refuses_data_that_is_not_an_image(qtbot: Any) -> None:
    view = QrView()
    qtbot.addWidget(view)
    with pytest.raises(ValueError):
        view.set_png(b"not a png")
    with pytest.raises(ValueError):
        view.set_png(b"")


def _profile(url: str, sandbox: bool) -> Profile:
    return Profile(
        name="p",
        vendor=VendorKey.PIAODANYUN,
        base_url=url,
        seller=Seller("演示科技有限公司", "91330106MA2H7Q3D1G"),
        options={"sandbox": "1"} if sandbox else {},
    )


@pytest.mark.parametrize(
    ("url", "sandbox", "shown"),
    [
        ("http://127.0.0.1:8765/piaodanyun", True, True),
        ("http://127.0.0.1:8765/piaodanyun", False, False),
        ("https://api.example.com/piaodanyun", True, False),  # a real vendor: never
    ],
)
def test_simulate_button_only_for_sandbox_profiles(
    qtbot: Any, qloop: Any, url: str, sandbox: bool, shown: bool
) -> None:
    profile = _profile(url, sandbox)

    async def vendors(name: str) -> Any:
        raise AssertionError("not called while building the dialog")

    flow = PollingFaceFlow(None, FaceAuthService(vendors), profile)
    qtbot.addWidget(flow.dialog)
    assert flow.dialog.simulate_button.isVisibleTo(flow.dialog) is shown

    # ws-invoice's handler decides from the profile when the first QR arrives
    async def profile_only(name: str) -> Any:
        return profile, None

    handler = DialogFaceHandler(None, FaceAuthService(profile_only), "p")
    png = io.BytesIO()
    qrcode.make(TEXT).save(png)  # a PNG as the platform pushes it

    async def issuing() -> bool:
        await handler.show(FaceChallenge(png=png.getvalue()))
        dialog = handler.dialog
        assert dialog is not None and dialog.isVisible()
        return dialog.simulate_button.isVisibleTo(dialog)

    assert run_in_loop(qtbot, qloop, issuing()) is shown
    qtbot.waitUntil(lambda: handler.dialog is None)  # the issuing task ended: dialog closed
