"""The one constructor and timeout handling of the HTTP vendors (open-api, signed-api, faw,
piaodanyun): a client holds one HttpTransport to `profile.base_url`, made on first use (inside
the running loop), with `http_timeout_s` seconds per call (the class default, or the `timeout`
the registry passes from the app's settings), and closes it in `close()`."""

from __future__ import annotations

from invoicedesk.vendors.base import BaseVendor, Profile, SecretGetter
from invoicedesk.vendors.transport import RETRY_DELAYS_S, HttpTransport, OnCall


class HttpVendor(BaseVendor):
    http_timeout_s: float = 15  # per call
    # the waits between the transport's tries of a read (services/retry_policy.py sets them)
    read_retry_delays: tuple[float, ...] = RETRY_DELAYS_S

    def __init__(
        self,
        profile: Profile,
        secrets: SecretGetter,
        *,
        on_call: OnCall | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(profile, secrets)
        self.on_call = on_call  # told of each HTTP call, for the audit log
        if timeout is not None:
            self.http_timeout_s = timeout
        self._http: HttpTransport | None = None

    @property
    def http(self) -> HttpTransport:
        if self._http is None:
            self._http = HttpTransport(
                self.profile.base_url,
                vendor=self.key.value,
                timeout=self.http_timeout_s,
                on_call=self.on_call,
                retry_delays=self.read_retry_delays,
            )
        return self._http

    async def close(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            await http.close()
