"""English for the strings added or changed by issue 19 (status bar, banners, face dialog,
vendor names, history headers, minor items). Read by packaging/fill_translations.py."""

T: dict[str, str] = {
    "关闭这条提示": "Close this notice",
    "本机没有可用的系统密钥环，无法安全保存密码和密钥。"
    "请安装并解锁系统密钥环（如 GNOME Keyring 或 KWallet），"
    "或选择“仅本次使用”（密码只保存在内存中，关闭程序后需重新输入）。": (
        "This computer has no usable system keyring, so passwords and keys cannot be stored "
        "safely. Install and unlock a keyring (such as GNOME Keyring or KWallet), or choose "
        '"This session only" (passwords stay in memory and must be typed again after a '
        "restart)."
    ),
    "正在等待扫码结果…": "Waiting for the scan…",
    "开票日期": "Issue date",
    "发票号码": "Invoice number",
    "蓝/红": "Blue/red",
    "发票类型": "Invoice type",
    "购买方": "Buyer",
    "购买方税号": "Buyer tax ID",
    "金额": "Amount",
    "税额": "Tax",
    "价税合计": "Total incl. tax",
    "状态": "Status",
    "红冲状态": "Red-letter status",
    "开票账户": "Account",
    "平台连接：账户被拒绝": "Vendor: account refused",
    "平台连接：答复异常": "Vendor: unexpected answer",
    "开放平台 API": "Open Platform API",
    "WebSocket 开票": "WebSocket invoicing",
    "票单云": "Piaodanyun",
    "签名开票接口": "Signed invoicing API",
    "FAW 开票中台": "FAW invoicing hub",
    "（沙箱）": " (sandbox)",
    "开票平台没有接受账户“{name}”：{detail}（请到“设置”检查这个账户。）": (
        'The platform did not accept the account "{name}": {detail} (check this account '
        "in Settings.)"
    ),
}

# ui/column_names.py: data-defined column names and statuses
T.update(
    {
        "名称": "Name",
        "纳税人识别号": "Taxpayer ID",
        "地址": "Address",
        "电话": "Phone",
        "开户银行": "Bank",
        "银行账号": "Bank account",
        "邮箱": "E-mail",
        "备注": "Remark",
        "税收分类编码": "Tax code",
        "规格型号": "Spec",
        "单位": "Unit",
        "单价": "Unit price",
        "税率": "Rate",
        "开具": "Issue",
        "草稿": "Draft",
        "行号": "Row",
        "购买方名称": "Buyer name",
        "项目名称": "Item",
        "数量": "Qty",
        "含税": "Gross",
        "问题": "Problems",
        "说明": "Note",
        "正常": "Normal",
        "已红冲": "Reversed",
        "部分红冲": "Partly reversed",
        "已作废": "Voided",
    }
)
T[
    "{vendor}（{key}）没有红字发票接口，请在票单云或 FAW 开票中台账户中红冲，或到电子税务局办理。"
] = (
    "{vendor} ({key}) has no red-letter interface: reverse invoices with a Piaodanyun or FAW "
    "invoicing hub account, or at the e-Tax Bureau."
)

# item 14: connection test, drafts list
T.update(
    {
        "无法连接开票平台。请检查网络连接和接口地址，然后重试。": (
            "Cannot reach the platform. Check the network connection and the API address, "
            "then try again."
        ),
        "开票平台没有答复（超时或连接中断）。请检查网络和接口地址后重试。": (
            "The platform did not answer (timeout or dropped connection). Check the network "
            "and the API address, then try again."
        ),
        "没有与“{q}”匹配的草稿。可以换个词，或清空搜索框查看全部草稿。": (
            'No draft matches "{q}". Try another word, or clear the search to see all drafts.'
        ),
        "草稿箱是空的：在“开票”页填写的发票会自动存为草稿。": (
            "No drafts yet: an invoice filled in on the Issue page is saved as a draft by itself."
        ),
        "（副本）": "(copy) ",
    }
)

# ui/column_names.py: the account dialog's per-platform fields
T.update(
    {
        "API 密钥": "API key",
        "电子税务局账号": "e-Tax Bureau account",
        "登录电子税务局的手机号或用户名": "Phone number or user name for the e-Tax Bureau",
        "电子税务局密码": "e-Tax Bureau password",
        "平台用户 ID（userId）": "Platform user ID (userId)",
        "地区（area）": "Region (area)",
        "如 zhejiang": "e.g. zhejiang",
        "身份（role）": "Role (role)",
        "如 法定代表人、财务负责人、开票员": "e.g. 法定代表人, 财务负责人, 开票员",
        "手机号 / 局端账号": "Phone / tax-bureau account",
        "票单云登录手机号，也是电子税务局账号": (
            "The Piaodanyun login phone, also the e-Tax Bureau account"
        ),
        "票单云密码": "Piaodanyun password",
        "租户 ID（tenant_id）": "Tenant ID (tenant_id)",
        "选填": "Optional",
        "销售方地址电话": "Seller address and phone",
        "选填，印在发票上": "Optional, printed on the invoice",
        "销售方开户行及账号": "Seller bank and account",
        "接入标识（flag）": "Access flag (flag)",
        "签名密钥（secret）": "Signing key (secret)",
        "只用于计算签名，不会发送": "Only used to compute the signature, never sent",
        "用户标识（U_ID）": "User ID (U_ID)",
        "访问令牌（Bearer token）": "Access token (Bearer token)",
    }
)
