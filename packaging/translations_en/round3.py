# ruff: noqa: E501
"""English for the strings the round-3 screenshots of every page found untranslated or changed
(issue 19): the account dialog's per-platform fields and ws-invoice's provinces (now listed in
ui/column_names.py), the history's status words, the history's count without a plural. Read by
packaging/fill_translations.py."""

T: dict[str, str] = {
    # history: the count, worded without a plural ("1 invoices")
    "共 {n} 张　金额 ¥{a}　税额 ¥{t}　价税合计 ¥{g}": (
        "Invoices: {n}   amount ¥{a}   tax ¥{t}   total ¥{g}"
    ),
    # batch dry run: the counts, worded without plurals ("1 invoices")
    "“%1”：共 %2 张，可开具 %3 张（价税合计 %4 元），有错误 %5 张，跳过 %6 张。": (
        '"%1": invoices: %2; ready to issue: %3 (total ¥%4); with errors: %5; skipped: %6.'
    ),
    # 关于: the heading lupdate did not see inside an f-string
    "所用开源软件及其许可证": "Open-source software used and its licences",
    # tr("…") inside f-strings, which lupdate missed (packaging/tr_wrappers.py lists them now):
    # 开具前预览 and the history's details panel
    "销售方": "Seller",
    "（小写）": " (figures) ",
    "已保存": "Saved",
    "无": "None",
    "见过这张发票的账户": "Accounts that have seen this invoice",
    "红字关联": "Red-letter links",
    "商品明细": "Lines",
    "文件": "Files",
    "开具记录": "Issuing record",
    "平台报告": "Vendor's report",
    "平台状态": "vendor status",
    "最近": "last seen",
    "对应蓝字发票：": "Blue invoice: ",
    "本机没有明细（同步或刷新后可获得）": "No lines on this computer (sync or refresh to get them)",
    "尚未下载（打开或保存时自动下载）": "Not downloaded yet (downloaded when opened or saved)",
    "无本机开具记录（从平台同步的发票）": "No issuing record here (synced from the vendor)",
    "（不在本机历史中）": " (not in this computer's history)",
    "冲销这张发票的红字发票：": "Red invoices reversing this invoice: ",
    # history: stored status words (domain/invoice_status.py, services/red.py)
    "开票中": "Being issued",
    "号码待查": "Number pending",
    "红字信息表待确认": "Red-letter form awaiting confirmation",
    # the account dialog's per-platform fields (ui/account_fields.py)
    "销售方开户银行": "Seller's bank",
    "如 招商银行杭州分行": "e.g. 招商银行杭州分行",
    "销售方银行账号": "Seller's bank account",
    "印在发票上的账号": "The account number printed on the invoice",
    "登录电子税务局（短信验证）用": "For the e-Tax Bureau login (SMS verification)",
    "地址和电话，印在发票上": "Address and phone, printed on the invoice",
    "开户行和账号，印在发票上": "Bank and account number, printed on the invoice",
    "开票业务类型编码": "Business type code",
    "098 整车销售": "098 Vehicle sales",
    "099 其他": "099 Other",
    "开票业务类型名称": "Business type name",
    "选填，如 整车销售；留空时为“其他”": 'Optional, e.g. 整车销售; empty means "Other"',
    "账套编码（bukrs）": "Company code (bukrs)",
    "1–10 位字母或数字，如 W92": "1–10 letters or digits, e.g. W92",
    "数电普票的发票类型（invoiceType）": "Invoice type for ordinary e-invoices (invoiceType)",
    "文档枚举中的 2–4 位编码，如 02": "A 2–4 character code from the document's list, e.g. 02",
    "数电专票的发票类型（invoiceType）": "Invoice type for special e-invoices (invoiceType)",
    "文档枚举中的 2–4 位编码，如 01": "A 2–4 character code from the document's list, e.g. 01",
    # ws-invoice's 地区: the tax-bureau areas by name
    "北京": "Beijing",
    "天津": "Tianjin",
    "河北": "Hebei",
    "山西": "Shanxi",
    "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning",
    "大连": "Dalian",
    "吉林": "Jilin",
    "黑龙江": "Heilongjiang",
    "上海": "Shanghai",
    "江苏": "Jiangsu",
    "浙江": "Zhejiang",
    "宁波": "Ningbo",
    "安徽": "Anhui",
    "福建": "Fujian",
    "厦门": "Xiamen",
    "江西": "Jiangxi",
    "山东": "Shandong",
    "青岛": "Qingdao",
    "河南": "Henan",
    "湖北": "Hubei",
    "湖南": "Hunan",
    "广东": "Guangdong",
    "深圳": "Shenzhen",
    "广西": "Guangxi",
    "海南": "Hainan",
    "重庆": "Chongqing",
    "四川": "Sichuan",
    "贵州": "Guizhou",
    "云南": "Yunnan",
    "西藏": "Tibet",
    "陕西": "Shaanxi",
    "甘肃": "Gansu",
    "青海": "Qinghai",
    "宁夏": "Ningxia",
    "新疆": "Xinjiang",
    # services/account_form.py sentences, now shared by the account dialog and `profile add`
    "请填写账户名称。": "Please enter an account name.",
    "账户名称“{n}”已被使用，请换一个。": 'The account name "{n}" is already in use; please choose another.',
    "接口地址无效：请填写以 http:// 或 https:// 开头的完整地址。": (
        "Invalid API address: enter a full address starting with http:// or https://."
    ),
    "请填写销售方名称。": "Please enter the seller's name.",
    "销售方税号无效：请填写 18 位统一社会信用代码。": (
        "Invalid seller tax ID: enter the 18-character unified social credit code."
    ),
    "正在开具发票，请稍候。": "An invoice is being issued; please wait.",
    # the red wizard's table headers (their context moved with the wizard's split)
    "序号": "No.",
    "税收编码": "Tax code",
    "已红冲金额": "Amount already red-lettered",
    "可红冲数量": "Quantity left",
    "可红冲金额": "Amount left",
}
