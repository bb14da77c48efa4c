"""Fault injection: the faults the control API adds (latency, errors, timeouts, dropped or
malformed replies) and how a call draws them."""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from invoicedesk.sandbox.basics import (
    FAULT_KINDS,
    VENDORS,
    to_decimal,
)

if TYPE_CHECKING:
    from invoicedesk.sandbox.core import SandboxState


# ---------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------


@dataclass
class FaultSpec:
    vendor: str
    endpoint: str
    kind: str
    rate: float | None = None
    count: int | None = None
    latency_ms: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "endpoint": self.endpoint,
            "kind": self.kind,
            "rate": self.rate,
            "count": self.count,
            "latency_ms": self.latency_ms,
        }


@dataclass
class FaultDraw:
    latency_ms: int = 0
    kinds: set[str] = field(default_factory=set)

    def __contains__(self, kind: object) -> bool:
        return kind in self.kinds


def parse_fault(spec: dict[str, Any]) -> FaultSpec:
    """Validate one fault description; ValueError names what is wrong."""
    if not isinstance(spec, dict):
        raise ValueError("a fault must be a JSON object")
    vendor = str(spec.get("vendor") or "*")
    endpoint = str(spec.get("endpoint") or "*")
    kind = spec.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f"kind must be one of {sorted(FAULT_KINDS)}")
    if vendor != "*" and vendor not in VENDORS:
        raise ValueError(f"vendor must be one of {list(VENDORS)} or *")
    rate: float | None = None
    count: int | None = None
    if spec.get("count") is not None:
        number = to_decimal(spec["count"])
        if number is None or number < 0 or number != number.to_integral_value():
            raise ValueError("count must be a non-negative integer")
        count = int(number)
    else:
        number = to_decimal(spec.get("rate", 1))
        if number is None or not 0 <= number <= 1:
            raise ValueError("rate must be a number between 0 and 1")
        rate = float(number)
    latency = to_decimal(spec.get("latency_ms", 1000 if kind == "latency" else 0))
    if latency is None or latency < 0:
        raise ValueError("latency_ms must be a non-negative number")
    return FaultSpec(vendor, endpoint, str(kind), rate, count, int(latency))


class Faults:
    def __init__(self, rng: random.Random | None = None) -> None:
        self.specs: list[FaultSpec] = []
        self.rng = rng or random.Random()
        self.lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> FaultSpec:
        parsed = parse_fault(spec)
        with self.lock:
            self.specs.append(parsed)
        return parsed

    def clear(self) -> None:
        with self.lock:
            self.specs.clear()

    def list(self) -> list[dict[str, Any]]:
        with self.lock:
            return [s.as_json() for s in self.specs]

    def draw(self, vendor: str, endpoint: str, *aliases: str) -> FaultDraw:
        """Which faults fire for this call; consumes `count` faults. `aliases` are other names
        the endpoint answers to (a templated path's route name besides its literal segment)."""
        result = FaultDraw()
        names = {"*", endpoint, *aliases}
        with self.lock:
            for spec in list(self.specs):
                if spec.vendor not in ("*", vendor) or spec.endpoint not in names:
                    continue
                if spec.count is not None:
                    if spec.count <= 0:
                        continue
                    spec.count -= 1
                    if spec.count == 0:
                        self.specs.remove(spec)
                elif self.rng.random() >= (spec.rate or 0.0):
                    continue
                result.kinds.add(spec.kind)
                result.latency_ms += spec.latency_ms
        return result


class _DroppedResponse:
    """Promises a longer body than it sends, then returns: the server closes the connection,
    so the client sees an incomplete response after the action has been committed."""

    def __init__(self, body: bytes, status_code: int = 200) -> None:
        self.body = body
        self.status_code = status_code

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        partial = self.body[: max(1, len(self.body) // 2)]
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(self.body) + 64).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": partial, "more_body": True})


def malformed_body(body: bytes) -> bytes:
    """A truncated body with garbage after it: never valid JSON."""
    cut = body[: max(0, len(body) // 2)]
    return cut + b"\x00<!-- upstream garbage -->{"


Handler = Callable[[Request], Awaitable[Response]]


async def http_with_faults(
    state: SandboxState,
    vendor: str,
    endpoint: str,
    request: Request,
    handler: Handler,
    *,
    token_expired: Callable[[], Response] | None = None,
    aliases: tuple[str, ...] = (),
) -> Response:
    """Run `handler` (which acts) wrapped in the faults drawn for (vendor, endpoint).

    Order: latency (sleep, then go on) → token_expired (the vendor's `token_expired()` answer,
    no action) → http_500 (plain 500, no action) → timeout_before (hang `hang_s`, then 504, no
    action) → the handler acts → timeout_after (hang, then 504) → drop_after (half the body
    under a longer Content-Length, then the connection closes) → malformed (a 200 whose body
    is truncated JSON with garbage).
    """
    draw = state.faults.draw(vendor, endpoint, *aliases)
    if draw.latency_ms:
        await asyncio.sleep(draw.latency_ms / 1000)
    if "token_expired" in draw.kinds:
        if token_expired is not None:
            return token_expired()
        return JSONResponse({"code": 401, "message": "token expired"}, status_code=401)
    if "http_500" in draw.kinds:
        return Response("Internal Server Error", status_code=500, media_type="text/plain")
    if "timeout_before" in draw.kinds:
        await asyncio.sleep(state.settings.hang_s)
        return Response("Gateway Timeout", status_code=504, media_type="text/plain")
    response = await handler(request)
    if "timeout_after" in draw.kinds:
        await asyncio.sleep(state.settings.hang_s)
        return Response("Gateway Timeout", status_code=504, media_type="text/plain")
    body = bytes(getattr(response, "body", b"") or b"")
    if "drop_after" in draw.kinds:
        return _DroppedResponse(body or b"{}", response.status_code)  # type: ignore[return-value]
    if "malformed" in draw.kinds:
        return Response(malformed_body(body), status_code=200, media_type="application/json")
    return response
