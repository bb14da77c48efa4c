"""HTTP and WebSocket plumbing for the vendor clients: the ONLY module importing httpx/websockets.

What this module promises the vendor clients:

- Every network failure leaves as one typed error of `vendors/base.py`:
  nothing left this computer (connect error, DNS, bad URL) → `NotSent`;
  the request may have been acted on (timeout or dropped connection after sending, 5xx on a
  non-idempotent call, unreadable body of an issuing call) → `OutcomeUnknown`;
  HTTP 429 → `RateLimited`; unreadable body of a read → `ProtocolError`.
- Idempotent calls (reads) are retried a few times with backoff; non-idempotent calls never are
  (the services reconcile an unknown outcome by the same serial before sending again).
- JSON is read with `parse_float=Decimal` and written by `dump_json`, which writes a Decimal as
  a JSON number from its own digits and refuses binary floats.
- No secret reaches a log or an exception text: `redact()` masks them, a logging filter applies
  it to our loggers and to httpx/httpcore/websockets, and our exceptions never carry bodies.
- Each call (each attempt) is reported to `on_call(vendor, endpoint, duration_ms, outcome)`
  for the audit log; outcome is "ok", "http_<status>" or the error class name.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.protocol import State

from invoicedesk.vendors import http11
from invoicedesk.vendors.base import NotSent, OutcomeUnknown, RateLimited, VendorError
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.redaction import (  # noqa: F401 - re-exported for the clients
    MASK,
    REDACTED_LOGGERS,
    RedactingFilter,
    install_log_redaction,
    redact,
    register_secret,
)
from invoicedesk.vendors.wire import (  # noqa: F401 - re-exported for the clients
    CHINA_TZ,
    as_decimal,
    decimal_text,
    dump_json,
    form_body,
    load_json,
    parse_vendor_datetime,
)

log = logging.getLogger(__name__)

# (vendor, endpoint, duration_ms, outcome); must not raise and must not block.
OnCall = Callable[[str, str, int, str], None]

RETRY_DELAYS_S = (0.2, 0.6)  # idempotent calls: 3 attempts in all
MAX_REDIRECTS = 20  # as httpx's client
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
# what httpx's client sends by default; no Accept-Encoding beyond what httpx itself decodes
DEFAULT_HEADERS = {
    "Accept": "*/*",
    "Accept-Encoding": "gzip, deflate",
    "Connection": "keep-alive",
    "User-Agent": f"python-httpx/{httpx.__version__}",
}

# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpReply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    vendor: str = ""
    endpoint: str = ""
    idempotent: bool = True
    url: str = field(default="", repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON, numbers as Decimal. An unreadable body is a ProtocolError for a read
        and OutcomeUnknown for a call that may have changed something."""
        try:
            return load_json(self.body)
        except ValueError:
            raise _bad_body(self.vendor, self.endpoint, self.idempotent) from None


def _bad_body(vendor: str, endpoint: str, idempotent: bool) -> VendorError:
    return vendor_error(vendor, "read_malformed" if idempotent else "malformed")


def _not_sent(vendor: str, code: str, why: str) -> VendorError:
    return vendor_error(vendor, code, detail=why)


def _unknown(vendor: str, code: str, why: str) -> VendorError:
    """A call that may have changed something got no readable answer."""
    return vendor_error(vendor, code, detail=why)


