"""Several threads use one Store: a writer and readers at the same time."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

from invoicedesk.store import InvoiceFilter, InvoiceRecord, Store


def test_writer_and_readers_in_parallel_threads(data_dir: Path) -> None:
    store = Store.open(data_dir / "c.sqlite")
    n = 300
    errors: list[BaseException] = []
    seen: dict[int, list[int]] = {}
    done = threading.Event()

    def write() -> None:
        try:
            for i in range(n):
                store.upsert_invoice(
                    InvoiceRecord(
                        profile="p",
                        vendor="v",
                        number=str(i),
                        serial=None,
                        issued_at=f"2025-01-01T00:{i // 60:02d}:{i % 60:02d}",
                        amount=Decimal(i),
                        tax=Decimal(0),
                        total=Decimal(i),
                        buyer_name="上海甲科技",
                    )
                )
                store.audit("wrote", serial=str(i))
        except BaseException as e:
            errors.append(e)
        finally:
            done.set()

    def read() -> None:
        try:
            while True:
                last = done.is_set()  # so each reader reads at least once, and once at the end
                rows = store.query_invoices(InvoiceFilter(buyer="甲科技"), "total", True, None, 50)
                count = store.invoice_summary(InvoiceFilter()).count
                # a page is one consistent snapshot: sorted, and never more than what exists
                assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)
                assert len(rows) <= 50 and count >= len(rows)
                seen.setdefault(threading.get_ident(), []).append(count)
                if last:
                    break
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(seen) == 2
    for counts in seen.values():  # per reader: only growing, and all of them in the end
        assert counts == sorted(counts) and counts[-1] == n
    assert store.invoice_summary(InvoiceFilter()).count == n
    assert len(store.audit_rows()) == n
    store.close()


def test_a_thread_reads_the_last_commit_not_another_threads_open_group(store: Store) -> None:
    """A connection per thread: a group's writes are its own thread's until it commits."""
    in_group = threading.Event()
    go_on = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with store.grouped():
                store.upsert_invoice(
                    InvoiceRecord(
                        profile="p",
                        vendor="v",
                        number="1",
                        serial=None,
                        issued_at="2025-01-01T00:00:00",
                        amount=Decimal(1),
                        tax=Decimal(0),
                        total=Decimal(1),
                    )
                )
                # the writing thread reads its own writes inside the group
                if store.invoice_by_number("1") is None:
                    raise AssertionError("the group's thread does not see its own write")
                in_group.set()
                go_on.wait(10)
        except BaseException as e:
            errors.append(e)
        finally:
            in_group.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert in_group.wait(10) and not errors, errors
        assert store.invoice_by_number("1") is None
        assert store.invoice_summary(InvoiceFilter()).count == 0
    finally:
        go_on.set()
        writer.join(10)
    assert not errors, errors
    assert store.invoice_by_number("1") is not None


def test_concurrent_begin_send_with_the_same_serial_only_one_wins(data_dir: Path) -> None:
    from invoicedesk.store import DuplicateSerial

    store = Store.open(data_dir / "s.sqlite")
    results: list[object] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        try:
            results.append(
                store.begin_send(
                    draft_id=None, profile="p", serial="SAME", content_hash="h", draft_json="{}"
                )
            )
        except DuplicateSerial as e:
            results.append(e)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(isinstance(r, int) for r in results) == 1
    assert sum(isinstance(r, DuplicateSerial) for r in results) == 3
    store.close()
