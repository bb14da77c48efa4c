"""Issue 16: the preview and the history's invoice detail print 免税 / 不征税 in the 税率 and 税额
cells as the official layout does (domain reference §3), and show a 差额 invoice's 扣除额."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from invoicedesk.domain.models import Buyer, Deduction, Draft, Line
from invoicedesk.services.history_query import InvoiceDetails
from invoicedesk.store import InvoiceRecord, LineRecord, Store

BUYER = Buyer(name="北京示例商贸有限公司", tax_id="91110108MA01K2P4XY")


def treated_draft() -> Draft:
    return Draft(
        buyer=BUYER,
        lines=[
            Line(name="*信息技术服务*软件开发服务", tax_code="3040201010000000000",
                 amount="100.00", tax_rate="0", tax_treatment="exempt"),
            Line(name="*未发生销售行为的不征税项目*预付卡充值", tax_code="6010000000000000000",
                 amount="500.00", tax_rate="0", tax_treatment="non_taxable"),
            Line(name="*纸制品*打印纸", tax_code="1060201010000000000", amount="113.00",
                 tax_rate="0.13"),
        ],
        seller_type="general",
    )  # fmt: skip


def deduction_draft() -> Draft:
    return Draft(
        buyer=BUYER,
        lines=[Line(name="*人力资源服务*劳务派遣服务", tax_code="3040803010000000000",
                    amount="10600.00", tax_rate="0.06")],
        seller_type="general",
        deduction=Deduction(mode="partial", amount="5300.00"),
    )  # fmt: skip


def _rows(html_text: str) -> list[list[str]]:
    """The cells of each table row of the rendered HTML, as plain text."""
    import re
    from html import unescape

    out = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html_text, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        out.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return out


def test_the_preview_prints_exempt_and_non_taxable_in_the_rate_and_tax_cells(qtbot: Any) -> None:
    from invoicedesk.ui.issue_preview import IssuePreview

    dialog = IssuePreview(treated_draft(), None)
    qtbot.addWidget(dialog)
    rows = _rows(dialog.html(treated_draft(), None))
    lines = {r[0]: r[-2:] for r in rows if len(r) == 8}
    assert lines["*信息技术服务*软件开发服务"] == ["免税", "***"]
    assert lines["*未发生销售行为的不征税项目*预付卡充值"] == ["不征税", ""]
    assert lines["*纸制品*打印纸"] == ["13%", "13.00"]


def test_the_preview_shows_a_deduction_and_its_totals(qtbot: Any) -> None:
    from invoicedesk.ui.issue_preview import IssuePreview

    dialog = IssuePreview(deduction_draft(), None)
    qtbot.addWidget(dialog)
    text = dialog.view.toPlainText()
    assert "差额征税（差额开具）" in text and "扣除额：5,300.00" in text
    assert "¥10,300.00" in text and "¥300.00" in text and "¥10,600.00" in text


def _details(store: Store, record: InvoiceRecord) -> InvoiceDetails:
    row = store.get_invoice(store.upsert_invoice(record))
    assert row is not None
    return InvoiceDetails(invoice=row, files=[], journal=None, events=[], blue=None)


def _line(name: str, treatment: str, rate: str, amount: str, tax: str) -> LineRecord:
    return LineRecord(
        name=name, amount=Decimal(amount), tax_rate=Decimal(rate), tax=Decimal(tax),
        tax_treatment=treatment,
    )  # fmt: skip


def test_the_history_detail_prints_what_the_invoice_was_issued_with(
    qtbot: Any, tmp_path: Path
) -> None:
    from invoicedesk.ui.history.details import DetailsPanel

    store = Store.open(tmp_path / "h.sqlite")
    try:
        details = _details(
            store,
            InvoiceRecord(
                profile="p", vendor="piaodanyun", number="26312000000000000501", serial="S5",
                issued_at="2026-11-02T10:00:00+08:00", amount=Decimal("713.00"),
                tax=Decimal("13.00"), total=Decimal("726.00"), seller_type="small_scale",
                rate_note="3", deduction_mode="partial", deduction=Decimal("5300.00"),
                lines=(
                    _line("软件开发服务", "exempt", "0", "100.00", "0"),
                    _line("预付卡充值", "non_taxable", "0", "500.00", "0"),
                    _line("打印纸", "", "0.13", "100.00", "13.00"),
                    _line("出口货物", "export_zero", "0", "13.00", "0"),
                ),
            ),
        )  # fmt: skip
        panel = DetailsPanel()
        qtbot.addWidget(panel)
        panel.show_details(details)
        rows = _rows(panel.toHtml())
        lines = {r[0]: r[-2:] for r in rows if len(r) == 7}
        assert lines["软件开发服务"] == ["免税", "***"]
        assert lines["预付卡充值"] == ["不征税", ""]
        assert lines["打印纸"] == ["13%", "13.00"]
        assert lines["出口货物"] == ["0%", "0.00"]
        fields = {r[0]: r[1] for r in rows if len(r) == 2}
        assert fields["销售方类型"] == "小规模纳税人"
        assert fields["税率说明"] == "因为实际经营业务需要，放弃享受减按1%征收率"
        assert fields["征税方式"] == "差额征税（差额开具）"
        assert fields["扣除额"] == "5,300.00"
    finally:
        store.close()


def test_an_ordinary_invoice_detail_shows_no_treatment_fields(qtbot: Any, tmp_path: Path) -> None:
    from invoicedesk.ui.history.details import DetailsPanel

    store = Store.open(tmp_path / "h.sqlite")
    try:
        details = _details(
            store,
            InvoiceRecord(
                profile="p", vendor="baiwang", number="26312000000000000502", serial="S6",
                issued_at="2026-11-02T10:00:00+08:00", amount=Decimal("100.00"),
                tax=Decimal("13.00"), total=Decimal("113.00"),
                lines=(_line("打印纸", "", "0.13", "100.00", "13.00"),),
            ),
        )  # fmt: skip
        panel = DetailsPanel()
        qtbot.addWidget(panel)
        panel.show_details(details)
        text = panel.toPlainText()
        for label in ("销售方类型", "税率说明", "征税方式", "扣除额", "免税", "不征税"):
            assert label not in text
    finally:
        store.close()


def test_the_export_dialog_offers_the_treatment_columns_unchosen(qtbot: Any) -> None:
    from invoicedesk.ui.history.export_dialog import ExportDialog

    dialog = ExportDialog(3)
    qtbot.addWidget(dialog)
    keys = [c.key for c in dialog.chosen_columns()]
    assert "deduction" not in keys and "amount" in keys  # an export as before unless asked
    for check in dialog.checks:
        if check.text() in ("征税方式", "扣除额", "销售方类型", "税率说明"):
            check.setChecked(True)
    chosen = {c.key: c for c in dialog.chosen_columns()}
    assert {"deduction_mode", "deduction", "seller_type", "rate_note"} <= set(chosen)
    assert chosen["deduction_mode"].labels["full"] == "差额征税（全额开具）"
    assert chosen["rate_note"].labels["3"] == "3：因为实际经营业务需要，放弃享受减按1%征收率"
