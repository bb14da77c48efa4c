"""The core's vocabulary: the value types and errors every layer speaks.

Vendors, services, the commands and the window all use these: which vendor (`VendorKey`),
what it can do (`Capability`), an account (`Profile`, `Seller`), what a call returned, and the
one error hierarchy (`VendorError` and its subclasses, each with a Chinese message and a next
step). Pure data: no Qt, no I/O, no clock. The vendor clients build on them in vendors/base.py;
the window imports them from here and never from vendors/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Flag, StrEnum, auto
from typing import Literal

from invoicedesk.domain.models import Draft, Line
from invoicedesk.domain.money import LineFigures

# invoice dates are Beijing dates, whatever this computer's time zone
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class VendorKey(StrEnum):
    OPEN_API = "open-api"
    WS_INVOICE = "ws-invoice"
    PIAODANYUN = "piaodanyun"
    SIGNED_API = "signed-api"
    FAW = "faw"


class Capability(Flag):
    NONE = 0
    ISSUE = auto()
    BATCH_ISSUE = auto()
    FACE_AUTH = auto()
    TAX_LOGIN = auto()
    QUERY_ONE = auto()  # query(serial): what our request serial made
    FIND_ISSUED = auto()  # find_issued: by buyer + total + time (vendors without a serial)
    GET_INVOICE = auto()  # get_invoice(number): one invoice by its number
    FACE_IN_ISSUE = auto()  # issue() may push a face QR to its FaceHandler mid-way (ws-invoice)
    SYNC_HISTORY = auto()
    LINE_ITEMS = auto()
    FILES = auto()
    RED_LETTER = auto()  # either of the two below
    RED_FORM = auto()  # red letters through a 红字信息表: check, apply, status, red invoice
    RED_ORDER = auto()  # red letters as one red order (no form)
    CREDIT_LINE = auto()
    PRINT_INFO = auto()
    SMS_LOGIN = auto()  # the tax bureau's login in two steps: a texted code, then the login


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


class VendorError(Exception):
    """A vendor call failed. `message` and `next_step` are Chinese, for the user.

    `code` is the vendor's own code (or a transport code such as "timeout"); `fields` names the
    draft fields the failure concerns (`buyer.tax_id`, `lines[0].tax_rate`) where that is known.
    Never put a secret in any of these.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        next_step: str = "",
        vendor: str = "",
        fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.next_step = next_step
        self.vendor = vendor
        self.fields = fields

    def __str__(self) -> str:
        tail = f" {self.next_step}" if self.next_step else ""
        code = f"[{self.vendor}:{self.code}] " if self.code or self.vendor else ""
        return f"{code}{self.message}{tail}"


class Rejected(VendorError):
    """The vendor said no: the invoice was definitely NOT issued. A new serial is allowed."""


class NotSent(VendorError):
    """The request never left this computer (no route, connection refused, DNS failure).

    Nothing was issued; the draft keeps its serial and may be sent again as it is.
    """


class OutcomeUnknown(VendorError):
    """The request may or may not have been acted on (timeout after sending, dropped socket,
    5xx, unreadable body). Reconcile with the same serial before sending anything again."""


class AuthExpired(VendorError):
    """The session or token is no longer valid; log in again (the client renews once itself)."""


class AuthFailed(VendorError):
    """The credentials are wrong (password, API key, flag/secret, bearer token)."""


class FaceAuthRequired(VendorError):
    """The tax bureau wants the issuer's face scan before it issues."""


