"""Vendor results (vendors/base.py) to store records (store/records.py), and back."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from invoicedesk.domain import money
from invoicedesk.domain.models import Draft
from invoicedesk.store.records import InvoiceRecord, LineRecord
from invoicedesk.vendors.base import IssuedInvoice, IssuedLine, Profile, issued_line

BEIJING = dt.timezone(dt.timedelta(hours=8))


def iso(when: dt.datetime | None) -> str:
    """An invoice date as the history stores it: Beijing time with its offset
    ("2026-12-04T23:20:09+08:00") whatever this computer's time zone, or the bare date
    ("2026-12-04") when the platform gave only a date. The clients read a date-only value as
    Beijing midnight, so exactly midnight is taken for a date (an invoice issued at
    00:00:00 sharp then shows its date only, which is still right). A naive `when` is this
    computer's local time."""
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.astimezone()
    when = when.astimezone(BEIJING).replace(microsecond=0)
    if when.time() == dt.time(0):
        return when.date().isoformat()
    return when.isoformat()


def platform_figures(inv: IssuedInvoice, draft: Draft) -> IssuedInvoice:
    """The invoice with the platform's amount and tax. A reply that carries only the total
    (clients then set amount = total and tax 0) has the split of the draft the journal holds,
    when the draft's total is that total: the platform computed the same lines."""
    if inv.tax != 0 or inv.amount != inv.total:
        return inv
    totals = money.compute_totals(draft)
    if totals.total != inv.total or totals.tax == 0:
        return inv
    return replace(inv, amount=totals.amount, tax=totals.tax)


def line_record(line: IssuedLine) -> LineRecord:
    return LineRecord(
        name=line.name,
        tax_code=line.tax_code,
        spec=line.spec,
        unit=line.unit,
        quantity=line.quantity,
        unit_price=line.unit_price,
        amount=line.amount,
        tax_rate=line.tax_rate,
        tax=line.tax,
        kind=line.kind,
        tax_treatment=line.tax_treatment,
    )


def draft_lines(draft: Draft) -> tuple[IssuedLine, ...]:
    """The lines as we sent them, for vendors that do not echo lines back."""
    totals = money.compute_totals(draft)
    out = []
    for line, fig in zip(draft.lines, totals.lines, strict=True):
        if fig is None:
            continue
        out.append(issued_line(line, fig, fig.quantity, fig.unit_price_excl))
    return tuple(out)


def invoice_from_draft(draft: Draft, serial: str, number: str | None = None) -> IssuedInvoice:
    """What we know of an invoice from its draft alone (FAW orders: no number comes back)."""
    totals = money.compute_totals(draft)
    return IssuedInvoice(
        number=number,
        date=None,
        serial=serial,
        amount=totals.amount,
        tax=totals.tax,
        total=totals.total,
        buyer_name=draft.buyer.name,
        buyer_tax_id=draft.buyer.tax_id,
        invoice_type=draft.invoice_type,
        lines=draft_lines(draft),
    )


def invoice_record(
    profile: Profile,
    inv: IssuedInvoice,
    *,
    serial: str | None = None,
    draft: Draft | None = None,
    draft_id: str | None = None,
    source: str = "issued",
    fallback_date: dt.datetime | None = None,
) -> InvoiceRecord:
    lines = inv.lines or (draft_lines(draft) if draft is not None else ())
    if draft is not None and inv.lines:
        lines = with_treatments(inv.lines, draft)
    deduction = draft.deduction if draft is not None else None
    return InvoiceRecord(
        profile=profile.name,
        vendor=profile.vendor.value,
        number=inv.number,
        serial=serial or inv.serial,
        issued_at=iso(inv.date or fallback_date),
        amount=inv.amount,
        tax=inv.tax,
        total=inv.total,
        color=inv.color,
        blue_number=inv.blue_number,
        invoice_type=inv.invoice_type or (draft.invoice_type if draft else ""),
        buyer_name=inv.buyer_name or (draft.buyer.name if draft else ""),
        buyer_tax_id=inv.buyer_tax_id or (draft.buyer.tax_id if draft else ""),
        status=inv.status,
        draft_id=draft_id,
        lines=tuple(line_record(x) for x in lines),
        source="synced" if source == "synced" else "issued",
        seller_tax_id=profile.seller.tax_id,
        seller_type=draft.seller_type if draft is not None else "",
        rate_note=draft.rate_note if draft is not None else "",
        deduction_mode=deduction.mode if deduction is not None else "",
        deduction=_decimal(deduction.amount) if deduction is not None else None,
    )


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def with_treatments(lines: tuple[IssuedLine, ...], draft: Draft) -> tuple[IssuedLine, ...]:
    """The platform's echoed lines with the treatments of the draft's lines that were sent
    (platforms echo rates, not 免税/不征税). Lines that do not match the draft one for one
    keep what they carry rather than a guess."""
    sent = draft_lines(draft)
    if len(sent) != len(lines) or any(x.tax_treatment for x in lines):
        return lines
    return tuple(
        replace(x, tax_treatment=s.tax_treatment) for x, s in zip(lines, sent, strict=True)
    )


def invoice_from_row(row: Any) -> IssuedInvoice:
    """An IssuedInvoice from a stored InvoiceRow (for downloads; no file URLs known)."""
    date = dt.datetime.fromisoformat(row.issued_at) if row.issued_at else None
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=BEIJING)  # a bare date: Beijing midnight
    return IssuedInvoice(
        number=row.number,
        date=date,
        serial=row.serial,
        amount=Decimal(row.amount),
        tax=Decimal(row.tax),
        total=Decimal(row.total),
        buyer_name=row.buyer_name,
        buyer_tax_id=row.buyer_tax_id,
        invoice_type=row.invoice_type,
        color="red" if row.color == "red" else "blue",
        blue_number=row.blue_number,
        status=row.status,
    )