def _read_failed(vendor: str, why: str) -> VendorError:
    # A read that failed changed nothing, but we still do not know the answer.
    return vendor_error(vendor, "read_failed", detail=why)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class HttpTransport:
    """One connection pool per instance (= per vendor profile), made inside the running loop.

    Requests go straight to httpx's transport (its public `handle_async_request`), not through
    an `httpx.AsyncClient`: the client's layers (base-URL merging, cookie jar, auth and redirect
    hooks, event hooks) cost about a fifth of a request's CPU, and a batch sends 150 requests a
    second from the GUI thread. What they did that we need is done here: the base URL, the
    default headers, the timeouts, and following a redirect (no document has one; a file host
    might). No document uses cookies, so none are kept."""

    def __init__(
        self,
        base_url: str,
        *,
        vendor: str,
        timeout: float = 15,
        connect_timeout: float = 5,
        on_call: OnCall | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.vendor = vendor
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.on_call = on_call
        self.retry_delays = retry_delays
        self._timeouts = httpx.Timeout(timeout, connect=connect_timeout).as_dict()
        self._pool: httpx.AsyncBaseTransport | None = None

    def _get_pool(self) -> httpx.AsyncBaseTransport:
        if self._pool is None:
            self._pool = _PoolTransport()
        return self._pool

    def _url(self, path: str) -> str:
        """`path` relative to the base URL, or an absolute URL as it is (file downloads)."""
        if "://" in path:
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    async def _send(self, request: httpx.Request) -> tuple[httpx.Request, httpx.Response, bytes]:
        """The request and its whole reply (decoded), following up to MAX_REDIRECTS redirects
        as httpx's client does: 303 (and 301/302 after a POST) becomes a GET without a body."""
        pool = self._get_pool()
        for _ in range(MAX_REDIRECTS + 1):
            resp = await pool.handle_async_request(request)
            try:
                body = await resp.aread()
            finally:
                await resp.aclose()
            location = resp.headers.get("location")
            if resp.status_code not in _REDIRECTS or not location:
                return request, resp, body
            method, content = request.method, request.content
            if resp.status_code == 303 or (resp.status_code in (301, 302) and method == "POST"):
                method, content = "GET", b""
            target = request.url.join(location)
            headers = dict(request.headers)
            for name in ("host", "content-length", "content-type", "transfer-encoding"):
                headers.pop(name, None)
            if content:
                headers["content-type"] = request.headers.get("content-type", "")
            if (target.scheme, target.host, target.port) != (
                request.url.scheme,
                request.url.host,
                request.url.port,
            ):
                headers.pop("authorization", None)  # a token goes to its own platform only
            request = httpx.Request(
                method,
                target,
                content=content or None,
                headers=headers,
                extensions=request.extensions,
            )
        raise httpx.TooManyRedirects("too many redirects", request=request)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool,
        endpoint: str | None = None,
    ) -> HttpReply:
        """Send one request. Returns any non-429, non-5xx reply (the client reads 4xx itself).

        `path` is relative to the base URL, or an absolute URL (file downloads). `json` is
        written by `dump_json`. `endpoint` names the call in the audit log (default: path).
        """
        name = endpoint or path.split("?")[0]
        body = content
        send_headers = dict(headers or {})
        if json is not None:
            body = dump_json(json)
            send_headers.setdefault("Content-Type", "application/json; charset=utf-8")
        if data is not None:
            body = form_body(data)
            send_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        attempts = 1 + (len(self.retry_delays) if idempotent else 0)
        last: VendorError | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self.retry_delays[attempt - 1])
            try:
                return await self._once(method, path, name, body, params, send_headers, idempotent)
            except (NotSent, OutcomeUnknown) as exc:
                last = exc  # retried only when idempotent (attempts == 1 otherwise)
        assert last is not None
        raise last

    async def _once(
        self,
        method: str,
        path: str,
        name: str,
        body: bytes | None,
        params: Mapping[str, Any] | None,
        headers: dict[str, str],
        idempotent: bool,
    ) -> HttpReply:
        started = time.monotonic()
        outcome = "ok"
        try:
            try:
                request = httpx.Request(
                    method,
                    self._url(path),
                    params=params,
                    content=body,
                    headers={**DEFAULT_HEADERS, **headers},
                    extensions={"timeout": self._timeouts},
                )
                request, resp, content = await self._send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                raise _not_sent(self.vendor, "connect", _why_connect(exc)) from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError):
                raise _not_sent(self.vendor, "bad_url", "接口地址无效") from None
            except httpx.TooManyRedirects:
                if idempotent:
                    raise _read_failed(self.vendor, "开票平台的地址不断跳转") from None
                raise _unknown(self.vendor, "malformed", "开票平台的地址不断跳转") from None
            except httpx.DecodingError:  # a body its Content-Encoding does not describe
                raise _bad_body(self.vendor, name, idempotent) from None
            except httpx.TimeoutException:
                if idempotent:
                    raise _read_failed(self.vendor, "等待开票平台答复超时") from None
                raise _unknown(self.vendor, "timeout", "等待开票平台答复超时") from None
            except httpx.TransportError:
                # Read/write errors, or the server closed the connection mid-way.
                if idempotent:
                    raise _read_failed(self.vendor, "与开票平台的连接中断") from None
                raise _unknown(self.vendor, "dropped", "与开票平台的连接中断") from None
            reply = HttpReply(
                status=resp.status_code,
                headers={k.lower(): v for k, v in resp.headers.items()},
                body=content,
                vendor=self.vendor,
                endpoint=name,
                idempotent=idempotent,
                url=str(request.url),
            )
            if reply.status == 429:
                limited = vendor_error(self.vendor, "http_429")
                if isinstance(limited, RateLimited):
                    limited.retry_after_s = _retry_after(reply.headers.get("retry-after"))
                raise limited
            if reply.status >= 500:
                if idempotent:
                    raise _read_failed(self.vendor, f"开票平台服务器出错，HTTP {reply.status}")
                raise _unknown(self.vendor, f"http_{reply.status}", f"HTTP {reply.status}")
            if reply.status >= 400:
                outcome = f"http_{reply.status}"
            return reply
        except VendorError as exc:
            outcome = type(exc).__name__
            raise
        except BaseException:
            outcome = "cancelled"
            raise
        finally:
            self._record(name, started, outcome)

    def _record(self, endpoint: str, started: float, outcome: str) -> None:
        if self.on_call is None:
            return
        duration_ms = int((time.monotonic() - started) * 1000)
        try:
            self.on_call(self.vendor, endpoint, duration_ms, outcome)
        except Exception:  # the audit log must never break a vendor call
            log.exception("on_call callback failed for %s %s", self.vendor, endpoint)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.aclose()