class RateLimited(VendorError):
    def __init__(self, message: str, *, retry_after_s: float | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after_s = retry_after_s


class ProtocolError(VendorError):
    """The vendor answered something this client cannot read (the request was a read, or the
    answer came before anything could have been done). For issuing calls use OutcomeUnknown."""


class NotSupported(VendorError):
    """This vendor has no such capability."""


class TreatmentNotCarried(Rejected):
    """The draft has a tax treatment (免税, 不征税, 税率说明, 差额征税, ...) that this platform's
    document cannot carry. Raised before anything is sent: sent without it, the platform would
    read the invoice as an ordinary one. `fields` names the draft fields concerned."""


# ---------------------------------------------------------------------------------------------
# Identities and results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seller:
    name: str
    tax_id: str


@dataclass(frozen=True)
class Profile:
    """One vendor account. No secret in here: secrets come from the SecretStore at call time."""

    name: str
    vendor: VendorKey
    base_url: str
    seller: Seller
    user_name: str = ""  # tax-bureau user / phone / flag / U_ID, as the vendor needs
    options: dict[str, str] = field(default_factory=dict)  # tenant_id, area, role, userId, ...


# Secret names a vendor asks for: "api_key", "password", "tax_password", "secret", "token".
SecretGetter = Callable[[str], Awaitable[str]]


@dataclass(frozen=True)
class IssuedLine:
    name: str
    tax_code: str = ""
    spec: str = ""
    unit: str = ""
    quantity: Decimal | None = None
    unit_price: Decimal | None = None  # tax-exclusive
    amount: Decimal = Decimal("0")  # tax-exclusive
    tax_rate: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")
    kind: Literal["normal", "discount", "discounted"] = "normal"
    tax_treatment: str = ""  # as the draft line said (draft-format.md § Tax treatments)


@dataclass(frozen=True)
class IssuedInvoice:
    """An invoice as the vendor knows it."""

    number: str | None  # 20-digit 数电票号码; None for a FAW order (no number comes back)
    date: dt.datetime | None
    serial: str | None
    amount: Decimal
    tax: Decimal
    total: Decimal
    buyer_name: str = ""
    buyer_tax_id: str = ""
    invoice_type: str = ""
    color: Literal["blue", "red"] = "blue"
    blue_number: str | None = None  # for a red invoice
    status: str = ""  # vendor's status text, e.g. 正常 / 已红冲
    files: dict[str, str] = field(default_factory=dict)  # "pdf"/"ofd"/"xml" -> URL
    lines: tuple[IssuedLine, ...] = ()


def issued_line(
    line: Line, fig: LineFigures, quantity: Decimal | None, unit_price: Decimal | None
) -> IssuedLine:
    """A draft line as sent: its texts, the computed figures, and the quantity and
    tax-exclusive unit price the wire carried."""
    return IssuedLine(
        name=line.name,
        tax_code=line.tax_code,
        spec=line.spec,
        unit=line.unit,
        quantity=quantity,
        unit_price=unit_price,
        amount=fig.amount,
        tax_rate=fig.tax_rate,
        tax=fig.tax,
        kind=line.kind,
        tax_treatment=line.tax_treatment,
    )


def expected_invoice(draft: Draft, serial: str | None, lines: list[IssuedLine]) -> IssuedInvoice:
    """The invoice a request should make (no number or date yet), for checking and storing the
    vendor's answer against what was sent."""
    amount = sum((line.amount for line in lines), Decimal("0"))
    tax = sum((line.tax for line in lines), Decimal("0"))
    return IssuedInvoice(
        number=None,
        date=None,
        serial=serial,
        amount=amount,
        tax=tax,
        total=amount + tax,
        buyer_name=draft.buyer.name,
        buyer_tax_id=draft.buyer.tax_id,
        invoice_type=draft.invoice_type,
        lines=tuple(lines),
    )


IssueState = Literal["ISSUED", "ACCEPTED", "PROCESSING"]


@dataclass(frozen=True)
class IssueOutcome:
    """ISSUED: invoice has its number. ACCEPTED: FAW took the order (no number).
    PROCESSING: open-api accepted and is still working; poll `query(serial)`."""

    state: IssueState
    serial: str
    invoice: IssuedInvoice | None = None


@dataclass(frozen=True)
class FaceStatus:
    needed: bool  # a scan is needed before the next issue
    valid_until: dt.datetime | None = None  # when the current authentication runs out
    window_hours: Decimal | None = None  # the company's validity window, as the vendor reports it


@dataclass(frozen=True)
class FaceChallenge:
    """A QR for the issuer's phone. `text` is the QR content to draw (piaodanyun `ewm`);
    `png` is a ready image (ws-invoice pushes a PNG data URL)."""

    text: str | None = None
    png: bytes | None = None
    app: int = 1  # 1 电子税务局 App, 2 个人所得税 App
    expires_at: dt.datetime | None = None
    token: str = ""  # the vendor's handle for polling this challenge, if any


FaceResult = Literal["ok", "failed", "expired", "cancelled"]


class FaceHandler:
    """What a vendor calls when issuing needs a face scan mid-flow (ws-invoice).

    `show` gets the challenge; the UI shows it. `result` tells the UI how the scan ended.
    `wait_cancelled` returns True if the user gave up (the vendor then aborts the issue, which
    stays unsent). The GUI and the tests implement it; it is never a nested event loop.
    """

    async def show(self, challenge: FaceChallenge) -> None:
        raise NotImplementedError

    async def result(self, result: FaceResult) -> bool:
        """Returns True to try again after a failed scan."""
        raise NotImplementedError


@dataclass(frozen=True)
class CreditLine:
    total: Decimal | None
    used: Decimal | None
    left: Decimal
    read_at: dt.datetime | None = None


@dataclass(frozen=True)
class HistoryPage:
    invoices: tuple[IssuedInvoice, ...]
    cursor: str | None  # pass back for the next page; None when done


@dataclass(frozen=True)
class BatchItemStatus:
    serial: str
    state: Literal["PROCESSING", "ISSUED", "REJECTED"]
    invoice: IssuedInvoice | None = None
    error: VendorError | None = None


# ---- red letters (piaodanyun three steps; FAW red orders) ------------------------------------


@dataclass(frozen=True)
class BlueCheck:
    """The vendor's verdict on a blue invoice that is to be red-lettered (piaodanyun 查蓝票)."""

    number: str
    ok: bool
    message: str
    invoice: IssuedInvoice | None = None


@dataclass(frozen=True)
class RedLineRequest:
    blue_line_index: int  # 1-based 蓝字发票明细序号
    quantity: Decimal | None  # negative
    amount: Decimal  # negative, tax-exclusive
    tax: Decimal  # negative


@dataclass(frozen=True)
class RedFormRequest:
    blue_number: str
    reason: Literal["01", "02", "03", "04"]
    full: bool
    lines: tuple[RedLineRequest, ...] = ()
    serial: str = ""  # our serial for the form application (dedup)


@dataclass(frozen=True)
class RedForm:
    form_no: str
    status: str  # hzqrxxztDm 01–10
    blue_number: str
    amount: Decimal
    tax: Decimal
    created_at: dt.datetime | None = None
    uuid: str = ""
    reason: str = ""  # the chyydm it was applied with (a status read repeats it)
