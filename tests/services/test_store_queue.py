"""The issuing service's store queue: calls queued together share one transaction; each call
gets its own result or error, only after the commit."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from invoicedesk.services.store_queue import StoreQueue
from invoicedesk.store import DuplicateSerial, Store


@pytest.fixture
def store(data_dir: Path) -> Any:
    s = Store.open(data_dir / "db.sqlite3")
    yield s
    s.close()


def _send(store: Store, serial: str) -> int:
    return store.begin_send(
        draft_id=None, profile="p", serial=serial, content_hash="h", draft_json="{}"
    )


def test_calls_queued_together_share_a_transaction_and_keep_their_own_outcome(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = StoreQueue(store, "test-store")
    gate = threading.Event()
    commits: list[int] = []
    grouped = store.grouped

    def counting_group() -> Any:
        commits.append(1)
        return grouped()

    monkeypatch.setattr(store, "grouped", counting_group)

    async def go() -> list[Any]:
        # the first call holds the thread until the others are queued behind it
        first = asyncio.ensure_future(queue.run(gate.wait))
        await asyncio.sleep(0.05)
        rest = [
            asyncio.ensure_future(queue.run(lambda s=s: _send(store, s)))
            for s in ("S1", "S1", "S2")
        ]
        await asyncio.sleep(0.05)
        gate.set()
        await first
        return await asyncio.gather(*rest, return_exceptions=True)

    try:
        one, dup, two = asyncio.run(go())
    finally:
        queue.close()
    assert isinstance(one, int) and isinstance(two, int)
    assert isinstance(dup, DuplicateSerial)
    assert commits == [1, 1]  # the three queued calls were one group
    assert [store.journal_by_serial("p", s) is not None for s in ("S1", "S2")] == [True, True]


def test_a_failed_commit_fails_every_call_of_the_group(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = StoreQueue(store, "test-store")

    def failing_group() -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(store, "grouped", failing_group)

    async def go() -> Any:
        return await asyncio.gather(
            queue.run(lambda: 1), queue.run(lambda: 2), return_exceptions=True
        )

    try:
        results = asyncio.run(go())
    finally:
        queue.close()
    assert all(isinstance(r, OSError) for r in results)


def test_close_finishes_what_is_queued_and_refuses_more(store: Store) -> None:
    queue = StoreQueue(store, "test-store")

    async def go() -> int:
        return int(await queue.run(lambda: _send(store, "S1")))

    assert asyncio.run(go()) > 0
    queue.close()
    with pytest.raises(RuntimeError):
        asyncio.run(go())


def test_a_group_is_fsynced_when_any_of_its_calls_needs_it_and_only_then(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = StoreQueue(store, "test-store")
    gate = threading.Event()
    groups: list[bool] = []
    grouped = store.grouped

    def recording_group(*, durable: bool = True) -> Any:
        groups.append(durable)
        return grouped(durable=durable)

    monkeypatch.setattr(store, "grouped", recording_group)

    async def group(name: str, *durable: bool) -> list[Any]:
        # the first call holds the thread until the group's calls are queued behind it
        first = asyncio.ensure_future(queue.run(gate.wait, durable=False))
        await asyncio.sleep(0.05)
        calls = [
            asyncio.ensure_future(queue.run(lambda s=f"{name}{i}": _send(store, s), durable=d))
            for i, d in enumerate(durable)
        ]
        await asyncio.sleep(0.05)
        gate.set()
        await first
        done = await asyncio.gather(*calls)
        gate.clear()
        return done

    try:
        asyncio.run(group("A", False, False))  # answers recorded only: no fsync
        asyncio.run(group("B", False, True))  # one SENDING row among them: fsynced
    finally:
        queue.close()
    assert groups == [False, False, False, True]
    # every write of both groups is committed
    for serial in ("A0", "A1", "B0", "B1"):
        assert store.journal_by_serial("p", serial) is not None


def test_while_calls_keep_coming_a_group_waits_for_more_but_a_call_after_a_quiet_spell_does_not(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from invoicedesk.services import store_queue

    monkeypatch.setattr(store_queue, "LINGER_S", 0.3)  # long, so that the test sees it
    monkeypatch.setattr(store_queue, "BUSY_S", 5.0)
    queue = StoreQueue(store, "test-store")
    groups: list[list[str]] = []
    grouped = store.grouped

    def recording_group(*, durable: bool = True) -> Any:
        groups.append([])
        return grouped(durable=durable)

    monkeypatch.setattr(store, "grouped", recording_group)

    def call(name: str) -> Any:
        groups[-1].append(name)
        return _send(store, name)

    async def go() -> None:
        first = asyncio.ensure_future(queue.run(lambda: call("A")))
        await asyncio.sleep(0.1)  # had A waited for company, B would have joined it
        second = asyncio.ensure_future(queue.run(lambda: call("B")))
        await asyncio.sleep(0.05)  # B came soon after A's group: its group waits, C joins
        third = asyncio.ensure_future(queue.run(lambda: call("C")))
        await asyncio.gather(first, second, third)

    try:
        asyncio.run(go())
    finally:
        queue.close()
    assert groups == [["A"], ["B", "C"]]
