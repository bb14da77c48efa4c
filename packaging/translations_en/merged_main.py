"""English for strings other issues added (taxpayer kinds and tax treatments, 号码待查, the
draft reopened after a crash, batch checks), filled when issue 19's branch merged main.
Read by packaging/fill_translations.py."""

T: dict[str, str] = {
    "未指定": "Not specified",
    "一般纳税人": "General taxpayer",
    "小规模纳税人": "Small-scale taxpayer",
    "小规模纳税人按 3% 开具时需选择税率说明": (
        "A small-scale taxpayer issuing at 3% must choose a rate note"
    ),
    "纳税人类型": "Taxpayer kind",
    "号码待查": "Number pending",
    "（注意：": " (note: ",
    "税率说明": "Rate note",
    "请选择（小规模纳税人按 3% 开具）": "Choose one (small-scale taxpayer issuing at 3%)",
    "2 前期已开具发票，需开红字或重新开具": (
        "2 Invoices issued earlier need a red letter or reissuing"
    ),
    "3 因实际经营需要，放弃享受减按1%征收率": (
        "3 Waiving the reduced 1% levy rate for business needs"
    ),
    "小规模纳税人按 3% 开具时必须选择税率说明": (
        "A small-scale taxpayer issuing at 3% must choose a rate note"
    ),
    "差额征税": "Margin taxation",
    "扣除额": "Deduction",
    "扣除额：0 到含税金额之间": "Deduction: between 0 and the gross amount",
    "差额征税发票只能有一行明细，按含税金额填写，不能有折扣行；差额开具时税额按（含税金额−扣除额）计算，全额开具时按含税金额计算。": (  # noqa: E501
        "A margin-taxation invoice has exactly one line, typed as a gross amount, and no "
        "discount line; the tax is computed on (gross amount − deduction) for margin issuing, "
        "on the gross amount for full issuing."
    ),
    "知道了": "Got it",
    "开票账户“%1”的平台": 'The platform of account "%1"',
    "草稿 %1：": "Draft %1: ",
    "\n……另有 %1 张同样无法开具。": "\n…and %1 more cannot be issued either.",
    "开票平台已开出这张发票，但答复中没有发票号码。程序会按购买方、金额和开票时间查询号码，同步或核对时自动补上；不会重复开票。": (  # noqa: E501
        "The platform issued this invoice but its answer had no invoice number. The program "
        "looks the number up by buyer, amount and time and fills it in when it syncs or "
        "reconciles; nothing is issued twice."
    ),
    "（待查）": " (pending)",
    "注意：": "Note: ",
    "税收优惠": "Tax relief",
    "无": "None",
    "上次程序没有正常退出，已重新打开当时正在填写的草稿“{title}”。其他草稿在“草稿箱”中。": (
        "The program did not quit normally last time; the draft being filled in then, "
        '"{title}", is open again. Other drafts are in Drafts.'
    ),
    "未命名": "Untitled",
}
