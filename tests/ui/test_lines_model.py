"""LinesModel: the Qt model contract (qtmodeltester) and its line arithmetic helpers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from invoicedesk.domain.models import Line
from invoicedesk.ui.lines_model import Col, LinesModel


def _lines() -> list[Line]:
    return [
        Line(
            name="*信息技术服务*软件开发服务",
            tax_code="3040201010000000000",
            amount="100",
            tax_rate="0.06",
        ),
        Line(
            name="B",
            quantity="2",
            unit_price="3.5",
            amount="7.00",
            tax_rate="0.13",
            price_includes_tax=False,
        ),
    ]


def test_model_contract(qtmodeltester: Any) -> None:
    model = LinesModel(_lines())
    # checks now and again on every signal of the changes below (one check: a second would
    # connect the tester's handlers twice)
    qtmodeltester.check(model, force_py=True)
    snapshot = model.snapshot()
    model.add_discount(0)
    model.duplicate_line(2)
    model.move_line(2, -1)
    assert model.setData(model.index(1, Col.AMOUNT), "-10")
    model.append_line()
    model.remove_line(model.rowCount() - 1)
    assert model.rowCount() == 4
    model.restore(snapshot)
    assert model.rowCount() == 2
    model.set_lines(_lines()[:1])
    assert model.rowCount() == 1


def test_quantity_and_price_fill_the_amount() -> None:
    model = LinesModel([Line()])
    model.setData(model.index(0, Col.QUANTITY), "3")
    model.setData(model.index(0, Col.UNIT_PRICE), "0.335")
    assert model.line(0).amount == "1.01"  # 1.005 rounds HALF_UP
    model.setData(model.index(0, Col.AMOUNT), "10")
    assert model.line(0).unit_price == "3.3333333333333"


def test_rate_shows_as_percent_and_checkbox_edits_inclusive() -> None:
    model = LinesModel(_lines())
    assert model.index(0, Col.TAX_RATE).data() == "6%"
    assert model.index(0, Col.TAX_RATE).data(Qt.ItemDataRole.EditRole) == "0.06"
    index = model.index(0, Col.INCLUDES_TAX)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.line(0).price_includes_tax is False
    assert not model.flags(model.index(0, Col.TAX)) & Qt.ItemFlag.ItemIsEditable


def test_changes_are_announced_and_copies_go_out() -> None:
    model = LinesModel(_lines())
    seen: list[int] = []
    model.linesChanged.connect(lambda: seen.append(1))
    model.setData(model.index(1, Col.SPEC), "大号")
    model.append_line()
    assert len(seen) == 2
    out = model.lines()
    out[0].name = "changed outside"
    assert model.line(0).name != "changed outside"
