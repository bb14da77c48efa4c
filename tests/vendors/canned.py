"""A loopback HTTP server that answers with the vendor documents' own example replies.

The document-strict tests feed a client exactly what a document prints (copied as data), over a
real socket, and record what the client sent. Replies are keyed by the request path's last
segment; each key holds a list of replies served in turn (the last one repeats).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


class Canned:
    def __init__(self, replies: dict[str, list[Any]]) -> None:
        self.replies = {key: list(value) for key, value in replies.items()}
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.base_url = ""

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        parts = urlsplit(path)
        key = parts.path.rstrip("/").rsplit("/", 1)[-1]
        text = body.decode("utf-8", "replace")
        if headers.get("content-type", "").startswith("application/json") and text:
            parsed: Any = json.loads(text)
        else:
            parsed = dict(parse_qsl(text, keep_blank_values=True))
        with self.lock:
            self.requests.append(
                {
                    "method": method,
                    "endpoint": key,
                    "query": dict(parse_qsl(parts.query)),
                    "headers": headers,
                    "body": parsed,
                }
            )
            queue = self.replies.get(key)
            if not queue:
                return None
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def sent(self, endpoint: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if r["endpoint"] == endpoint]


@contextmanager
def canned_server(replies: dict[str, list[Any]], prefix: str = "") -> Iterator[Canned]:
    canned = Canned(replies)

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = canned.answer(self.command, self.path, headers, body)
            data = b"" if reply is None else json.dumps(reply, ensure_ascii=False).encode()
            self.send_response(404 if reply is None else 200)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _reply

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    canned.base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    try:
        yield canned
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
