"""English for the strings issue 16's history, preview and export added (tax treatments as
issued). Read by packaging/fill_translations.py."""

T: dict[str, str] = {
    "免税": "Tax-exempt",
    "不征税": "Not taxable",
    "一般纳税人": "General taxpayer",
    "小规模纳税人": "Small-scale taxpayer",
    "前期已开具发票，发生销售折让、中止或者退回等情形需要开具红字发票，或者开票有误需要重新开具": (
        "An invoice issued earlier needs a red-letter invoice (sales allowance, suspension or "
        "return), or was wrong and is issued again"
    ),
    "因为实际经营业务需要，放弃享受减按1%征收率": (
        "Gives up the reduced 1% levy rate for business reasons"
    ),
    "差额征税（差额开具）": "Margin taxation (deduction out of the tax)",
    "差额征税（全额开具）": "Margin taxation (full amount taxed)",
    "征税方式": "Taxation method",
    "扣除额": "Deduction",
    "销售方类型": "Seller type",
    "税率说明": "Rate note",
}
