"""A small batch runner for the crash test: `python -m tests.services.batch_runner DATA_DIR
SHEET PROFILE`. Reopens the newest unfinished batch (as the batch page does after a crash) or
imports SHEET into a new one, then runs it, printing one line per settled draft."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from invoicedesk.services import batch_io
from invoicedesk.services.batches import BatchService
from invoicedesk.services.context import AppServices
from invoicedesk.services.secrets import MemorySecretStore


async def main(data_dir: Path, sheet: Path, profile: str) -> None:
    services = await AppServices.open(data_dir, MemorySecretStore(), vendor_timeout_s=2.0)
    try:
        await services.account.sandbox_tax_login(profile)
        batches = BatchService.for_services(services)
        open_ = await batches.open_batches()
        if open_:
            batch_id = open_[0].id
            print(f"resumed {batch_id}", flush=True)
        else:
            result = await asyncio.to_thread(batch_io.import_file, sheet)
            batch_id = await batches.create(profile, str(sheet), result.drafts)
            print(f"created {batch_id}", flush=True)

        def report(view: object) -> None:
            state = getattr(view, "state", "")
            if state in ("issued", "rejected", "unknown"):
                print(f"{state} {getattr(view, 'label', '')}", flush=True)

        await batches.run(batch_id, on_item=report, concurrency=3)
        print("finished", flush=True)
    finally:
        await services.aclose()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]))
