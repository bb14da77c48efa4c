"""The one reconcile back-off (services/reconcile_policy.py) that the window and the headless
`reconcile --wait` share: spaced attempts on the SAME journal row until the vendor settles it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from invoicedesk.services.reconcile_policy import (
    RECONCILE,
    ReconcilePolicy,
    reconcile_until_settled,
)
from tests.e2e.helpers import clear_faults, control, open_services, quick_hangs, sandbox_invoices
from tests.services.helpers import make_draft


def test_the_waits_grow_then_repeat_the_last() -> None:
    assert [RECONCILE.delay(i) for i in range(8)] == [1, 2, 4, 8, 15, 30, 30, 30]
    assert ReconcilePolicy((0.5,)).delay(3) == 0.5


def test_an_unknown_issue_is_settled_once_the_vendor_answers_again(
    sandbox: Any, data_dir: Path
) -> None:
    async def main() -> None:
        services = await open_services(data_dir, sandbox, timeout_s=2)
        try:
            quick_hangs(sandbox)
            before = len(sandbox_invoices(sandbox, "piaodanyun"))
            # the platform issues, then every answer is lost: the outcome is unknown
            control(
                sandbox,
                "faults",
                {"vendor": "piaodanyun", "endpoint": "*", "kind": "drop_after", "count": 200},
            )
            first = await services.issuing.issue("piaodanyun", make_draft(7))
            assert first.state == "UNKNOWN" and first.journal_id is not None
            waits: list[float] = []
            pending: list[tuple[int, bool]] = []

            async def sleep(seconds: float) -> None:
                waits.append(seconds)
                if len(waits) == 3:  # the platform answers again before the third attempt
                    clear_faults(sandbox)

            settled = await reconcile_until_settled(
                services.issuing,
                first.journal_id,
                on_pending=lambda n, error: pending.append((n, error is not None)),
                sleep=sleep,
            )
            assert settled is not None and settled.state == "ISSUED" and settled.invoice_no
            assert settled.serial == first.serial  # the same request, never a second one
            assert waits == [1.0, 2.0, 4.0]
            assert [n for n, _ in pending] == [1, 2]
            assert len(sandbox_invoices(sandbox, "piaodanyun")) == before + 1
        finally:
            clear_faults(sandbox)
            await services.aclose()

    asyncio.run(main())


def test_a_deadline_ends_the_waiting_without_an_answer(sandbox: Any, data_dir: Path) -> None:
    async def main() -> None:
        services = await open_services(data_dir, sandbox, timeout_s=2)
        try:
            quick_hangs(sandbox)
            control(
                sandbox,
                "faults",
                {"vendor": "piaodanyun", "endpoint": "*", "kind": "drop_after", "count": 200},
            )
            first = await services.issuing.issue("piaodanyun", make_draft(8))
            assert first.state == "UNKNOWN" and first.journal_id is not None
            policy = ReconcilePolicy((0.05,))
            result = await reconcile_until_settled(
                services.issuing, first.journal_id, policy=policy, deadline_s=0.3
            )
            assert result is None
            row = await asyncio.to_thread(services.store.journal_row, first.journal_id)
            assert row.state == "UNKNOWN" and row.serial == first.serial
        finally:
            clear_faults(sandbox)
            await services.aclose()

    asyncio.run(main())
