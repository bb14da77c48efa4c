"""The platforms' names as the window shows them (translated), and an account's one-line title.

The names come from services/vendor_facts.py (one table for the window, the command line and
the services); this module translates them for the status bar, the accounts page and dialog:
the English window says "Open Platform API", not 开放平台 API, and a sandbox account says so
wherever it is listed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from invoicedesk.services.vendor_facts import FACTS, TR_CONTEXT
from invoicedesk.services.vendor_facts import vendor_name as facts_vendor_name
from invoicedesk.vocabulary import Profile, VendorKey


def _tr(text: str) -> str:
    return QCoreApplication.translate("VendorNames", text)


def table_text(text: str) -> str:
    """A text of the vendor facts table (a name, a field's label, placeholder or hint) in the
    window's language (services/vendor_facts.py marks them under this context)."""
    return QCoreApplication.translate(TR_CONTEXT, text) if text else ""


def vendor_name(vendor: VendorKey | str) -> str:
    return table_text(facts_vendor_name(vendor))


def vendor_names() -> dict[VendorKey, str]:
    """Every platform, in the order the account dialog offers them."""
    return {key: vendor_name(key) for key in FACTS}


def is_sandbox_account(profile: Profile) -> bool:
    return profile.options.get("sandbox") == "1"


def vendor_label(profile: Profile) -> str:
    """ "票单云（沙箱）": the platform, and whether it is the built-in simulator."""
    name = vendor_name(profile.vendor)
    return name + _tr("（沙箱）") if is_sandbox_account(profile) else name


def account_title(profile: Profile) -> str:
    """ "piaodanyun · 票单云（沙箱）", for lists and combo boxes."""
    return f"{profile.name} · {vendor_label(profile)}"
