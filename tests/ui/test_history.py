"""The history model and page: qtmodeltester, paging through fetchMore, sorting, stale answers
dropped, the filter bar (debounce, quick dates, bad amounts), details and the page's totals."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from invoicedesk.services.history_query import HistoryQueryService, Page, PageRequest
from invoicedesk.store import InvoiceFilter, InvoiceRow, Store
from invoicedesk.ui.history.columns import format_cents
from invoicedesk.ui.history.dates import quick_range
from invoicedesk.ui.history.model import ID_ROLE, HistoryModel
from invoicedesk.ui.history.rows import RowStore
from tests.services.test_history_query import brute, seed


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: Any) -> Iterator[tuple[Store, list[InvoiceRow]]]:
    store = Store.open(Path(tmp_path_factory.mktemp("hui")) / "store.sqlite3")
    rows = seed(store)
    yield store, rows
    store.close()


@pytest.fixture
def service(seeded: tuple[Store, list[InvoiceRow]]) -> Iterator[HistoryQueryService]:
    s = HistoryQueryService(seeded[0])
    yield s
    s.close()


def fetch_all(qtbot: Any, model: HistoryModel) -> None:
    while model.canFetchMore(QModelIndex()):
        before = model.rowCount()
        model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda b=before: model.rowCount() > b or model.done)


def loaded(qtbot: Any, model: HistoryModel, gen: int) -> None:
    qtbot.waitUntil(lambda: model.generation == gen and not model.loading)


def test_quick_ranges() -> None:
    today = dt.date(2025, 2, 14)
    assert quick_range("this_month", today) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert quick_range("last_month", today) == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert quick_range("last_month", dt.date(2025, 1, 5)) == (
        dt.date(2024, 12, 1),
        dt.date(2024, 12, 31),
    )
    assert quick_range("this_month", dt.date(2024, 2, 29))[1] == dt.date(2024, 2, 29)
    assert quick_range("this_quarter", today) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert quick_range("this_quarter", dt.date(2025, 12, 31)) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    )
    assert quick_range("this_year", today) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with pytest.raises(ValueError):
        quick_range("next_year", today)


def test_money_text_is_exact() -> None:
    assert format_cents(123456789) == "1,234,567.89"
    assert format_cents(-5) == "-0.05"
    assert format_cents(0) == "0.00"
    assert format_cents(10**17 + 1) == "1,000,000,000,000,000.01"


def test_row_store_round_trips_and_replaces(seeded: tuple[Store, list[InvoiceRow]]) -> None:
    from invoicedesk.services.history_query import history_row

    rows = [history_row(r) for r in seeded[1]]
    store = RowStore()
    store.extend(rows[:100])
    store.extend(rows[100:])
    assert [store.get(i) for i in range(len(store))] == rows
    fresh = rows[5]._replace(status="已红冲", total_cents=1, buyer_name="新名称")
    store.replace(5, fresh)
    assert store.get(5) == fresh and store.get(6) == rows[6] and store.get(4) == rows[4]
    assert store.row_of(rows[7].id) == 7
    assert store.nbytes() < 120 * len(rows)  # compact: well under a tuple per row


def test_model_passes_qtmodeltester(qtbot: Any, qloop: Any, qtmodeltester: Any, service: Any):
    model = HistoryModel(service)
    # checked now and again on every signal the model sends from here on (check() once: a
    # second call would connect the tester twice)
    qtmodeltester.check(model, force_py=True)
    gen = model.reload()
    loaded(qtbot, model, gen)
    fetch_all(qtbot, model)
    assert model.rowCount() == 300
    model.set_filter(InvoiceFilter(color="red"))  # the filter bar: a new generation
    loaded(qtbot, model, model.generation)
    fetch_all(qtbot, model)
    red_rows = model.rowCount()
    assert 0 < red_rows < 300
    model.sort(3, Qt.SortOrder.DescendingOrder)
    loaded(qtbot, model, model.generation)
    fetch_all(qtbot, model)
    assert model.rowCount() == red_rows
    fresh = model.row_data(0)._replace(status="已红冲")  # a row re-read in place: dataChanged
    model.update_row(fresh)
    assert model.row_data(0) == fresh


@pytest.mark.parametrize("column", range(12))
def test_sorting_every_column_pages_in_sql_order(
    qtbot: Any, qloop: Any, service: Any, seeded: tuple[Store, list[InvoiceRow]], column: int
) -> None:
    model = HistoryModel(service)
    model.reload()
    order = Qt.SortOrder.AscendingOrder if column % 2 else Qt.SortOrder.DescendingOrder
    model.sort(column, order)
    loaded(qtbot, model, model.generation)
    fetch_all(qtbot, model)
    got = [model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())]
    assert got == brute(seeded[1], InvoiceFilter(), model.sort_key, model.descending)


def test_display_alignment_and_red_rows(qtbot: Any, qloop: Any, service: Any) -> None:
    model = HistoryModel(service)
    model.set_filter(InvoiceFilter(color="red"))
    loaded(qtbot, model, model.generation)
    assert model.rowCount() > 0
    idx = model.index(0, 8)
    row = model.row_data(0)
    assert model.data(idx) == format_cents(row.total_cents) and model.data(idx).startswith("-")
    assert model.data(idx, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, 2)) == "红字"
    brush = model.data(model.index(0, 4), Qt.ItemDataRole.ForegroundRole)
    assert brush is not None and brush.color().red() > 150
    assert model.headerData(8, Qt.Orientation.Horizontal) == "价税合计"
    assert model.summary is not None or qtbot.waitUntil(lambda: model.summary is not None) is None
    assert model.summary is not None and model.summary.count == model.rowCount()


class SlowService(HistoryQueryService):
    """A real service whose first answers wait until released: the test controls the order."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.gate = asyncio.Event()
        self.hold = True
        self.held = 0

    async def page(self, request: PageRequest, still_wanted: Any = None) -> Page | None:
        if self.hold:
            self.held += 1
            await self.gate.wait()
            still_wanted = None  # answer even though stale: the model must drop it
        return await super().page(request, still_wanted)


