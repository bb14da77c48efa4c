"""Start-up reconciliation of red rows only looks (resend=False): nothing is sent again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from invoicedesk.domain import red
from invoicedesk.domain.red import Step
from tests.e2e.helpers import control, open_services
from tests.services.test_red_service import blue_invoice, red_service


def test_reconcile_all_without_resend_only_looks(sandbox: Any, data_dir: Path) -> None:
    async def go() -> None:
        s = await open_services(data_dir, sandbox)
        try:
            number = await blue_invoice(s)
            rs = red_service(s)
            case = await rs.to_scope(await rs.check(await rs.open_case("piaodanyun", number)))
            fault = {"vendor": "piaodanyun", "endpoint": "hzxxbsq", "kind": "drop_after"}
            control(sandbox, "faults", dict(fault, count=1))  # the form is made, answer lost
            case = await rs.apply_form(await rs.choose(case, red.full_plan("01", case.state.left)))
            assert case.step is Step.SCOPE and case.form_serial
            (looked,) = await rs.reconcile_all(resend=False)
            assert looked.id == case.id and looked.step is Step.SCOPE
            row = s.store.journal_by_serial("piaodanyun", case.form_serial)
            assert (row.kind, row.state) == ("red_form", "UNKNOWN")  # untouched: nothing sent
            (settled,) = await rs.reconcile_all()  # the default resends with the same serial
            assert settled.step is Step.ISSUE, settled.message
            assert s.store.journal_by_serial("piaodanyun", case.form_serial).state == "ISSUED"
        finally:
            await s.aclose()

    asyncio.run(go())
