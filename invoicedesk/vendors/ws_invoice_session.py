"""ws-invoice's session: the WebSocket it logs in on, and the HTTP base for reads."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

from invoicedesk.vendors.base import (
    BaseVendor,
    NotSent,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    SecretGetter,
    VendorKey,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.transport import (
    RETRY_DELAYS_S,
    HttpTransport,
    OnCall,
    WsSession,
    register_secret,
)
from invoicedesk.vendors.ws_invoice_wire import (
    PAGE_SIZE,
    VENDOR,
    _text,
)

log = logging.getLogger(__name__)


class WsInvoiceSession(BaseVendor):
    """The WebSocket session: URLs, secrets, logging in, receiving a reply, one lock."""

    key = VendorKey.WS_INVOICE
    reply_timeout_s: float = 30
    face_timeout_s: float = 300  # the user is scanning with a phone
    # a scan "0" after this long reads as "the QR ran out" (the document gives no reason)
    face_expiry_s: float = 120
    http_timeout_s: float = 15
    # the waits between the transport's tries of a read (services/retry_policy.py sets them)
    read_retry_delays: tuple[float, ...] = RETRY_DELAYS_S
    page_size: int = PAGE_SIZE
    zip_timeout_s: float = 5

    def __init__(
        self, profile: Profile, secrets: SecretGetter, *, on_call: OnCall | None = None
    ) -> None:
        super().__init__(profile, secrets)
        self.on_call = on_call  # each HTTP call / WebSocket message, for the audit log
        self._ws: WsSession | None = None
        self._lock: asyncio.Lock | None = None
        self._http: HttpTransport | None = None
        self._files: dict[str, HttpTransport] = {}
        self._ids: dict[str, str] = {}  # invoice number -> vendor invoice id
        self.zip_failures = 0  # file packages that failed even after the one retry

    # ---- plumbing ---------------------------------------------------------------------------

    def _base(self) -> str:
        return self.profile.base_url.rstrip("/")

    def _ws_url(self, path: str) -> str:
        user = quote(self.profile.options.get("userId", ""), safe="")
        return f"{self._base()}{path}?userId={user}"

    def _http_base(self) -> str:
        base = self._base()
        if base.startswith("wss://"):
            return "https://" + base[len("wss://") :]
        if base.startswith("ws://"):
            return "http://" + base[len("ws://") :]
        return base

    def _transport(self) -> HttpTransport:
        if self._http is None:
            self._http = HttpTransport(
                self._http_base(),
                vendor=VENDOR,
                timeout=self.http_timeout_s,
                on_call=self.on_call,
                retry_delays=self.read_retry_delays,
            )
        return self._http

    async def _password(self) -> str:
        password = await self.secrets("tax_password")
        register_secret(password)
        return password

    async def _login_data(self) -> dict[str, str]:
        opts = self.profile.options
        return {
            "companyCode": self.profile.seller.tax_id,
            "phone": self.profile.user_name,
            "password": await self._password(),
            "area": opts.get("area", ""),
            "role": opts.get("role", ""),
        }

    async def _login(self, ws: WsSession) -> None:
        await ws.send_json({"type": "login", "data": await self._login_data()})
        while True:
            reply = await self._recv(ws, self.reply_timeout_s, idempotent=True)
            if reply.get("type") == "login":
                break
        if _text(reply.get("data")) != "1":
            raise vendor_error(VENDOR, "login:0", _text(reply.get("msg")))

    async def _recv(self, ws: WsSession, timeout: float, *, idempotent: bool) -> dict[str, Any]:
        try:
            return await ws.recv_json(timeout, idempotent=idempotent)
        except OutcomeUnknown as exc:
            if not idempotent:
                raise
            # Nothing was issued by a login or a query: the answer is merely missing.
            raise ProtocolError(
                exc.message, code=exc.code, vendor=VENDOR, next_step="请稍后重试。"
            ) from None

    async def _session(self) -> WsSession:
        """The logged-in issuing socket; a new one when there is none or it has died."""
        if self._ws is not None and not self._ws.closed:
            try:
                await self._ws.ping()
                return self._ws
            except NotSent:
                pass
        await self._drop_session()
        ws = await WsSession.connect(self._ws_url("/invoice"), vendor=VENDOR, on_call=self.on_call)
        try:
            await self._login(ws)
        except BaseException:
            await ws.close()
            raise
        self._ws = ws
        return ws

    async def _drop_session(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def close(self) -> None:
        await self._drop_session()
        http, self._http = self._http, None
        if http is not None:
            await http.close()
        files, self._files = self._files, {}
        for transport in files.values():
            await transport.close()
