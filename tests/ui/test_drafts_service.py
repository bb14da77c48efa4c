"""DraftService over the real store: save, load, list, soft delete and undo, 待开."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.drafts import DraftNotFound, DraftService
from invoicedesk.store.db import Store
from tests.conftest import run_in_loop


def _draft(name: str) -> Draft:
    return Draft(
        buyer=Buyer(name=name),
        lines=[
            Line(
                name="*信息技术服务*软件开发服务",
                tax_code="3040201010000000000",
                amount="106.00",
                tax_rate="0.06",
            )
        ],
    )


def test_draft_lifecycle(qtbot: Any, qloop: Any, drafts: DraftService, store: Store) -> None:
    first = run_in_loop(qtbot, qloop, drafts.save(None, _draft("甲公司")))
    second = run_in_loop(qtbot, qloop, drafts.save(None, _draft("乙公司")))
    assert run_in_loop(qtbot, qloop, drafts.save(first, _draft("甲公司（改）"))) == first

    loaded = run_in_loop(qtbot, qloop, drafts.load(first))
    assert loaded.buyer.name == "甲公司（改）"
    assert loaded.lines[0].amount == "106.00"

    listed = run_in_loop(qtbot, qloop, drafts.list())
    assert {s.id for s in listed} == {first, second}
    one = next(s for s in listed if s.id == first)
    assert one.total == Decimal("106.00")
    assert one.title == "甲公司（改） · *信息技术服务*软件开发服务"
    assert [s.id for s in run_in_loop(qtbot, qloop, drafts.list("乙"))] == [second]

    run_in_loop(qtbot, qloop, drafts.delete(second))
    assert [s.id for s in run_in_loop(qtbot, qloop, drafts.list())] == [first]
    run_in_loop(qtbot, qloop, drafts.undelete(second))
    assert len(run_in_loop(qtbot, qloop, drafts.list())) == 2

    run_in_loop(qtbot, qloop, drafts.mark_pending(first))
    row = store.get_draft(first)
    assert row is not None and row.status == "pending"


def test_loading_a_missing_draft_says_so(qtbot: Any, qloop: Any, drafts: DraftService) -> None:
    task = qloop.create_task(drafts.load("nope"))
    qtbot.waitUntil(task.done)
    assert isinstance(task.exception(), DraftNotFound)


def test_half_typed_draft_is_saved_as_typed(
    qtbot: Any, qloop: Any, drafts: DraftService, store: Store
) -> None:
    draft = Draft(lines=[Line(name="x", amount="12abc")])
    draft_id = run_in_loop(qtbot, qloop, drafts.save(None, draft))
    row = store.get_draft(draft_id)
    assert row is not None and "12abc" in row.json
