"""Which client serves which vendor key. Vendor modules are imported only when asked for, so the
registry works while a module is missing and start-up stays light."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from invoicedesk.domain.treatments import ORDINARY_ONLY, TreatmentSupport
from invoicedesk.vendors.base import BaseVendor, Capability, Profile, SecretGetter, VendorKey
from invoicedesk.vendors.transport import OnCall

# key → (module, class)
CLIENTS: dict[VendorKey, tuple[str, str]] = {
    VendorKey.OPEN_API: ("invoicedesk.vendors.open_api", "OpenApiVendor"),
    VendorKey.SIGNED_API: ("invoicedesk.vendors.signed_api", "SignedApiVendor"),
    VendorKey.FAW: ("invoicedesk.vendors.faw", "FawVendor"),
    VendorKey.PIAODANYUN: ("invoicedesk.vendors.piaodanyun", "PiaodanyunVendor"),
    VendorKey.WS_INVOICE: ("invoicedesk.vendors.ws_invoice", "WsInvoiceVendor"),
}

# The README's capability matrix, used when a module cannot be imported (yet).
MATRIX: dict[VendorKey, Capability] = {
    VendorKey.OPEN_API: Capability.ISSUE
    | Capability.BATCH_ISSUE
    | Capability.QUERY_ONE
    | Capability.FILES,
    VendorKey.WS_INVOICE: Capability.ISSUE
    | Capability.FIND_ISSUED
    | Capability.TAX_LOGIN
    | Capability.FACE_IN_ISSUE
    | Capability.SYNC_HISTORY
    | Capability.LINE_ITEMS
    | Capability.FILES,
    VendorKey.PIAODANYUN: Capability.ISSUE
    | Capability.TAX_LOGIN
    | Capability.FACE_AUTH
    | Capability.QUERY_ONE
    | Capability.GET_INVOICE
    | Capability.LINE_ITEMS
    | Capability.FILES
    | Capability.SMS_LOGIN
    | Capability.RED_LETTER
    | Capability.RED_FORM
    | Capability.CREDIT_LINE,
    VendorKey.SIGNED_API: Capability.GET_INVOICE
    | Capability.SYNC_HISTORY
    | Capability.LINE_ITEMS
    | Capability.PRINT_INFO,
    VendorKey.FAW: Capability.ISSUE | Capability.RED_LETTER | Capability.RED_ORDER,
}


def vendor_class(key: VendorKey) -> type[BaseVendor]:
    """The client class for a key (imports its module). ImportError/AttributeError if missing."""
    module_name, class_name = CLIENTS[VendorKey(key)]
    cls: type[BaseVendor] = getattr(importlib.import_module(module_name), class_name)
    return cls


def capabilities_of(key: VendorKey) -> Capability:
    """What the vendor can do: the client's own declaration, else the README matrix."""
    try:
        return vendor_class(key).capabilities
    except (ImportError, AttributeError):
        return MATRIX[VendorKey(key)]


def treatments_of(key: VendorKey) -> TreatmentSupport:
    """What the vendor's document can carry of the tax treatments (the client's declaration;
    only ordinary invoices when the module cannot be imported)."""
    try:
        return vendor_class(key).treatments
    except (ImportError, AttributeError):
        return ORDINARY_ONLY


def partial_red_of(key: VendorKey) -> bool:
    """Whether the vendor's red letters may cover part of a blue invoice (False when the
    module cannot be imported)."""
    try:
        return vendor_class(key).partial_red
    except (ImportError, AttributeError):
        return False


def make_vendor(
    profile: Profile, secrets: SecretGetter, *, on_call: OnCall | None = None, **options: Any
) -> BaseVendor:
    """A client for the profile. `on_call` (the audit-log callback) and other keyword options
    (`timeout`, ...) are passed on to clients whose constructor accepts them."""
    cls = vendor_class(profile.vendor)
    accepted = inspect.signature(cls).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values())
    kwargs = {"on_call": on_call, **options} if on_call is not None else dict(options)
    kwargs = {k: v for k, v in kwargs.items() if takes_any or k in accepted}
    return cls(profile, secrets, **kwargs)
