"""The details panel: the selected invoice's fields, lines, files, journal history and red links.

Rendered as simple HTML in a QTextBrowser (selectable, copyable, scrolls on its own). A link to
the blue invoice of a red one is `invoice:<id>`; clicking it emits invoiceLinkActivated(id).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from invoicedesk.services.history_query import (
    FLAG_CONFLICT,
    FLAG_MISMATCH,
    InvoiceDetails,
    cents,
)
from invoicedesk.ui.history.columns import color_labels, format_cents, format_date, type_labels
from invoicedesk.ui.treatment_text import (
    deduction_mode_labels,
    face_cells,
    rate_note_labels,
    seller_type_labels,
)

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


def _decimal(text: str) -> object:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text)
    except InvalidOperation:
        return None


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

    def _reports(self, d: InvoiceDetails) -> list[str]:
        """Reports kept beside the row and not applied: both versions side by side."""
        tr = self.tr
        out: list[str] = []
        for r in d.reports:
            if r.kind == FLAG_MISMATCH:
                title = tr("数据与平台不一致")
                note = tr(
                    "账户 {a} 报告的数据与已保存的不同，未自动更改。请与平台核对后处理。"
                ).format(a=r.profile)
            elif r.kind == FLAG_CONFLICT:
                title = tr("号码冲突")
                note = tr(
                    "账户 {a} 在这个号码下报告了另一张发票（购买方、日期或金额不同）。"
                    "已保留本机保存的发票，平台的版本记录如下。"
                ).format(a=r.profile)
            else:
                continue  # merged duplicates (v9 migration): kept, not news
            out.append(f"<h4 style='color:#b45309'>⚠ {escape(title)}</h4>")
            out.append(f"<p>{escape(note)}</p>")
            out.append("<table border='1' cellspacing='0' cellpadding='3'>")
            out.append(
                f"<tr><th></th><th>{escape(tr('已保存'))}</th>"
                f"<th>{escape(tr('平台报告'))}</th></tr>"
            )
            for key, label in (
                ("issued_at", tr("开票日期")),
                ("buyer_name", tr("购买方")),
                ("amount", tr("金额")),
                ("tax", tr("税额")),
                ("total", tr("价税合计")),
            ):
                a, b = str(r.stored.get(key, "")), str(r.reported.get(key, ""))
                differs = bool(a and b and a != b)
                if key == "issued_at":
                    differs = differs and a[:10] != b[:10]  # a bare date of the same day agrees
                    a, b = format_date(a), format_date(b)
                elif key in ("amount", "tax", "total"):
                    a, b = _money(_decimal(a)), _money(_decimal(b))
                mark = " style='color:#c81e1e'" if differs else ""
                out.append(
                    f"<tr><td style='color:#666'>{escape(label)}</td><td>{escape(a)}</td>"
                    f"<td{mark}>{escape(b)}</td></tr>"
                )
            out.append("</table>")
        return out

    def _accounts(self, d: InvoiceDetails) -> list[str]:
        """Every account that issued or listed the invoice, with the status it reported."""
        if not d.sightings:
            return []
        tr = self.tr
        out = [f"<h4>{escape(tr('见过这张发票的账户'))}</h4><ul>"]
        for x in d.sightings:
            how = tr("开具") if x.source == "issued" else tr("同步")
            status = f"，{tr('平台状态')}：{x.status}" if x.status else ""
            out.append(
                f"<li>{escape(x.profile)}（{escape(x.vendor)}）{escape(how)}"
                f"{escape(status)}，{escape(tr('最近'))} {escape(format_date(x.last_seen))}</li>"
            )
        out.append("</ul>")
        return out

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
            (tr("销售方类型"), seller_type_labels().get(inv.seller_type, inv.seller_type)),
            (tr("税率说明"), rate_note_labels().get(inv.rate_note, inv.rate_note)),
            (tr("征税方式"), deduction_mode_labels().get(inv.deduction_mode, inv.deduction_mode)),
            (tr("扣除额"), _money(inv.deduction)),
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
        html += self._reports(d)
        html += self._accounts(d)
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
                # 免税 / 不征税 lines print their treatment, not 0%, as the official layout does
                rate_cell, tax_cell = face_cells(line.tax_treatment, line.tax_rate, line.tax) or (
                    f"{(line.tax_rate * 100).normalize():f}%",
                    _money(line.tax),
                )
                cells = (
                    escape(line.name),
                    escape(line.spec),
                    escape(line.unit),
                    escape("" if line.quantity is None else f"{line.quantity:f}"),
                    _money(line.amount),
                    escape(rate_cell),
                    escape(tax_cell),
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
