"""The batch import template: Chinese headers with a help comment each, text-formatted
columns, and an example sheet."""

from pathlib import Path

from invoicedesk.services.batch_columns import (
    COLUMNS,
    header_of,
)
from invoicedesk.services.batch_results import (  # noqa: F401 - the results export, re-exported
    RESULT_COLUMNS,
    ResultRow,
    write_results,
)

COLUMN_HELP: dict[str, str] = {
    "draft": "草稿编号：同一编号的各行是同一张发票的各个明细行；留空表示与上一行同一张",
    "invoice_type": "发票类型：数电普票 或 数电专票（默认 数电普票；也可填代码 82 / 81）",
    "remark": "备注（可空）",
    "buyer.name": "购买方名称（必填）",
    "buyer.tax_id": "购买方纳税人识别号（专票必填；自然人可空）",
    "buyer.natural_person": "购买方是否为自然人：是 / 否（默认 否）",
    "buyer.address": "购买方地址（可空）",
    "buyer.phone": "购买方电话（可空）",
    "buyer.bank": "购买方开户银行（可空）",
    "buyer.bank_account": "购买方银行账号（可空）",
    "buyer.email": "接收发票的邮箱（可空）",
    "lines.kind": "行性质：正常、被折扣行（下一行是它的折扣行）或 折扣行（默认 正常）",
    "lines.name": "项目名称，如 *信息技术服务*软件开发服务",
    "lines.tax_code": "税收分类编码（19 位数字）",
    "lines.spec": "规格型号（可空）",
    "lines.unit": "单位（可空）",
    "lines.quantity": "数量（与单价同时填写或同时留空）",
    "lines.unit_price": "单价（与数量同时填写或同时留空）",
    "lines.amount": "金额，含税或不含税由“是否含税”一列决定",
    "lines.tax_rate": "税率，如 0.06 或 6%",
    "lines.price_includes_tax": "金额和单价是否含税：是 / 否（默认 是）",
    "seller_type": "销售方类型：一般纳税人 / 小规模纳税人（可空：按开票账户）",
    "rate_note": "税率说明（小规模纳税人按 3% 开具时必填）：2 开红字或重开，3 放弃减按1%",
    "deduction.mode": "差额征税（可空）：差额开具 / 全额开具；差额发票只能有一行，按含税金额填写",
    "deduction.amount": "差额征税的扣除额（0 到含税金额之间）",
    "lines.tax_treatment": "税收优惠（可空）：免税、不征税、普通零税率、出口零税率、简易征收、"
    "按5%简易征收减按1.5%计征；税率为 0 的行必填",
}

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "draft": "A001",
        "invoice_type": "数电普票",
        "buyer.name": "测试购买方有限公司",
        "buyer.tax_id": "91110108MA01K2P4XY",
        "lines.name": "*信息技术服务*软件开发服务",
        "lines.tax_code": "3040201010000000000",
        "lines.unit": "项",
        "lines.quantity": "1",
        "lines.unit_price": "100.00",
        "lines.amount": "100.00",
        "lines.tax_rate": "0.06",
        "lines.price_includes_tax": "是",
    },
    {
        "draft": "A001",
        "lines.name": "*信息技术服务*信息系统运维服务",
        "lines.tax_code": "3040201030000000000",
        "lines.amount": "50.00",
        "lines.tax_rate": "0.06",
    },
    {
        "draft": "A002",
        "invoice_type": "数电普票",
        "buyer.name": "张三",
        "buyer.natural_person": "是",
        "lines.name": "*信息技术服务*软件开发服务",
        "lines.tax_code": "3040201010000000000",
        "lines.amount": "200.00",
        "lines.tax_rate": "0.06",
    },
)


# ---- writing ---------------------------------------------------------------------------------


def write_template(path: Path) -> None:
    """The import template: headers with a comment each, text-formatted columns, an example."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "发票"
    example = book.create_sheet("示例")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for ws in (sheet, example):
        for col, name in enumerate(COLUMNS, start=1):
            header = header_of(name)
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = bold
            cell.fill = fill
            cell.comment = Comment(COLUMN_HELP[name], "InvoiceDesk", width=260, height=90)
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = max(12, min(30, 2 * len(header) + 4))
            # text format: figures typed here stay text (no binary float, no lost zeros)
            for row in range(2, 501 if ws is sheet else 2 + len(EXAMPLE_ROWS)):
                ws.cell(row=row, column=col).number_format = "@"
        ws.freeze_panes = "B2"
    for r, values in enumerate(EXAMPLE_ROWS, start=2):
        for col, name in enumerate(COLUMNS, start=1):
            if name in values:
                example.cell(row=r, column=col, value=values[name])
    book.save(path)
