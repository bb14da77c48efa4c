"""Helpers for whole flows through the sandbox: services over loopback, faults, comparisons."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from invoicedesk.services.context import AppServices
from invoicedesk.services.issuing import IssueSettings
from invoicedesk.services.secrets import MemorySecretStore
from invoicedesk.store.records import InvoiceFilter

FAULT_KINDS = (
    "http_500",
    "timeout_before",
    "timeout_after",
    "drop_after",
    "malformed",
    "token_expired",
)
ISSUING = ("open-api", "ws-invoice", "piaodanyun", "faw")
DEMO_SECRETS = ("sandbox-password", "sandbox-api-key", "sandbox-secret", "sandbox-token")

FAST = IssueSettings(
    concurrency=8,
    retries=4,
    retry_delay_s=0.05,
    poll_interval_s=0.1,
    poll_timeout_s=20,
    unkeyed_settle_s=1,
)


def control(sandbox: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    reply = httpx.post(f"{sandbox.control_url}/{path}", json=body or {}, timeout=10)
    reply.raise_for_status()
    return reply.json() if reply.content else None


def quick_hangs(sandbox: Any, hang_s: float = 0.3) -> None:
    """Make the sandbox's timeout faults short (the clients then see a 504 or their timeout)."""
    control(sandbox, "settings", {"hang_s": hang_s, "open_api_processing_s": 0.2})


def inject(sandbox: Any, vendor: str, rate_total: float = 0.3) -> None:
    kinds = [*FAULT_KINDS, "ws_close"] if vendor == "ws-invoice" else list(FAULT_KINDS)
    for kind in kinds:
        control(
            sandbox,
            "faults",
            {"vendor": vendor, "endpoint": "*", "kind": kind, "rate": rate_total / len(kinds)},
        )
    # and a few for sure, so a small run cannot pass by drawing none
    control(
        sandbox, "faults", {"vendor": vendor, "endpoint": "*", "kind": "drop_after", "count": 2}
    )


def clear_faults(sandbox: Any) -> None:
    control(sandbox, "faults", {"clear": True})


def sandbox_invoices(sandbox: Any, vendor: str) -> list[dict[str, Any]]:
    reply = httpx.get(f"{sandbox.control_url}/invoices", timeout=10)
    reply.raise_for_status()
    return [i for i in reply.json()["invoices"] if i["vendor"] == vendor]


async def open_services(data_dir: Path, sandbox: Any, timeout_s: float = 2.0) -> AppServices:
    services = await AppServices.open(
        data_dir, MemorySecretStore(), issue_settings=FAST, vendor_timeout_s=timeout_s
    )
    await services.profiles.sandbox_profiles(sandbox.base_urls)
    await services.account.sandbox_tax_login("piaodanyun")
    return services


def history_rows(store: Any, profile: str) -> list[Any]:
    return list(
        store.query_invoices(InvoiceFilter(profiles=(profile,)), "issued_at", False, None, 100000)
    )


def assert_same_invoices(sandbox: Any, store: Any, vendor: str, expected: int) -> None:
    """The sandbox and our history hold the same invoices: none lost, none twice."""
    theirs = sandbox_invoices(sandbox, vendor)
    ours = history_rows(store, vendor)
    assert len(theirs) == expected, f"sandbox holds {len(theirs)} {vendor} invoices"
    assert len(ours) == expected, f"history holds {len(ours)} {vendor} invoices"
    their_serials = [i["serial"] for i in theirs]
    our_serials = [r.serial for r in ours]
    assert len(set(their_serials)) == expected
    if vendor != "ws-invoice":  # ws-invoice has no request serial on the wire
        assert set(their_serials) == set(our_serials)
    if vendor != "faw":  # FAW orders have no number
        their_numbers = [i["number"] for i in theirs]
        assert len(set(their_numbers)) == expected
        assert set(their_numbers) == {r.number for r in ours}
    assert sorted(Decimal(str(i["total"])) for i in theirs) == sorted(r.total for r in ours)


def write_drafts(folder: Path, drafts: list[Any]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i, d in enumerate(drafts):
        path = folder / f"d{i:03d}.json"
        path.write_text(d.to_json(), encoding="utf-8")
        names.append(str(path))
    return names


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]
