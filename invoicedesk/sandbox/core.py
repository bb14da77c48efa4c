"""The sandbox's shared state: clock, faults, invoices, face authentication, red forms, credit.

Every vendor simulator reads and writes one `SandboxState`, so an invoice issued through one
vendor shows up in another vendor's list (signed-api lists everything the seller issued).
All state lives in memory and is touched from the server's event loop; a lock guards the few
places a test thread may also write (seeding invoices).

Readings made here where the documents are silent:
- Sandbox time (`state.clock`) is the real local time plus an offset that the control API can
  advance; business time (issue dates, face-auth expiry, 72-hour red forms, token expiry) uses it.
- Numbers are 20 digits: 2-digit year + province `33` + one channel digit per vendor
  (`CHANNEL_DIGITS`) + a 15-digit sequence shared by all vendors. FAW orders get no number.
- Credit (发票额度) is consumed by a blue invoice's amount excluding tax, and restored by a red
  invoice issued in the same month as its blue invoice (domain-reference §6.5).
- A red form may be raised only by the seller while the buyer has not used the invoice (status
  01); once used, either side may raise it (02 seller / 03 buyer) and the other must confirm.
- Faults fire in the order they were added; a `count` fault fires on the next N matching calls,
  a `rate` fault on each matching call with that probability. Latencies of several faults add.
"""

from __future__ import annotations

import asyncio
import copy
import json
import random
import re
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

CENT = Decimal("0.01")

SELLER_NAME = "演示科技有限公司"
SELLER_TAX_ID = "91330106MA2H7Q3D1G"
SELLER_USER = "13800000000"
SECOND_BUYER_TAX_ID = "91110108MA01K2P4XY"

VENDORS = ("open-api", "ws-invoice", "piaodanyun", "signed-api", "faw")
# digit 5 of the 20-digit number: which channel issued it (a sandbox convention).
CHANNEL_DIGITS = {"open-api": "1", "ws-invoice": "2", "piaodanyun": "3", "signed-api": "4"}

FAULT_KINDS = frozenset(
    {
        "latency",
        "http_500",
        "timeout_before",
        "timeout_after",
        "drop_after",
        "malformed",
        "token_expired",
        "ws_close",
    }
)

LINE_TAX_TOLERANCE = Decimal("0.06")
TOTAL_TOLERANCE = Decimal("0.01")
TOTAL_TAX_TOLERANCE = Decimal("1.27")


class Refused(Exception):
    """A business refusal with a Chinese message; simulators turn it into their error envelope."""

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: Any) -> Decimal | None:
    """Decimal from a wire value (string or number); None when it is not a finite number.

    Floats are converted through their repr so that 100.1 stays 100.1.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


_DEC_MARK = "\u0000dec:"
_DEC_PATTERN = re.compile(r'"\\u0000dec:(-?[0-9]+(?:\.[0-9]+)?)"')


def json_body(obj: Any) -> bytes:
    """JSON with every Decimal written as a JSON number with its exact digits (never a float)."""

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_DEC_MARK}{value:f}"
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(obj), ensure_ascii=False, separators=(",", ":"))
    return _DEC_PATTERN.sub(r"\1", text).encode("utf-8")


class DecimalJSONResponse(Response):
    """A JSON response where Decimal values become JSON numbers (see `json_body`)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json_body(content)


# ---------------------------------------------------------------------------------------------
# Settings and clock
# ---------------------------------------------------------------------------------------------


