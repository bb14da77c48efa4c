"""httpcore's network layer on plain asyncio streams, for the transport's httpx client.

Why: under asyncio, httpcore reaches the socket through anyio, and that layer costs about as much
CPU per request as the rest of the request's handling together (cancel scopes around every read
and write, and a socket-attribute lookup on every pooled connection before every request to see
whether the server closed it). A batch sends 150 requests a second from the GUI process, so that
was the largest single cost of an invoice on our side. This backend does the same with asyncio
streams: same exceptions (httpcore's, which httpx maps as before), same timeouts, TLS through
`StreamWriter.start_tls`. Used only by `vendors/transport.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Iterable
from typing import Any, cast

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

_READ_ERRORS = (OSError, asyncio.IncompleteReadError)


def _timeout(seconds: float | None) -> Any:
    """asyncio.timeout for a limit, or nothing at all when there is none (the cheap case)."""
    return contextlib.nullcontext() if seconds is None else asyncio.timeout(seconds)


class AsyncioStream(AsyncNetworkStream):
    """One connection. Writes are held back until the next read (or until HOLD_BYTES are
    waiting): httpcore writes a request's head and body separately, and sending them in one
    segment halves the send calls and the receiver's wake-ups on a request's way out."""

    HOLD_BYTES = 64 * 1024

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._held = bytearray()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._held:
            await self._send_held(timeout)
        try:
            async with _timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("read timed out") from None
        except _READ_ERRORS as exc:
            raise httpcore.ReadError(str(exc)) from None

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._held += buffer
        if len(self._held) >= self.HOLD_BYTES:
            await self._send_held(timeout)

    async def _send_held(self, timeout: float | None) -> None:
        data, self._held = bytes(self._held), bytearray()
        try:
            self._writer.write(data)
            async with _timeout(timeout):
                # also the place a lost connection shows up (write() itself does not raise)
                await self._writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout("write timed out") from None
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from None

    async def aclose(self) -> None:
        self._held.clear()
        self._writer.close()
        with contextlib.suppress(OSError, asyncio.CancelledError):
            await self._writer.wait_closed()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> AsyncNetworkStream:
        try:
            async with _timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            await self.aclose()
            raise httpcore.ConnectTimeout("TLS handshake timed out") from None
        except (OSError, ssl.SSLError) as exc:
            await self.aclose()
            raise httpcore.ConnectError(str(exc)) from None
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            # an idle pooled connection with something to read: the server closed it
            # (asyncio has already read whatever arrived into the reader's buffer, e.g. a "408"
            # some servers send before closing an idle connection: never read as an answer)
            buffered = cast(Any, self._reader)._buffer  # StreamReader has no public peek
            return self._reader.at_eof() or bool(buffered)
        return None


class AsyncioBackend(AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        try:
            async with _timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        except TimeoutError:
            raise httpcore.ConnectTimeout("connect timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> AsyncNetworkStream:
        try:
            async with _timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path)
        except TimeoutError:
            raise httpcore.ConnectTimeout("connect timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        return AsyncioStream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