class _PoolTransport(httpx.AsyncBaseTransport):
    """httpx's transport interface over our HTTP/1.1 pool (vendors/http11.py: httpcore's pool
    was most of a request's CPU), its failures raised as httpx's, as httpcore's pool raises
    them; TLS with httpx's settings (its CA bundle, nothing from the environment)."""

    def __init__(self) -> None:
        self._pool = http11.Http11Pool(httpx.create_ssl_context(trust_env=False))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        limits = request.extensions.get("timeout", {})
        try:
            status, headers, body = await self._pool.request(
                (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80)),
                request.method.encode("ascii"),
                url.raw_path,
                request.headers.raw,
                request.content,
                connect_timeout=limits.get("connect"),
                write_timeout=limits.get("write"),
                read_timeout=limits.get("read"),
            )
        except http11.HttpFailure as exc:
            raise _as_httpx(exc, request) from None
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))

    async def aclose(self) -> None:
        await self._pool.aclose()


def _as_httpx(exc: http11.HttpFailure, request: httpx.Request) -> httpx.TransportError:
    kind: type[httpx.TransportError]
    if isinstance(exc, http11.ConnectFailed):
        kind = httpx.ConnectTimeout if exc.timeout else httpx.ConnectError
    elif isinstance(exc, http11.SendFailed):
        kind = httpx.WriteTimeout if exc.timeout else httpx.WriteError
    elif isinstance(exc, http11.ReceiveFailed):
        kind = httpx.ReadTimeout if exc.timeout else httpx.RemoteProtocolError
    elif isinstance(exc, http11.UnsupportedScheme):
        kind = httpx.UnsupportedProtocol
    else:
        kind = httpx.LocalProtocolError
    return kind(str(exc), request=request)


def _why_connect(exc: Exception) -> str:
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return "连接超时"
    text = str(exc).lower()
    if "name" in text and ("resolution" in text or "not known" in text or "resolve" in text):
        return "找不到服务器地址"
    if "refused" in text or "all connection attempts failed" in text:
        return "连接被拒绝"
    return "网络不可达"


