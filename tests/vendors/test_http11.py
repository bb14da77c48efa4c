"""The transport's HTTP/1.1 connections (vendors/http11.py): pooled connections the server
closed are not reused, a stale answer is never read as the next reply, bodies framed every way
HTTP/1.1 allows are read whole, a cancelled request's connection is not reused, and TLS works,
against tiny servers on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from invoicedesk.vendors import http11
from invoicedesk.vendors.transport import HttpTransport


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return head + (await reader.readexactly(length) if length else b"")


def _reply(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


@pytest.mark.parametrize("parting", [b"", b"HTTP/1.1 408 Request Timeout\r\n\r\n"])
def test_a_connection_the_server_closed_while_idle_is_not_reused(parting: bytes) -> None:
    """Each connection answers one request, then (after a pause) closes, some servers after
    sending an unasked 408: the next request goes out on a new connection and gets its own
    answer."""
    connections = 0
    closed: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        number = connections
        await _read_request(reader)
        writer.write(_reply(b'{"n": %d}' % number))
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(parting)
        writer.close()
        await writer.wait_closed()
        closed.append(number)

    async def go() -> list[object]:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        http = HttpTransport(f"http://127.0.0.1:{port}", vendor="faw", retry_delays=())
        try:
            first = await http.request("POST", "/x", json={"a": 1}, idempotent=False)
            await asyncio.sleep(0.2)  # the server has closed that connection meanwhile
            second = await http.request("POST", "/x", json={"a": 2}, idempotent=False)
        finally:
            await http.close()
            while len(closed) < connections:  # let the server close its side too
                await asyncio.sleep(0.01)
            server.close()
            await server.wait_closed()
        return [first.status, first.json(), second.status, second.json()]

    assert asyncio.run(go()) == [200, {"n": 1}, 200, {"n": 2}]
    assert connections == 2


def test_keep_alive_connections_are_reused_and_head_and_body_arrive_whole() -> None:
    requests: list[bytes] = []
    connections = 0
    ended = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            try:
                requests.append(await _read_request(reader))
            except asyncio.IncompleteReadError:
                break  # the client closed the connection
            writer.write(_reply(b"{}"))
            await writer.drain()
        writer.close()
        await writer.wait_closed()
        ended.set()

    async def go() -> None:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        http = HttpTransport(f"http://127.0.0.1:{port}", vendor="faw", retry_delays=())
        try:
            for i in range(3):
                await http.request("POST", "/x", data={"i": str(i)}, idempotent=False)
        finally:
            await http.close()
            await asyncio.wait_for(ended.wait(), 5)
            server.close()
            await server.wait_closed()

    asyncio.run(go())
    assert connections == 1
    assert [r.rsplit(b"\r\n\r\n", 1)[1] for r in requests] == [b"i=0", b"i=1", b"i=2"]


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            # An IP name too: a minimal machine (a fresh chroot, a slim container) may lack the
            # /etc/hosts line that makes "localhost" resolve.
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_https_with_a_trusted_certificate_and_refused_without(tmp_path: Path) -> None:
    cert_path, key_path = _certificate(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert_path, key_path)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _read_request(reader)
            writer.write(_reply(b"secure"))
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass  # the untrusting client hung up during the handshake
        finally:
            writer.close()

    async def fetch(port: int, trusted: bool) -> bytes:
        client_ctx = ssl.create_default_context()
        if trusted:
            client_ctx.load_verify_locations(cert_path)
        pool = http11.Http11Pool(client_ctx)
        try:
            _, _, body = await pool.request(
                ("https", "127.0.0.1", port),
                b"GET",
                b"/",
                [(b"host", b"127.0.0.1")],
                b"",
                connect_timeout=5,
                write_timeout=5,
                read_timeout=5,
            )
            return body
        finally:
            await pool.aclose()

    async def go() -> None:
        server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=server_ctx)
        port = server.sockets[0].getsockname()[1]
        try:
            assert await fetch(port, trusted=True) == b"secure"
            with pytest.raises(http11.ConnectFailed):
                await fetch(port, trusted=False)
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(go())


def _serve_once(answer: bytes) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _read_request(reader)
            writer.write(answer)
            await writer.drain()
        finally:
            writer.close()

    return handler


@pytest.mark.parametrize(
    "answer",
    [
        b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3\r\n 1}\r\n0\r\n\r\n',
        b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"a": 1}',  # the end is the close
        b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{"a": 1}',
    ],
    ids=["chunked", "until-close", "after-100"],
)
def test_a_body_is_read_whole_however_it_is_framed(answer: bytes) -> None:
    async def go() -> Any:
        server = await asyncio.start_server(_serve_once(answer), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        http = HttpTransport(f"http://127.0.0.1:{port}", vendor="faw", retry_delays=())
        try:
            return (await http.request("GET", "/x", idempotent=True)).json()
        finally:
            await http.close()
            server.close()
            await server.wait_closed()

    assert asyncio.run(go()) == {"a": 1}


def test_an_idle_connection_past_its_keep_alive_and_a_cancelled_ones_are_not_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connections = 0
    release = asyncio.Event()

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            with contextlib.suppress(asyncio.IncompleteReadError, OSError):
                while True:
                    request = await _read_request(reader)
                    if b"/slow" in request:
                        await release.wait()  # answered late: the client has given up by then
                    writer.write(_reply(b"{}"))
                    await writer.drain()
        finally:
            writer.close()

    async def go() -> None:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        http = HttpTransport(f"http://127.0.0.1:{port}", vendor="faw", retry_delays=())
        try:
            await http.request("GET", "/a", idempotent=True)
            await http.request("GET", "/b", idempotent=True)
            assert connections == 1  # kept alive
            monkeypatch.setattr(http11, "KEEPALIVE_EXPIRY_S", 0.0)
            await http.request("GET", "/c", idempotent=True)
            assert connections == 2  # the idle one had expired
            monkeypatch.setattr(http11, "KEEPALIVE_EXPIRY_S", 5.0)
            slow = asyncio.ensure_future(http.request("GET", "/slow", idempotent=True))
            await asyncio.sleep(0.1)
            slow.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await slow
            release.set()  # its late answer must not be read as the next request's
            reply = await http.request("GET", "/d", idempotent=True)
            assert reply.json() == {}
            assert connections == 3
        finally:
            await http.close()
            server.close()
            await server.wait_closed()
            await asyncio.sleep(0.05)  # the handlers see their connections close

    asyncio.run(go())
