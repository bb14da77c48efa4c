"""What issuing one draft ends as, and the checks before any serial is made: the result and
the exceptions callers see, the settings, the content hash and the serial, and the refusals
made before sending (services/issuing.py has the rules these serve)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Draft
from invoicedesk.services import numbers
from invoicedesk.services.retry_policy import ISSUE
from invoicedesk.services.vendor_facts import facts
from invoicedesk.vendors.base import (
    AuthExpired,
    AuthFailed,
    BaseVendor,
    FaceAuthRequired,
    NotSent,
    Profile,
    RateLimited,
    TreatmentNotCarried,
    VendorError,
)

# error codes of an UNKNOWN row that certainly sent nothing (see rule 3)
UNSENT_CODES = frozenset({"not_sent", "face_auth", "auth_expired", "auth_failed", "rate_limited"})
FACE_PENDING = "face_auth_pending"
FINAL_OK = frozenset({"ISSUED", "ACCEPTED"})
# A further limit on the vendor calls that send: an asyncio.Semaphore, or a batch's gate that
# also marks its draft 发送中 while it holds the semaphore (services/batches.py).
Gate = contextlib.AbstractAsyncContextManager[Any]
UNRESOLVED = frozenset({"SENDING", "UNKNOWN"})

FIND_WINDOW = numbers.FIND_WINDOW

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]


class FaceAuthNeeded(Exception):
    """The tax bureau wants a face scan before issuing for this profile. Nothing was sent; the
    draft is as it was. Show the face dialog, then call `issue()` again with the same draft."""

    def __init__(self, profile: str, journal_id: int, message: str) -> None:
        super().__init__(message)
        self.profile = profile
        self.journal_id = journal_id
        self.message = message


class InvalidDraft(Exception):
    """The draft has errors (domain rules); nothing was sent and no serial was used."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssueSettings:
    concurrency: int = 4  # requests in flight per profile
    # reconcile-and-resend rounds inside one issue() call, after the first send (retry_policy)
    retries: int = ISSUE.attempts - 1
    retry_delay_s: float = ISSUE.delays_s[0]  # the wait grows by this much each round
    poll_interval_s: float = 0.3  # open-api PROCESSING
    poll_timeout_s: float = 30.0
    # ws-invoice has no serial: before resending after an unknown outcome, wait this long and
    # look again, so a request the vendor was still processing is found instead of repeated
    unkeyed_settle_s: float = 5.0


@dataclass(frozen=True)
class IssueResult:
    """How one draft ended. `state`: ISSUED | ACCEPTED | REJECTED | UNKNOWN."""

    state: str
    serial: str | None
    journal_id: int | None
    invoice_no: str | None = None
    invoice_date: str | None = None
    total: Decimal | None = None
    error_code: str | None = None
    error_message: str | None = None
    resumed: bool = False  # already issued earlier: reported, not issued again
    fields: tuple[str, ...] = ()  # draft fields a refusal concerns ("buyer.tax_id", "lines[0]")
    number_pending: bool = False  # ISSUED, the number is still to be found (号码待查)
    warning: str | None = None  # ISSUED, but the platform's figures differ from the draft

    @property
    def ok(self) -> bool:
        return self.state in FINAL_OK


def content_hash(draft: Draft) -> str:
    """Same content → same hash, whatever the JSON layout; the serial is not content."""
    data = draft.model_dump(mode="json")
    data.pop("serial_no", None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_serial(profile: Profile, now: dt.datetime) -> str:
    """A fresh request serial, in the platform's format (vendor_facts: piaodanyun wants
    "税号_自定义编号" within 40 characters)."""
    tail = now.strftime("%y%m%d%H%M%S") + secrets.token_hex(4).upper()
    return facts(profile.vendor).serial_format.format(tax_id=profile.seller.tax_id, tail=tail)


def error_text(exc: BaseException) -> str:
    if isinstance(exc, VendorError):
        return f"{exc.message} {exc.next_step}".strip()
    return f"内部错误（{type(exc).__name__}），开票结果未知，将按原流水号核对。"


def unsent_code(exc: VendorError, vendor: BaseVendor) -> str | None:
    if isinstance(exc, FaceAuthRequired):
        if numbers.unkeyed(vendor):
            # the request may sit at the vendor waiting for the scan (ws-invoice); a later scan
            # may still issue it and no serial would deduplicate a resend: look first
            return FACE_PENDING
        return "face_auth"
    if isinstance(exc, NotSent):
        return "not_sent"
    if isinstance(exc, AuthExpired):
        return "auth_expired"
    if isinstance(exc, AuthFailed):
        return "auth_failed"
    if isinstance(exc, RateLimited):
        return "rate_limited"
    return None


def account_seller_type(profile: Profile, draft: Draft) -> tuple[Draft, IssueResult | None]:
    """The draft with the account's 纳税人类型 (profile option `seller_type`) when it says none;
    REJECTED when it says another one than the account (the rules for 3% depend on it)."""
    from invoicedesk.domain.treatments import SELLER_TYPES

    account = profile.options.get("seller_type", "")
    if account not in SELLER_TYPES or not account or draft.seller_type == account:
        return draft, None
    if not draft.seller_type:
        return draft.model_copy(update={"seller_type": account}), None
    message = (
        f"草稿的销售方类型是{SELLER_TYPES.get(draft.seller_type, draft.seller_type)}，"
        f"开票账户“{profile.name}”是{SELLER_TYPES[account]}：请核对草稿的 seller_type "
        "或账户设置后再开票。"
    )
    return draft, IssueResult(
        "REJECTED",
        None,
        None,
        error_code="seller_type_mismatch",
        error_message=message,
        fields=("seller_type",),
    )


def uncarried_result(vendor: BaseVendor, draft: Draft) -> IssueResult | None:
    """REJECTED, before any serial or send, when the draft has a tax treatment the platform's
    document cannot carry (sent anyway, it would be read as an ordinary invoice)."""
    try:
        vendor.refuse_uncarried(draft)
    except TreatmentNotCarried as exc:
        return IssueResult(
            "REJECTED",
            None,
            None,
            error_code=exc.code,
            error_message=error_text(exc),
            fields=exc.fields,
        )
    return None


def check_draft(draft: Draft) -> None:
    from invoicedesk.domain import rules

    problems = rules.validate(draft)
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        raise InvalidDraft("；".join(str(getattr(p, "message", p)) for p in errors))


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __iter__(self) -> Any:  # so `state, inv = found` fails loudly, never silently
        raise TypeError(self.name)


NOTHING = _Sentinel("nothing")  # the vendor certainly has no invoice for this row
NOTHING_MARKED = _Sentinel("rejected")  # ...and the row is already marked REJECTED
