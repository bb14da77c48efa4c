"""Paper print information of an issued invoice (signed-api `invoice.update`).

A bookkeeper who prints an electronic invoice on paper records that it was printed, when, how
many times and the paper invoice's number. Only the signed-api platform keeps this
(Capability.PRINT_INFO); the fields and their formats are those of `invoice.update`:
print_status "1" printed / "0" not printed, print_time "yyyy-MM-dd HH:mm:ss", print_count an
integer ≥ 0, paper_invoice_no at most 20 characters. At least one field must be given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from invoicedesk.services.vendor_facts import FACTS, flows, vendor_name
from invoicedesk.vendors.base import BaseVendor, Capability, NotSupported, Profile

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]

PAPER_NO_MAX = 20


class PrintInfoError(ValueError):
    """Bad print information; `message` names the field and what to do (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PrintInfo:
    """What to record; None / "" leaves a field as the platform has it."""

    printed: bool | None = None
    print_time: dt.datetime | None = None
    print_count: int | None = None
    paper_invoice_no: str = ""


def wire_fields(info: PrintInfo) -> dict[str, str]:
    """The invoice.update parameters for `info` (checked), all as text."""
    fields: dict[str, str] = {}
    if info.printed is not None:
        fields["print_status"] = "1" if info.printed else "0"
    if info.print_time is not None:
        fields["print_time"] = info.print_time.strftime("%Y-%m-%d %H:%M:%S")
    if info.print_count is not None:
        if info.print_count < 0:
            raise PrintInfoError("打印次数不能小于 0，请填写 0 或更大的整数。")
        fields["print_count"] = str(info.print_count)
    paper = info.paper_invoice_no.strip()
    if paper:
        if len(paper) > PAPER_NO_MAX:
            raise PrintInfoError(
                f"纸质发票号码最多 {PAPER_NO_MAX} 个字符（现在 {len(paper)} 个），请检查后重填。"
            )
        fields["paper_invoice_no"] = paper
    if not fields:
        raise PrintInfoError(
            "请至少填写一项打印信息（打印状态、打印时间、打印次数或纸质发票号码）。"
        )
    return fields


def supports_print_info(vendor: BaseVendor | None) -> bool:
    return vendor is not None and bool(vendor.capabilities & Capability.PRINT_INFO)


class PrintInfoService:
    """Public API: update(profile_name, number, info) -> dict[str, str] (the fields sent)."""

    def __init__(self, vendors: VendorGetter) -> None:
        self.vendors = vendors

    async def update(self, profile_name: str, number: str, info: PrintInfo) -> dict[str, str]:
        """Send the print information of invoice `number` to the account's platform. Raises
        PrintInfoError for bad input (nothing sent), NotSupported for a platform without
        print information, and the vendor's typed errors otherwise."""
        if not number:
            raise PrintInfoError("这张发票还没有发票号码，无法更新打印信息。")
        fields = wire_fields(info)
        profile, vendor = await self.vendors(profile_name)
        if not supports_print_info(vendor):
            able = "、".join(vendor_name(k) for k in FACTS if flows(k).print_info)
            raise NotSupported(
                f"开票账户“{profile.name}”的平台不提供纸质发票打印信息（仅{able}支持）。",
                code="not_supported",
                vendor=profile.vendor.value,
            )
        await vendor.update_print_info(number, fields)
        return fields
