"""The details panel: the selected invoice's fields, lines, files, journal history and red links.

Rendered as simple HTML in a QTextBrowser (selectable, copyable, scrolls on its own). A link to
the blue invoice of a red one is `invoice:<id>`; clicking it emits invoiceLinkActivated(id).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from invoicedesk.services.history_query import InvoiceDetails, cents
from invoicedesk.ui.history.columns import color_labels, format_cents, format_date, type_labels

STATE_LABELS = {
    "SENDING": "发送中",
    "ISSUED": "已开具",
    "ACCEPTED": "平台已受理",
    "REJECTED": "被拒绝",
    "UNKNOWN": "结果未知",
}
FILE_LABELS = {"pdf": "PDF", "ofd": "OFD", "xml": "XML"}


def _money(value: object) -> str:
    from decimal import Decimal

    return format_cents(cents(value)) if isinstance(value, Decimal) else ""


class DetailsPanel(QTextBrowser):
    """Public API: show_details(InvoiceDetails | None), show_message(text), details.
    Signal invoiceLinkActivated(int invoice_id)."""

    invoiceLinkActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDetails")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._clicked)
        self.details: InvoiceDetails | None = None
        self.show_message(self.tr("选择一张发票查看详情。"))

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == "invoice" and url.path().isdigit():
            self.invoiceLinkActivated.emit(int(url.path()))

    def show_message(self, text: str) -> None:
        self.details = None
        self.setHtml(f"<p style='color:#666'>{escape(text)}</p>")

    def show_details(self, d: InvoiceDetails | None) -> None:
        if d is None:
            self.show_message(self.tr("这张发票已不在发票历史中。"))
            return
        self.details = d
        tr = self.tr
        inv = d.invoice
        red = inv.color == "red"
        colour = color_labels().get(inv.color, inv.color)
        title_style = "color:#c81e1e" if red else ""
        journal = d.journal
        pending = journal is not None and journal.error_code == "number_pending"
        differ = journal is not None and journal.error_code == "figures_differ"
        warning = (journal.error_message or "") if journal is not None and differ else ""
        fields = [
            (tr("发票号码"), inv.number or (tr("号码待查") if pending else "")),
            (tr("流水号"), inv.serial or ""),
            (tr("开票日期"), format_date(inv.issued_at)),
            (tr("发票类型"), type_labels().get(inv.invoice_type, inv.invoice_type)),
            (tr("购买方"), inv.buyer_name),
            (tr("购买方税号"), inv.buyer_tax_id),
            (tr("金额"), _money(inv.amount)),
            (tr("税额"), _money(inv.tax)),
            (tr("价税合计"), _money(inv.total)),
            (tr("状态"), inv.status),
            (tr("红冲状态"), inv.red_status),
            (tr("开票账户"), f"{inv.profile}（{inv.vendor}）"),
            (tr("来源"), tr("本机开具") if inv.source == "issued" else tr("从平台同步")),
        ]
        html = [
            f"<h3 style='{title_style}'>{escape(colour)} "
            f"{escape(inv.number or inv.serial or '')}</h3>",
            "<table cellspacing='0' cellpadding='2'>",
        ]
        html += [
            f"<tr><td style='color:#666'>{escape(k)}</td><td>{escape(v)}</td></tr>"
            for k, v in fields
            if v
        ]
        html.append("</table>")
        if warning:
            html.append(
                f"<p style='color:#b45309;font-weight:bold'>{escape(tr('注意：') + warning)}</p>"
            )
        html.append(f"<h4>{escape(tr('红字关联'))}</h4>")
        if red and d.blue is not None:
            html.append(
                f"<p>{escape(tr('对应蓝字发票：'))}<a href='invoice:{d.blue.id}'>"
                f"{escape(d.blue.number or '')}</a></p>"
            )
        elif red and inv.blue_number:
            html.append(
                f"<p>{escape(tr('对应蓝字发票：'))}{escape(inv.blue_number)}"
                f"{escape(tr('（不在本机历史中）'))}</p>"
            )
        elif d.reds:
            if inv.red_status or inv.status in ("已红冲", "部分红冲"):
                html.append(f"<p>{escape(inv.red_status or inv.status)}</p>")
            html.append(f"<p>{escape(tr('冲销这张发票的红字发票：'))}</p><ul>")
            for r in d.reds:
                html.append(
                    f"<li><a href='invoice:{r.id}'>{escape(r.number or r.serial or '')}</a> "
                    f"{escape(format_date(r.issued_at))} {escape(tr('价税合计'))} "
                    f"{_money(r.total)}</li>"
                )
            html.append("</ul>")
        elif inv.red_status or inv.status in ("已红冲", "部分红冲"):
            html.append(f"<p>{escape(inv.red_status or inv.status)}</p>")
        else:
            html.append(f"<p style='color:#666'>{escape(tr('无'))}</p>")
        html.append(f"<h4>{escape(tr('商品明细'))}</h4>")
        if inv.lines:
            html.append("<table border='1' cellspacing='0' cellpadding='3'>")
            heads = (
                tr("名称"),
                tr("规格"),
                tr("单位"),
                tr("数量"),
                tr("金额"),
                tr("税率"),
                tr("税额"),
            )
            html.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr>")
            for line in inv.lines:
                cells = (
                    escape(line.name),
                    escape(line.spec),
                    escape(line.unit),
                    escape("" if line.quantity is None else f"{line.quantity:f}"),
                    _money(line.amount),
                    f"{line.tax_rate * 100:g}%",
                    _money(line.tax),
                )
                aligns = ("left", "left", "left", "right", "right", "right", "right")
                html.append(
                    "<tr>"
                    + "".join(
                        f"<td align='{a}'>{c}</td>" for a, c in zip(aligns, cells, strict=True)
                    )
                    + "</tr>"
                )
            html.append("</table>")
        else:
            html.append(
                f"<p style='color:#666'>{escape(tr('本机没有明细（同步或刷新后可获得）'))}</p>"
            )
        html.append(f"<h4>{escape(tr('文件'))}</h4>")
        if d.files:
            html.append("<ul>")
            for f in d.files:
                label = FILE_LABELS.get(f.kind, f.kind)
                html.append(f"<li>{escape(label)}：{escape(str(f.path))}</li>")
            html.append("</ul>")
        else:
            html.append(
                f"<p style='color:#666'>{escape(tr('尚未下载（打开或保存时自动下载）'))}</p>"
            )
        html.append(f"<h4>{escape(tr('开具记录'))}</h4>")
        if d.events:
            html.append("<ul>")
            for e in d.events:
                state = tr(STATE_LABELS.get(e.state, e.state))
                detail = f" — {escape(e.detail)}" if e.detail else ""
                html.append(f"<li>{escape(format_date(e.at))} {escape(state)}{detail}</li>")
            html.append("</ul>")
        else:
            html.append(
                f"<p style='color:#666'>{escape(tr('无本机开具记录（从平台同步的发票）'))}</p>"
            )
        self.setHtml("".join(html))
