"""What the active account's platform cannot take, found before anything is sent: the form
marks such lines as they are entered, at their own row, with the reason."""

from __future__ import annotations

from invoicedesk.domain.models import Draft
from invoicedesk.domain.rules import Problem
from invoicedesk.vendors.base import VendorKey
from invoicedesk.vendors.registry import vendor_class


def platform_problems(draft: Draft, vendor: VendorKey, platform: str) -> list[Problem]:
    """Errors at the lines the platform refuses; `platform` is its name as the user knows it."""
    if vendor_class(vendor).discount_lines:
        return []
    return [
        Problem(
            f"lines[{i}]",
            "platform.no_discount_lines",
            "error",
            f"第 {i + 1} 行是折扣行：{platform}不能开具折扣行。请删除这一行，把折扣直接计入"
            "商品金额，或换用支持折扣行的开票账户",
        )
        for i, line in enumerate(draft.lines)
        if line.kind == "discount"
    ]
