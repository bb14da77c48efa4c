"""`Core`: the one object the composition roots (the window's and the commands') build to reach
every service; nothing else builds a service.

It owns the Store, every service as a typed attribute, one vendor client per profile (made on
first use, inside the running loop), the background tasks it starts, the audit log, and the
change notices the window subscribes to (`events`, services/events.py). The window receives the
Core and never touches the store or a vendor module. Shut down in two phases: `await aclose()`
while the loop still runs (tasks cancelled, audit drained, vendor clients and the store
closed), then stop the loop / quit the application.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoicedesk.services.account import AccountService
from invoicedesk.services.audit import AuditLog, SecretRegistry
from invoicedesk.services.catalogs import CatalogService
from invoicedesk.services.drafts import DraftService
from invoicedesk.services.events import CoreEvents
from invoicedesk.services.face import FaceAuthService
from invoicedesk.services.files import FileService
from invoicedesk.services.history import HistoryService
from invoicedesk.services.issuing import IssueService, IssueSettings
from invoicedesk.services.print_info import PrintInfoService
from invoicedesk.services.profiles import ProfileService, demo_secret
from invoicedesk.services.retry_policy import apply_read_policy
from invoicedesk.services.secrets import NoKeyring, SecretStore
from invoicedesk.services.session import DraftSession
from invoicedesk.vendors.base import AuthFailed, BaseVendor, Profile

if TYPE_CHECKING:
    from invoicedesk.services.batch_io import ImportedDraft
    from invoicedesk.services.batch_issued import IssuedBefore
    from invoicedesk.services.batches import BatchService
    from invoicedesk.services.history_query import HistoryQueryService
    from invoicedesk.services.red import RedService
    from invoicedesk.store.db import Store

DB_NAME = "invoicedesk.sqlite3"
# the account the window shows (a non-secret setting, kept across runs)
ACTIVE_PROFILE_SETTING = "ui.active_profile"

_SECRET_LABELS = {
    "api_key": "API 密钥",
    "password": "密码",
    "tax_password": "电子税务局密码",
    "secret": "签名密钥",
    "token": "访问令牌",
}


class MissingSecret(AuthFailed, LookupError):
    """A profile's secret is not in the SecretStore (never entered, or no keyring)."""


