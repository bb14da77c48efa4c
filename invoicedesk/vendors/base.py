"""The seam between services and vendor APIs: the Vendor protocol, capabilities, results, errors.

Services talk to every vendor through `Vendor`; a vendor module implements what its capabilities
say and inherits `BaseVendor`'s `NotSupported` for the rest. Every failure a vendor call can meet
leaves as one of the `VendorError` subclasses below, with a Chinese message and a next step, so
that the services can decide (issued? retry? ask the user?) without knowing the vendor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal

from invoicedesk.domain.models import Draft
from invoicedesk.domain.treatments import ORDINARY_ONLY, TreatmentSupport, uncarried
from invoicedesk.vocabulary import (
    AuthExpired,
    AuthFailed,
    BatchItemStatus,
    BlueCheck,
    Capability,
    CreditLine,
    FaceAuthRequired,
    FaceChallenge,
    FaceHandler,
    FaceResult,
    FaceStatus,
    HistoryPage,
    IssuedInvoice,
    IssuedLine,
    IssueOutcome,
    IssueState,
    NotSent,
    NotSupported,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    RateLimited,
    RedForm,
    RedFormRequest,
    RedLineRequest,
    Rejected,
    SecretGetter,
    Seller,
    TreatmentNotCarried,
    VendorError,
    VendorKey,
    expected_invoice,
    issued_line,
)

# the value types live in the vocabulary (the window imports them from there); the vendor
# modules keep importing them from here
__all__ = [
    "AuthExpired",
    "AuthFailed",
    "BatchItemStatus",
    "BlueCheck",
    "Capability",
    "CreditLine",
    "FaceAuthRequired",
    "FaceChallenge",
    "FaceHandler",
    "FaceResult",
    "FaceStatus",
    "HistoryPage",
    "IssueOutcome",
    "IssueState",
    "IssuedInvoice",
    "IssuedLine",
    "NotSent",
    "NotSupported",
    "OutcomeUnknown",
    "Profile",
    "ProtocolError",
    "RateLimited",
    "RedForm",
    "RedFormRequest",
    "RedLineRequest",
    "Rejected",
    "SecretGetter",
    "Seller",
    "TreatmentNotCarried",
    "VendorError",
    "VendorKey",
    "expected_invoice",
    "issued_line",
]

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
                # each message already says which account to use instead
                next_step="或修改草稿，去掉该平台无法开具的部分。",
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
