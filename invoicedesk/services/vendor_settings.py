"""The account settings a vendor's document enumerates, for the account form.

The FAW client validates these settings against the document's enumerations (vendors/faw.py);
the window offers the same choices through this module, so that it imports nothing from
vendors/ (docs/architecture.md: the window talks to services).
"""

from __future__ import annotations

from invoicedesk.vendors.faw import (
    BUKRS_CHOICES,
    BUSINESS_TYPE_CODES,
    BUSINESS_TYPE_NAMES,
    DEFAULTS,
    invoice_type_valid,
)

# FAW's: business type, company code (bukrs), invoice types
__all__ = [
    "BUKRS_CHOICES",
    "BUSINESS_TYPE_CODES",
    "BUSINESS_TYPE_NAMES",
    "DEFAULTS",
    "invoice_type_valid",
]
