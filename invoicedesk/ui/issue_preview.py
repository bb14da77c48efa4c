"""开具前预览: the invoice as it will be issued (parties, lines with their full names, totals,
大写, account), with 开具 and 返回修改. Read-only; nothing is sent from here."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.capitals import amount_in_capitals
from invoicedesk.domain.models import Draft, InvoiceType
from invoicedesk.domain.money import (
    DeductionFigures,
    FigureError,
    compute_totals,
    deduction_figures,
    grouped_money_text,
    money_text,
)
from invoicedesk.domain.rules import full_line_name
from invoicedesk.ui.lines_model import rate_label
from invoicedesk.ui.treatment_text import (
    deduction_mode_labels,
    face_cells,
    rate_note_labels,
    seller_type_labels,
)


@dataclass(frozen=True)
class Account:
    """Who issues: the account's name, its platform's display name, the seller."""

    name: str
    platform: str
    seller_name: str
    seller_tax_id: str


def deduction_figures_or_none(draft: Draft) -> DeductionFigures | None:
    """The draft's 扣除额 as figures; None when it has none or it is not a readable figure (the
    form's problems list says so; the preview shows it as typed)."""
    try:
        return deduction_figures(draft.deduction)
    except FigureError:
        return None


class IssuePreview(QDialog):
    """exec-free: open() it and await its result (async_dialog.run_dialog); Accepted = 开具."""

    def __init__(self, draft: Draft, account: Account | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("issuePreview")
        self.setWindowTitle(self.tr("开具前预览"))
        self.resize(860, 600)
        self.view = QTextBrowser()
        self.view.setObjectName("previewText")
        self.view.setOpenLinks(False)
        self.view.setHtml(self.html(draft, account))
        buttons = QDialogButtonBox()
        self.issue_button = QPushButton(self.tr("开具"))
        self.issue_button.setObjectName("previewIssue")
        self.issue_button.setDefault(True)
        self.back_button = QPushButton(self.tr("返回修改"))
        self.back_button.setObjectName("previewBack")
        buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.issue_button.setFocus()

    def html(self, draft: Draft, account: Account | None) -> str:
        tr = self.tr
        kind = tr("数电专票") if draft.invoice_type == InvoiceType.SPECIAL.value else tr("数电普票")
        totals = compute_totals(draft)
        buyer = draft.buyer
        buyer_name = buyer.name + (tr("（个人）") if buyer.natural_person else "")

        def party(title: str, rows: list[tuple[str, str]]) -> str:
            cells = "".join(
                f"<tr><td style='color:#666'>{escape(k)}</td><td>{escape(v)}</td></tr>"
                for k, v in rows
                if v
            )
            return f"<td width='50%' valign='top'><b>{escape(title)}</b><table>{cells}</table></td>"

        buyer_rows = [
            (tr("名称"), buyer_name),
            (tr("纳税人识别号"), buyer.tax_id),
            (tr("地址、电话"), " ".join(x for x in (buyer.address, buyer.phone) if x)),
            (tr("开户银行及账号"), " ".join(x for x in (buyer.bank, buyer.bank_account) if x)),
            (tr("邮箱"), buyer.email),
        ]
        seller_rows = (
            [(tr("名称"), account.seller_name), (tr("纳税人识别号"), account.seller_tax_id)]
            if account
            else [(tr("名称"), tr("（未选择开票账户）"))]
        )
        heads = [tr("项目名称"), tr("规格型号"), tr("单位"), tr("数量"), tr("单价")]
        heads += [tr("金额"), tr("税率"), tr("税额")]
        head = "".join(f"<th>{escape(h)}</th>" for h in heads)
        body = []
        for line, fig in zip(draft.lines, totals.lines, strict=True):
            price = fig.unit_price_excl if fig is not None else None
            # 免税 / 不征税 lines print their treatment in 税率 and 税额 (domain reference §3)
            face = face_cells(line.tax_treatment, fig.tax_rate, fig.tax) if fig else None
            rate_cell = face[0] if face else rate_label(line.tax_rate)
            tax_cell = escape(face[1]) if face else (money_text(fig.tax) if fig else "")
            cells = [
                escape(full_line_name(line)),
                escape(line.spec),
                escape(line.unit),
                escape(line.quantity),
                escape(f"{price.normalize():f}" if price is not None else line.unit_price),
                money_text(fig.amount) if fig else escape(line.amount),
                escape(rate_cell),
                tax_cell,
            ]
            tds = "".join(
                f"<td align='{'left' if i < 3 else 'right'}'>{c}</td>" for i, c in enumerate(cells)
            )
            body.append(f"<tr>{tds}</tr>")
        sums = (
            f"<tr><td colspan='5' align='right'><b>{escape(tr('合计'))}</b></td>"
            f"<td align='right'>¥{grouped_money_text(totals.amount)}</td><td></td>"
            f"<td align='right'>¥{grouped_money_text(totals.tax)}</td></tr>"
        )
        capitals = escape(amount_in_capitals(totals.total))
        account_text = f"{escape(account.name)}（{escape(account.platform)}）" if account else "—"
        remark = escape(draft.remark) or "—"
        treatment_rows = [
            (tr("销售方类型"), seller_type_labels().get(draft.seller_type, draft.seller_type)),
            (tr("税率说明"), rate_note_labels().get(draft.rate_note, draft.rate_note)),
        ]
        if draft.deduction is not None:
            mode = draft.deduction.mode
            treatment_rows.append((tr("征税方式"), deduction_mode_labels().get(mode, mode)))
            figures = deduction_figures_or_none(draft)
            shown = grouped_money_text(figures.amount) if figures else draft.deduction.amount
            treatment_rows.append((tr("扣除额"), shown))
        treatment_text = "".join(f"<p>{escape(k)}：{escape(v)}</p>" for k, v in treatment_rows if v)
        return (
            f"<h2 align='center'>{escape(kind)}</h2>"
            f"<table width='100%' cellspacing='8'><tr>{party(tr('购买方'), buyer_rows)}"
            f"{party(tr('销售方'), seller_rows)}</tr></table>"
            f"<table width='100%' border='1' cellspacing='0' cellpadding='4' "
            f"style='border-collapse:collapse'><tr>{head}</tr>{''.join(body)}{sums}</table>"
            f"<p>{escape(tr('价税合计（大写）'))}：<b>{capitals}</b>　　"
            f"{escape(tr('（小写）'))}<b>¥{grouped_money_text(totals.total)}</b></p>"
            f"{treatment_text}<p>{escape(tr('备注'))}：{remark}</p>"
            f"<p style='color:#666'>{escape(tr('开票账户'))}：{account_text}</p>"
        )