@dataclass
class SandboxSettings:
    token_ttl_s: int = 7200
    face_window_hours: Decimal = Decimal("24")
    open_api_processing_s: float = 0.3
    hang_s: float = 30.0
    credit_total: Decimal = Decimal("1000000.00")
    red_form_hours: int = 72
    signed_window_s: int = 300
    seller_name: str = SELLER_NAME
    seller_tax_id: str = SELLER_TAX_ID
    # ws-invoice readings the document leaves open (vendors/README.md): what 发票金额 in a
    # query_invoice condition bounds ("total" with tax, "amount" without), and whether the
    # undocumented item fields taxRate/taxClassificationCode are honoured or ignored
    ws_value_reading: str = "total"
    ws_item_tax: str = "honour"

    def update(self, values: dict[str, Any]) -> None:
        """Set the known fields from a JSON object (unknown keys are ignored); ValueError on bad."""
        for f in fields(self):
            if f.name not in values:
                continue
            current = getattr(self, f.name)
            raw = values[f.name]
            if isinstance(current, Decimal):
                number = to_decimal(raw)
                if number is None or number < 0:
                    raise ValueError(f"{f.name} must be a non-negative number")
                setattr(self, f.name, number)
            elif isinstance(current, bool | str):
                setattr(self, f.name, str(raw))
            else:
                number = to_decimal(raw)
                if number is None or number < 0:
                    raise ValueError(f"{f.name} must be a non-negative number")
                setattr(self, f.name, type(current)(number))

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Decimal) else value
        return out


# The platforms are in China: their times are Beijing time (UTC+8, no daylight saving), naive
# on the wire, whatever zone the computer running the sandbox is set to.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


def beijing_now() -> datetime:
    """The true current Beijing time, naive, as the platforms write it."""
    return datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


class Clock:
    """Real Beijing time plus an offset moved by `advance`."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return beijing_now() + self.offset

    def advance(self, hours: float | Decimal | int) -> None:
        self.offset += timedelta(hours=float(hours))

    def reset(self) -> None:
        self.offset = timedelta()


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


# ---------------------------------------------------------------------------------------------
# Invoices
# ---------------------------------------------------------------------------------------------


@dataclass
class SbLine:
    index: int
    name: str
    tax_code: str = ""
    spec: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal = Decimal("0.00")  # excluding tax
    tax_rate: Decimal = Decimal("0")
    tax: Decimal = Decimal("0.00")
    kind: str = "normal"  # normal / discount / discounted
    blue_index: int | None = None  # on red lines: the blue line this one reverses

    @property
    def total(self) -> Decimal:
        return self.amount + self.tax


@dataclass
class SbInvoice:
    vendor: str
    serial: str
    number: str | None
    issued_at: datetime
    invoice_type: str = "82"  # 82 数电普票, 81 数电专票
    seller_name: str = SELLER_NAME
    seller_tax_id: str = SELLER_TAX_ID
    buyer_name: str = ""
    buyer_tax_id: str = ""
    buyer_address: str = ""
    buyer_phone: str = ""
    buyer_bank: str = ""
    buyer_account: str = ""
    buyer_email: str = ""
    lines: list[SbLine] = field(default_factory=list)
    amount: Decimal = Decimal("0.00")
    tax: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    remark: str = ""
    color: str = "blue"
    blue_number: str | None = None
    red_form_no: str | None = None
    used: bool = False
    status: str = "issued"  # issued / red_partly / red_fully (blue); issued (red)
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The control API's row."""
        return {
            "vendor": self.vendor,
            "serial": self.serial,
            "number": self.number,
            "date": self.issued_at.strftime("%Y-%m-%d %H:%M:%S"),
            "amount": str(self.amount),
            "tax": str(self.tax),
            "total": str(self.total),
            "color": self.color,
            "blue_number": self.blue_number,
            "used": self.used,
        }


def check_figures(
    lines: list[SbLine],
    amount: Decimal | None = None,
    tax: Decimal | None = None,
    total: Decimal | None = None,
) -> str | None:
    """The tax bureau's tolerances (domain-reference §2.2); a Chinese refusal or None."""
    if not lines:
        return "发票明细不能为空"
    for line in lines:
        if (
            line.quantity is not None
            and line.unit_price is not None
            and abs(line.quantity * line.unit_price - line.amount) > TOTAL_TOLERANCE
        ):
            return f"第{line.index}行：单价×数量与金额相差超过0.01"
        if abs(line.amount * line.tax_rate - line.tax) > LINE_TAX_TOLERANCE:
            return f"第{line.index}行：金额×税率与税额相差超过0.06"
    if amount is not None and abs(sum((x.amount for x in lines), Decimal(0)) - amount) > CENT:
        return "明细金额之和与合计金额相差超过0.01"
    if tax is not None:
        expected = sum((x.amount * x.tax_rate for x in lines), Decimal(0))
        if abs(expected - tax) > TOTAL_TAX_TOLERANCE:
            return "发票总税额误差不能超过1.27"
    if amount is not None and tax is not None and total is not None and amount + tax != total:
        return "合计金额加合计税额不等于价税合计"
    return None


