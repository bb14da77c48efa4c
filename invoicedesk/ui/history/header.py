"""The history table's header: a sort arrow that points the way the rows run.

Qt's header draws Qt.DescendingOrder as an arrow pointing up (QHeaderView maps ascending to
SortDown and descending to SortUp), so with the newest invoices on top the date column showed
"▲", which most people read as ascending. This style swaps the two for the header it is set on,
and the column's tooltip says the order in words.
"""

from __future__ import annotations

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
    style = _ArrowFollowsOrder(header.style().name())
    style.setParent(header)  # owned by the header, gone with it
    header.setStyle(style)


def order_tip(header_text: str, order: Qt.SortOrder) -> str:
    if order == Qt.SortOrder.DescendingOrder:
        text = QCoreApplication.translate("History", "按{c}从大到小（从新到旧）排列")
    else:
        text = QCoreApplication.translate("History", "按{c}从小到大（从旧到新）排列")
    return text.format(c=header_text)