def test_stale_answer_is_dropped(
    qtbot: Any, qloop: Any, seeded: tuple[Store, list[InvoiceRow]]
) -> None:
    service = SlowService(seeded[0])
    try:
        model = HistoryModel(service)
        model.set_filter(InvoiceFilter(color="red"))
        old = model.generation
        qtbot.waitUntil(lambda: service.held == 1)  # the red query is under way
        service.hold = False
        model.set_filter(InvoiceFilter(color="blue"))
        new = model.generation
        assert new == old + 1
        loaded(qtbot, model, new)
        blue = model.rowCount()
        assert blue > 0 and all(model.row_data(r).color == "blue" for r in range(blue))
        seen_red = []
        model.modelReset.connect(lambda: seen_red.append(model.flt.color))
        service.gate.set()  # the red answer arrives late, with rows
        qtbot.wait(150)
        assert seen_red == []  # no reset for it
        assert all(model.row_data(r).color == "blue" for r in range(model.rowCount()))
        assert model.flt.color == "blue"
    finally:
        service.close()


def test_queued_stale_request_is_skipped(qtbot: Any, qloop: Any, service: Any) -> None:
    model = HistoryModel(service)
    calls: list[int] = []
    for color in ("red", "blue", "red", None):
        model.set_filter(InvoiceFilter(color=color))
        calls.append(model.generation)
    loaded(qtbot, model, calls[-1])
    assert model.rowCount() == 200 and model.flt.color is None


def test_filter_bar_debounces_typing_and_reads_every_field(qtbot: Any, qloop: Any) -> None:
    from invoicedesk.ui.history.filters import FilterBar

    bar = FilterBar(today=lambda: dt.date(2025, 5, 20))
    qtbot.addWidget(bar)
    seen: list[InvoiceFilter] = []
    bar.filterChanged.connect(seen.append)
    for ch in "华信":
        bar.buyer.insert(ch)
        bar.buyer.textEdited.emit(bar.buyer.text())
    assert seen == []  # waits for the pause
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen[0].buyer == "华信"
    bar.pick_range("last_month")
    assert seen[-1].date_from == dt.date(2025, 4, 1) and seen[-1].date_to == dt.date(2025, 4, 30)
    bar.color.setCurrentIndex(bar.color.findData("red"))
    bar.kind.setCurrentIndex(bar.kind.findData("81"))
    bar.status.setCurrentIndex(bar.status.findData("已红冲"))
    bar.set_accounts(["a", "b"])
    bar.account.setCurrentIndex(bar.account.findData("b"))
    bar.min_total.setText("１００")  # full-width digits from a Chinese IME
    bar.max_total.setText("abc")
    f = bar.current()
    assert (f.color, f.invoice_type, f.statuses, f.profiles) == ("red", "81", ("已红冲",), ("b",))
    assert f.min_total == Decimal("100.00") and f.max_total is None
    assert "不是数字" in bar.max_total.toolTip()
    bar.pick_range("")
    assert bar.current().date_from is None


def test_page_shows_totals_details_and_copies_number(
    qtbot: Any, qloop: Any, service: Any, seeded: tuple[Store, list[InvoiceRow]]
) -> None:
    from PySide6.QtGui import QGuiApplication

    from invoicedesk.ui.history.page import HistoryPage

    page = HistoryPage(query=service, today=lambda: dt.date(2025, 6, 20))
    qtbot.addWidget(page)
    page.resize(1170, 740)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 200 and page.model.summary is not None)
    assert "共 300 张" in page.summary_label.text()
    total = sum((r.total for r in seeded[1]), Decimal(0))
    assert format_cents(int(total.scaleb(2))) in page.summary_label.text()
    assert not page.copy_button.isEnabled() and not page.red_button.isEnabled()
    assert page.red_button.toolTip() == "请先在表格中选择一张已开具的蓝字发票"
    red_row = next(r for r in range(200) if page.model.row_data(r).color == "red")
    page.view.selectRow(red_row)
    qtbot.waitUntil(lambda: page.details.details is not None)
    text = page.details.toPlainText()
    row = page.model.row_data(red_row)
    assert row.number in text and "对应蓝字发票" in text
    assert page.copy_button.isEnabled() and not page.open_button.isEnabled()  # no services
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == row.number
    page.filters.color.setCurrentIndex(page.filters.color.findData("blue"))
    qtbot.waitUntil(lambda: page.model.flt.color == "blue" and not page.model.loading)
    assert page.details.details is None  # the selection went with the reset
    page.shutdown()