@dataclass
class Redeemable:
    index: int
    quantity: Decimal | None
    amount: Decimal
    tax: Decimal


class Credit:
    def __init__(self, total: Decimal) -> None:
        self.total = total
        self.used = Decimal("0.00")

    @property
    def left(self) -> Decimal:
        return self.total - self.used

    def consume(self, amount: Decimal) -> None:
        if amount > self.left:
            raise Refused(f"发票额度不足：剩余可用额度 {self.left}，本次需要 {amount}", "credit")
        self.used += amount

    def restore(self, amount: Decimal) -> None:
        self.used = max(Decimal("0.00"), self.used - amount)


class Invoices:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.by_key: dict[tuple[str, str], SbInvoice] = {}
        self.by_number: dict[str, SbInvoice] = {}
        self.sequence = 0
        self.lock = threading.RLock()

    def next_number(self, vendor: str, when: datetime) -> str:
        self.sequence += 1
        channel = CHANNEL_DIGITS.get(vendor, "9")
        return f"{when:%y}33{channel}{self.sequence:015d}"

    def issue(self, vendor: str, serial: str, **fields_: Any) -> SbInvoice:
        """Record an invoice (or a FAW order with `number=None`); same vendor+serial → the first.

        Fields are SbInvoice's; amount/tax/total default to the sums of the lines. Pass
        `number=None` for an order without a number. Consumes credit (blue) or restores it
        (red, same month). Raises Refused when the credit line is exhausted.
        """
        with self.lock:
            existing = self.by_key.get((vendor, serial))
            if existing is not None:
                return existing
            when = fields_.pop("issued_at", None) or self.state.clock.now()
            lines: list[SbLine] = fields_.pop("lines", [])
            amount = fields_.pop("amount", None)
            tax = fields_.pop("tax", None)
            total = fields_.pop("total", None)
            amount = amount if amount is not None else sum((x.amount for x in lines), Decimal(0))
            tax = tax if tax is not None else sum((x.tax for x in lines), Decimal(0))
            total = total if total is not None else amount + tax
            if "number" in fields_:
                number = fields_.pop("number")
            else:
                number = self.next_number(vendor, when)
            fields_.setdefault("seller_name", self.state.settings.seller_name)
            fields_.setdefault("seller_tax_id", self.state.settings.seller_tax_id)
            invoice = SbInvoice(
                vendor=vendor,
                serial=serial,
                number=number,
                issued_at=when,
                lines=lines,
                amount=q2(amount),
                tax=q2(tax),
                total=q2(total),
                **fields_,
            )
            if invoice.color == "blue":
                self.state.credit.consume(max(invoice.amount, Decimal(0)))
            else:
                blue = self.get(invoice.blue_number or "")
                if blue is not None and blue.issued_at.strftime("%Y%m") == when.strftime("%Y%m"):
                    self.state.credit.restore(abs(invoice.amount))
            self.by_key[(vendor, serial)] = invoice
            if number:
                self.by_number[number] = invoice
            return invoice

    def find_serial(self, vendor: str, serial: str) -> SbInvoice | None:
        return self.by_key.get((vendor, serial))

    def get(self, number: str) -> SbInvoice | None:
        return self.by_number.get(number)

    def all(self, vendor: str | None = None) -> list[SbInvoice]:
        with self.lock:
            items = list(self.by_key.values())
        return [x for x in items if vendor is None or x.vendor == vendor]

    def reds_of(self, blue_number: str) -> list[SbInvoice]:
        return [x for x in self.all() if x.color == "red" and x.blue_number == blue_number]

    def redeemable(self, number: str) -> list[Redeemable]:
        """Per blue line: what red invoices have not yet reversed (positive magnitudes)."""
        blue = self.get(number)
        if blue is None:
            return []
        left = {
            x.index: Redeemable(x.index, x.quantity, x.amount, x.tax)
            for x in blue.lines
            if x.kind != "discount"
        }
        # a discount line reduces the line it follows (domain-reference §4): fold it in
        for pos, line in enumerate(blue.lines):
            if line.kind == "discount" and pos > 0 and blue.lines[pos - 1].index in left:
                target = left[blue.lines[pos - 1].index]
                target.amount += line.amount
                target.tax += line.tax
        for red in self.reds_of(number):
            for line in red.lines:
                row = left.get(line.blue_index or -1)
                if row is None:
                    continue
                row.amount -= abs(line.amount)
                row.tax -= abs(line.tax)
                if row.quantity is not None and line.quantity is not None:
                    row.quantity -= abs(line.quantity)
        return list(left.values())


