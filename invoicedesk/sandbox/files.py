"""The files of an issued sandbox invoice: a real PDF, an OFD placeholder archive and a 数电 XML.

The PDF uses reportlab's built-in CID font STSong-Light, so no font file is needed. The OFD is a
zip holding an OFD.xml entry and the XML (a placeholder: real OFD layout is out of scope). The XML
uses the 数电 field ids of domain-reference §2.1 (`je`, `slv`, `se`, `sl`, `dj`, `hjje`, `hjse`,
`jshj`, `fphxz`) and, where the reference gives none, pinyin-initial names in the same style.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree as ET

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from invoicedesk.sandbox.core import SbInvoice

FONT = "STSong-Light"
_registered = False

KIND_CODES = {"normal": "00", "discount": "01", "discounted": "02"}
TYPE_NAMES = {"81": "电子发票（增值税专用发票）", "82": "电子发票（普通发票）"}


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def pdf_bytes(invoice: SbInvoice) -> bytes:
    """A one-page (or more, for long invoices) A4-landscape PDF of the invoice."""
    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    title = TYPE_NAMES.get(invoice.invoice_type, "电子发票")
    if invoice.color == "red":
        title += "（红字）"

    def header() -> float:
        pdf.setFont(font, 18)
        pdf.drawCentredString(width / 2, height - 50, title)
        pdf.setFont(font, 10)
        pdf.drawString(width - 260, height - 75, f"发票号码：{invoice.number or '（未编号）'}")
        pdf.drawString(width - 260, height - 90, f"开票日期：{invoice.issued_at:%Y年%m月%d日}")
        pdf.drawString(40, height - 110, f"购买方名称：{invoice.buyer_name}")
        pdf.drawString(
            40, height - 125, f"购买方统一社会信用代码/纳税人识别号：{invoice.buyer_tax_id}"
        )
        pdf.drawString(420, height - 110, f"销售方名称：{invoice.seller_name}")
        pdf.drawString(
            420, height - 125, f"销售方统一社会信用代码/纳税人识别号：{invoice.seller_tax_id}"
        )
        y = height - 155
        pdf.line(40, y + 12, width - 40, y + 12)
        for x, label in zip(COLUMNS, LABELS, strict=True):
            pdf.drawString(x, y, label)
        return y - 18

    y = header()
    for line in invoice.lines:
        if y < 110:
            pdf.showPage()
            y = header()
        pdf.setFont(font, 9)
        cells = [
            str(line.index),
            line.name[:28],
            line.spec[:10],
            line.unit[:6],
            _text(line.quantity),
            _text(line.unit_price),
            str(line.amount),
            f"{(line.tax_rate * 100).normalize():f}%",
            str(line.tax),
        ]
        for x, cell in zip(COLUMNS, cells, strict=True):
            pdf.drawString(x, y, cell)
        y -= 15
    pdf.setFont(font, 10)
    pdf.line(40, y + 5, width - 40, y + 5)
    pdf.drawString(40, y - 12, f"合计金额：¥{invoice.amount}")
    pdf.drawString(250, y - 12, f"合计税额：¥{invoice.tax}")
    pdf.drawString(450, y - 12, f"价税合计（小写）：¥{invoice.total}")
    remark = invoice.remark
    if invoice.color == "red" and invoice.blue_number:
        remark = f"被红冲蓝字数电发票号码：{invoice.blue_number} {remark}".strip()
    pdf.drawString(40, y - 32, f"备注：{remark[:80]}")
    pdf.setFont(font, 8)
    pdf.drawString(40, 30, "InvoiceDesk 模拟器生成，仅供测试，不是真实发票。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


COLUMNS = [40, 65, 265, 345, 390, 450, 530, 620, 680]
LABELS = ["序号", "项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"]


def xml_bytes(invoice: SbInvoice) -> bytes:
    root = ET.Element("EInvoice")
    head = ET.SubElement(root, "Header")
    for tag, value in (
        ("fphm", invoice.number or ""),
        ("kprq", invoice.issued_at.strftime("%Y-%m-%d %H:%M:%S")),
        ("fppz", invoice.invoice_type),
        ("lzfpbz", "1" if invoice.color == "red" else "0"),
        ("dylzfphm", invoice.blue_number or ""),
        ("hzqrdbh", invoice.red_form_no or ""),
        ("xsfmc", invoice.seller_name),
        ("xsfnsrsbh", invoice.seller_tax_id),
        ("gmfmc", invoice.buyer_name),
        ("gmfnsrsbh", invoice.buyer_tax_id),
        ("hjje", str(invoice.amount)),
        ("hjse", str(invoice.tax)),
        ("jshj", str(invoice.total)),
        ("bz", invoice.remark),
    ):
        ET.SubElement(head, tag).text = value
    items = ET.SubElement(root, "Mxxx")
    for line in invoice.lines:
        item = ET.SubElement(items, "Mx")
        for tag, value in (
            ("xh", str(line.index)),
            ("fphxz", KIND_CODES.get(line.kind, "00")),
            ("xmmc", line.name),
            ("sphfwssflbm", line.tax_code),
            ("ggxh", line.spec),
            ("dw", line.unit),
            ("sl", _text(line.quantity)),
            ("dj", _text(line.unit_price)),
            ("je", str(line.amount)),
            ("slv", str(line.tax_rate)),
            ("se", str(line.tax)),
            ("hsje", str(line.amount + line.tax)),
        ):
            ET.SubElement(item, tag).text = value
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def ofd_bytes(invoice: SbInvoice) -> bytes:
    """A zip shaped like an OFD package (OFD.xml + the invoice XML); a placeholder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>{invoice.number or invoice.serial}"
            "</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            "</ofd:DocBody></ofd:OFD>",
        )
        archive.writestr("Doc_0/Attachs/invoice.xml", xml_bytes(invoice))
    return buffer.getvalue()


def file_bytes(invoice: SbInvoice, kind: str) -> tuple[bytes, str]:
    """(content, media type) for kind pdf / ofd / xml; ValueError for another kind."""
    if kind == "pdf":
        return pdf_bytes(invoice), "application/pdf"
    if kind == "ofd":
        return ofd_bytes(invoice), "application/ofd"
    if kind == "xml":
        return xml_bytes(invoice), "application/xml"
    raise ValueError(kind)
