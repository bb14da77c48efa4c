"""The history page's texts about order and sync: a sort arrow that points the way the rows
run, and the line a finished sync leaves.

Qt's header draws Qt.DescendingOrder as an arrow pointing up (QHeaderView maps ascending to
SortDown and descending to SortUp), so with the newest invoices on top the date column showed
"▲", which most people read as ascending. This style swaps the two for the header it is set on,
and the column's tooltip says the order in words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

from invoicedesk.ui.theme_style import ThemeStyle


class _ArrowFollowsOrder(QProxyStyle):
    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            up, down = (
                QStyleOptionHeader.SortIndicator.SortUp,
                QStyleOptionHeader.SortIndicator.SortDown,
            )
            flipped = QStyleOptionHeader(option)
            if option.sortIndicator == up:
                flipped.sortIndicator = down
            elif option.sortIndicator == down:
                flipped.sortIndicator = up
            super().drawPrimitive(element, flipped, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def arrow_follows_order(header: QHeaderView) -> None:
    """Make `header` draw ▼ for descending (newest first) and ▲ for ascending."""
    style = _ArrowFollowsOrder(ThemeStyle())  # takes ownership of the theme style it wraps
    style.setParent(header)  # owned by the header, gone with it
    header.setStyle(style)


def order_tip(header_text: str, order: Qt.SortOrder) -> str:
    if order == Qt.SortOrder.DescendingOrder:
        text = QCoreApplication.translate("History", "按{c}从大到小（从新到旧）排列")
    else:
        text = QCoreApplication.translate("History", "按{c}从小到大（从旧到新）排列")
    return text.format(c=header_text)


def sync_message(report: Any) -> str:
    """What a finished sync says (services.history.SyncReport), mismatches and conflicts
    included: the rows they flag are kept as they were and the details show both versions."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("HistoryPage", text)

    done = tr("已取消同步，已读取的发票已保存。") if report.cancelled else ""
    done += tr("同步完成：读取 {s} 张，新增 {n} 张。").format(s=report.seen, n=report.new)
    if report.mismatches:
        done += tr("{m} 张与平台数据不一致，已保留原数据并标记，请在详情中核对。").format(
            m=report.mismatches
        )
    if report.conflicts:
        done += tr(
            "{c} 张平台发票与已保存发票号码相同但内容不同（号码冲突），已保留原发票，"
            "详情中可查看平台的版本。"
        ).format(c=report.conflicts)
    return done


def error_text(exc: BaseException | None) -> str:
    """A failure as one line for the message under the table: its text and next step."""
    text = getattr(exc, "message", None) or str(exc)
    next_step = getattr(exc, "next_step", "")
    return f"{text} {next_step}".strip()
