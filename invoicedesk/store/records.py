"""Plain dataclasses the store takes and returns. Money is Decimal here, cents only in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NamedTuple

DRAFT_STATUSES = ("draft", "pending", "issued", "deleted")
JOURNAL_STATES = ("SENDING", "ISSUED", "ACCEPTED", "REJECTED", "UNKNOWN")

# Allowed journal moves (architecture.md "Issuing exactly once"). ACCEPTED is FAW's "order taken,
# no number yet": it may still end ISSUED or REJECTED. UNKNOWN -> UNKNOWN records a
# reconciliation attempt that still could not tell. ISSUED and REJECTED are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "SENDING": frozenset({"ISSUED", "ACCEPTED", "REJECTED", "UNKNOWN"}),
    "UNKNOWN": frozenset({"ISSUED", "ACCEPTED", "REJECTED", "UNKNOWN"}),
    "ACCEPTED": frozenset({"ISSUED", "REJECTED"}),
    "ISSUED": frozenset(),
    "REJECTED": frozenset(),
}

# history sort name -> column; every one has an index (column, id) for keyset paging
SORT_COLUMNS: dict[str, str] = {
    "issued_at": "issued_at",
    "number": "number",
    "color": "color",
    "invoice_type": "invoice_type",
    "buyer_name": "buyer_name",
    "buyer_tax_id": "buyer_tax_id",
    "amount": "amount_cents",
    "tax": "tax_cents",
    "total": "total_cents",
    "status": "status",
    "red_status": "red_status",
    "profile": "profile",
}
MONEY_SORTS = frozenset({"amount", "tax", "total"})

# A platform later reported other figures for a stored invoice: not applied, both kept.
FLAG_MISMATCH = "mismatch"
# Another invoice (other buyer, date or colour) came under a stored invoice's number: the stored
# row is kept, the other one recorded beside it.
FLAG_CONFLICT = "conflict"


class StoreError(Exception):
    """Base class of the store's own errors."""


class DuplicateSerial(StoreError):
    """begin_send with a serial that this profile already used."""


class SendBlocked(StoreError):
    """begin_send for a draft whose earlier send is not REJECTED (unresolved or issued)."""


class IllegalTransition(StoreError):
    """mark() asked for a journal move the state machine does not allow."""


class NotFound(StoreError):
    """The row named does not exist."""


@dataclass(frozen=True)
class DraftRow:
    id: str
    json: str
    title: str
    buyer_name: str
    total: Decimal | None
    status: str
    serial_no: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ProfileRow:
    name: str
    vendor: str
    base_url: str
    seller_name: str
    seller_tax_id: str
    user_name: str
    options: dict[str, Any]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class JournalRow:
    id: int
    profile: str
    serial: str
    kind: str
    draft_id: str | None
    content_hash: str
    draft_json: str
    state: str
    invoice_number: str | None
    invoice_date: str | None
    error_code: str | None
    error_message: str | None
    created_at: str
    updated_at: str


class JournalEvent(NamedTuple):
    state: str
    at: str
    detail: str


@dataclass(frozen=True)
class LineRecord:
    name: str
    tax_code: str = ""
    spec: str = ""
    unit: str = ""
    quantity: Decimal | None = None  # any precision (stored as exact text)
    unit_price: Decimal | None = None  # tax-exclusive, any precision (exact text)
    amount: Decimal = Decimal("0")  # tax-exclusive, cents
    tax_rate: Decimal = Decimal("0")  # e.g. Decimal("0.13"), exact text
    tax: Decimal = Decimal("0")  # cents
    kind: str = "normal"  # "normal" | "discount" | "discounted"
    # draft-format.md § Tax treatments: "" ordinary, or a key of domain.treatments.TREATMENTS
    tax_treatment: str = ""


