"""The platforms' names as the window shows them (translated), and an account's one-line title.

One table for the status bar, the accounts page and dialog: the English window says "Open
Platform API", not 开放平台 API, and a sandbox account says so wherever it is listed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from invoicedesk.vocabulary import Profile, VendorKey


def _tr(text: str) -> str:
    return QCoreApplication.translate("VendorNames", text)


def vendor_name(vendor: VendorKey | str) -> str:
    key = vendor.value if isinstance(vendor, VendorKey) else str(vendor)
    names = {
        VendorKey.OPEN_API.value: _tr("开放平台 API"),
        VendorKey.WS_INVOICE.value: _tr("WebSocket 开票"),
        VendorKey.PIAODANYUN.value: _tr("票单云"),
        VendorKey.SIGNED_API.value: _tr("签名开票接口"),
        VendorKey.FAW.value: _tr("FAW 开票中台"),
    }
    return names.get(key, key)


def vendor_names() -> dict[VendorKey, str]:
    """Every platform, in the order the account dialog offers them."""
    return {key: vendor_name(key) for key in VendorKey}


def is_sandbox_account(profile: Profile) -> bool:
    return profile.options.get("sandbox") == "1"


def vendor_label(profile: Profile) -> str:
    """ "票单云（沙箱）": the platform, and whether it is the built-in simulator."""
    name = vendor_name(profile.vendor)
    return name + _tr("（沙箱）") if is_sandbox_account(profile) else name


def account_title(profile: Profile) -> str:
    """ "piaodanyun · 票单云（沙箱）", for lists and combo boxes."""
    return f"{profile.name} · {vendor_label(profile)}"