# ---------------------------------------------------------------------------------------------
# Face authentication
# ---------------------------------------------------------------------------------------------


class FaceAuth:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.required: set[tuple[str, str]] = set()
        self.last_scan: dict[tuple[str, str], datetime] = {}
        self.last_result: dict[tuple[str, str], bool] = {}
        # every scan's ok flag in order: a QR counts the scans after it (the clock has whole
        # seconds, too coarse to order a scan and a QR made in the same second)
        self.scans: dict[tuple[str, str], list[bool]] = {}
        self.waiters: dict[
            tuple[str, str], list[tuple[asyncio.AbstractEventLoop, asyncio.Future[bool]]]
        ] = {}

    def require(self, vendor: str, tax_id: str) -> None:
        self.required.add((vendor, tax_id))
        self.last_result.pop((vendor, tax_id), None)

    def scan(self, vendor: str, tax_id: str, ok: bool) -> None:
        key = (vendor, tax_id)
        self.last_result[key] = ok
        if ok:
            self.last_scan[key] = self.state.clock.now()
            self.required.discard(key)
        self.scans.setdefault(key, []).append(ok)
        for loop, future in self.waiters.pop(key, []):
            loop.call_soon_threadsafe(_settle, future, ok)

    def needed(self, vendor: str, tax_id: str) -> bool:
        key = (vendor, tax_id)
        if key in self.required:
            return True
        until = self.valid_until(vendor, tax_id)
        return until is not None and self.state.clock.now() > until

    def valid_until(self, vendor: str, tax_id: str) -> datetime | None:
        last = self.last_scan.get((vendor, tax_id))
        if last is None:
            return None
        hours = float(self.state.settings.face_window_hours)
        return last + timedelta(hours=hours)

    def result(self, vendor: str, tax_id: str) -> bool | None:
        """The last scan's outcome since the last `require` (None: not scanned yet)."""
        return self.last_result.get((vendor, tax_id))

    async def wait_scan(self, vendor: str, tax_id: str, timeout: float) -> bool | None:
        """Wait for the next control-API scan; its ok flag, or None after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self.waiters.setdefault((vendor, tax_id), []).append((loop, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None


def _settle(future: asyncio.Future[bool], ok: bool) -> None:
    if not future.done():
        future.set_result(ok)


# ---------------------------------------------------------------------------------------------
# Red forms (红字确认单)
# ---------------------------------------------------------------------------------------------

OPEN_FORM_STATUSES = frozenset({"01", "02", "03", "04"})
RED_REASONS = {"01": "开票有误", "02": "销货退回", "03": "服务中止", "04": "销售折让"}


@dataclass
class RedForm:
    form_no: str
    uuid: str
    blue_number: str
    reason: str
    initiator: str  # seller / buyer
    status: str
    created_at: datetime
    lines: list[SbLine]  # negative figures, blue_index set
    amount: Decimal
    tax: Decimal
    total: Decimal
    full: bool
    used: bool = False
    red_number: str | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_FORM_STATUSES and not self.used


class RedForms:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.forms: dict[str, RedForm] = {}
        self.sequence = 0

    def _expire(self, form: RedForm) -> RedForm:
        if form.status in ("02", "03"):
            limit = form.created_at + timedelta(hours=self.state.settings.red_form_hours)
            if self.state.clock.now() > limit:
                form.status = "07"
        return form

    def for_blue(self, blue_number: str) -> list[RedForm]:
        return [self._expire(f) for f in self.forms.values() if f.blue_number == blue_number]

    def apply(
        self,
        blue_number: str,
        reason: str,
        lines: list[dict[str, Any]] | None = None,
        initiator: str = "seller",
    ) -> RedForm:
        """Raise a red form. `lines` (None = full) are dicts with `index` (blue line, 1-based),
        `amount` and `tax` (magnitudes; the sign is ignored) and optional `quantity`."""
        blue = self.state.invoices.get(blue_number)
        if blue is None or blue.color != "blue":
            raise Refused(f"蓝字发票 {blue_number} 不存在", "no_blue")
        if reason not in RED_REASONS:
            raise Refused("红冲原因必须是 01/02/03/04 之一", "reason")
        if initiator not in ("seller", "buyer"):
            raise Refused("发起方必须是销方或购方", "initiator")
        if any(f.open for f in self.for_blue(blue_number)):
            raise Refused("该蓝字发票已有未完成的红字确认单，蓝票已锁定", "locked")
        if not blue.used and initiator == "buyer":
            raise Refused("购方未用途确认或入账的发票只能由销方发起红冲", "initiator")
        left = {r.index: r for r in self.state.invoices.redeemable(blue_number)}
        if all(r.amount <= 0 for r in left.values()):
            raise Refused("该蓝字发票已全额红冲", "fully_red")
        red_lines: list[SbLine] = []
        by_index = {x.index: x for x in blue.lines}
        if lines is None:
            for pos, r in enumerate(x for x in left.values() if x.amount > 0):
                src = by_index[r.index]
                red_lines.append(_red_line(pos + 1, src, r.quantity, r.amount, r.tax))
            full = True
        else:
            if reason == "01":
                raise Refused("开票有误（01）只能全额红冲", "reason")
            if not lines:
                raise Refused("部分红冲必须给出明细", "lines")
            for pos, item in enumerate(lines):
                index = item.get("index")
                amount = to_decimal(item.get("amount"))
                tax = to_decimal(item.get("tax"))
                quantity = to_decimal(item.get("quantity"))
                if not isinstance(index, int) or index not in left:
                    raise Refused(f"第{pos + 1}行：蓝字发票没有第{index}行明细", "lines")
                if amount is None or tax is None:
                    raise Refused(f"第{pos + 1}行：金额和税额必须是数字", "lines")
                r = left[index]
                if abs(amount) > r.amount or abs(tax) > r.tax:
                    raise Refused(
                        f"第{pos + 1}行：红冲金额或税额超过蓝票该行剩余可红冲数", "exceeds"
                    )
                if quantity is not None and r.quantity is not None and abs(quantity) > r.quantity:
                    raise Refused(f"第{pos + 1}行：红冲数量超过蓝票该行剩余数量", "exceeds")
                red_lines.append(
                    _red_line(pos + 1, by_index[index], quantity, abs(amount), abs(tax))
                )
            full = False
        self.sequence += 1
        now = self.state.clock.now()
        status = "01" if not blue.used else ("02" if initiator == "seller" else "03")
        amount = sum((x.amount for x in red_lines), Decimal(0))
        tax = sum((x.tax for x in red_lines), Decimal(0))
        form = RedForm(
            form_no=f"{now:%y}33{self.sequence:016d}",
            uuid=uuid.uuid4().hex,
            blue_number=blue_number,
            reason=reason,
            initiator=initiator,
            status=status,
            created_at=now,
            lines=red_lines,
            amount=amount,
            tax=tax,
            total=amount + tax,
            full=full,
        )
        self.forms[form.form_no] = form
        return form

    def get(self, form_no: str) -> RedForm | None:
        form = self.forms.get(form_no)
        if form is None:
            for candidate in self.forms.values():
                if candidate.uuid == form_no:
                    form = candidate
        return self._expire(form) if form is not None else None

    def all(self) -> list[RedForm]:
        return [self._expire(f) for f in self.forms.values()]

    def confirm(self, form_no: str, accept: bool) -> RedForm:
        """The other party agrees (04) or refuses (05 seller-raised / 06 buyer-raised)."""
        form = self.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        if form.status not in ("02", "03"):
            raise Refused(f"红字确认单状态为 {form.status}，无需或不能确认", "status")
        if accept:
            form.status = "04"
        else:
            form.status = "05" if form.status == "02" else "06"
        return form

    def revoke(self, form_no: str) -> RedForm:
        form = self.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        if not form.open:
            raise Refused("红字确认单已使用或已作废，不能撤销", "status")
        form.status = "08"
        return form

    def use(self, form_no: str) -> RedForm:
        """Mark the form used by a red invoice; only 01/04, only once."""
        form = self.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        if form.used:
            raise Refused("红字确认单已使用，不允许开具", "used")
        if form.status not in ("01", "04"):
            raise Refused(f"红字确认单状态为 {form.status}，不能开具红字发票", "status")
        form.used = True
        return form


def _red_line(
    index: int, src: SbLine, quantity: Decimal | None, amount: Decimal, tax: Decimal
) -> SbLine:
    return replace(
        src,
        index=index,
        quantity=-abs(quantity) if quantity is not None else None,
        amount=-abs(amount),
        tax=-abs(tax),
        kind="normal",
        blue_index=src.index,
    )


# ---------------------------------------------------------------------------------------------
# The state
# ---------------------------------------------------------------------------------------------


class SandboxState:
    """Everything the simulators share. `reset()` empties it and restores the first settings."""

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        self.initial_settings = copy.deepcopy(settings or SandboxSettings())
        self.settings = copy.deepcopy(self.initial_settings)
        self.clock = Clock()
        self.faults = Faults()
        self.base_http = ""  # "http://127.0.0.1:PORT", set by the server once listening
        self._fresh()

    def _fresh(self) -> None:
        self.credit = Credit(self.settings.credit_total)
        self.invoices = Invoices(self)
        self.face = FaceAuth(self)
        self.red = RedForms(self)
        # per-vendor scratch space (tokens, sessions, batches); emptied by reset()
        self.vendor_data: dict[str, dict[str, Any]] = {v: {} for v in VENDORS}

    def reset(self) -> None:
        self.settings = copy.deepcopy(self.initial_settings)
        self.clock.reset()
        self.faults.clear()
        self._fresh()

    def scratch(self, vendor: str) -> dict[str, Any]:
        return self.vendor_data.setdefault(vendor, {})

    def issue_red(self, vendor: str, serial: str, form_no: str, **fields_: Any) -> SbInvoice:
        """Issue the red invoice of a form (01/04, once); same vendor+serial → the first one."""
        existing = self.invoices.find_serial(vendor, serial)
        if existing is not None:
            return existing
        form = self.red.get(form_no)
        if form is None:
            raise Refused(f"红字确认单 {form_no} 不存在", "no_form")
        blue = self.invoices.get(form.blue_number)
        if blue is None:
            raise Refused(f"蓝字发票 {form.blue_number} 不存在", "no_blue")
        self.red.use(form_no)
        for name in (
            "buyer_name",
            "buyer_tax_id",
            "invoice_type",
            "buyer_address",
            "buyer_phone",
            "buyer_bank",
            "buyer_account",
        ):
            fields_.setdefault(name, getattr(blue, name))
        invoice = self.invoices.issue(
            vendor,
            serial,
            lines=[replace(x) for x in form.lines],
            color="red",
            blue_number=blue.number,
            red_form_no=form.form_no,
            **fields_,
        )
        form.red_number = invoice.number
        left = self.invoices.redeemable(blue.number or "")
        blue.status = "red_fully" if all(r.amount <= 0 for r in left) else "red_partly"
        return invoice
