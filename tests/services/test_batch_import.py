"""The batch import in its worker process: the same dry run as batch_io.import_file, in chunks
and in sheet order; failures come back as ImportFailed; closing ends the process."""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

import pytest

from invoicedesk.services import batch_import, batch_io
from tests.services.test_batch_io import GOOD, write_xlsx


def test_the_worker_process_gives_import_files_dry_run_and_ends_when_closed(
    tmp_path: Path,
) -> None:
    n = batch_import.CHUNK * 2 + 10  # three chunks
    rows: list[dict[str, object]] = [
        {"draft": f"D{i}", **GOOD, "remark": f"第{i}号"} for i in range(n - 1)
    ]
    rows[3]["lines.amount"] = "abc"  # an error in the first chunk
    rows.append({"draft": "LAST", **GOOD, "remark": "第0号"})  # the same content as D0
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    expected = batch_io.import_file(path)

    async def run() -> tuple[list[tuple[batch_io.ImportedDraft, str]], int, str]:
        importer = batch_import.ImportProcess()
        try:
            job = await importer.start(path)
            got: list[tuple[batch_io.ImportedDraft, str]] = []
            sizes = []
            async for drafts, keys in job.chunks():
                sizes.append(len(drafts))
                got.extend(zip(drafts, keys, strict=True))
            assert sizes == [batch_import.CHUNK, batch_import.CHUNK, 10]
            assert job.sizes == [1] * n and job.result.source == str(path)
            # the process stays for the next import; a bad file fails there as it does here
            with pytest.raises(batch_io.ImportFailed, match=r"xlsx 或 \.csv") as failed:
                await importer.start(tmp_path / "x.json")
            return got, len(multiprocessing.active_children()), failed.value.message
        finally:
            await importer.aclose()

    got, children, message = asyncio.run(run())
    assert children == 1
    assert "不支持的文件类型" in message
    assert multiprocessing.active_children() == []
    assert len(got) == len(expected.drafts)
    for (d, key), want in zip(got, expected.drafts, strict=True):
        assert (d.label, d.rows, d.cells, d.problems) == (
            want.label,
            want.rows,
            want.cells,
            want.problems,
        )
        assert key == batch_io.content_key(want.draft)
        assert d.total == (want.totals.total if want.totals else None)
    assert got[3][0].has_errors
    assert [p.code for p in got[-1][0].problems] == ["batch.duplicate"]
