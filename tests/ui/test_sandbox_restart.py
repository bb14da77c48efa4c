"""Sandbox accounts after a restart (issue 19 item 4): the program started with a real account
active, so no simulator listens; choosing a sandbox account starts the in-process sandbox and
re-points the sandbox profiles at its new port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invoicedesk.app import GuiApp
from invoicedesk.sandbox import server as sandbox_server_module
from invoicedesk.services.context import AppServices
from invoicedesk.services.secrets import KeyringSecretStore
from invoicedesk.vendors.base import Profile, Seller, VendorKey
from tests.conftest import run_in_loop

REAL = Profile(
    name="公司账户",
    vendor=VendorKey.OPEN_API,
    base_url="http://127.0.0.1:1/open-api",  # nothing listens: a real platform out of reach
    seller=Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G"),
)


async def _yesterday(data_dir: Path) -> None:
    """What an earlier run left: the sandbox accounts pointing at the port that sandbox had
    (gone now), and a real account active."""
    services = await AppServices.open(data_dir, KeyringSecretStore())
    try:
        await services.profiles.sandbox_profiles(
            sandbox_server_module.base_urls("127.0.0.1", 9), store_secrets=False
        )
        await services.profiles.save(REAL, None)
        await services.activate_profile(REAL.name)
    finally:
        await services.aclose()


def test_choosing_a_sandbox_account_after_a_restart_starts_the_sandbox(
    qtbot: Any, qloop: Any, data_dir: Path, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_in_loop(qtbot, qloop, _yesterday(data_dir))
    started: list[Any] = []

    def start_in_thread(**_: Any) -> Any:
        started.append(sandbox)  # the session's sandbox stands in for a fresh one
        return sandbox

    monkeypatch.setattr(sandbox_server_module.SandboxServer, "start_in_thread", start_in_thread)
    app = GuiApp(data_dir, secret_store=KeyringSecretStore(), handle_signals=False)
    run_in_loop(qtbot, qloop, app.start())
    window = app.window
    try:
        assert window.active_profile.name == REAL.name
        assert app.sandbox_server is None and not started

        index = window.account_combo.findData("open-api")
        window.account_combo.setCurrentIndex(index)
        window.account_combo.activated.emit(index)
        qtbot.waitUntil(lambda: window.active_profile.name == "open-api", timeout=20000)
        assert started == [sandbox]
        port = f":{sandbox.port}/"
        profiles = run_in_loop(qtbot, qloop, app.services.profiles.list_all())
        sandboxed = [p for p in profiles if p.options.get("sandbox") == "1"]
        assert len(sandboxed) == 5 and all(port in p.base_url + "/" for p in sandboxed)
        assert port in window.active_profile.base_url + "/"
        qtbot.waitUntil(lambda: app.monitor.reachable is True, timeout=20000)
        assert app.monitor.text == "平台连接：正常"
    finally:
        app.sandbox_server = None  # the session fixture stops it, not the program
        app.request_quit()
        run_in_loop(qtbot, qloop, app.finished(), 60000)
