"""票单云's session: the token (obtainToken), secrets, and posting a call and reading its
envelope."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from invoicedesk.vendors.base import (
    AuthExpired,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    RedForm,
    SecretGetter,
    VendorKey,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.http_vendor import HttpVendor
from invoicedesk.vendors.piaodanyun_wire import (
    P_TOKEN,
    VENDOR,
    _text,
)
from invoicedesk.vendors.transport import (
    HttpTransport,
    OnCall,
    register_secret,
)

log = logging.getLogger(__name__)


class PiaodanyunSession(HttpVendor):
    """The token, the session secrets and the one way every call is posted and read."""

    key = VendorKey.PIAODANYUN
    http_timeout_s: float = 15  # per call; blueTicket answers synchronously

    def __init__(
        self,
        profile: Profile,
        secrets: SecretGetter,
        *,
        on_call: OnCall | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(profile, secrets, on_call=on_call, timeout=timeout)
        self._token: str | None = None
        self._token_lock: asyncio.Lock | None = None
        self._forms: dict[str, RedForm] = {}  # form_no -> the form as last read

    # ---- plumbing ---------------------------------------------------------------------------

    @property
    def _username(self) -> str:
        return self.profile.user_name

    @property
    def _tax_id(self) -> str:
        return self.profile.seller.tax_id

    def _transport(self) -> HttpTransport:
        return self.http  # HttpVendor: made on first use, inside the running loop

    async def _secret(self, name: str, *, optional: bool = False) -> str:
        """A secret from the SecretStore; an optional one missing there reads as ""."""
        try:
            value = await self.secrets(name)
            register_secret(value)  # the log filter masks it wherever it shows up
            return value
        except LookupError:
            if optional:
                return ""
            raise

    async def _obtain_token(self) -> str:
        form = {
            "phone": self.profile.options.get("phone", self.profile.user_name),
            "pass": await self._secret("password"),
            "tenant_id": self.profile.options.get("tenant_id", ""),
            "token_type": "TaxApi",
        }
        data = await self._post_raw(P_TOKEN, form, token=None, idempotent=True)
        token = data.get("token") if isinstance(data, dict) else data
        if not isinstance(token, str) or not token:
            raise ProtocolError(
                "票单云未返回访问令牌",
                code="no_token",
                vendor=VENDOR,
                next_step="请稍后重试；如仍失败请联系票单云。",
            )
        register_secret(token)
        return token

    async def _get_token(self, stale: str | None = None) -> str:
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            # Another task may have renewed it while we waited.
            if self._token is None or self._token == stale:
                self._token = await self._obtain_token()
            return self._token

    async def _post_raw(
        self,
        path: str,
        form: dict[str, str] | None,
        *,
        token: str | None,
        idempotent: bool,
        method: str = "POST",
        params: dict[str, str] | None = None,
    ) -> Any:
        headers = {"Authorization": token} if token else None
        try:
            reply = await self._transport().request(
                method, path, data=form, params=params, headers=headers, idempotent=idempotent
            )
            body = reply.json()
        except ProtocolError as exc:
            if idempotent:
                raise
            # An unreadable answer to a call that may have acted: the outcome is unknown.
            raise OutcomeUnknown(
                "票单云的回复无法识别，无法确定是否已处理",
                code=exc.code or "malformed",
                vendor=VENDOR,
                next_step="请先按流水号查询结果，确认后再决定是否重开。",
            ) from exc
        if not isinstance(body, dict) or "code" not in body:
            err_cls = ProtocolError if idempotent else OutcomeUnknown
            raise err_cls(
                "票单云的回复无法识别",
                code=f"http_{reply.status}",
                vendor=VENDOR,
                next_step="请稍后重试；开票请先按流水号查询结果。",
            )
        code = _text(body.get("code"))
        if code == "200":
            return body.get("data")
        message = _text(body.get("msg")) or _text(body.get("message"))
        raise vendor_error(VENDOR, code, message)

    async def _call(
        self,
        path: str,
        form: dict[str, str] | None,
        *,
        idempotent: bool,
        method: str = "POST",
        params: dict[str, str] | None = None,
    ) -> Any:
        token = await self._get_token()
        try:
            return await self._post_raw(
                path, form, token=token, idempotent=idempotent, method=method, params=params
            )
        except AuthExpired as exc:
            if exc.code != "token_expired":
                raise  # e.g. the tax-bureau login lapsed: a new token would not help
            # The vendor refused the token outright (nothing was done): renew once, retry once.
            token = await self._get_token(stale=token)
            return await self._post_raw(
                path, form, token=token, idempotent=idempotent, method=method, params=params
            )
