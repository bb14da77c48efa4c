"""The transport's HTTP/1.1 connections: a small pool on asyncio streams, with h11 (the protocol
library httpx's own pool uses) reading and writing the messages. Used only by
`vendors/transport.py`, which puts it under httpx as an httpx transport.

Why not httpx's own pool (httpcore): a batch sends 150 requests a second from the GUI thread,
and httpcore's pool costs ~0.6 ms of CPU a request on its own (its state machine, and anyio locks
and cancel scopes around every step: anyio's lock yields to the loop on each acquire), four times
what reading and writing the request with h11 costs. What a vendor client needs of a pool is
small: keep connections alive per origin, never reuse one the server has closed, time out
connecting, writing and each read, TLS. That is all this module does.

Failures are one of the exceptions below, each saying how far the request got (the transport
maps them onto httpx's, as httpcore's pool raises them): ConnectFailed (nothing sent),
SendFailed, ReceiveFailed (the server closed the connection, broke HTTP, or did not answer in
time). A connection is reused only when its exchange ended cleanly and the server did not close
it meanwhile; anything else (an error, a cancel) closes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from typing import Any, cast

import h11

KEEPALIVE_EXPIRY_S = 5.0  # as httpx: an idle connection older than this is closed, not reused
MAX_IDLE_PER_ORIGIN = 20  # as httpx's max_keepalive_connections
READ_SIZE = 64 * 1024

Origin = tuple[str, str, int]  # scheme, host, port
Headers = list[tuple[bytes, bytes]]


class HttpFailure(Exception):
    """`timeout`: the limit ran out (else the connection failed or the peer broke HTTP)."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


class ConnectFailed(HttpFailure):
    """No connection: nothing was sent."""


class SendFailed(HttpFailure):
    """Connected, but writing the request failed: some of it may have arrived."""


class ReceiveFailed(HttpFailure):
    """The request was sent; no complete answer came."""


class BadRequest(HttpFailure):
    """The request itself cannot be written as HTTP/1.1 (nothing sent)."""


class UnsupportedScheme(BadRequest):
    """Neither http nor https (nothing sent)."""


class Http11Pool:
    def __init__(self, ssl_context: ssl.SSLContext) -> None:
        self._ssl_context = ssl_context
        self._idle: dict[Origin, list[_Connection]] = {}
        self._closed = False

    async def request(
        self,
        origin: Origin,
        method: bytes,
        target: bytes,
        headers: Headers,
        body: bytes,
        *,
        connect_timeout: float | None,
        write_timeout: float | None,
        read_timeout: float | None,
    ) -> tuple[int, Headers, bytes]:
        """One exchange: (status, headers with lower-case names, the whole body as sent)."""
        if origin[0] not in ("http", "https"):
            raise UnsupportedScheme(f"unsupported scheme {origin[0]!r}")
        conn = self._reusable(origin) or await self._connect(origin, connect_timeout)
        try:
            await conn.send(method, target, headers, body, write_timeout)
            answer = await conn.receive(read_timeout)
        except BaseException:
            conn.close()
            raise
        if conn.start_next() and not self._closed:
            conn.idle_since = time.monotonic()
            self._idle.setdefault(origin, []).append(conn)
            self._trim(origin)
        else:
            conn.close()
        return answer

    async def aclose(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    def _reusable(self, origin: Origin) -> _Connection | None:
        conns = self._idle.get(origin)
        now = time.monotonic()
        while conns:
            conn = conns.pop()  # the most recently used: the likeliest still open
            if conn.alive() and now - conn.idle_since < KEEPALIVE_EXPIRY_S:
                return conn
            conn.close()
        return None

    def _trim(self, origin: Origin) -> None:
        conns = self._idle[origin]
        while len(conns) > MAX_IDLE_PER_ORIGIN:
            conns.pop(0).close()

    async def _connect(self, origin: Origin, timeout: float | None) -> _Connection:
        scheme, host, port = origin
        tls = self._ssl_context if scheme == "https" else None
        try:
            async with _limit(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None
                )
        except TimeoutError:
            raise ConnectFailed("connect timed out", timeout=True) from None
        except OSError as exc:  # refused, unreachable, name not found, TLS (ssl.SSLError)
            raise ConnectFailed(str(exc) or type(exc).__name__) from None
        return _Connection(reader, writer)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT)
        self.idle_since = 0.0

    async def send(
        self, method: bytes, target: bytes, headers: Headers, body: bytes, timeout: float | None
    ) -> None:
        conn = self.h11
        try:
            data = cast(
                bytes, conn.send(h11.Request(method=method, target=target, headers=headers))
            )
            if body:
                data += cast(bytes, conn.send(h11.Data(data=body)))
            data += cast(bytes, conn.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as exc:
            raise BadRequest(str(exc)) from None
        try:
            self.writer.write(data)  # head and body in one segment
            async with _limit(timeout):
                await self.writer.drain()  # also where a lost connection shows up
        except TimeoutError:
            raise SendFailed("write timed out", timeout=True) from None
        except OSError as exc:
            raise SendFailed(str(exc) or type(exc).__name__) from None

    async def receive(self, timeout: float | None) -> tuple[int, Headers, bytes]:
        conn = self.h11
        status = 0
        headers: Headers = []
        body = bytearray()
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                raise ReceiveFailed(str(exc)) from None
            if event is h11.NEED_DATA:
                conn.receive_data(await self._read(timeout))  # b"" at the end: h11 decides
            elif isinstance(event, h11.Response):
                status, headers = event.status_code, list(event.headers)
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                return status, headers, bytes(body)
            elif not isinstance(event, h11.InformationalResponse):  # closed before the end
                raise ReceiveFailed("the server closed the connection before a complete answer")

    async def _read(self, timeout: float | None) -> bytes:
        try:
            async with _limit(timeout):
                return await self.reader.read(READ_SIZE)
        except TimeoutError:
            raise ReceiveFailed("read timed out", timeout=True) from None
        except OSError as exc:
            raise ReceiveFailed(str(exc) or type(exc).__name__) from None

    def start_next(self) -> bool:
        """After an exchange: when it ended cleanly and both sides keep the connection, make it
        ready for the next one and say so."""
        conn = self.h11
        if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
            return False
        conn.start_next_cycle()
        return True

    def alive(self) -> bool:
        """An idle connection with something to read has been closed by the server (asyncio
        has already read what arrived, e.g. a "408" some servers send before closing an idle
        connection: never read as an answer)."""
        buffered = cast(Any, self.reader)._buffer  # StreamReader has no public peek
        return not self.reader.at_eof() and not buffered and not self.writer.is_closing()

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: its loop has closed
            self.writer.close()


def _limit(seconds: float | None) -> Any:
    """asyncio.timeout for a limit, or nothing at all when there is none (the cheap case)."""
    return contextlib.nullcontext() if seconds is None else asyncio.timeout(seconds)
