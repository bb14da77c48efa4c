"""The sandbox web app: five vendor simulators, the control API at /_sandbox, an index page.

Control API (JSON bodies; unknown extra fields ignored; errors are HTTP 400/404 with
`{"error": "..."}`), exactly the README table plus a few conveniences:
  GET  /_sandbox/invoices                 every invoice or accepted order, all vendors
  POST /_sandbox/face/require             {"vendor", "tax_id"}
  POST /_sandbox/face/scan                {"vendor", "tax_id", "ok": true}
  POST /_sandbox/invoices/{number}/used   the buyer has used the invoice
  POST /_sandbox/red/confirm              {"form_no", "accept": true}
  POST /_sandbox/clock                    {"advance_hours": 73}
  POST /_sandbox/faults                   one fault object, a list of them, or {"clear": true}
  POST /_sandbox/reset                    empty state, no faults, first settings
  GET  /_sandbox/state                    settings, clock, credit, faults, counts, red forms
  GET  /_sandbox/faults                   the active faults
  GET|POST /_sandbox/settings             read / change SandboxSettings fields
  GET  /_sandbox/red                      every red form
  POST /_sandbox/seed                     {"count": 1000, "vendor": "open-api"} issue demo invoices
  GET  /_sandbox/files/{number}.{pdf|ofd|xml}   the files of an invoice
  GET  /_sandbox/ws                       ws-invoice's WebSockets: {"open": n, "opened": m since
                                          the reset}
  POST /_sandbox/ws/drop                  close them all (1001), as a network outage would
`tax_id` defaults to the sandbox seller's. Faults: see core.parse_fault; `rate` defaults to 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import importlib
import logging
import socket
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from invoicedesk.sandbox import faw, open_api, signed_api
from invoicedesk.sandbox.core import (
    SECOND_BUYER_TAX_ID,
    VENDORS,
    Refused,
    SandboxSettings,
    SandboxState,
    SbLine,
    q2,
)
from invoicedesk.sandbox.wire import BadField, read_json_object

log = logging.getLogger(__name__)

SAVE_INTERVAL_S = 1.0  # with a state folder: how far the saved state may lag behind

DEMO_ACCOUNTS = {
    "open-api": "X-Api-Key: sandbox-api-key",
    "ws-invoice": "userId=sandbox-user，手机号 13800000000，密码 sandbox-password",
    "piaodanyun": "phone 13800000000，pass sandbox-password，tenant_id 1，短信验证码 123456",
    "signed-api": "flag sandbox-flag，secret sandbox-secret",
    "faw": "Authorization: Bearer sandbox-token，U_ID: sandbox",
}


def base_urls(host: str, port: int) -> dict[str, str]:
    http = f"http://{host}:{port}"
    return {
        "open-api": f"{http}/open-api",
        "ws-invoice": f"ws://{host}:{port}/ws-invoice",
        "piaodanyun": f"{http}/piaodanyun",
        "signed-api": f"{http}/signed-api",
        "faw": f"{http}/faw",
    }


def _optional_routes(module: str, state: SandboxState) -> list[BaseRoute] | None:
    """The other engineer's simulators, mounted only when their module exists."""
    try:
        mod = importlib.import_module(f"invoicedesk.sandbox.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"invoicedesk.sandbox.{module}":
            raise
        return None
    result: list[BaseRoute] = mod.routes(state)
    return result


def _bad(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    return await read_json_object(request)


def _vendor_tax_id(state: SandboxState, body: dict[str, Any]) -> tuple[str, str]:
    vendor = body.get("vendor")
    if vendor not in VENDORS:
        raise BadField(f"vendor must be one of {list(VENDORS)}")
    tax_id = body.get("tax_id") or state.settings.seller_tax_id
    if not isinstance(tax_id, str):
        raise BadField("tax_id must be a string")
    return str(vendor), tax_id


def seed(state: SandboxState, count: int, vendor: str) -> int:
    """Issue `count` small demo invoices (for paging tests); returns how many were issued."""
    start = len(state.invoices.all())
    for i in range(count):
        amount = Decimal(100 + i % 900) + Decimal("0.50")
        tax = q2(amount * Decimal("0.06"))
        line = SbLine(
            index=1,
            name="*信息技术服务*软件服务费",
            tax_code="3040201010000000000",
            unit="项",
            quantity=Decimal(1),
            unit_price=amount,
            amount=amount,
            tax_rate=Decimal("0.06"),
            tax=tax,
        )
        state.invoices.issue(
            vendor,
            f"SEED{start + i:06d}",
            lines=[line],
            buyer_name=f"演示客户{i % 50:02d}有限公司",
            buyer_tax_id=SECOND_BUYER_TAX_ID,
        )
    return count


def control_routes(state: SandboxState) -> list[BaseRoute]:
    def guarded(fn: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                result: Response = await fn(request)
                return result
            except (BadField, ValueError) as exc:
                return _bad(getattr(exc, "message", None) or str(exc))
            except Refused as exc:
                return _bad(exc.message, 409)

        return run

    async def invoices(request: Request) -> Response:
        return JSONResponse({"invoices": [x.summary() for x in state.invoices.all()]})

    async def face_require(request: Request) -> Response:
        vendor, tax_id = _vendor_tax_id(state, await _body(request))
        state.face.require(vendor, tax_id)
        return JSONResponse({"ok": True, "needed": True})

    async def face_scan(request: Request) -> Response:
        body = await _body(request)
        vendor, tax_id = _vendor_tax_id(state, body)
        ok = body.get("ok", True)
        if not isinstance(ok, bool):
            raise BadField("ok must be true or false")
        state.face.scan(vendor, tax_id, ok)
        until = state.face.valid_until(vendor, tax_id)
        return JSONResponse({"ok": ok, "valid_until": until.isoformat() if until else None})

    async def used(request: Request) -> Response:
        invoice = state.invoices.get(request.path_params["number"])
        if invoice is None:
            return _bad("no such invoice", 404)
        invoice.used = True
        return JSONResponse({"ok": True, "number": invoice.number, "used": True})

    async def red_confirm(request: Request) -> Response:
        body = await _body(request)
        form_no = body.get("form_no")
        accept = body.get("accept", True)
        if not isinstance(form_no, str) or not isinstance(accept, bool):
            raise BadField("form_no (string) and accept (true/false) are required")
        form = state.red.confirm(form_no, accept)
        return JSONResponse({"form_no": form.form_no, "status": form.status})

    async def red_list(request: Request) -> Response:
        return JSONResponse({"forms": [_form_json(f) for f in state.red.all()]})

    async def clock(request: Request) -> Response:
        body = await _body(request)
        hours = body.get("advance_hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal):
            raise BadField("advance_hours must be a number")
        state.clock.advance(Decimal(str(hours)))
        return JSONResponse({"now": state.clock.now().isoformat()})

    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"faults": state.faults.list()})
        raw = await request.body()
        import json

        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise BadField("body must be JSON") from None
        if isinstance(body, dict) and body.get("clear"):
            state.faults.clear()
            return JSONResponse({"faults": []})
        specs = body if isinstance(body, list) else [body]
        for spec in specs:
            state.faults.add(spec)
        return JSONResponse({"faults": state.faults.list()})

    async def sockets(request: Request) -> Response:
        return JSONResponse(state.sockets.as_json())

    async def drop_sockets(request: Request) -> Response:
        return JSONResponse({"dropped": await state.sockets.drop()})

    async def reset(request: Request) -> Response:
        state.reset()
        return JSONResponse({"ok": True})

    async def settings(request: Request) -> Response:
        if request.method == "POST":
            body = await _body(request)
            state.settings.update(body)
            if "credit_total" in body:
                state.credit.total = state.settings.credit_total
        return JSONResponse(state.settings.as_json())

    async def state_view(request: Request) -> Response:
        all_invoices = state.invoices.all()
        return JSONResponse(
            {
                "now": state.clock.now().isoformat(),
                "settings": state.settings.as_json(),
                "credit": {
                    "total": str(state.credit.total),
                    "used": str(state.credit.used),
                    "left": str(state.credit.left),
                },
                "faults": state.faults.list(),
                "counts": {v: sum(1 for x in all_invoices if x.vendor == v) for v in VENDORS},
                "red_forms": [_form_json(f) for f in state.red.all()],
                "face": [
                    {
                        "vendor": v,
                        "tax_id": t,
                        "needed": state.face.needed(v, t),
                        "valid_until": (
                            u.isoformat() if (u := state.face.valid_until(v, t)) else None
                        ),
                    }
                    for v, t in sorted(set(state.face.required) | set(state.face.last_scan))
                ],
            }
        )

    async def seed_view(request: Request) -> Response:
        body = await _body(request)
        count = body.get("count", 10)
        vendor = body.get("vendor", "open-api")
        if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 20000:
            raise BadField("count must be an integer from 1 to 20000")
        if vendor not in VENDORS or vendor == "faw":
            raise BadField("vendor must be a vendor that numbers invoices")
        return JSONResponse({"issued": seed(state, count, vendor)})

    async def files(request: Request) -> Response:
        from invoicedesk.sandbox.files import file_bytes

        invoice = state.invoices.get(request.path_params["number"])
        if invoice is None:
            return _bad("no such invoice", 404)
        try:
            content, media = file_bytes(invoice, request.path_params["ext"])
        except ValueError:
            return _bad("ext must be pdf, ofd or xml", 404)
        return Response(content, media_type=media)

    return [
        Route("/invoices", guarded(invoices), methods=["GET"]),
        Route("/invoices/{number}/used", guarded(used), methods=["POST"]),
        Route("/face/require", guarded(face_require), methods=["POST"]),
        Route("/face/scan", guarded(face_scan), methods=["POST"]),
        Route("/red/confirm", guarded(red_confirm), methods=["POST"]),
        Route("/red", guarded(red_list), methods=["GET"]),
        Route("/clock", guarded(clock), methods=["POST"]),
        Route("/faults", guarded(faults), methods=["GET", "POST"]),
        Route("/reset", guarded(reset), methods=["POST"]),
        Route("/ws", guarded(sockets), methods=["GET"]),
        Route("/ws/drop", guarded(drop_sockets), methods=["POST"]),
        Route("/settings", guarded(settings), methods=["GET", "POST"]),
        Route("/state", guarded(state_view), methods=["GET"]),
        Route("/seed", guarded(seed_view), methods=["POST"]),
        Route("/files/{number}.{ext}", guarded(files), methods=["GET"]),
    ]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _form_json(form: Any) -> dict[str, Any]:
    return {
        "form_no": form.form_no,
        "uuid": form.uuid,
        "blue_number": form.blue_number,
        "reason": form.reason,
        "initiator": form.initiator,
        "status": form.status,
        "used": form.used,
        "red_number": form.red_number,
        "amount": str(form.amount),
        "tax": str(form.tax),
        "total": str(form.total),
        "created_at": form.created_at.isoformat(),
    }


def build_app(state: SandboxState) -> Starlette:
    def index(request: Request) -> Response:
        host = request.url.hostname or "127.0.0.1"
        port = request.url.port or 80
        rows = "".join(
            f"<tr><td>{html.escape(key)}</td><td><code>{html.escape(url)}</code></td>"
            f"<td>{html.escape(DEMO_ACCOUNTS[key])}</td>"
            f"<td>{'已挂载' if key in mounted else '未提供'}</td></tr>"
            for key, url in base_urls(host, port).items()
        )
        page = (
            "<!doctype html><html lang='zh-CN'><meta charset='utf-8'>"
            "<title>InvoiceDesk 模拟器</title><h1>InvoiceDesk 开票平台模拟器</h1>"
            f"<p>销售方：{html.escape(state.settings.seller_name)}，税号 "
            f"{html.escape(state.settings.seller_tax_id)}；演示购买方税号 {SECOND_BUYER_TAX_ID}</p>"
            "<table border='1' cellpadding='4'><tr><th>平台</th><th>基础地址</th>"
            f"<th>演示账号</th><th>状态</th></tr>{rows}</table>"
            f"<p>控制接口：<code>http://{html.escape(host)}:{port}/_sandbox</code>"
            "（状态见 <a href='/_sandbox/state'>/_sandbox/state</a>）</p></html>"
        )
        return HTMLResponse(page)

    async def index_async(request: Request) -> Response:
        return index(request)

    signed = signed_api.handler(state)
    mounted = {"open-api", "signed-api", "faw"}
    routes: list[BaseRoute] = [
        Route("/", index_async, methods=["GET"]),
        Mount("/_sandbox", routes=control_routes(state)),
        Mount("/open-api", routes=open_api.routes(state)),
        Route("/signed-api", signed, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Mount("/signed-api", routes=signed_api.routes(state)),
        Mount("/faw", routes=faw.routes(state)),
    ]
    for key, module in (("piaodanyun", "piaodanyun"), ("ws-invoice", "ws_invoice")):
        extra = _optional_routes(module, state)
        if extra is not None:
            routes.append(Mount(f"/{key}", routes=extra))
            mounted.add(key)
    return Starlette(routes=routes, exception_handlers={ClientDisconnect: _client_left})


async def _client_left(request: Request, exc: Exception) -> Response:
    """A client that hung up while sending (e.g. a download cancelled as the program closes):
    nothing to answer, and no traceback in the sandbox's console for it."""
    return Response(status_code=499)  # nginx's "client closed request"; never delivered


class _QuietDrops(logging.Filter):
    """drop_after faults end responses early on purpose: that is not an error worth a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


def quiet_logging() -> None:
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in error_log.filters):
        error_log.addFilter(_QuietDrops())
    logging.getLogger("uvicorn.access").disabled = True


class SandboxServer:
    """The sandbox served by uvicorn on a background thread with its own event loop."""

    def __init__(self, state: SandboxState, host: str, sock: socket.socket) -> None:
        self.state = state
        self.host = host
        self.port: int = sock.getsockname()[1]
        self.base_urls = base_urls(host, self.port)
        self.control_url = f"http://{host}:{self.port}/_sandbox"
        state.base_http = f"http://{host}:{self.port}"
        self._sock = sock
        quiet_logging()
        config = uvicorn.Config(
            build_app(state),
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",
            ws="websockets-sansio",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="sandbox-server", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        saver = asyncio.create_task(self._save_every(SAVE_INTERVAL_S))
        try:
            await self._server.serve(sockets=[self._sock])
        finally:
            saver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await saver
            self._save()

    async def _save_every(self, interval: float) -> None:
        """Keep the saved state (if any) at most `interval` behind, written on this loop so
        that no request changes the state while it is written."""
        if self.state.state_dir is None:
            return
        while True:
            await asyncio.sleep(interval)
            self._save()

    def _save(self) -> None:
        try:
            self.state.save()
        except OSError:
            log.exception("could not save the sandbox state")

    @classmethod
    def start_in_thread(
        cls,
        host: str = "127.0.0.1",
        port: int = 0,
        settings: SandboxSettings | None = None,
        faults: list[dict[str, Any]] | None = None,
        state_dir: Path | None = None,
    ) -> SandboxServer:
        """Start listening and return once the server accepts connections. With `state_dir`
        the simulators' state is loaded from it and kept there (sandbox/persist.py)."""
        # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY on accepted sockets only when the
        # socket's proto says TCP. With proto 0, Nagle held each reply's body until the client
        # acknowledged its headers (delayed ACK): ~40 ms added to every call.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        state = SandboxState(settings, state_dir)
        for spec in faults or []:
            state.faults.add(spec)
        server = cls(state, host, sock)
        server._thread.start()
        while not server._server.started:
            if not server._thread.is_alive():
                raise RuntimeError("the sandbox server failed to start")
            threading.Event().wait(0.01)
        return server

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
