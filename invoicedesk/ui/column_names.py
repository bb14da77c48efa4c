"""Labels that come as data (the catalogs' and batch sheet's column names, the history's
stored statuses, the account dialog's per-platform fields), translated where the window
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
    # ui/account_fields.py VENDOR_FIELDS: each platform's account fields, placeholders, hints
    QT_TRANSLATE_NOOP("ColumnNames", "API 密钥"),
    QT_TRANSLATE_NOOP("ColumnNames", "电子税务局账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "登录电子税务局的手机号或用户名"),
    QT_TRANSLATE_NOOP("ColumnNames", "电子税务局密码"),
    QT_TRANSLATE_NOOP("ColumnNames", "平台用户 ID（userId）"),
    QT_TRANSLATE_NOOP("ColumnNames", "地区（area）"),
    QT_TRANSLATE_NOOP("ColumnNames", "如 zhejiang"),
    QT_TRANSLATE_NOOP("ColumnNames", "身份（role）"),
    QT_TRANSLATE_NOOP("ColumnNames", "如 法定代表人、财务负责人、开票员"),
    QT_TRANSLATE_NOOP("ColumnNames", "手机号 / 局端账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "票单云登录手机号，也是电子税务局账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "票单云密码"),
    QT_TRANSLATE_NOOP("ColumnNames", "租户 ID（tenant_id）"),
    QT_TRANSLATE_NOOP("ColumnNames", "选填"),
    QT_TRANSLATE_NOOP("ColumnNames", "销售方地址电话"),
    QT_TRANSLATE_NOOP("ColumnNames", "选填，印在发票上"),
    QT_TRANSLATE_NOOP("ColumnNames", "销售方开户行及账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "接入标识（flag）"),
    QT_TRANSLATE_NOOP("ColumnNames", "签名密钥（secret）"),
    QT_TRANSLATE_NOOP("ColumnNames", "只用于计算签名，不会发送"),
    QT_TRANSLATE_NOOP("ColumnNames", "用户标识（U_ID）"),
    QT_TRANSLATE_NOOP("ColumnNames", "访问令牌（Bearer token）"),
    QT_TRANSLATE_NOOP("ColumnNames", "销售方开户银行"),
    QT_TRANSLATE_NOOP("ColumnNames", "如 招商银行杭州分行"),
    QT_TRANSLATE_NOOP("ColumnNames", "销售方银行账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "印在发票上的账号"),
    QT_TRANSLATE_NOOP("ColumnNames", "登录电子税务局（短信验证）用"),
    QT_TRANSLATE_NOOP("ColumnNames", "地址和电话，印在发票上"),
    QT_TRANSLATE_NOOP("ColumnNames", "开户行和账号，印在发票上"),
    QT_TRANSLATE_NOOP("ColumnNames", "开票业务类型编码"),
    QT_TRANSLATE_NOOP("ColumnNames", "098 整车销售"),
    QT_TRANSLATE_NOOP("ColumnNames", "099 其他"),
    QT_TRANSLATE_NOOP("ColumnNames", "开票业务类型名称"),
    QT_TRANSLATE_NOOP("ColumnNames", "选填，如 整车销售；留空时为“其他”"),
    QT_TRANSLATE_NOOP("ColumnNames", "账套编码（bukrs）"),
    QT_TRANSLATE_NOOP("ColumnNames", "1–10 位字母或数字，如 W92"),
    QT_TRANSLATE_NOOP("ColumnNames", "数电普票的发票类型（invoiceType）"),
    QT_TRANSLATE_NOOP("ColumnNames", "文档枚举中的 2–4 位编码，如 02"),
    QT_TRANSLATE_NOOP("ColumnNames", "数电专票的发票类型（invoiceType）"),
    QT_TRANSLATE_NOOP("ColumnNames", "文档枚举中的 2–4 位编码，如 01"),
    # ui/account_fields.py PROVINCES: ws-invoice's 地区, offered by name
    QT_TRANSLATE_NOOP("ColumnNames", "北京"),
    QT_TRANSLATE_NOOP("ColumnNames", "天津"),
    QT_TRANSLATE_NOOP("ColumnNames", "河北"),
    QT_TRANSLATE_NOOP("ColumnNames", "山西"),
    QT_TRANSLATE_NOOP("ColumnNames", "内蒙古"),
    QT_TRANSLATE_NOOP("ColumnNames", "辽宁"),
    QT_TRANSLATE_NOOP("ColumnNames", "大连"),
    QT_TRANSLATE_NOOP("ColumnNames", "吉林"),
    QT_TRANSLATE_NOOP("ColumnNames", "黑龙江"),
    QT_TRANSLATE_NOOP("ColumnNames", "上海"),
    QT_TRANSLATE_NOOP("ColumnNames", "江苏"),
    QT_TRANSLATE_NOOP("ColumnNames", "浙江"),
    QT_TRANSLATE_NOOP("ColumnNames", "宁波"),
    QT_TRANSLATE_NOOP("ColumnNames", "安徽"),
    QT_TRANSLATE_NOOP("ColumnNames", "福建"),
    QT_TRANSLATE_NOOP("ColumnNames", "厦门"),
    QT_TRANSLATE_NOOP("ColumnNames", "江西"),
    QT_TRANSLATE_NOOP("ColumnNames", "山东"),
    QT_TRANSLATE_NOOP("ColumnNames", "青岛"),
    QT_TRANSLATE_NOOP("ColumnNames", "河南"),
    QT_TRANSLATE_NOOP("ColumnNames", "湖北"),
    QT_TRANSLATE_NOOP("ColumnNames", "湖南"),
    QT_TRANSLATE_NOOP("ColumnNames", "广东"),
    QT_TRANSLATE_NOOP("ColumnNames", "深圳"),
    QT_TRANSLATE_NOOP("ColumnNames", "广西"),
    QT_TRANSLATE_NOOP("ColumnNames", "海南"),
    QT_TRANSLATE_NOOP("ColumnNames", "重庆"),
    QT_TRANSLATE_NOOP("ColumnNames", "四川"),
    QT_TRANSLATE_NOOP("ColumnNames", "贵州"),
    QT_TRANSLATE_NOOP("ColumnNames", "云南"),
    QT_TRANSLATE_NOOP("ColumnNames", "西藏"),
    QT_TRANSLATE_NOOP("ColumnNames", "陕西"),
    QT_TRANSLATE_NOOP("ColumnNames", "甘肃"),
    QT_TRANSLATE_NOOP("ColumnNames", "青海"),
    QT_TRANSLATE_NOOP("ColumnNames", "宁夏"),
    QT_TRANSLATE_NOOP("ColumnNames", "新疆"),
    # ui/history/filters.py STATUSES (the stored status words)
    QT_TRANSLATE_NOOP("ColumnNames", "正常"),
    QT_TRANSLATE_NOOP("ColumnNames", "已红冲"),
    QT_TRANSLATE_NOOP("ColumnNames", "部分红冲"),
    QT_TRANSLATE_NOOP("ColumnNames", "已作废"),
    QT_TRANSLATE_NOOP("ColumnNames", "开票中"),
    QT_TRANSLATE_NOOP("ColumnNames", "号码待查"),
    # services/red.py RED_STATUS_*: the 红冲状态 column
    QT_TRANSLATE_NOOP("ColumnNames", "红字信息表待确认"),
)


def label(text: str) -> str:
    """`text` in the window's language."""
    return QCoreApplication.translate(CONTEXT, text)
