"""The batch import (services/batch_io.py) in a worker process, a chunk of drafts at a time.

Why a process: reading and checking 10,000 rows is seconds of pure-Python work; in a thread of
the GUI process it holds the interpreter lock, and every paint and timer of the GUI waits for it
(stalls of 100+ ms measured). A separate process has its own lock.

Why chunks: the worker reads and groups the sheet once (`_open`), keeps the drafts, then checks
them CHUNK drafts per call (`_check`); calls to a one-process pool run in order, so the GUI shows
the first screen of the dry run while the rest is still being checked, and takes each chunk in
with a few milliseconds of work. A chunk comes back as pickled compact tuples (plain text, not
pydantic models): unpickling it costs the GUI little, and the executor's result thread only
passes bytes along.

The pool is created on first use with the 'spawn' start method (never fork a process that has
Qt threads) and ended by `aclose()`. Nothing here imports Qt: the worker process imports only
this module and batch_io.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
from collections.abc import AsyncGenerator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from invoicedesk.services import batch_io

if os.name == "posix":
    # what the first spawn imports, imported now rather than while the GUI waits on it
    import multiprocessing.popen_spawn_posix
    import multiprocessing.resource_tracker
    import multiprocessing.spawn
    import multiprocessing.synchronize

CHUNK = 250  # drafts per call: ~50 ms of checking in the worker, ~3 ms to take in on the GUI

# ---- the worker process ----------------------------------------------------------------------

# the sheet being checked in this worker process: its drafts and the content keys seen so far
_job: tuple[list[batch_io.ImportedDraft], dict[str, batch_io.ImportedDraft]] | None = None


def _lower_priority() -> None:
    """Worker start: yield the CPU to the GUI process when both want it (2 cores, and the
    paints of the dry run take ~10 ms each). Windows has no nice(); it keeps the default."""
    if hasattr(os, "nice"):
        os.nice(10)


def _open(path: str) -> tuple[batch_io.ImportResult, list[int]]:
    """Worker: read and group the sheet; the result without drafts, and each draft's row
    count (the GUI lays out the table's rows before the drafts are checked)."""
    global _job
    _job = None
    result = batch_io.read_sheet(Path(path))
    _job = (result.drafts, {})
    sizes = [len(d.rows) for d in result.drafts]
    result.drafts = []
    return result, sizes


def _check(start: int, stop: int) -> bytes:
    """Worker: check drafts[start:stop] of the open sheet (in order: duplicates look back)."""
    global _job
    if _job is None:
        raise RuntimeError("no sheet is open in this import process")
    drafts, seen = _job
    out = batch_io.check_chunk(drafts[start:stop], seen)
    if stop >= len(drafts):
        _job = None
    return pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


# ---- the GUI process -------------------------------------------------------------------------


class ImportFailedToRun(batch_io.ImportFailed):
    """The worker process died (out of memory, killed): the import can simply be tried again."""


class ImportJob:
    """One import under way: `result` (source, columns, file problems; drafts still empty),
    `sizes` (each draft's row count), `count` drafts, and `chunks()` yielding (drafts, their
    content keys) in sheet order."""

    def __init__(
        self,
        owner: ImportProcess,
        result: batch_io.ImportResult,
        sizes: list[int],
        futures: list[asyncio.Future[bytes]],
    ) -> None:
        self.result = result
        self.sizes = sizes
        self.count = len(sizes)
        self._owner = owner
        self._futures = futures

    async def chunks(
        self,
    ) -> AsyncGenerator[tuple[list[batch_io.ImportedDraft], list[str]], None]:
        try:
            for future in self._futures:
                try:
                    data = await future
                except BrokenProcessPool:
                    await self._owner.drop()
                    raise ImportFailedToRun(_DIED) from None
                drafts: list[batch_io.ImportedDraft] = []
                keys: list[str] = []
                for compact in pickle.loads(data):
                    d, key = batch_io.ImportedDraft.from_compact(compact)
                    drafts.append(d)
                    keys.append(key)
                yield drafts, keys
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Drop the chunks not checked yet (a chunk being checked finishes in the worker)."""
        for future in self._futures:
            future.cancel()


_DIED = "读取表格的后台进程意外退出：请重新导入；如仍失败，请把表格拆成几个较小的文件。"


class ImportProcess:
    """Public API: `await start(path) -> ImportJob` (raises batch_io.ImportFailed), `await
    aclose()`. Owns a one-process pool, started on the first import and kept for the next."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
        return self._pool

    def _submit_open(
        self, path: str
    ) -> tuple[ProcessPoolExecutor, Future[tuple[batch_io.ImportResult, list[int]]]]:
        pool = self._executor()
        return pool, pool.submit(_open, path)

    async def start(self, path: Path) -> ImportJob:
        loop = asyncio.get_running_loop()
        try:
            # the first import creates the pool (its locks start multiprocessing's resource
            # tracker process), starts the worker and the pool's threads and waits for them:
            # tens of milliseconds on a busy machine, so not on the GUI thread
            pool, opened = await asyncio.to_thread(self._submit_open, str(path))
            result, sizes = await asyncio.wrap_future(opened)
        except BrokenProcessPool:
            await self.drop()
            raise ImportFailedToRun(_DIED) from None
        count = len(sizes)
        futures = [
            loop.run_in_executor(pool, _check, start, min(start + CHUNK, count))
            for start in range(0, count, CHUNK)
        ]
        return ImportJob(self, result, sizes, futures)

    async def warm(self) -> None:
        """Start the worker process ahead of an import (while the user picks the file)."""
        pool = await asyncio.to_thread(self._executor)
        try:
            await asyncio.wrap_future(pool.submit(int))
        except BrokenProcessPool:
            await self.drop()

    async def drop(self) -> None:
        """End the worker process (the next import starts a new one)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def aclose(self) -> None:
        """End the worker process (waits for a chunk being checked, a fraction of a second)."""
        await self.drop()
