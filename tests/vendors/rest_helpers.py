"""Helpers for the open-api / signed-api / faw client tests: profiles, secrets, drafts, control."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.vendors.base import Profile, Seller, VendorKey

T = TypeVar("T")
SELLER = Seller("演示科技有限公司", "91330106MA2H7Q3D1G")
BUYER_TAX_ID = "91110108MA01K2P4XY"
DEMO = {
    "api_key": "sandbox-api-key",
    "secret": "sandbox-secret",
    "token": "sandbox-token",
}


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def control(sandbox: Any, path: str, body: Any = None, method: str = "POST") -> Any:
    reply = httpx.request(method, f"{sandbox.control_url}/{path}", json=body, timeout=10)
    reply.raise_for_status()
    return reply.json() if reply.content else None


def fault(sandbox: Any, vendor: str, endpoint: str, kind: str, count: int = 1) -> None:
    control(
        sandbox, "faults", {"vendor": vendor, "endpoint": endpoint, "kind": kind, "count": count}
    )


def sandbox_invoices(sandbox: Any, vendor: str) -> list[dict[str, Any]]:
    rows = control(sandbox, "invoices", method="GET")["invoices"]
    return [row for row in rows if row["vendor"] == vendor]


def profile(base_url: str, vendor: VendorKey, user_name: str = "", **options: str) -> Profile:
    return Profile(
        name=f"test-{vendor.value}",
        vendor=vendor,
        base_url=base_url,
        seller=SELLER,
        user_name=user_name,
        options=dict(options),
    )


def secrets(**override: str) -> Any:
    values = {**DEMO, **override}

    async def get(name: str) -> str:
        return values[name]

    return get


def draft(*lines: Line, invoice_type: str = "82") -> Draft:
    return Draft(
        invoice_type=invoice_type,
        buyer=Buyer(name="北京示例有限公司", tax_id=BUYER_TAX_ID, email="a@example.com"),
        lines=list(lines)
        or [
            Line(
                name="*信息技术服务*软件开发",
                tax_code="3040201010000000000",
                quantity="3",
                unit_price="33.33",
                amount="99.99",
                tax_rate="0.06",
                price_includes_tax=True,
            )
        ],
        remark="测试",
    )
