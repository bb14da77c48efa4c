"""Labels that come as data (the catalogs' and batch sheet's column names, the history's
stored statuses), translated where the window
shows them.

lupdate reads only invoicedesk/ui: the QT_TRANSLATE_NOOP list below puts those labels in the
translation files, and `label()` looks them up. The data keep their Chinese (Excel headers,
stored statuses); only what is shown changes. A label missing here is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ColumnNames"

KNOWN = (
    # services/catalogs.py CUSTOMER_COLUMNS, PRODUCT_COLUMNS
    QT_TRANSLATE_NOOP("ColumnNames", "名称"),
    QT_TRANSLATE_NOOP("ColumnNames", "纳税人识别号"),
    QT_TRANSLATE_NOOP("ColumnNames", "地址"),
    QT_TRANSLATE_NOOP("ColumnNames", "电话"),
    QT_TRANSLATE_NOOP("ColumnNames", "开户银行"),
    QT_TRANSLATE_NOOP("ColumnNames", "银行账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "邮箱"),
    QT_TRANSLATE_NOOP("ColumnNames", "备注"),
    QT_TRANSLATE_NOOP("ColumnNames", "税收分类编码"),
    QT_TRANSLATE_NOOP("ColumnNames", "规格型号"),
    QT_TRANSLATE_NOOP("ColumnNames", "单位"),
    QT_TRANSLATE_NOOP("ColumnNames", "单价"),
    QT_TRANSLATE_NOOP("ColumnNames", "税率"),
    # ui/batch/models.py: the dry run's and the progress table's columns
    QT_TRANSLATE_NOOP("ColumnNames", "开具"),
    QT_TRANSLATE_NOOP("ColumnNames", "草稿"),
    QT_TRANSLATE_NOOP("ColumnNames", "行号"),
    QT_TRANSLATE_NOOP("ColumnNames", "购买方名称"),
    QT_TRANSLATE_NOOP("ColumnNames", "购买方税号"),
    QT_TRANSLATE_NOOP("ColumnNames", "项目名称"),
    QT_TRANSLATE_NOOP("ColumnNames", "数量"),
    QT_TRANSLATE_NOOP("ColumnNames", "金额"),
    QT_TRANSLATE_NOOP("ColumnNames", "含税"),
    QT_TRANSLATE_NOOP("ColumnNames", "价税合计"),
    QT_TRANSLATE_NOOP("ColumnNames", "问题"),
    QT_TRANSLATE_NOOP("ColumnNames", "状态"),
    QT_TRANSLATE_NOOP("ColumnNames", "发票号码"),
    QT_TRANSLATE_NOOP("ColumnNames", "开票日期"),
    QT_TRANSLATE_NOOP("ColumnNames", "说明"),
    # ui/history/filters.py STATUSES (the stored status words)
    QT_TRANSLATE_NOOP("ColumnNames", "正常"),
    QT_TRANSLATE_NOOP("ColumnNames", "已红冲"),
    QT_TRANSLATE_NOOP("ColumnNames", "部分红冲"),
    QT_TRANSLATE_NOOP("ColumnNames", "已作废"),
)


def label(text: str) -> str:
    """`text` in the window's language."""
    return QCoreApplication.translate(CONTEXT, text)
