"""The history table's columns, their sort names and the way values are shown."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt

from invoicedesk.services.history_query import SORTS


def _tr(text: str) -> str:
    return QCoreApplication.translate("History", text)


@dataclass(frozen=True)
class Column:
    key: str  # the sort name (= the export key, an InvoiceRow field)
    header: str
    width: int
    money: bool = False


def columns() -> tuple[Column, ...]:
    """The twelve columns of issue 7, in order (headers translated when called; each a
    literal inside _tr() so that lupdate finds it)."""
    specs = (
        (_tr("开票日期"), 124, False),
        (_tr("发票号码"), 168, False),
        (_tr("蓝/红"), 44, False),
        (_tr("发票类型"), 72, False),
        (_tr("购买方"), 200, False),
        (_tr("购买方税号"), 150, False),
        (_tr("金额"), 96, True),
        (_tr("税额"), 86, True),
        (_tr("价税合计"), 100, True),
        (_tr("状态"), 132, False),  # room for the mark of a flagged row
        (_tr("红冲状态"), 68, False),
        (_tr("开票账户"), 100, False),
    )
    return tuple(
        Column(key, header, width, money)
        for key, (header, width, money) in zip(SORTS, specs, strict=True)
    )


def treatment_columns() -> tuple[Column, ...]:
    """Export-only columns (issue 16): what an invoice was issued with, empty for an ordinary
    one and for one only synced."""
    return (
        Column("deduction_mode", _tr("征税方式"), 110),
        Column("deduction", _tr("扣除额"), 96, True),
        Column("seller_type", _tr("销售方类型"), 96),
        Column("rate_note", _tr("税率说明"), 80),
    )


def color_labels() -> dict[str, str]:
    return {"blue": _tr("蓝字"), "red": _tr("红字")}


def type_labels() -> dict[str, str]:
    return {"81": _tr("数电专票"), "82": _tr("数电普票")}


def format_cents(cents: int) -> str:
    """Exact money text with thousands separators: -123456 -> "-1,234.56" (no float)."""
    sign = "-" if cents < 0 else ""
    yuan, fen = divmod(abs(cents), 100)
    return f"{sign}{yuan:,}.{fen:02d}"


def format_date(issued_at: str) -> str:
    """ "2025-06-30T18:00:00" -> "2025-06-30 18:00" (the seconds add nothing in a table)."""
    return issued_at.replace("T", " ")[:16]


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
