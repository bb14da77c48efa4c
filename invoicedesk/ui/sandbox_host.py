"""The built-in vendor simulators, served on loopback in a background thread, and the sandbox
accounts pointing at them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoicedesk.ui.vendor_names import is_sandbox_account as is_sandbox
from invoicedesk.vocabulary import Capability, Profile

if TYPE_CHECKING:
    from invoicedesk.sandbox.server import SandboxServer
    from invoicedesk.services.context import Core
    from invoicedesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any]], None]


class SandboxHost:
    def __init__(
        self,
        window: MainWindow,
        core: Core,
        data_dir: Path,
        spawn: Spawn,
        *,
        on_login: Callable[[str], None] = lambda _name: None,
    ) -> None:
        """on_login(profile name): after the sandbox's tax-bureau login of that account."""
        self.window = window
        self.core = core
        self.data_dir = data_dir
        self.spawn = spawn
        self.on_login = on_login
        self.server: SandboxServer | None = None
        self._urls: dict[str, str] | None = None  # where the sandbox profiles point

    async def ensure(self) -> list[Profile]:
        """The simulators serving, and every sandbox profile pointing at them.

        A sandbox account's URL names the port of the sandbox that created it, which is gone
        after a restart (the port is chosen anew each time): whenever a sandbox account is
        activated, the sandbox is started if needed and the profiles re-pointed if its port
        changed."""
        window, core = self.window, self.core
        if self.server is None:
            window.welcome.status.setText(window.tr("正在启动沙箱…"))
            from invoicedesk.sandbox.server import SandboxServer

            # the simulators' state lives in the data folder: yesterday's sandbox invoices
            # still open, sync and red-letter today
            self.server = await asyncio.to_thread(
                SandboxServer.start_in_thread,
                host="127.0.0.1",
                port=0,
                state_dir=self.data_dir / "sandbox",
            )
        urls = dict(self.server.base_urls)
        if urls == self._urls:
            return [p for p in await core.profiles.list_all() if is_sandbox(p)]
        profiles = await core.profiles.sandbox_profiles(urls, store_secrets=False)
        for profile in profiles:
            await core.forget_vendor(profile.name)  # the port changed
        self._urls = urls
        self.spawn(self._tax_login(profiles))
        return profiles

    def missing(self) -> bool:
        """No simulator serving, or the sandbox profiles not yet pointing at it."""
        return self.server is None or dict(self.server.base_urls) != self._urls

    async def _tax_login(self, profiles: list[Profile]) -> None:
        """Platforms with the tax bureau's SMS login issue only after it (piaodanyun); the
        sandbox's SMS code is public."""
        from invoicedesk.services.profiles import capabilities_of

        await asyncio.sleep(1.0)  # after start-up: loading the vendor clients takes a while
        for profile in profiles:
            if not capabilities_of(profile.vendor) & Capability.SMS_LOGIN:
                continue
            try:
                logged_in = await self.core.account.sandbox_tax_login(profile.name)
            except Exception:
                log.exception("sandbox tax-bureau login of %s failed", profile.name)
            else:
                if logged_in:  # figures read before it (the credit line) are read again
                    self.on_login(profile.name)

    async def stop(self) -> None:
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)
