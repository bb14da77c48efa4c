"""The status-bar face clock: its text, the warning margin, and a real reading from the sandbox."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.services.face import FaceAuthService, FaceReading
from invoicedesk.ui.face_clock import FaceClock, clock_text, needs_warning
from tests.conftest import run_in_loop
from tests.e2e.helpers import control, open_services
from tests.services.helpers import SELLER

T0 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def reading(left: dt.timedelta | None, needed: bool = False) -> FaceReading:
    until = T0 + left if left is not None else None
    return FaceReading(needed, until, Decimal("24"), T0)


def test_clock_texts() -> None:
    assert clock_text(None, T0) == "刷脸认证：—"
    assert clock_text(reading(None, needed=True), T0) == "刷脸认证：需要扫码"
    text = clock_text(reading(dt.timedelta(hours=3, minutes=20)), T0)
    assert text.startswith("刷脸认证：还剩 3 小时 20 分（至 ")
    assert clock_text(reading(dt.timedelta(minutes=7)), T0).startswith("刷脸认证：还剩 7 分钟")
    assert clock_text(reading(dt.timedelta(minutes=-1)), T0) == "刷脸认证：已过期"
    assert clock_text(reading(None), T0) == "刷脸认证：有效"
    silent = FaceReading(False, None, None, T0, reported=False)
    assert clock_text(silent, T0) == "刷脸认证：—"


def test_warning_margin() -> None:
    assert needs_warning(reading(dt.timedelta(minutes=9)), T0, 10)
    assert not needs_warning(reading(dt.timedelta(minutes=11)), T0, 10)
    assert needs_warning(reading(dt.timedelta(minutes=11)), T0, 15)
    assert not needs_warning(reading(dt.timedelta(minutes=-1)), T0, 10)  # gone: "已过期"
    assert not needs_warning(reading(None, needed=True), T0, 10)


class FakeServices:
    """Only `vendor()` of AppServices, over a FaceAuthService whose readings are set by hand."""

    def __init__(self, vendor: Any) -> None:
        self.face_vendor = vendor

    async def vendor(self, name: str) -> Any:
        return self.face_vendor.profile, self.face_vendor


def test_clock_warns_once_per_authentication(qtbot: Any, qloop: Any) -> None:
    from invoicedesk.vendors.base import FaceStatus
    from tests.services.test_face import FaceVendor, make_profile

    now = [T0]
    vendor = FaceVendor(make_profile(), FaceStatus(False, T0 + dt.timedelta(minutes=8)))
    services = FakeServices(vendor)
    face = FaceAuthService(services.vendor, clock=lambda: now[0])
    texts: list[str] = []
    clock = FaceClock(face, services, texts.append, warn_minutes=10)
    warnings: list[str] = []
    clock.warning.connect(warnings.append)
    run_in_loop(qtbot, qloop, clock.set_profile("p"))
    assert texts[-1].startswith("刷脸认证：还剩 8 分钟")
    assert len(warnings) == 1 and "8 分钟后到期" in warnings[0]
    now[0] = T0 + dt.timedelta(minutes=1)
    clock.update_text()
    assert texts[-1].startswith("刷脸认证：还剩 7 分钟")
    assert len(warnings) == 1  # not again for the same authentication
    # a new authentication that holds long: no warning until it nears its end
    vendor.status = FaceStatus(False, T0 + dt.timedelta(hours=2))
    run_in_loop(qtbot, qloop, clock.refresh())
    assert len(warnings) == 1
    clock.warn_minutes = 200
    clock.update_text()
    assert len(warnings) == 2


def test_clock_reads_the_sandbox(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> None:
    services = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    try:
        face = FaceAuthService(services.vendor)
        texts: list[str] = []
        clock = FaceClock(face, services, texts.append)
        control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": SELLER.tax_id})
        run_in_loop(qtbot, qloop, clock.set_profile("piaodanyun"))
        assert texts[-1] == "刷脸认证：需要扫码"
        control(sandbox, "face/scan", {"vendor": "piaodanyun", "tax_id": SELLER.tax_id})
        run_in_loop(qtbot, qloop, clock.refresh())
        assert texts[-1].startswith("刷脸认证：还剩 ")
        run_in_loop(qtbot, qloop, clock.set_profile("open-api"))  # no face authentication
        assert texts[-1] == "刷脸认证：—"
    finally:
        run_in_loop(qtbot, qloop, services.aclose())


def test_install_on_the_main_window(qtbot: Any, qloop: Any, sandbox: Any, data_dir: Path) -> None:
    from invoicedesk.ui.face_clock import install_face_clock
    from invoicedesk.ui.main_window import MainWindow

    services = run_in_loop(qtbot, qloop, open_services(data_dir, sandbox))
    try:
        services.store.set_setting("face.warn_minutes", "25")
        window = MainWindow()
        qtbot.addWidget(window)
        clock = run_in_loop(qtbot, qloop, install_face_clock(window, services))
        assert clock.warn_minutes == 25
        run_in_loop(qtbot, qloop, clock.set_profile("piaodanyun"))
        assert window.face_label.text() == "刷脸认证：有效"  # never scanned, nothing required
        control(sandbox, "face/require", {"vendor": "piaodanyun", "tax_id": SELLER.tax_id})
        run_in_loop(qtbot, qloop, clock.refresh())
        assert window.face_label.text() == "刷脸认证：需要扫码"
        clock.warning.emit("人脸认证将在 5 分钟后到期")
        assert window.notice_bar.text() == "人脸认证将在 5 分钟后到期"  # not over the account
    finally:
        run_in_loop(qtbot, qloop, services.aclose())
