"""ws-invoice's history, reconciliation, line items and files."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from invoicedesk.vendors.base import (
    HistoryPage,
    IssuedInvoice,
    IssuedLine,
    ProtocolError,
    Rejected,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    HttpTransport,
    WsSession,
)
from invoicedesk.vendors.ws_invoice_session import WsInvoiceSession
from invoicedesk.vendors.ws_invoice_wire import (
    HISTORY_DAYS,
    VENDOR,
    _text,
    invoice_from_row,
    line_from_item,
    unwrap_page,
)

log = logging.getLogger(__name__)


class WsInvoiceHistory(WsInvoiceSession):
    """History and reconciliation (query_invoice pages, finding what was issued), line items
    and files."""

    # ---- history and reconciliation ---------------------------------------------------------

    async def _query_pages(
        self, condition: dict[str, Any], first_page: int = 1
    ) -> AsyncIterator[tuple[list[dict[str, Any]], bool, int]]:
        """(rows, has_next, page number) per page of query_invoice on one query socket."""
        login = await self._login_data()
        login["companyName"] = self.profile.seller.name
        ws = await WsSession.connect(
            self._ws_url("/web/invoice"), vendor=VENDOR, on_call=self.on_call
        )
        try:
            page = first_page
            while True:
                await ws.send_json(
                    {
                        "type": "query_invoice",
                        "data": {
                            "login": login,
                            "condition": condition,
                            "page": {"pageSize": self.page_size, "pageNumber": page},
                        },
                    }
                )
                rows, has_next = await self._read_page(ws)
                yield rows, has_next, page
                if not has_next:
                    return
                page += 1
        finally:
            await ws.close()

    async def _read_page(self, ws: WsSession) -> tuple[list[dict[str, Any]], bool]:
        while True:
            message = await self._recv(ws, self.reply_timeout_s, idempotent=True)
            if message.get("type") in ("query_invoice", "login"):
                break
        payload = message.get("data")
        if _text(payload) == "0":
            raise vendor_error(VENDOR, "query_invoice:0", _text(message.get("msg")))
        page = unwrap_page(payload)
        if page is None:
            raise ProtocolError(
                "开票平台返回的发票列表无法识别",
                code="bad_page",
                vendor=VENDOR,
                next_step="请稍后重试。",
            )
        rows = [r for r in page.get("data", []) if isinstance(r, dict)]
        for row in rows:
            number = _text(row.get("countETicketNumbers")) or _text(row.get("invoiceNumber"))
            if number and _text(row.get("id")):
                self._ids[number] = _text(row.get("id"))
        has_next = page.get("hasNext") is True or _text(page.get("hasNext")).lower() == "true"
        await self._zip_status(ws)
        return rows, has_next

    async def _zip_status(self, ws: WsSession) -> None:
        """The file package the server pushes after each query reply. A failure names an event
        (a time); it is retried ONCE with that event. The list itself stays valid either way,
        and files are read over HTTP, so a package that still fails is only logged."""
        try:
            message = await self._recv(ws, self.zip_timeout_s, idempotent=True)
            if message.get("type") != "query_invoice_download_zip":
                return
            event = _text(message.get("data"))
            if event == "1":
                return
            await ws.send_json({"type": "query_invoice_download_zip", "data": event})
            while True:
                again = await self._recv(ws, self.zip_timeout_s, idempotent=True)
                if again.get("type") == "query_invoice_download_zip":
                    break
            if _text(again.get("data")) == "1":
                return
            self.zip_failures += 1
            log.warning("ws-invoice: the invoice file package failed twice (event %s)", event)
        except ProtocolError:
            log.warning("ws-invoice: no answer about the invoice file package")

    def _condition(self, start: dt.date, end: dt.date, **extra: Any) -> dict[str, Any]:
        condition: dict[str, Any] = {
            "queryType": 0,
            "invoiceSource": None,
            "invoiceType": None,
            "isInvoicePositive": None,
            "countETicketNumbers": "",
            "invoiceCode": None,
            "invoiceNumber": None,
            "startInvoiceValue": None,
            "endInvoiceValue": None,
            "startInvoiceDate": start.isoformat(),
            "endInvoiceDate": end.isoformat(),
        }
        condition.update(extra)
        return condition

    async def find_issued(
        self, buyer_tax_id: str, total: Decimal, since: dt.datetime, until: dt.datetime
    ) -> list[IssuedInvoice]:
        """Invoices to this buyer whose 价税合计 (`totalPriceAndTax`) is `total`, issued in
        [since, until]. A naive time is this computer's local time (what the
        services pass). The day range asked for is one day wider on each side (the vendor's
        days may be another zone's); 发票金额 is not sent (the document does not say whether it
        includes tax): amount and exact window are matched here."""
        since, until = since.astimezone(), until.astimezone()
        start = since.astimezone(CHINA_TZ).date() - dt.timedelta(days=1)
        end = until.astimezone(CHINA_TZ).date() + dt.timedelta(days=1)
        condition = self._condition(start, end, buyerIdentificationNumber=buyer_tax_id)
        found = []
        async for rows, _, _ in self._query_pages(condition):
            for row in rows:
                invoice = invoice_from_row(row)
                if invoice.buyer_tax_id != buyer_tax_id or invoice.color != "blue":
                    continue
                if invoice.total != total:
                    continue
                if invoice.date is not None and not since <= invoice.date <= until:
                    continue
                found.append(invoice)
        return found

    async def history(self, cursor: str | None) -> AsyncIterator[HistoryPage]:
        """Pages of issued invoices, oldest first. The cursor is "<start date>|<page>": the
        vendor lists in issue order, so pages stay put as invoices are added, and the end of
        the date range is always tomorrow. A stored cursor thus resumes at its page and goes
        on to whatever was issued since (that page is read again; rows are upserted)."""
        today = dt.datetime.now(CHINA_TZ).date()
        end = today + dt.timedelta(days=1)
        start, first = self._parse_cursor(cursor, today)
        async for rows, has_next, page in self._query_pages(self._condition(start, end), first):
            next_cursor = f"{start.isoformat()}|{page + 1}" if has_next else None
            yield HistoryPage(tuple(invoice_from_row(r) for r in rows), next_cursor)

    def _parse_cursor(self, cursor: str | None, today: dt.date) -> tuple[dt.date, int]:
        if cursor:
            try:
                parts = cursor.split("|")
                return dt.date.fromisoformat(parts[0]), max(1, int(parts[-1]))
            except (ValueError, IndexError):
                log.warning("ws-invoice: unreadable history cursor, starting over")
        since = self.profile.options.get("history_since", "")
        try:
            start = dt.date.fromisoformat(since) if since else None
        except ValueError:
            start = None
        return start or today - dt.timedelta(days=HISTORY_DAYS), 1

    async def _invoice_id(self, number: str) -> str:
        if number in self._ids:
            return self._ids[number]
        end = dt.datetime.now(CHINA_TZ).date() + dt.timedelta(days=1)
        condition = self._condition(
            end - dt.timedelta(days=HISTORY_DAYS * 3), end, countETicketNumbers=number
        )
        async for _, _, _ in self._query_pages(condition):
            if number in self._ids:
                return self._ids[number]
        raise Rejected(
            f"开票平台没有查到发票 {number}",
            code="not_found",
            vendor=VENDOR,
            next_step="请先同步发票历史，或核对发票号码。",
        )

    # ---- line items and files ---------------------------------------------------------------

    async def _get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        reply = await self._transport().request("GET", path, params=params, idempotent=True)
        if reply.status in (401, 403):
            raise vendor_error(VENDOR, f"http_{reply.status}")
        body = reply.json()
        if not isinstance(body, dict) or "code" not in body:
            raise ProtocolError(
                "开票平台返回的内容无法识别。",
                code="malformed",
                vendor=VENDOR,
                next_step="请稍后重试。",
            )
        code = _text(body.get("code"))
        if code not in ("0", "200"):
            # A structured "no" (e.g. 500 发票不存在): the vendor's refusal, with its words.
            raise vendor_error(VENDOR, code, _text(body.get("msg")))
        return body.get("data")

    async def line_items(self, number: str) -> list[IssuedLine]:
        invoice_id = await self._invoice_id(number)
        data = await self._get_json(f"/web/invoice/item/{quote(invoice_id, safe='')}")
        return [line_from_item(item) for item in data or [] if isinstance(item, dict)]

    async def _file_url(self, invoice_id: str, kind: str) -> str | None:
        data = await self._get_json(
            "/web/invoice/file", params={"invoiceIdList": [invoice_id], "typeList": [kind]}
        )
        for item in data or []:
            if isinstance(item, dict) and _text(item.get("type")).lower() == kind:
                url = _text(item.get("url"))
                if url:
                    return url
        return None

    async def download(self, invoice: IssuedInvoice, kind: str) -> bytes:
        kind = kind.lower()
        if kind not in ("pdf", "ofd", "xml"):
            raise self._unsupported(f"{kind} 格式文件")
        url = invoice.files.get(kind)  # the PDF of a fresh issue: invoice_pdf's invoiceUrl
        if not url:
            if not invoice.number:
                raise Rejected(
                    "这张发票的号码还在查询中，暂时无法下载文件",
                    code="no_number",
                    vendor=VENDOR,
                    next_step="请稍后同步发票历史，号码补上后即可下载。",
                )
            url = await self._file_url(await self._invoice_id(invoice.number), kind)
        if not url:
            raise ProtocolError(
                f"开票平台没有这张发票的 {kind.upper()} 文件",
                code="no_file",
                vendor=VENDOR,
                next_step="请稍后重试下载。",
            )
        return await self._fetch(url)

    async def _fetch(self, url: str) -> bytes:
        parts = urlsplit(url)
        if not parts.scheme:
            reply = await self._transport().request("GET", url, idempotent=True)
        else:
            origin = f"{parts.scheme}://{parts.netloc}"
            transport = self._files.get(origin)
            if transport is None:
                transport = self._files[origin] = HttpTransport(
                    origin,
                    vendor=VENDOR,
                    timeout=self.http_timeout_s,
                    on_call=self.on_call,
                    retry_delays=self.read_retry_delays,
                )
            reply = await transport.request("GET", url, idempotent=True)
        if reply.status != 200 or not reply.body:
            raise ProtocolError(
                f"下载发票文件失败（HTTP {reply.status}）",
                code=f"http_{reply.status}",
                vendor=VENDOR,
                next_step="请稍后重试下载。",
            )
        return reply.body
