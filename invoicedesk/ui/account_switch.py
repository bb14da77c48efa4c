"""Which account the window works with: the combo in the title bar, 设为当前账户, the sandbox
start, and an account edited or removed. The Core remembers the choice and tells every page
(`profile_activated`); this class only decides and tells the Core."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from invoicedesk.ui.core_bridge import signals
from invoicedesk.ui.sandbox_host import SandboxHost, is_sandbox

if TYPE_CHECKING:
    from invoicedesk.services.context import Core
    from invoicedesk.ui.face_clock import FaceClock
    from invoicedesk.ui.issuing import IssueController
    from invoicedesk.ui.main_window import MainWindow
    from invoicedesk.ui.reachability import ReachabilityMonitor

Spawn = Callable[[Coroutine[Any, Any, Any]], None]


class AccountSwitcher:
    def __init__(
        self,
        window: MainWindow,
        core: Core,
        sandbox: SandboxHost,
        monitor: ReachabilityMonitor,
        controller: IssueController,
        spawn: Spawn,
    ) -> None:
        self.window = window
        self.core = core
        self.sandbox = sandbox
        self.monitor = monitor
        self.controller = controller
        self.spawn = spawn
        self.face_clock: FaceClock | None = None  # installed a moment after start-up
        bridge = signals(core)
        bridge.profileActivated.connect(self._activated)
        bridge.profilesChanged.connect(lambda _name: spawn(self.profiles_changed()))

    async def choose(self, name: str, *, force: bool = False) -> bool:
        """Make a profile the active one; refused (False) while an issue is in flight."""
        window, core = self.window, self.core
        profiles = await core.profiles.list_all()
        if self.controller.in_flight and not force:
            current = window.active_profile.name if window.active_profile else None
            window.set_accounts(profiles, current)  # the combo goes back
            window.statusBar().showMessage(
                window.tr("正在开具发票，开完后才能切换账户（避免同一张发票用两个账户开出）。"),
                10000,
            )
            return False
        chosen = next((p for p in profiles if p.name == name), None)
        if chosen is not None and is_sandbox(chosen) and self.sandbox.missing():
            await self.sandbox.ensure()
            profiles = await core.profiles.list_all()
        window.set_accounts(profiles, name)
        if window.active_profile is not None:
            await core.activate_profile(window.active_profile.name)
        return True

    async def start_sandbox(self) -> None:
        """Serve the vendor simulators on loopback and make a sandbox account the active one."""
        profiles = await self.sandbox.ensure()
        active = self.window.active_profile
        if active is None or not is_sandbox(active):
            active = profiles[0]
        await self.choose(active.name, force=True)
        self.window.welcome.status.setText("")

    async def profiles_changed(self) -> None:
        """An account was added, edited or removed: the combo follows; the active one stays
        unless it is gone."""
        window, core = self.window, self.core
        profiles = await core.profiles.list_all()
        current = window.active_profile.name if window.active_profile else None
        if current not in {p.name for p in profiles}:
            current = profiles[0].name if profiles else None
        chosen = next((p for p in profiles if p.name == current), None)
        if chosen is not None and is_sandbox(chosen) and self.sandbox.missing():
            await self.sandbox.ensure()
            profiles = await core.profiles.list_all()
        window.set_accounts(profiles, current)
        if current is not None:
            await core.activate_profile(current)  # its settings may have changed
        else:
            self.monitor.watch(None)
            if self.face_clock is not None:
                await self.face_clock.set_profile(None)

    def _activated(self, name: str) -> None:
        """What the window itself shows of the account (pages follow the same notice)."""
        self.monitor.watch(name)
        if self.window.has_form:
            self.window.form.recheck()  # what the new platform cannot take
        if self.face_clock is not None:
            self.spawn(self.face_clock.set_profile(name))
