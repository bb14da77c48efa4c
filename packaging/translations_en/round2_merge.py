# ruff: noqa: E501  (the keys are the source texts, whole)
"""English for the strings the issue 13/14/15/16/19 branches added, filled when they merged.
Read by packaging/fill_translations.py."""

T: dict[str, str] = {
    "销售方税号无效：{detail}": "Invalid seller tax ID: {detail}",
    "请填写“{f}”：开票平台的文档要求必填。": (
        "Please fill in “{f}”: the platform's document requires it."
    ),
    "“{f}”无效：{h}。": "“{f}” is invalid: {h}.",
    "数据与平台不一致": "Differs from the platform",
    "账户 {a} 报告的数据与已保存的不同，未自动更改。请与平台核对后处理。": (
        "Account {a} reported figures that differ from what is stored; nothing was changed. "
        "Please check with the platform."
    ),
    "号码冲突": "Number conflict",
    "账户 {a} 在这个号码下报告了另一张发票（购买方、日期或金额不同）。已保留本机保存的发票，平台的版本记录如下。": (
        "Account {a} reported another invoice under this number (other buyer, date or "
        "amount). The stored invoice was kept; the platform's version is recorded below."
    ),
    "浏览编码": "Browse codes",
    "新建发票": "New invoice",
    "空白的新发票；正在填写的草稿已保存在草稿箱（Ctrl+N）": (
        "A blank new invoice; the draft being edited stays saved in Drafts (Ctrl+N)"
    ),
    "已取消同步，已读取的发票已保存。": "Sync cancelled; the invoices read so far are saved.",
    "同步完成：读取 {s} 张，新增 {n} 张。": "Sync finished: {s} read, {n} new.",
    "{m} 张与平台数据不一致，已保留原数据并标记，请在详情中核对。": (
        "{m} differ from the platform's data; the stored data was kept and flagged. "
        "Check them in the details."
    ),
    "{c} 张平台发票与已保存发票号码相同但内容不同（号码冲突），已保留原发票，详情中可查看平台的版本。": (
        "{c} platform invoices share a number with a stored invoice but differ (number "
        "conflict); the stored invoice was kept, the platform's version is in the details."
    ),
    "（个人）": " (individual)",
    "地址、电话": "Address, phone",
    "开户银行及账号": "Bank and account",
    "（未选择开票账户）": "(no account chosen)",
    "{v}（已保存的值）": "{v} (saved value)",
    "正在记录结果": "Recording the result",
    "填写蓝字发票号码": "Enter the blue invoice's number",
    "开票平台接受订单后不返回发票号码。红冲前，请按电子税务局或发票文件上的内容，填写这张订单开出的蓝字发票号码和开票日期。": (
        "The platform returns no invoice number for an accepted order. Before the red "
        "letter, enter the number and date of the blue invoice this order produced, as the "
        "e-tax bureau or the invoice file shows them."
    ),
    "20 位数电发票号码": "20-digit e-invoice number",
    "蓝字发票号码": "Blue invoice number",
    "确定并红冲": "OK, red-letter it",
    "取消": "Cancel",
    "（商品）": " (product)",
    "按编码浏览税收分类编码": "Browse the tax classification codes",
    "筛选：名称、拼音首字母、全拼或编码开头": (
        "Filter: name, pinyin initials, full pinyin or code prefix"
    ),
    "共 %1 个编码。双击或按 Enter 选用；只改编码，不改项目名称。": (
        "%1 codes. Double-click or press Enter to use one; only the code changes, not the "
        "item name."
    ),
    "选用": "Use",
    "简称 / 项数": "Short name / items",
    "%1 项": "%1 items",
    "按{c}从大到小（从新到旧）排列": "Sorted by {c}, largest (newest) first",
    "按{c}从小到大（从旧到新）排列": "Sorted by {c}, smallest (oldest) first",
    "⚠ 数据与平台不一致": "⚠ Differs from the platform",
    "⚠ 号码冲突": "⚠ Number conflict",
    "预览并开具发票（Ctrl+Enter）": "Preview and issue (Ctrl+Enter)",
    "双击或按 Enter 跳到有问题的地方": "Double-click or press Enter to go to the problem",
    "合计": "Total",
    "价税合计（小写）": "Total incl. tax (figures)",
    "价税合计（大写）": "Total incl. tax (in words)",
    "填写完成后会在这里列出需要改正的地方": "What needs correcting is listed here as you fill in",
    "直接输入即可编辑；Tab 下一格，Enter 确认（最后一行时新增一行），Esc 取消编辑": (
        "Type to edit; Tab next cell, Enter confirms (adds a line on the last one), Esc cancels"
    ),
    "撤销": "Undo",
    "重做": "Redo",
    "添加行": "Add line",
    "删除行": "Delete line",
    "移动行": "Move line",
    "复制行": "Copy line",
    "添加折扣行": "Add discount line",
    "一起删除": "Delete both",
    "第 %1 行带有折扣行，将一起删除。要删除这两行吗？": (
        "Line %1 has a discount line, which would be deleted with it. Delete both lines?"
    ),
    "编辑第 %1 行": "Edit line %1",
    "，沙箱": ", sandbox",
    "正在开具发票，开完后再新建": "An invoice is being issued; start a new one when it is done",
    "新发票；之前的草稿已保存在草稿箱": "New invoice; the previous draft is saved in Drafts",
    "开具前预览": "Preview before issuing",
    "返回修改": "Back to editing",
}