@dataclass(frozen=True)
class InvoiceRecord:
    """What upsert_invoice takes. At least one of number / serial is required."""

    profile: str
    vendor: str
    number: str | None
    serial: str | None
    issued_at: str  # ISO-8601 local, seconds; "" when the vendor gave no date
    amount: Decimal
    tax: Decimal
    total: Decimal
    color: Literal["blue", "red"] = "blue"
    blue_number: str | None = None
    invoice_type: str = ""
    buyer_name: str = ""
    buyer_tax_id: str = ""
    status: str = ""
    red_status: str = ""
    draft_id: str | None = None
    lines: tuple[LineRecord, ...] | list[LineRecord] = ()
    source: Literal["issued", "synced"] = "issued"
    # with the number, what identifies the invoice: the same number from another seller is
    # another invoice. "" when the account does not know its seller's tax ID.
    seller_tax_id: str = ""
    # the draft's tax-treatment fields as issued (draft-format.md § Tax treatments); "" / None
    # for an ordinary invoice and for one only synced (the platforms' lists do not carry them)
    seller_type: str = ""
    rate_note: str = ""
    deduction_mode: str = ""  # 差额征税: "partial" | "full"
    deduction: Decimal | None = None  # 扣除额


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    profile: str
    vendor: str
    number: str | None
    serial: str | None
    issued_at: str
    color: str
    blue_number: str | None
    invoice_type: str
    buyer_name: str
    buyer_tax_id: str
    amount: Decimal
    tax: Decimal
    total: Decimal
    status: str
    red_status: str
    draft_id: str | None
    source: str
    created_at: str
    updated_at: str
    lines: tuple[LineRecord, ...] = ()  # filled by get_invoice/invoice_by_number only
    seller_tax_id: str = ""
    flag: str = ""  # "" | FLAG_MISMATCH | FLAG_CONFLICT (details: Store.invoice_reports)
    seller_type: str = ""
    rate_note: str = ""
    deduction_mode: str = ""
    deduction: Decimal | None = None

    def sort_key(self, sort: str) -> tuple[Any, int]:
        """The `after` value for query_invoices when this row ended the previous page."""
        if sort not in SORT_COLUMNS:
            raise ValueError(f"unknown sort {sort!r}")
        value = getattr(self, sort)
        if value is None:  # nullable text columns are stored as "" so that keyset works
            value = ""
        return (value, self.id)


@dataclass(frozen=True)
class Sighting:
    """One account that has issued or listed an invoice."""

    profile: str
    vendor: str
    source: str  # "issued" | "synced"
    status: str  # the platform's own status text as that account last reported it
    first_seen: str
    last_seen: str


@dataclass(frozen=True)
class InvoiceReport:
    """A report that was not applied to the row as it came (kind: FLAG_MISMATCH,
    FLAG_CONFLICT), or a duplicate row merged into it by the v9 migration ("merged").
    `stored` and `reported` are the two versions as plain dicts (money as text)."""

    id: int
    invoice_id: int
    kind: str
    profile: str
    at: str
    stored: dict[str, Any]
    reported: dict[str, Any]


@dataclass(frozen=True)
class Upserted:
    """What `upsert` did with a record: `outcome` is "new", "merged", FLAG_MISMATCH (the row
    kept its figures, the report was recorded) or FLAG_CONFLICT (another invoice under a stored
    number: recorded beside the stored row, which is unchanged), or "known" for a mismatch or
    conflict already recorded from that account."""

    id: int
    outcome: str


@dataclass(frozen=True)
class InvoiceFilter:
    """History filter. Empty / None fields do not filter."""

    date_from: dt.date | None = None  # inclusive, on issued_at
    date_to: dt.date | None = None  # inclusive
    buyer: str = ""  # substring of buyer name or buyer tax id (case-insensitive)
    statuses: tuple[str, ...] = ()
    color: str | None = None
    invoice_type: str | None = None
    min_total: Decimal | None = None  # inclusive
    max_total: Decimal | None = None  # inclusive
    profiles: tuple[str, ...] = ()


@dataclass(frozen=True)
class InvoiceSummary:
    count: int
    amount: Decimal
    tax: Decimal
    total: Decimal

    def __iter__(self) -> Iterator[Any]:  # `n, amount, tax, total = store.invoice_summary(f)`
        return iter((self.count, self.amount, self.tax, self.total))


@dataclass(frozen=True)
class FileRow:
    id: int
    invoice_id: int
    kind: str
    path: Path
    sha256: str
    size: int
    created_at: str


@dataclass(frozen=True)
class CustomerRow:
    id: str
    name: str
    tax_id: str
    address: str
    phone: str
    bank: str
    account: str
    email: str
    note: str
    updated_at: str


@dataclass(frozen=True)
class ProductRow:
    id: str
    name: str
    tax_code: str
    spec: str
    unit: str
    unit_price: Decimal | None  # any precision
    tax_rate: Decimal | None
    note: str
    updated_at: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    event: str
    profile: str | None
    vendor: str | None
    endpoint: str | None
    serial: str | None
    outcome: str | None
    duration_ms: int | None
    detail: str
