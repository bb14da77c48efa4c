"""Tiny loopback servers that answer ONLY what the vendor documents show: the documents' own
example replies (tests/vendors/doc_examples.py), with the request's values echoed where the
document says the reply echoes them, and nothing the documents do not have (no `msg`, no
number in invoice_pdf, no envelope for signed-api)."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

from tests.vendors import doc_examples as doc

CHINA = dt.timezone(dt.timedelta(hours=8))
CENT = Decimal("0.01")
PLATFORM_RATE = Decimal("0.01")  # the rate behind the document's -500 / -4.95 example


class WsDocPlatform:
    """ws-invoice as the document shows it. `reading` is how query_invoice's 发票金额 bounds
    are applied: "total" (with tax) or "amount" (without). `hidden_queries`: that many
    query_invoice replies leave the new invoices out (a platform whose list lags)."""

    def __init__(self, reading: str = "total", hidden_queries: int = 0) -> None:
        self.reading = reading
        self.hidden_queries = hidden_queries
        self.invoice_info_count = 0
        self.invoices: list[dict[str, Any]] = []  # the rows query_invoice lists
        self.url = ""

    async def handle(self, ws: ServerConnection) -> None:
        async for raw in ws:
            message = json.loads(raw, parse_float=Decimal)
            kind, data = message.get("type"), message.get("data")
            if kind == "login":
                await ws.send(json.dumps(doc.WS_LOGIN_REPLY))
            elif kind == "invoice_info":
                await ws.send(self.invoice_pdf(data))
            elif kind == "query_invoice":
                await ws.send(self.query(data))
                await ws.send(json.dumps(doc.WS_ZIP_OK))

    def invoice_pdf(self, data: dict[str, Any]) -> str:
        self.invoice_info_count += 1
        items = data["invoiceItems"]
        gross = (Decimal(str(i["quantity"])) * Decimal(str(i["unitPrice"])) for i in items)
        total = sum(gross, Decimal("0")).quantize(CENT, ROUND_HALF_UP)
        tax = (total / (1 + PLATFORM_RATE) * PLATFORM_RATE).quantize(CENT, ROUND_HALF_UP)
        number = f"2633{len(self.invoices) + 1:016d}"
        row = copy.deepcopy(doc.WS_QUERY_REPLY["data"]["data"]["data"][0])
        row.update(
            id=len(self.invoices) + 1,
            countETicketNumbers=number,
            sellerIdentificationNumber=data["sellerIndentification"],
            sellerName=data["sellerName"],
            buyerIdentificationNumber=data["buyerIndentification"],
            buyerName=data["buyerName"],
            invoiceDate=int(dt.datetime.now(CHINA).timestamp() * 1000),
            totalAmount=float(total - tax),
            totalTax=float(tax),
            totalPriceAndTax=float(total),
            isInvoicePositive="是",
            queryType=0,
        )
        self.invoices.append(row)
        reply = copy.deepcopy(doc.WS_INVOICE_PDF_REPLY)
        for key in reply["data"]:  # the success data echoes the request
            if key in data:
                value = data[key]
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                reply["data"][key] = text
        reply["data"]["invoiceUrl"] = f"{self.url}/files/{number}.pdf"
        return json.dumps(reply, ensure_ascii=False, default=str)

    def query(self, data: dict[str, Any]) -> str:
        condition = data["condition"]
        shown = [] if self.hidden_queries > 0 else self.invoices
        self.hidden_queries -= 1
        rows = [r for r in shown if self.matches(r, condition)]
        reply = copy.deepcopy(doc.WS_QUERY_REPLY)
        page = reply["data"]["data"]
        page.update(data=rows, total=len(rows), currentPage=1, totalPage=1, hasNext=False)
        return json.dumps(reply, ensure_ascii=False, default=str)

    def matches(self, row: dict[str, Any], condition: dict[str, Any]) -> bool:
        buyer = condition.get("buyerIdentificationNumber")
        if buyer and row["buyerIdentificationNumber"] != buyer:
            return False
        value = row["totalPriceAndTax"] if self.reading == "total" else row["totalAmount"]
        low, high = condition.get("startInvoiceValue"), condition.get("endInvoiceValue")
        if low is not None and Decimal(str(value)) < Decimal(str(low)):
            return False
        return high is None or Decimal(str(value)) <= Decimal(str(high))


@asynccontextmanager
async def ws_doc_server(platform: WsDocPlatform) -> AsyncIterator[str]:
    """Serve the platform on loopback; yields the ws-invoice base URL."""
    async with serve(platform.handle, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        platform.url = f"http://127.0.0.1:{port}/ws-invoice"
        yield f"ws://127.0.0.1:{port}/ws-invoice"
        await asyncio.sleep(0)


Answer = Callable[[str, str, dict[str, Any]], tuple[int, Any]]


@contextmanager
def http_doc_server(answer: Answer) -> Iterator[str]:
    """A threaded HTTP server on loopback; `answer(method, path, json body)` → (status, body).
    Yields the base URL. Every request is recorded on the yielded server as `calls`."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw.strip() else {}
            status, out = answer(self.command, self.path, body)
            data = json.dumps(out, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _reply

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
