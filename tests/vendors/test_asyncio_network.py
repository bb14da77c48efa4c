"""The transport's network layer on asyncio streams (vendors/asyncio_network.py): pooled
connections the server closed are not reused, a stale answer is never read as the next reply,
and TLS works, against tiny servers on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import httpcore
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from invoicedesk.vendors.asyncio_network import AsyncioBackend
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


def test_https_through_the_asyncio_backend(tmp_path: Path) -> None:
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
        async with httpcore.AsyncConnectionPool(
            ssl_context=client_ctx, network_backend=AsyncioBackend()
        ) as pool:
            reply = await pool.request("GET", f"https://127.0.0.1:{port}/")
            return reply.content

    async def go() -> None:
        server = await asyncio.start_server(handler, "127.0.0.1", 0, ssl=server_ctx)
        port = server.sockets[0].getsockname()[1]
        try:
            assert await fetch(port, trusted=True) == b"secure"
            with pytest.raises(httpcore.ConnectError):
                await fetch(port, trusted=False)
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(go())