class Core:
    def __init__(
        self,
        data_dir: Path,
        secret_store: SecretStore,
        store: Store,
        *,
        issue_settings: IssueSettings | None = None,
        vendor_timeout_s: float | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.secret_store = secret_store
        self.store = store
        self.vendor_timeout_s = vendor_timeout_s
        self.events = CoreEvents()
        self.known_secrets = SecretRegistry()
        self.audit = AuditLog(store, self.known_secrets)
        self.profiles = ProfileService(store, secret_store)
        self.issuing = IssueService(store, self.vendor, self.audit, issue_settings)
        self.history = HistoryService(
            store, self.vendor, self.audit, fill_pending=self.issuing.fill_pending
        )
        self.files = FileService(store, self.vendor, data_dir, self.issuing.recent)
        self.issuing.on_issued = self._recorded
        self.history.on_new = self._recorded
        self.history.after_sync = self.files.archive_missing
        self.account = AccountService(store, self.vendor)
        self.print_info = PrintInfoService(self.vendor)
        # one face service for the dialog, the clock and issuing: they share its cached state
        self.face = FaceAuthService(self.vendor, on_change=self.account.invalidate, store=store)
        self.drafts = DraftService(store)
        self.catalogs = CatalogService(store)
        self.session = DraftSession(store)
        self._vendors: dict[str, tuple[Profile, BaseVendor]] = {}
        self._vendor_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    @classmethod
    async def open(
        cls,
        data_dir: Path,
        secret_store: SecretStore,
        *,
        issue_settings: IssueSettings | None = None,
        vendor_timeout_s: float | None = None,
    ) -> Core:
        from invoicedesk.store.db import Store

        await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
        store = await asyncio.to_thread(Store.open, data_dir / DB_NAME)
        settings = issue_settings or await asyncio.to_thread(_issue_settings, store)
        return cls(
            data_dir,
            secret_store,
            store,
            issue_settings=settings,
            vendor_timeout_s=vendor_timeout_s,
        )

    # the services of pages built later: made (and their modules loaded) on first use, so that
    # the window's start-up does not wait for them

    @cached_property
    def red(self) -> RedService:
        from invoicedesk.services.red import RedService

        return RedService(self.store, self.vendor, self.audit)

    @cached_property
    def batches(self) -> BatchService:
        from invoicedesk.services.batches import BatchService

        return BatchService(
            self.store,
            self.issuing,
            self.vendor,
            account=self.account,
            face=FaceAuthService(self.vendor, store=self.store),
        )

    @cached_property
    def history_query(self) -> HistoryQueryService:
        """The history page's queries (two worker threads, started on first use)."""
        from invoicedesk.services.history_query import HistoryQueryService

        return HistoryQueryService(self.store)

    # ---- notices -----------------------------------------------------------------------------

    def _recorded(self, profile_name: str, number: str) -> None:
        """An invoice was stored (issued, or new from a sync): archive its files, tell the pages.
        Its buyer joined the customers (IssueService.record)."""
        self.files.archive_soon(profile_name, number)
        self.events.invoice_recorded.emit(profile_name)
        self.events.customers_changed.emit(profile_name)

    # ---- the active account ----------------------------------------------------------------

    async def active_profile_name(self) -> str | None:
        """The account the window showed last (a setting); None before any was chosen."""
        value = await asyncio.to_thread(self.store.get_setting, ACTIVE_PROFILE_SETTING)
        return value or None

    async def activate_profile(self, name: str) -> None:
        """Make `name` the active account (kept across runs) and tell every page."""
        await asyncio.to_thread(self.store.set_setting, ACTIVE_PROFILE_SETTING, name)
        self.events.profile_activated.emit(name)

    async def save_profile(self, profile: Profile, secrets: dict[str, str]) -> None:
        """Add or edit an account (its secrets to the SecretStore); the next vendor call uses
        the new settings."""
        await self.profiles.save(profile, secrets)
        await self.forget_vendor(profile.name)
        self.events.profiles_changed.emit(profile.name)

    async def delete_profile(self, name: str) -> None:
        """Remove an account and its saved secrets (its invoices stay in the history)."""
        await self.forget_vendor(name)
        await self.profiles.delete(name)
        self.events.profiles_changed.emit(name)

    def keep_secrets_in_memory(self) -> None:
        """No keyring, and the user chose "this session only": secrets typed from now on live
        in memory until the program ends."""
        from invoicedesk.services.secrets import MemorySecretStore

        if not isinstance(self.secret_store, MemorySecretStore):
            memory = MemorySecretStore()
            self.secret_store = memory
            self.profiles.secrets = memory

    async def issued_before(
        self, profile: str, drafts: Sequence[ImportedDraft]
    ) -> list[IssuedBefore | None]:
        """For each imported draft, how it was issued on `profile` before (None: never)."""
        from invoicedesk.services.batch_issued import issued_before

        return await asyncio.to_thread(issued_before, self.store, profile, drafts)

    async def schema_version(self) -> int:
        """The data's schema version (a restore refuses backups newer than this program)."""
        return int(await asyncio.to_thread(lambda: self.store.schema_version))

    # ---- vendors ---------------------------------------------------------------------------

    async def vendor(self, profile_name: str) -> tuple[Profile, BaseVendor]:
        """The profile and its vendor client (one per profile, kept until aclose/forget)."""
        async with self._vendor_lock:
            if profile_name not in self._vendors:
                profile = await self.profiles.get(profile_name)
                self._vendors[profile_name] = (profile, self._make_vendor(profile))
            return self._vendors[profile_name]

    async def forget_vendor(self, profile_name: str) -> None:
        """Close a profile's client (after the profile was edited or deleted)."""
        async with self._vendor_lock:
            entry = self._vendors.pop(profile_name, None)
        if entry is not None:
            await entry[1].close()

    def _make_vendor(self, profile: Profile) -> BaseVendor:
        from invoicedesk.vendors.registry import make_vendor

        # the registry passes these on to the clients whose constructors take them
        options: dict[str, Any] = {}
        if self.vendor_timeout_s is not None:
            options["timeout"] = self.vendor_timeout_s
        vendor = make_vendor(
            profile,
            self._secret_getter(profile),
            on_call=self.audit.on_call(profile.name),
            **options,
        )
        if "on_call" not in inspect.signature(type(vendor)).parameters:
            # this client reports no transport calls: audit its methods instead
            self.audit.wrap_methods(vendor, profile.name)
        apply_read_policy(vendor)  # reads and downloads: retried by the transport only
        if self.vendor_timeout_s is not None:
            # clients that keep their timeouts as attributes (piaodanyun, ws-invoice)
            for attr in ("http_timeout_s", "reply_timeout_s"):
                if hasattr(vendor, attr):
                    setattr(vendor, attr, self.vendor_timeout_s)
        return vendor

    def _secret_getter(self, profile: Profile) -> Any:
        async def get(name: str) -> str:
            value: str | None
            try:
                value = await self.secret_store.get(profile.name, name)
            except NoKeyring:
                value = None
            if value is None:
                value = demo_secret(profile, name)
            if value is None:
                raise MissingSecret(
                    f"开票账户“{profile.name}”没有保存{_SECRET_LABELS.get(name, name)}。",
                    code="missing_secret",
                    next_step="请在账户设置中重新输入后再试。",
                    vendor=profile.vendor.value,
                )
            self.known_secrets.add(value)
            from invoicedesk.vendors.transport import register_secret

            register_secret(value)
            return value

        return get

    def reconcile_on_start(self) -> asyncio.Task[Any]:
        """Start-up: settle every SENDING/UNKNOWN journal row in the background (a task the
        services own; results land in the journal and history)."""
        return self.spawn(self.issuing.reconcile_all())

    # ---- tasks and shutdown ----------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Start a background task owned by the services (cancelled by aclose)."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def aclose(self) -> None:
        """Phase one of shutdown: call while the loop runs. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        # files being archived get a moment to land (a command that issued and exits keeps
        # them); what is left is fetched again later (FileService.archive_missing)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.files.drain(), ARCHIVE_GRACE_S)
        await self.files.aclose()
        await self.audit.drain()
        for _, vendor in list(self._vendors.values()):
            with contextlib.suppress(Exception):  # closing must go on for the others
                await vendor.close()
        self._vendors.clear()
        if "history_query" in self.__dict__:  # made only if the history page was
            self.history_query.close()
        await asyncio.to_thread(self.issuing.close)
        await asyncio.to_thread(self.store.close)

    async def __aenter__(self) -> Core:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


ARCHIVE_GRACE_S = 5.0

# the name the commands and the tests knew it by
AppServices = Core


def _issue_settings(store: Any) -> IssueSettings:
    """Issue settings from the store's settings table (non-secret), defaults otherwise."""
    base = IssueSettings()
    value = store.get_setting("issue.concurrency")
    if value:
        with contextlib.suppress(ValueError):
            base = replace(base, concurrency=max(1, int(value)))
    return base


def cli_secret_store() -> tuple[SecretStore, bool]:
    """The OS keyring when usable (True), else a memory store for this process only (False).

    Headless commands never fall back to a file: without a keyring, secrets typed in one
    command do not reach the next; sandbox profiles still work (their demo credentials are
    public and built in, see profiles.demo_secret)."""
    from invoicedesk.services.secrets import KeyringSecretStore, MemorySecretStore, keyring_usable

    if keyring_usable():
        return KeyringSecretStore(), True
    return MemorySecretStore(), False
