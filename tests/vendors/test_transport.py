"""Transport: failure mapping against tiny raw servers on loopback, JSON exactness, redaction."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invoicedesk.vendors.base import NotSent, OutcomeUnknown, ProtocolError, RateLimited
from invoicedesk.vendors.transport import (
    HttpTransport,
    WsSession,
    dump_json,
    form_body,
    load_json,
    redact,
    register_secret,
)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def serve(handler: Handler) -> tuple[asyncio.Server, str, list[bytes]]:
    """A raw HTTP server: `handler` answers; every request head is recorded."""
    seen: list[bytes] = []

    async def wrapped(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = await reader.readexactly(length) if length else b""
        seen.append(head + body)
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(wrapped, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", seen


def answer(status: int, body: bytes, extra: str = "") -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n{extra}"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()

    return handler


async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(5)


async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"code":')
    await writer.drain()


async def call(
    handler: Handler, *, idempotent: bool, timeout: float = 0.5
) -> tuple[Any, list[bytes], list[tuple[str, str, int, str]]]:
    server, url, seen = await serve(handler)
    calls: list[tuple[str, str, int, str]] = []
    http = HttpTransport(
        url,
        vendor="faw",
        timeout=timeout,
        on_call=lambda *a: calls.append(a),
        retry_delays=(0.01, 0.01),
    )
    try:
        result: Any = await http.request(
            "POST", "/x", json={"a": Decimal("1.10")}, idempotent=idempotent
        )
    except Exception as exc:  # returned for the assertions
        result = exc
    finally:
        await http.close()
        server.close()
        await server.wait_closed()
    return result, seen, calls


def test_ok_reply_reads_numbers_exactly_and_records_the_call() -> None:
    reply, seen, calls = asyncio.run(call(answer(200, b'{"total": 0.1, "n": 3}'), idempotent=False))
    assert reply.status == 200
    assert reply.json() == {"total": Decimal("0.1"), "n": 3}
    assert seen[0].endswith(b'{"a":1.10}')
    assert calls == [("faw", "/x", calls[0][2], "ok")]


def test_closed_port_is_not_sent() -> None:
    async def go() -> None:
        http = HttpTransport(
            f"http://127.0.0.1:{free_port()}", vendor="open-api", retry_delays=(0.01,)
        )
        for idempotent in (False, True):
            with pytest.raises(NotSent) as info:
                await http.request("GET", "/q", idempotent=idempotent)
            assert info.value.code == "connect"
            assert info.value.vendor == "open-api"
        await http.close()

    asyncio.run(go())


def test_timeout_after_sending_is_outcome_unknown_and_never_retried() -> None:
    result, seen, calls = asyncio.run(call(hang, idempotent=False))
    assert isinstance(result, OutcomeUnknown)
    assert result.code == "timeout"
    assert len(seen) == 1
    assert [c[3] for c in calls] == ["OutcomeUnknown"]


def test_idempotent_read_is_retried_then_fails_as_read_failed() -> None:
    result, seen, _ = asyncio.run(call(hang, idempotent=True, timeout=0.3))
    assert isinstance(result, OutcomeUnknown)
    assert result.code == "read_failed"
    assert len(seen) == 3


def test_dropped_connection_after_sending_is_outcome_unknown() -> None:
    result, seen, _ = asyncio.run(call(drop, idempotent=False))
    assert isinstance(result, OutcomeUnknown)
    assert result.code == "dropped"
    assert len(seen) == 1


def test_5xx_is_outcome_unknown_for_an_issue_and_retried_for_a_read() -> None:
    result, seen, _ = asyncio.run(call(answer(502, b"bad gateway"), idempotent=False))
    assert isinstance(result, OutcomeUnknown)
    assert result.code == "http_502"
    assert len(seen) == 1
    result, seen, _ = asyncio.run(call(answer(500, b"oops"), idempotent=True))
    assert isinstance(result, OutcomeUnknown)
    assert len(seen) == 3


def test_429_is_rate_limited_with_retry_after() -> None:
    result, _, _ = asyncio.run(call(answer(429, b"", "Retry-After: 7\r\n"), idempotent=False))
    assert isinstance(result, RateLimited)
    assert result.retry_after_s == 7


def test_unreadable_body_depends_on_idempotency() -> None:
    reply, _, _ = asyncio.run(call(answer(200, b"{not json"), idempotent=False))
    with pytest.raises(OutcomeUnknown):
        reply.json()
    reply, _, _ = asyncio.run(call(answer(200, b"{not json"), idempotent=True))
    with pytest.raises(ProtocolError):
        reply.json()


def test_4xx_is_returned_for_the_client_to_read() -> None:
    reply, _, calls = asyncio.run(call(answer(400, b'{"code": "400"}'), idempotent=False))
    assert reply.status == 400
    assert calls[0][3] == "http_400"


def test_a_redirect_is_followed_and_a_token_goes_only_to_its_own_host() -> None:
    """No document redirects, but a file host may: the transport follows (a 303 as a GET), and
    the Authorization header is not sent on to another host."""

    async def go() -> tuple[Any, list[bytes], list[bytes]]:
        file_host, file_url, file_seen = await serve(answer(200, b"%PDF-1.7"))
        origin, url, seen = await serve(answer(303, b"", f"Location: {file_url}/f.pdf\r\n"))
        http = HttpTransport(url, vendor="piaodanyun")
        try:
            reply = await http.request(
                "POST",
                "/download",
                data={"n": "1"},
                headers={"Authorization": "tok"},
                idempotent=True,
            )
        finally:
            await http.close()
            for server in (origin, file_host):
                server.close()
                await server.wait_closed()
        return reply, seen, file_seen

    reply, seen, file_seen = asyncio.run(go())
    assert reply.status == 200
    assert reply.body == b"%PDF-1.7"
    assert seen[0].startswith(b"POST /download ") and b"authorization: tok" in seen[0].lower()
    assert file_seen[0].startswith(b"GET /f.pdf ")
    assert b"authorization" not in file_seen[0].lower()


def test_endless_redirects_are_a_typed_error() -> None:
    async def loop_back(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await answer(307, b"", "Location: /x\r\n")(reader, writer)

    result, seen, _ = asyncio.run(call(loop_back, idempotent=False))
    assert isinstance(result, OutcomeUnknown)
    assert result.code == "malformed"
    assert len(seen) == 21  # the request and 20 redirects, as httpx's client allows


def test_a_compressed_reply_is_decoded_and_a_broken_one_is_unreadable() -> None:
    import gzip

    packed = gzip.compress(b'{"code": "200"}')
    reply, seen, _ = asyncio.run(
        call(answer(200, packed, "Content-Encoding: gzip\r\n"), idempotent=False)
    )
    assert reply.json() == {"code": "200"}
    assert b"accept-encoding: gzip, deflate" in seen[0].lower()
    result, _, _ = asyncio.run(
        call(answer(200, b"not gzip", "Content-Encoding: gzip\r\n"), idempotent=False)
    )
    assert isinstance(result, OutcomeUnknown)
    result, _, _ = asyncio.run(
        call(answer(200, b"not gzip", "Content-Encoding: gzip\r\n"), idempotent=True)
    )
    assert isinstance(result, ProtocolError)


def test_dump_json_writes_decimals_from_their_digits_and_refuses_floats() -> None:
    assert dump_json({"x": Decimal("100.00"), "y": [Decimal("-0.005"), "中"]}) == (
        '{"x":100.00,"y":[-0.005,"中"]}'.encode()
    )
    with pytest.raises(TypeError):
        dump_json({"x": 0.1})
    assert load_json(b'{"v": 1.005}') == {"v": Decimal("1.005")}


def test_redact_masks_keys_headers_forms_and_known_values() -> None:
    register_secret("s3cr3t-value")
    data = {
        "password": "p1",
        "data": {"sellerLoginPassword": "p2", "buyerName": "甲"},
        "headers": {"Authorization": "Bearer abc", "X-Api-Key": "k"},
        "note": "key is s3cr3t-value",
    }
    out = redact(data)
    assert out["password"] == "***"
    assert out["data"] == {"sellerLoginPassword": "***", "buyerName": "甲"}
    assert out["headers"] == {"Authorization": "***", "X-Api-Key": "***"}
    assert out["note"] == "key is ***"
    text = redact('{"pass": "x1", "sign": "ABC"} phone=1&pass=x2\nAuthorization: Bearer t0k')
    for secret in ("x1", "ABC", "x2", "t0k"):
        assert secret not in text
    assert "phone=1" in text


def test_log_filter_masks_secrets_in_our_and_httpx_loggers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").info("sent %s", {"token": "tok-123456"})
    logging.getLogger("invoicedesk.vendors.transport").warning("Authorization: Bearer zz99")
    assert "tok-123456" not in caplog.text
    assert "zz99" not in caplog.text
    assert "***" in caplog.text


def test_ws_connect_to_a_closed_port_is_not_sent() -> None:
    async def go() -> None:
        with pytest.raises(NotSent):
            await WsSession.connect(f"ws://127.0.0.1:{free_port()}/x", vendor="ws-invoice")

    asyncio.run(go())


def test_ws_session_maps_timeouts_closes_and_bad_json() -> None:
    from websockets.asyncio.server import ServerConnection, serve

    async def handler(conn: ServerConnection) -> None:
        async for message in conn:
            if message == '{"type":"echo"}':
                await conn.send('{"type": "echo", "data": 1.50}')
            elif message == '{"type":"garbage"}':
                await conn.send("“type”: “login”")
            elif message == '{"type":"close"}':
                await conn.close()
            # anything else: no answer

    async def go() -> None:
        calls: list[tuple[str, str, int, str]] = []
        async with serve(handler, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            url = f"ws://127.0.0.1:{port}/invoice?userId=u"
            ws = await WsSession.connect(
                url, vendor="ws-invoice", on_call=lambda *a: calls.append(a)
            )
            await ws.send_json({"type": "echo"})
            assert await ws.recv_json(2) == {"type": "echo", "data": Decimal("1.50")}
            await ws.ping()
            await ws.send_json({"type": "silent"})
            with pytest.raises(OutcomeUnknown) as info:
                await ws.recv_json(0.2)
            assert info.value.code == "timeout"
            await ws.send_json({"type": "garbage"})
            with pytest.raises(ProtocolError):
                await ws.recv_json(2, idempotent=True)
            await ws.send_json({"type": "garbage"})
            with pytest.raises(OutcomeUnknown):
                await ws.recv_json(2)
            await ws.send_json({"type": "close"})
            with pytest.raises(OutcomeUnknown) as info:
                await ws.recv_json(2)
            assert info.value.code == "ws_closed"
            assert ws.closed
            with pytest.raises(NotSent):
                await ws.send_json({"type": "invoice_info"})
            await ws.close()
        assert calls[1][:2] == ("ws-invoice", "echo")
        assert calls[2][1] == "recv echo"

    asyncio.run(go())


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12),
        st.one_of(
            st.text(max_size=20), st.sampled_from(["", "0.06", "*信息技术服务*", "a b+c&d=e"])
        ),
        max_size=8,
    )
)
def test_a_form_body_is_what_urlencode_writes(form: dict[str, str]) -> None:
    assert form_body(form) == urlencode(form).encode()