# ---------------------------------------------------------------------------------------------
# WebSocket
# ---------------------------------------------------------------------------------------------


class WsSession:
    """One WebSocket connection carrying JSON messages (ws-invoice)."""

    def __init__(self, conn: ClientConnection, *, vendor: str, on_call: OnCall | None) -> None:
        self._conn = conn
        self.vendor = vendor
        self.on_call = on_call

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        vendor: str,
        open_timeout: float = 5,
        on_call: OnCall | None = None,
    ) -> WsSession:
        started = time.monotonic()
        outcome = "ok"
        try:
            conn = await ws_connect(
                url, open_timeout=open_timeout, max_size=32 * 1024 * 1024, proxy=None
            )
        except (OSError, TimeoutError) as exc:
            outcome = "NotSent"
            why = "连接超时" if isinstance(exc, TimeoutError) else "连接被拒绝或网络不可达"
            raise _not_sent(vendor, "connect", why) from None
        except InvalidURI:
            outcome = "NotSent"
            raise _not_sent(vendor, "bad_url", "接口地址无效") from None
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                outcome = "AuthFailed"
                raise vendor_error(vendor, f"http_{status}") from None
            outcome = "NotSent"
            raise _not_sent(vendor, "handshake", f"HTTP {status}") from None
        except InvalidHandshake:
            outcome = "NotSent"
            raise _not_sent(vendor, "handshake", "开票平台拒绝了连接") from None
        finally:
            _record(on_call, vendor, "ws_connect", started, outcome)
        return cls(conn, vendor=vendor, on_call=on_call)

    @property
    def closed(self) -> bool:
        return self._conn.state in (State.CLOSING, State.CLOSED)

    async def send_json(self, obj: Mapping[str, Any]) -> None:
        """Send one message. If the socket is already closed the message did not leave: NotSent."""
        name = str(obj.get("type", "message"))
        started = time.monotonic()
        outcome = "ok"
        try:
            await self._conn.send(dump_json(obj).decode("utf-8"))
        except ConnectionClosed:
            outcome = "NotSent"
            raise vendor_error(self.vendor, "not_connected") from None
        finally:
            _record(self.on_call, self.vendor, name, started, outcome)

    async def recv_json(self, timeout: float, *, idempotent: bool = False) -> dict[str, Any]:
        """The next message as a dict (numbers as Decimal).

        Closed socket or timeout → OutcomeUnknown (something sent earlier may have been acted
        on). Unreadable message → ProtocolError when `idempotent`, else OutcomeUnknown.
        """
        started = time.monotonic()
        outcome = "ok"
        name = "recv"
        try:
            try:
                raw = await asyncio.wait_for(self._conn.recv(), timeout)
            except TimeoutError:
                raise _unknown(self.vendor, "timeout", f"等待超过 {timeout:g} 秒") from None
            except ConnectionClosed:
                raise vendor_error(self.vendor, "ws_closed") from None
            try:
                message = load_json(raw)
            except ValueError:
                raise _bad_body(self.vendor, name, idempotent) from None
            if not isinstance(message, dict):
                raise _bad_body(self.vendor, name, idempotent)
            name = f"recv {message.get('type', '')}".strip()
            return message
        except VendorError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            _record(self.on_call, self.vendor, name, started, outcome)

    async def ping(self, timeout: float = 5) -> None:
        """Check the socket is alive; NotSent when it is not (nothing was sent on it)."""
        try:
            waiter = await self._conn.ping()
            await asyncio.wait_for(waiter, timeout)
        except (ConnectionClosed, TimeoutError):
            raise vendor_error(self.vendor, "not_connected") from None

    async def close(self) -> None:
        await self._conn.close()


def _record(
    on_call: OnCall | None, vendor: str, endpoint: str, started: float, outcome: str
) -> None:
    if on_call is None:
        return
    try:
        on_call(vendor, endpoint, int((time.monotonic() - started) * 1000), outcome)
    except Exception:
        log.exception("on_call callback failed for %s %s", vendor, endpoint)
