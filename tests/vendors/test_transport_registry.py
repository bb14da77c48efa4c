"""The registry: a client per vendor key, capabilities as the README matrix says."""

from __future__ import annotations

from typing import Any

import pytest

from invoicedesk.vendors.base import Capability, VendorKey
from invoicedesk.vendors.faw import FawVendor
from invoicedesk.vendors.open_api import OpenApiVendor
from invoicedesk.vendors.registry import MATRIX, capabilities_of, make_vendor
from invoicedesk.vendors.signed_api import SignedApiVendor
from tests.vendors.rest_helpers import profile, run, secrets


def test_make_vendor_builds_each_of_our_clients_and_passes_on_call_and_timeout() -> None:
    calls: list[Any] = []
    for key, cls in (
        (VendorKey.OPEN_API, OpenApiVendor),
        (VendorKey.SIGNED_API, SignedApiVendor),
        (VendorKey.FAW, FawVendor),
    ):
        vendor = make_vendor(
            profile("http://127.0.0.1:1/x", key),
            secrets(),
            on_call=lambda *a: calls.append(a),
            timeout=3.0,
            not_a_parameter=1,
        )
        assert type(vendor) is cls
        assert vendor.http.on_call is not None and vendor.http.timeout == 3.0  # type: ignore[attr-defined]
        run(vendor.close())


def test_every_vendor_can_be_made_when_its_module_exists() -> None:
    for key in VendorKey:
        vendor = make_vendor(profile("http://127.0.0.1:1/x", key), secrets())
        assert vendor.key is key
        run(vendor.close())


def test_capabilities_follow_the_readme_matrix() -> None:
    for key in VendorKey:
        assert capabilities_of(key) == MATRIX[key], key
    assert Capability.BATCH_ISSUE in capabilities_of(VendorKey.OPEN_API)
    assert Capability.ISSUE not in capabilities_of(VendorKey.SIGNED_API)
    assert capabilities_of(VendorKey.FAW) == (
        Capability.ISSUE | Capability.RED_LETTER | Capability.RED_ORDER
    )


def test_capabilities_follow_the_methods_each_client_has() -> None:
    """No flag without its methods (so no NotSupported from a declared capability), and the
    README matrix the UI falls back on says the same as the classes."""
    from invoicedesk.vendors.base import CAPABILITY_METHODS, BaseVendor, implemented_capabilities
    from invoicedesk.vendors.registry import MATRIX, vendor_class

    for key, matrix in MATRIX.items():
        cls = vendor_class(key)
        assert cls.capabilities == matrix, key
        assert cls.capabilities & ~implemented_capabilities(cls) == Capability.NONE, key
        for capability, groups in CAPABILITY_METHODS.items():
            if cls.capabilities & capability:
                assert any(
                    all(getattr(cls, m) is not getattr(BaseVendor, m, None) for m in group)
                    for group in groups
                ), (key, capability)


def test_a_capability_without_its_method_is_refused_at_class_creation() -> None:
    from invoicedesk.vendors.base import BaseVendor, VendorKey

    with pytest.raises(TypeError):

        class Boastful(BaseVendor):
            key = VendorKey.OPEN_API
            capabilities = Capability.CREDIT_LINE

    class Quiet(BaseVendor):  # a method implemented is a capability had
        key = VendorKey.OPEN_API

        async def credit_line(self) -> Any:
            raise AssertionError

    assert Quiet.capabilities == Capability.CREDIT_LINE
