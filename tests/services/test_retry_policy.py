"""One retry level per kind of call (services/retry_policy.py): a file download that fails every
time is tried exactly DOWNLOAD.attempts times over HTTP, by the transport alone, never a service
loop around the transport's loop. The sandbox counts the calls: each one it answers with the
injected fault uses up one of the fault's `count`."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from invoicedesk.services.issuing import IssueSettings
from invoicedesk.services.retry_policy import DOWNLOAD, ISSUE, READ
from invoicedesk.vendors.base import VendorError
from tests.e2e.helpers import control, open_services
from tests.services.helpers import make_draft

PLENTY = 50  # more failures than any nesting of retries would use


def _faults_left(sandbox: Any) -> int:
    """The failures still to give (a fault whose count reaches 0 is removed)."""
    faults = httpx.get(f"{sandbox.control_url}/faults", timeout=10).json()["faults"]
    return sum(int(f["count"]) for f in faults)


def test_the_policies_are_one_level_each() -> None:
    assert DOWNLOAD.attempts == READ.attempts == 3
    assert IssueSettings().retries == ISSUE.attempts - 1


@pytest.mark.parametrize(
    ("vendor", "endpoint"),
    [("open-api", "files"), ("piaodanyun", "getInvoicePdfOfd"), ("ws-invoice", "files")],
)
def test_a_download_failing_every_time_makes_exactly_the_policys_attempts(
    sandbox: Any, data_dir: Path, vendor: str, endpoint: str
) -> None:
    async def main() -> None:
        services = await open_services(data_dir, sandbox)
        try:
            issued = await services.issuing.issue(vendor, make_draft(1))
            assert issued.state == "ISSUED" and issued.invoice_no
            await services.files.drain()  # the background archive is done before the faults
            control(
                sandbox,
                "faults",
                {"vendor": vendor, "endpoint": endpoint, "kind": "http_500", "count": PLENTY},
            )
            with pytest.raises(VendorError):
                await services.files.download(vendor, issued.invoice_no, "pdf", force=True)
        finally:
            await services.aclose()

    asyncio.run(main())
    assert PLENTY - _faults_left(sandbox) == DOWNLOAD.attempts
