"""English for the texts of services/vendor_facts.py (account fields, placeholders, hints) that
no other table had; the account dialog shows them in the English window."""

T: dict[str, str] = {
    (
        "票单云只支持全额红冲：它的红字信息表接口只有“销方全额红冲”和“购方全额红冲”两种申请类型。"
        "需要部分红冲时，请到电子税务局办理。"
    ): (
        "Piaodanyun red-letters whole invoices only: its red information form accepts only "
        '"full red by the seller" and "full red by the buyer". For a partial red letter, use '
        "the tax bureau's e-Tax site."
    ),
    "销售方开户银行": "Seller's bank",
    "如 招商银行杭州分行": "e.g. China Merchants Bank Hangzhou Branch",
    "销售方银行账号": "Seller's bank account number",
    "印在发票上的账号": "The account number printed on invoices",
    "登录电子税务局（短信验证）用": "For the e-Tax login (SMS verification)",
    "地址和电话，印在发票上": "Address and phone, printed on invoices",
    "开户行和账号，印在发票上": "Bank and account number, printed on invoices",
    "开票业务类型编码": "Business type code",
    "开票业务类型名称": "Business type name",
    "选填，如 整车销售；留空时为“其他”": 'Optional, e.g. 整车销售; "其他" (other) when empty',
    "账套编码（bukrs）": "Company code (bukrs)",
    "数电普票的发票类型（invoiceType）": "Invoice type for ordinary e-invoices (invoiceType)",
    "数电专票的发票类型（invoiceType）": "Invoice type for special e-invoices (invoiceType)",
    "1–10 位字母或数字，如 W92": "1–10 letters or digits, e.g. W92",
    "文档枚举中的 2–4 位编码，如 02": "a 2–4 digit code from the document's list, e.g. 02",
    "文档枚举中的 2–4 位编码，如 01": "a 2–4 digit code from the document's list, e.g. 01",
}
