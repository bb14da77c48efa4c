"""The sandbox's invoices: lines, figures checked like a platform, credit, and the numbers
that never repeat."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from invoicedesk.sandbox.basics import (
    CENT,
    CHANNEL_DIGITS,
    LINE_TAX_TOLERANCE,
    SELLER_NAME,
    SELLER_TAX_ID,
    TOTAL_TAX_TOLERANCE,
    TOTAL_TOLERANCE,
    Refused,
    q2,
)

if TYPE_CHECKING:
    from invoicedesk.sandbox.core import SandboxState


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


_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def unique_sequence(last: int) -> int:
    """The next sequence number: one past `last`, and at least the microseconds since 2020 on
    the real clock (not the sandbox clock, which tests move), so that a restarted or reset
    sandbox never hands out a number it gave before. 15 digits last until 2051."""
    elapsed = datetime.now(UTC) - _EPOCH
    return max(last + 1, elapsed // timedelta(microseconds=1))


class Invoices:
    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.by_key: dict[tuple[str, str], SbInvoice] = {}
        self.by_number: dict[str, SbInvoice] = {}
        self.sequence = 0
        self.lock = threading.RLock()

    def next_number(self, vendor: str, when: datetime) -> str:
        self.sequence = unique_sequence(self.sequence)
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
