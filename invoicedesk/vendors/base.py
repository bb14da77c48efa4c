"""The seam between services and vendor APIs: the Vendor protocol, capabilities, results, errors.

Services talk to every vendor through `Vendor`; a vendor module implements what its capabilities
say and inherits `BaseVendor`'s `NotSupported` for the rest. Every failure a vendor call can meet
leaves as one of the `VendorError` subclasses below, with a Chinese message and a next step, so
that the services can decide (issued? retry? ask the user?) without knowing the vendor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Flag, StrEnum, auto
from typing import Literal

from invoicedesk.domain.models import Draft, Line
from invoicedesk.domain.money import LineFigures
from invoicedesk.domain.treatments import ORDINARY_ONLY, TreatmentSupport, uncarried


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


# What a capability needs a vendor class to implement (any one group of methods). A class's
# capabilities follow from these (BaseVendor.__init_subclass__): every capability whose methods
# it overrides is set, and declaring one without them is an error. FACE_IN_ISSUE is the one
# that must be declared: every issuer has `issue`, only some ask for a scan inside it.
CAPABILITY_METHODS: dict[Capability, tuple[tuple[str, ...], ...]] = {
    Capability.ISSUE: (("issue",),),
    Capability.BATCH_ISSUE: (("batch_submit", "batch_status"),),
    Capability.FACE_AUTH: (("face_status", "face_qr", "face_poll"),),
    Capability.FACE_IN_ISSUE: (("issue",),),
    Capability.TAX_LOGIN: (("tax_login",),),
    Capability.QUERY_ONE: (("query",),),
    Capability.FIND_ISSUED: (("find_issued",),),
    Capability.GET_INVOICE: (("get_invoice",),),
    Capability.SYNC_HISTORY: (("history",),),
    Capability.LINE_ITEMS: (("line_items",),),
    Capability.FILES: (("download",),),
    # piaodanyun's three steps, or FAW's red order
    Capability.RED_LETTER: (("red_check", "red_apply", "red_status", "red_issue"), ("red_order",)),
    Capability.RED_FORM: (("red_check", "red_apply", "red_status", "red_issue"),),
    Capability.RED_ORDER: (("red_order",),),
    Capability.CREDIT_LINE: (("credit_line",),),
    Capability.PRINT_INFO: (("update_print_info",),),
    Capability.SMS_LOGIN: (("sms_login_start", "sms_login_finish"),),
}
DECLARED_ONLY = Capability.FACE_IN_ISSUE


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


# ---------------------------------------------------------------------------------------------
# The protocol
# ---------------------------------------------------------------------------------------------


class BaseVendor:
    """Default for every method: NotSupported. Vendors override what they can do; their
    `capabilities` follow from what they override (CAPABILITY_METHODS)."""

    key: VendorKey
    capabilities: Capability = Capability.NONE
    # the platform takes 折扣行; where it does not, the form marks them as they are entered
    discount_lines: bool = True
    # red letters for part of a blue invoice; False where the document allows only 全额
    partial_red: bool = False
    # What the vendor's document can carry of the tax treatments (a vendor fact, like
    # `capabilities`): services, the form and the batch dry run decide by it, never by name.
    treatments: TreatmentSupport = ORDINARY_ONLY

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        implemented = implemented_capabilities(cls)
        missing = cls.capabilities & ~implemented
        if missing:
            raise TypeError(f"{cls.__name__} declares {missing} without implementing it")
        cls.capabilities = cls.capabilities | (implemented & ~DECLARED_ONLY)

    def __init__(self, profile: Profile, secrets: SecretGetter) -> None:
        self.profile = profile
        self.secrets = secrets

    def refuse_uncarried(self, draft: Draft) -> None:
        """TreatmentNotCarried when the draft needs what this platform cannot carry."""
        found = uncarried(draft, self.treatments, f"开票账户“{self.profile.name}”的平台")
        if found:
            raise TreatmentNotCarried(
                "；".join(p.message for p in found),
                code="treatment_not_carried",
                vendor=self.key.value,
                fields=tuple(p.field for p in found),
                next_step="请换用支持该税收优惠的开票账户，或修改草稿。",
            )

    def _unsupported(self, what: str) -> NotSupported:
        return NotSupported(
            f"该开票平台不支持{what}",
            code="not_supported",
            next_step="请换用支持此功能的开票账户。",
            vendor=self.key.value,
        )

    async def check_connection(self) -> None:
        """Cheapest authenticated call; raises a VendorError when it fails."""
        raise self._unsupported("测试连接")

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        raise self._unsupported("开具蓝字发票")

    async def query(self, serial: str) -> IssuedInvoice | None:
        """The invoice made for this request serial, or None when the vendor has none (so the
        request definitely made nothing). PROCESSING requests raise OutcomeUnknown."""
        raise self._unsupported("按流水号查询发票")

    async def find_issued(
        self, buyer_tax_id: str, total: Decimal, since: dt.datetime, until: dt.datetime
    ) -> list[IssuedInvoice]:
        """For vendors without a request serial: invoices matching buyer + total in a window."""
        raise self._unsupported("按购买方和金额查询发票")

    async def get_invoice(self, number: str) -> IssuedInvoice:
        raise self._unsupported("查询单张发票")

    async def batch_submit(self, batch_no: str, drafts: list[tuple[Draft, str]]) -> None:
        raise self._unsupported("批量开票")

    async def batch_status(self, batch_no: str) -> list[BatchItemStatus]:
        raise self._unsupported("批量开票")

    async def tax_login(self) -> None:
        raise self._unsupported("登录电子税务局")

    async def sms_login_start(self) -> None:
        raise self._unsupported("短信验证码登录")

    async def sms_login_finish(self, code: str) -> None:
        raise self._unsupported("短信验证码登录")

    async def face_status(self) -> FaceStatus:
        raise self._unsupported("人脸认证")

    async def face_qr(self, app: int = 1) -> FaceChallenge:
        raise self._unsupported("人脸认证")

    async def face_poll(self, challenge: FaceChallenge) -> FaceResult | None:
        """None while the scan is still awaited."""
        raise self._unsupported("人脸认证")

    def history(self, cursor: str | None) -> AsyncIterator[HistoryPage]:
        raise self._unsupported("同步发票历史")

    async def line_items(self, number: str) -> list[IssuedLine]:
        raise self._unsupported("查询发票明细")

    async def download(self, invoice: IssuedInvoice, kind: str) -> bytes:
        raise self._unsupported("下载发票文件")

    async def credit_line(self) -> CreditLine:
        raise self._unsupported("查询开票额度")

    async def red_check(self, blue_number: str) -> BlueCheck:
        raise self._unsupported("红字发票")

    async def red_apply(self, request: RedFormRequest) -> RedForm:
        raise self._unsupported("红字发票")

    async def red_status(self, form_no: str, known: RedForm | None = None) -> RedForm:
        """The form's status now. `known` is the form as the caller stored it (blue number,
        reason, uuid), so a fresh client (after a restart) can still find it."""
        raise self._unsupported("红字发票")

    async def red_issue(self, form: RedForm, serial: str) -> IssueOutcome:
        raise self._unsupported("红字发票")

    async def update_print_info(self, number: str, info: dict[str, str]) -> None:
        raise self._unsupported("更新纸质发票打印信息")

    async def close(self) -> None:
        """Release connections. Safe to call twice."""


def implemented_capabilities(cls: type[BaseVendor]) -> Capability:
    """The capabilities whose methods `cls` overrides (any one group of CAPABILITY_METHODS)."""

    def has(name: str) -> bool:
        method = getattr(cls, name, None)
        return method is not None and method is not getattr(BaseVendor, name, None)

    found = Capability.NONE
    for capability, groups in CAPABILITY_METHODS.items():
        if any(all(has(name) for name in group) for group in groups):
            found |= capability
    return found
