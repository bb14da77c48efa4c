<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="83"/>
        <source>给这个账户起个名字，如“公司票单云”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="86"/>
        <source>开票平台提供的接口地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="96"/>
        <location filename="../../invoicedesk/ui/accounts.py" line="88"/>
        <source>开票平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="97"/>
        <location filename="../../invoicedesk/ui/accounts.py" line="88"/>
        <source>账户名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="98"/>
        <source>接口地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="99"/>
        <source>销售方名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="100"/>
        <source>销售方税号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="104"/>
        <source>未指定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="105"/>
        <source>一般纳税人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="106"/>
        <source>小规模纳税人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="107"/>
        <source>小规模纳税人按 3% 开具时需选择税率说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="108"/>
        <source>纳税人类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="119"/>
        <source>仅本次使用（密码只保存在内存中，关闭程序后需重新输入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="127"/>
        <location filename="../../invoicedesk/ui/accounts.py" line="108"/>
        <source>测试连接</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="129"/>
        <source>用填写的信息连接开票平台，不保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="130"/>
        <source>保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="133"/>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="67"/>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="74"/>
        <location filename="../../invoicedesk/ui/history/page.py" line="157"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="79"/>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="140"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="168"/>
        <location filename="../../invoicedesk/ui/history/filters.py" line="133"/>
        <source>开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="88"/>
        <source>销售方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="88"/>
        <source>税号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="104"/>
        <source>添加账户…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="106"/>
        <source>编辑…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="107"/>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="114"/>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="82"/>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="102"/>
        <source>删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="110"/>
        <source>设为当前账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="120"/>
        <source>登录电子税务局：发送短信验证码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="124"/>
        <source>短信验证码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="126"/>
        <source>登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="80"/>
        <source>下载模板</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="81"/>
        <source>导入表格…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="82"/>
        <source>支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="83"/>
        <source>跳过所选草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="93"/>
        <source>同时发送的张数（每个开票平台分别保存）；平台限流时请调小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="94"/>
        <source>确认无误，开始开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="100"/>
        <source>批量开票：下载模板，按模板填写后导入；导入后先检查，确认再开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="142"/>
        <source>同时发送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="188"/>
        <source>正在读取“%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="224"/>
        <source>正在检查“%1”：已检查 %2 / %3 张…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="65"/>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="131"/>
        <source>暂停</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="69"/>
        <source>不再发送新的草稿；正在发送的会完成并核对结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="70"/>
        <source>继续开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="72"/>
        <source>先核对结果未知的，再开具等待中的</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="73"/>
        <source>修改所选…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="74"/>
        <source>重试被拒绝的</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="76"/>
        <source>导出结果…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="77"/>
        <source>新建批次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="131"/>
        <source>继续</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="147"/>
        <source>已完成 %1 / %2：已开具 %3，被拒绝 %4，结果未知 %5。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="155"/>
        <source>已暂停：正在发送的会完成，点“继续”接着开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="157"/>
        <source>预计还需 %1。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="91"/>
        <source>搜索名称或编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="111"/>
        <source>新增</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="112"/>
        <source>新增一行（Ctrl+Shift+A）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="115"/>
        <source>删除选中的行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="116"/>
        <source>从 Excel 导入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="117"/>
        <source>读取 .xlsx 表格；第一行为列名，同名（同税号）的会更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="118"/>
        <source>导出到 Excel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="119"/>
        <source>把全部资料保存为 .xlsx 表格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="53"/>
        <source>搜索购买方或项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="63"/>
        <source>草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="63"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="97"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="161"/>
        <location filename="../../invoicedesk/ui/history/filters.py" line="128"/>
        <location filename="../../invoicedesk/ui/result_page.py" line="66"/>
        <source>价税合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="63"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="166"/>
        <location filename="../../invoicedesk/ui/red/page.py" line="128"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="63"/>
        <source>修改时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="63"/>
        <source>开票结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="78"/>
        <source>打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="79"/>
        <source>打开草稿（Enter）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="80"/>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="103"/>
        <source>复制</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="81"/>
        <source>复制为新草稿（Ctrl+D）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="83"/>
        <source>删除草稿（Delete），可撤销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="84"/>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="105"/>
        <source>开具所选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="87"/>
        <source>逐张开具选中的草稿（Ctrl+Enter）；可按住 Ctrl 或 Shift 多选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="95"/>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="104"/>
        <source>撤销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="97"/>
        <source>恢复刚删除的草稿（Ctrl+Z）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="135"/>
        <source>本次“开具所选”的每张草稿的结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="153"/>
        <location filename="../../invoicedesk/ui/result_page.py" line="63"/>
        <source>发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="153"/>
        <location filename="../../invoicedesk/ui/issuing.py" line="416"/>
        <source>号码待查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="154"/>
        <source>流水号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="93"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="155"/>
        <location filename="../../invoicedesk/ui/history/filters.py" line="116"/>
        <location filename="../../invoicedesk/ui/result_page.py" line="64"/>
        <source>开票日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="156"/>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="152"/>
        <source>发票类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="94"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="157"/>
        <location filename="../../invoicedesk/ui/history/filters.py" line="122"/>
        <location filename="../../invoicedesk/ui/result_page.py" line="65"/>
        <source>购买方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="158"/>
        <source>购买方税号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="95"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="159"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="222"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="112"/>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="73"/>
        <source>数据与平台不一致</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="75"/>
        <source>账户 {a} 报告的数据与已保存的不同，未自动更改。请与平台核对后处理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="78"/>
        <source>号码冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="80"/>
        <source>账户 {a} 在这个号码下报告了另一张发票（购买方、日期或金额不同）。已保留本机保存的发票，平台的版本记录如下。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="96"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="160"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="224"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="112"/>
        <source>税额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="121"/>
        <source>开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="162"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="144"/>
        <source>销售方类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="164"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="149"/>
        <source>征税方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="167"/>
        <source>红冲状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="169"/>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="169"/>
        <source>本机开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="169"/>
        <source>从平台同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="53"/>
        <location filename="../../invoicedesk/ui/history/details.py" line="218"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="100"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="107"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="109"/>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="219"/>
        <source>规格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="220"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="111"/>
        <source>单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="221"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="111"/>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="223"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="112"/>
        <source>税率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="39"/>
        <source>导出发票历史</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="44"/>
        <source>导出当前筛选条件下的全部发票（共 {n} 张），末尾附合计行。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="46"/>
        <source>导出当前筛选条件下的全部发票，末尾附合计行。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="51"/>
        <source>导出的列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="61"/>
        <source>格式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="63"/>
        <source>Excel 工作簿（.xlsx）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="64"/>
        <source>CSV（UTF-8，Excel 可直接打开）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="73"/>
        <location filename="../../invoicedesk/ui/history/page.py" line="134"/>
        <source>导出…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="64"/>
        <source>全部日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="65"/>
        <source>本月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="66"/>
        <source>上月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="67"/>
        <source>本季度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="68"/>
        <source>本年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="69"/>
        <source>自定义</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="85"/>
        <source>购买方名称或税号（任意部分）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="91"/>
        <source>全部状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="95"/>
        <source>蓝字和红字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="95"/>
        <source>蓝字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="95"/>
        <source>红字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="98"/>
        <source>全部类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="98"/>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="146"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="86"/>
        <source>数电专票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="98"/>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="145"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="86"/>
        <source>数电普票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="103"/>
        <source>全部账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="109"/>
        <source>最低</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="109"/>
        <source>最高</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="112"/>
        <location filename="../../invoicedesk/ui/result_page.py" line="69"/>
        <source>打开 PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="114"/>
        <source>保存文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="117"/>
        <source>保存 {kind}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="120"/>
        <source>复制号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="122"/>
        <location filename="../../invoicedesk/ui/red/page.py" line="141"/>
        <source>刷新状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="123"/>
        <source>向开票平台查询这张发票的最新状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="125"/>
        <location filename="../../invoicedesk/ui/red/page.py" line="112"/>
        <source>红冲…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="129"/>
        <source>更新打印信息…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="135"/>
        <source>把当前筛选结果导出为 Excel 或 CSV，附合计行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="149"/>
        <source>可从平台同步发票列表的账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="293"/>
        <source>共 {n} 张&#x3000;金额 ¥{a}&#x3000;税额 ¥{t}&#x3000;价税合计 ¥{g}</source>
        <comment>count without plural</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="121"/>
        <location filename="../../invoicedesk/ui/history/page.py" line="150"/>
        <source>同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="147"/>
        <source>发票类型：普票或专票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="148"/>
        <source>购买方为自然人（个人）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="149"/>
        <source>开给个人时勾选，名称后会自动加“（个人）”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="54"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="101"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="107"/>
        <source>纳税人识别号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="55"/>
        <source>地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="56"/>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="57"/>
        <source>开户银行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="58"/>
        <source>银行账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="59"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="104"/>
        <source>邮箱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="62"/>
        <source>输入名称或税号，可从客户中选择</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="63"/>
        <source>统一社会信用代码 / 纳税人识别号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="64"/>
        <source>交付发票的电子邮箱（选填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="69"/>
        <source>选填</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="80"/>
        <source>备注（选填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="81"/>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="82"/>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="47"/>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="90"/>
        <source>存入客户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_buyer.py" line="91"/>
        <source>把这个购买方存入客户资料（Ctrl+Shift+B）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="54"/>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="208"/>
        <source>保存草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="210"/>
        <source>保存草稿（Ctrl+S）；草稿也会自动保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="59"/>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="211"/>
        <source>开具发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="22"/>
        <source>添加行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="23"/>
        <source>删除行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="24"/>
        <source>上移</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="25"/>
        <source>下移</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="26"/>
        <source>复制行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="27"/>
        <source>添加折扣行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="28"/>
        <source>浏览编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/form_actions.py" line="29"/>
        <source>存入商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="406"/>
        <source>需要人脸认证：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="408"/>
        <source>草稿有错误：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="413"/>
        <source>内部错误：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="416"/>
        <source>已开具：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="418"/>
        <source>（注意：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="421"/>
        <source>已受理（暂无号码）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="423"/>
        <source>被拒绝：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="425"/>
        <source>未发出：无法连接开票平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="427"/>
        <source>未发出：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="429"/>
        <source>结果未知，正在核对（不会重复开票）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="192"/>
        <source>发票历史</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="192"/>
        <source>即将推出：已开发票的查询、下载与同步。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="193"/>
        <location filename="../../invoicedesk/ui/red/page.py" line="106"/>
        <source>红字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="193"/>
        <source>即将推出：红字确认单的申请、确认与红冲。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="194"/>
        <source>客户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="194"/>
        <source>即将推出：客户资料表格，可导入导出 Excel。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="195"/>
        <source>商品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="195"/>
        <source>即将推出：商品资料表格，可导入导出 Excel。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="196"/>
        <source>设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="196"/>
        <source>即将推出：开票账户的添加、修改、删除与测试连接。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="197"/>
        <source>批量开票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="197"/>
        <source>即将推出：从 Excel 表格批量开具发票。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="206"/>
        <location filename="../../invoicedesk/ui/main_window.py" line="209"/>
        <source>草稿箱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="206"/>
        <source>没有可用的草稿存储。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="208"/>
        <source>开票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="212"/>
        <source>正在打开…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="228"/>
        <source>开具待开发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="230"/>
        <source>在草稿箱中逐张开具标记为“待开”的草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="96"/>
        <source>文件(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="97"/>
        <source>新建发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="100"/>
        <source>空白的新发票；正在填写的草稿已保存在草稿箱（Ctrl+N）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="104"/>
        <source>备份数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="105"/>
        <source>恢复数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="109"/>
        <source>退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="112"/>
        <source>帮助(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="113"/>
        <source>使用说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="115"/>
        <source>查看日志</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="116"/>
        <source>关于 InvoiceDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="110"/>
        <source>输入要红冲的蓝字发票号码（20位）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="124"/>
        <source>蓝字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="125"/>
        <source>账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="126"/>
        <source>红冲原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="127"/>
        <source>信息表编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="129"/>
        <source>确认期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="143"/>
        <source>向开票平台查询每张待处理信息表的最新状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="145"/>
        <source>开具红字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="148"/>
        <source>打开向导…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="170"/>
        <source>待处理的红字信息表（申请后未开具红字发票）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="67"/>
        <source>请求流水号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="71"/>
        <source>下载并打开发票 PDF（Ctrl+O）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="73"/>
        <source>复制发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="75"/>
        <source>把发票号码复制到剪贴板（Ctrl+Shift+C）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="77"/>
        <source>同一购买方再开一张</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="79"/>
        <source>新发票，购买方信息已填好（Ctrl+Shift+N）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="81"/>
        <source>开新发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="84"/>
        <source>空白的新发票（Ctrl+N）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="85"/>
        <source>返回修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="87"/>
        <source>回到发票表单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="38"/>
        <source>更新打印信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="40"/>
        <source>发票 {n}：记录纸质打印的情况（保存到签名开票平台）。不填的项保持不变。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="46"/>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="59"/>
        <source>不更改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="46"/>
        <source>已打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="46"/>
        <source>未打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="48"/>
        <source>记录打印时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="62"/>
        <source>纸质发票号码（最多 {n} 位）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="68"/>
        <source>打印状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="70"/>
        <source>打印次数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/print_dialog.py" line="71"/>
        <source>纸质发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="163"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="145"/>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="74"/>
        <source>税率说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="77"/>
        <source>请选择（小规模纳税人按 3% 开具）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="78"/>
        <source>2 前期已开具发票，需开红字或重新开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="79"/>
        <source>3 因实际经营需要，放弃享受减按1%征收率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="84"/>
        <source>小规模纳税人按 3% 开具时必须选择税率说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="86"/>
        <source>差额征税</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="165"/>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="152"/>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="94"/>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="99"/>
        <source>扣除额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="97"/>
        <source>扣除额：0 到含税金额之间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="102"/>
        <source>差额征税发票只能有一行明细，按含税金额填写，不能有折扣行；差额开具时税额按（含税金额−扣除额）计算，全额开具时按含税金额计算。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/header.py" line="75"/>
        <source>已取消同步，已读取的发票已保存。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/header.py" line="76"/>
        <source>同步完成：读取 {s} 张，新增 {n} 张。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/header.py" line="78"/>
        <source>{m} 张与平台数据不一致，已保留原数据并标记，请在详情中核对。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/header.py" line="83"/>
        <source>{c} 张平台发票与已保存发票号码相同但内容不同（号码冲突），已保留原发票，详情中可查看平台的版本。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="89"/>
        <source>（个人）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="102"/>
        <source>地址、电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="103"/>
        <source>开户银行及账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="109"/>
        <source>（未选择开票账户）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="111"/>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="111"/>
        <source>规格型号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="111"/>
        <source>单价</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="45"/>
        <source>关于 InvoiceDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="53"/>
        <source>为小微企业会计准备和开具数电票的桌面程序。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="59"/>
        <source>版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="60"/>
        <source>数据文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="61"/>
        <source>日志文件夹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="71"/>
        <source>所用开源软件及其许可证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/about.py" line="79"/>
        <source>Qt 以 LGPLv3 许可证动态链接使用；您可以替换程序文件夹中的 Qt 库。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="67"/>
        <source>编辑开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="67"/>
        <source>添加开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="199"/>
        <source>{v}（已保存的值）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="210"/>
        <source>已保存；留空则不修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="322"/>
        <source>正在连接开票平台…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="327"/>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="331"/>
        <source>连接失败：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="335"/>
        <source>连接成功：开票平台接受了这个账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="346"/>
        <source>请勾选“仅本次使用”，或先安装系统密钥环。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_dialog.py" line="358"/>
        <source>保存失败：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="119"/>
        <source>请填写账户名称。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="120"/>
        <source>账户名称“{n}”已被使用，请换一个。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="121"/>
        <source>接口地址无效：请填写以 http:// 或 https:// 开头的完整地址。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="122"/>
        <source>请填写销售方名称。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="123"/>
        <source>销售方税号无效：请填写 18 位统一社会信用代码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="124"/>
        <source>销售方税号无效：{detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="125"/>
        <source>请填写“{f}”：开票平台的文档要求必填。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="126"/>
        <source>“{f}”无效：{h}。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="264"/>
        <source>已添加开票账户“{n}”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="274"/>
        <source>已保存开票账户“{n}”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="284"/>
        <source>删除开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="285"/>
        <source>删除开票账户“{n}”及其保存的密码？已开发票的记录会保留。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="286"/>
        <source>删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="291"/>
        <source>已删除开票账户“{n}”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="311"/>
        <source>正在测试“{n}”的连接…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="316"/>
        <location filename="../../invoicedesk/ui/accounts.py" line="320"/>
        <source>连接失败：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="322"/>
        <source>“{n}”连接成功。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="334"/>
        <source>验证码已发送到 {u}，请填入后点“登录”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="343"/>
        <source>请填写短信验证码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/accounts.py" line="351"/>
        <source>已登录电子税务局。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AsyncDialog</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="4"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="5"/>
        <source>确定</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="69"/>
        <source>备份数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="76"/>
        <source>把全部数据（草稿、发票、客户、商品、账户设置和发票文件）保存到一个文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="77"/>
        <source>密码和密钥不在备份中，恢复到新电脑后需要重新填写。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="87"/>
        <source>开始备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="93"/>
        <source>备份文件：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="102"/>
        <source>备份到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="113"/>
        <source>请先选择备份文件的位置。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="119"/>
        <source>正在备份…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="125"/>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="128"/>
        <source>备份失败：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="133"/>
        <source>备份完成：{path}（{n} 个文件）。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../invoicedesk/ui/banner.py" line="64"/>
        <source>知道了</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/banner.py" line="65"/>
        <source>关闭这条提示</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="6"/>
        <source>本机没有可用的系统密钥环，无法安全保存密码和密钥。请安装并解锁系统密钥环（如 GNOME Keyring 或 KWallet），或选择“仅本次使用”（密码只保存在内存中，关闭程序后需重新输入）。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Batch</name>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="54"/>
        <source>等待</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="55"/>
        <source>发送中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="56"/>
        <source>正在记录结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="57"/>
        <source>已开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="58"/>
        <source>被拒绝</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="59"/>
        <source>结果未知，核对中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="60"/>
        <source>已跳过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/models.py" line="159"/>
        <source>检查中…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="143"/>
        <source>上次的批次没有完成（可能是程序意外退出）：已开具 %1 张，还有 %2 张未完成。点“继续开具”会先按原流水号核对发送中的发票，再开具其余的，不会重复开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="159"/>
        <source>批次 %1：%2（开票账户 %3）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="190"/>
        <source>开票前检查失败：%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="193"/>
        <source>开始批量开票前请注意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="195"/>
        <source>仍然开始</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="197"/>
        <source>尚未开始：点“继续开具”开始。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="217"/>
        <source>批量开票中断：%1。点“继续开具”接着处理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="264"/>
        <source>正在取消：不再发送新的草稿，正在发送的完成后核对结果。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="287"/>
        <source>导出开票结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="289"/>
        <source>Excel 表格 (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="290"/>
        <source>开票结果.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="301"/>
        <source>导出失败：%1。请换一个位置再试。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/page.py" line="304"/>
        <source>结果已导出到 %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BlueNumberDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="41"/>
        <source>填写蓝字发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="47"/>
        <source>开票平台接受订单后不返回发票号码。红冲前，请按电子税务局或发票文件上的内容，填写这张订单开出的蓝字发票号码和开票日期。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="54"/>
        <source>20 位数电发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="67"/>
        <source>蓝字发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="68"/>
        <source>开票日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="69"/>
        <source>确定并红冲</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/blue_number.py" line="72"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BluePage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="117"/>
        <source>第1步：蓝字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="135"/>
        <source>发票号码 {n}&#x3000;购买方 {b}&#x3000;开票日期 {d}
价税合计 {t}（金额 {a}，税额 {x}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="147"/>
        <source>这张发票已全额红冲，没有可红冲的余额。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="149"/>
        <source>这张发票已部分红冲：下面的“可红冲”列是剩余部分。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="151"/>
        <source>这张发票还没有红冲过。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="153"/>
        <source>点“下一步”向开票平台核对能否红冲。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogChoices</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="7"/>
        <source>（商品）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="210"/>
        <source>第 {n} 行没有保存：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="221"/>
        <source>已保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="235"/>
        <source>已删除 {n} 行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="248"/>
        <source>导入完成：新增 {a} 条，更新 {u} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="252"/>
        <source>；跳过 {n} 行：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="268"/>
        <source>已导出 {n} 条到 {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="283"/>
        <source>Excel 表格 (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="301"/>
        <source>客户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_pages.py" line="316"/>
        <source>商品</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="185"/>
        <source>第2步：平台核对蓝字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="201"/>
        <source>正在向开票平台核对…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="205"/>
        <source>✔ 可以红冲</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="205"/>
        <source>✘ 不能红冲</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="209"/>
        <source>平台答复：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="211"/>
        <source>处理后可关闭向导，稍后从历史记录重新开始。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeBrowser</name>
    <message>
        <location filename="../../invoicedesk/ui/code_browser.py" line="116"/>
        <source>按编码浏览税收分类编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/code_browser.py" line="121"/>
        <source>筛选：名称、拼音首字母、全拼或编码开头</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/code_browser.py" line="140"/>
        <source>共 %1 个编码。双击或按 Enter 选用；只改编码，不改项目名称。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/code_browser.py" line="146"/>
        <source>选用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/code_browser.py" line="148"/>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="8"/>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="9"/>
        <source>税收分类编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="10"/>
        <source>简称 / 项数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="11"/>
        <source>%1 项</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ColumnNames</name>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="18"/>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="19"/>
        <source>纳税人识别号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="20"/>
        <source>地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="21"/>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="22"/>
        <source>开户银行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="23"/>
        <source>银行账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="24"/>
        <source>邮箱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="25"/>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="26"/>
        <source>税收分类编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="27"/>
        <source>规格型号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="28"/>
        <source>单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="29"/>
        <source>单价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="30"/>
        <source>税率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="32"/>
        <source>开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="33"/>
        <source>草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="34"/>
        <source>行号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="35"/>
        <source>购买方名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="36"/>
        <source>购买方税号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="37"/>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="38"/>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="39"/>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="40"/>
        <source>含税</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="41"/>
        <source>价税合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="42"/>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="43"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="44"/>
        <source>发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="45"/>
        <source>开票日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="46"/>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="48"/>
        <source>正常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="49"/>
        <source>已红冲</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="50"/>
        <source>部分红冲</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/column_names.py" line="51"/>
        <source>已作废</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="65"/>
        <source>选择一张发票查看详情。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/details.py" line="140"/>
        <source>这张发票已不在发票历史中。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="62"/>
        <source>见过这张发票的账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="63"/>
        <source>红字关联</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="64"/>
        <source>商品明细</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="65"/>
        <source>文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="66"/>
        <source>开具记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="67"/>
        <source>已保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="68"/>
        <source>平台报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="69"/>
        <source>平台状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="70"/>
        <source>最近</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="71"/>
        <source>注意：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="72"/>
        <source>对应蓝字发票：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="73"/>
        <source>本机没有明细（同步或刷新后可获得）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="74"/>
        <source>尚未下载（打开或保存时自动下载）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="75"/>
        <source>无本机开具记录（从平台同步的发票）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="76"/>
        <source>（不在本机历史中）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="77"/>
        <source>冲销这张发票的红字发票：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="78"/>
        <source>价税合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="79"/>
        <source>无</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="325"/>
        <source>第6步：完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="331"/>
        <source>蓝字发票红冲后剩余：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="342"/>
        <source>红字发票 {r} 已开具，价税合计 {t}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="343"/>
        <source>它对应蓝字发票 {b}；两张发票在历史记录中互相关联。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="347"/>
        <source>红字订单已提交开票中台（价税合计 {t}），对应蓝字发票 {b}。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="350"/>
        <source>中台开具后，同步历史即可看到红字发票号码。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DraftsPage</name>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="188"/>
        <source>（空白草稿）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="161"/>
        <source>待开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="161"/>
        <source>草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="171"/>
        <source>没有与“{q}”匹配的草稿。可以换个词，或清空搜索框查看全部草稿。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="176"/>
        <source>草稿箱是空的：在“开票”页填写的发票会自动存为草稿。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="189"/>
        <source>（副本）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="210"/>
        <source>正在逐张开具 {n} 张草稿…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/drafts_page.py" line="259"/>
        <source>已删除草稿：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EditDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="166"/>
        <source>修改草稿 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/progress_page.py" line="175"/>
        <source>双击格子修改；红色格子有错误，改正后才能重新开具。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/history/export_dialog.py" line="82"/>
        <source>请至少选择一列</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FaceClock</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="12"/>
        <source>刷脸认证：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="13"/>
        <source>刷脸认证：需要扫码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="14"/>
        <source>刷脸认证：有效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="15"/>
        <source>刷脸认证：已过期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="16"/>
        <source>{m} 分钟</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="17"/>
        <source>刷脸认证：还剩 {span}（至 {at}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="18"/>
        <source>{h} 小时 {m} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="19"/>
        <source>刷脸认证：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="20"/>
        <source>人脸认证将在 {span}后到期，到期后开票需要重新扫码刷脸。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FaceDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="99"/>
        <source>人脸认证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="109"/>
        <source>税务局要求开票人刷脸确认身份。请用手机打开所选的 App，扫描下方二维码并按提示完成刷脸，完成后会自动继续开票。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="114"/>
        <source>税务局要求开票人刷脸确认身份。请用手机上的电子税务局 App 扫描下方二维码并按提示完成刷脸，完成后会自动继续开票。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="132"/>
        <source>电子税务局 App</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="133"/>
        <source>个人所得税 App</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="145"/>
        <source>一般用本省的电子税务局 App 扫码；手机上没有它或登录不了时，改用个人所得税 App（也可通过支付宝完成刷脸）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="170"/>
        <source>刷新二维码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="173"/>
        <source>模拟扫码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="175"/>
        <source>演示账户专用：假装手机已完成扫码刷脸</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="178"/>
        <source>取消开票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="180"/>
        <source>不开这张发票；草稿保持原样，可以稍后再开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="212"/>
        <source>正在等待扫码结果…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="244"/>
        <source>二维码已过期。请点击“刷新二维码”，用新的二维码扫码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="252"/>
        <source>扫码刷脸没有通过（或二维码已过期），发票没有开出。请点击“刷新二维码”再试一次，或取消开票。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="261"/>
        <source>可点击“刷新二维码”重试。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="273"/>
        <source>二维码已过期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/face_dialog.py" line="277"/>
        <source>二维码有效期还剩 {m}:{s:02d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="21"/>
        <source>出现内部错误：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="22"/>
        <source>认证成功，继续开票…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="23"/>
        <source>这个平台的二维码由平台推送；扫码失败或过期后可在这里获取新的二维码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="24"/>
        <source>正在获取二维码…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="25"/>
        <source>二维码已过期或扫码没有通过。请点击“刷新二维码”，用新的二维码重新扫码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="26"/>
        <source>停止等待并取消开票。取消后请不要再用手机扫描这个二维码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="27"/>
        <source>正在重新发送，等待平台推送新的二维码…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="28"/>
        <source>已模拟扫码，正在等待开票平台…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="157"/>
        <source>最低价税合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="158"/>
        <source>最高价税合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/filters.py" line="185"/>
        <source>全部账户</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="218"/>
        <source>第4步：红字信息表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="238"/>
        <source>信息表编号：{n}
状态：{c} {t}
红冲原因：{r}&#x3000;{scope}
红字合计：{total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="244"/>
        <source>全额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="244"/>
        <source>部分</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="43"/>
        <source>使用说明</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpPages</name>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="15"/>
        <source>开票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="16"/>
        <source>草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="17"/>
        <source>历史</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="18"/>
        <source>红字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="19"/>
        <source>批量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="20"/>
        <source>账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/help_pages.py" line="21"/>
        <source>沙箱</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="42"/>
        <source>蓝字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="43"/>
        <source>红字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="44"/>
        <source>数电专票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="45"/>
        <source>数电普票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="46"/>
        <source>开票日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="47"/>
        <source>发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="48"/>
        <source>蓝/红</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="49"/>
        <source>发票类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="50"/>
        <source>购买方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="51"/>
        <source>购买方税号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="52"/>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="53"/>
        <source>税额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="54"/>
        <source>价税合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="55"/>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="56"/>
        <source>红冲状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="57"/>
        <source>开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="58"/>
        <source>征税方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="59"/>
        <source>扣除额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="60"/>
        <source>销售方类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="61"/>
        <source>税率说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/header.py" line="62"/>
        <source>按{c}从大到小（从新到旧）排列</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/header.py" line="64"/>
        <source>按{c}从小到大（从旧到新）排列</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../invoicedesk/ui/history/model.py" line="191"/>
        <source>⚠ 数据与平台不一致</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/model.py" line="193"/>
        <source>⚠ 号码冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/model.py" line="321"/>
        <source>读取发票历史失败：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="302"/>
        <source>正在查询…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="325"/>
        <source>选择一张发票查看详情。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="349"/>
        <location filename="../../invoicedesk/ui/history/page.py" line="370"/>
        <location filename="../../invoicedesk/ui/history/page.py" line="386"/>
        <source>发票历史尚未连接到开票服务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="353"/>
        <source>请先在表格中选择一张发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="361"/>
        <source>这张发票还没有发票号码（平台尚未返回）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="368"/>
        <source>请先在表格中选择一张有发票号码的发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="375"/>
        <source>记录这张发票的纸质打印状态、时间、次数和纸质发票号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="393"/>
        <source>该发票的开票账户已不存在</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="395"/>
        <source>打开红冲向导（可随时关闭，下次从原步骤继续）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="433"/>
        <source>正在更新发票 {n} 的打印信息…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="439"/>
        <source>已更新发票 {n} 的打印信息。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="447"/>
        <source>已复制发票号码 {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="453"/>
        <source>正在获取 {k} 文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="455"/>
        <source>{k} 文件：{p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="476"/>
        <source>保存发票文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="480"/>
        <source>已保存到 {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="486"/>
        <source>正在向平台查询发票 {n}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="492"/>
        <source>发票 {n} 的状态：{s}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="505"/>
        <source>发票历史</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="506"/>
        <source>导出到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="520"/>
        <source>合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="530"/>
        <source>已取消导出，未生成文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="532"/>
        <source>已导出 {n} 张发票到 {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="544"/>
        <source>从平台增量同步所选账户的发票（已有的更新，不会重复）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="546"/>
        <source>没有可同步发票列表的账户（WebSocket 开票、签名开票接口支持同步）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="564"/>
        <source>第 {p} 页，{s} 张（新 {n} 张）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="567"/>
        <source>同步中：已读取 {s} 张，新增 {n} 张</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="572"/>
        <source>正在同步账户 {a} 的发票…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/history/page.py" line="597"/>
        <source>正在取消…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message numerus="yes">
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="295"/>
        <source>“%1”：共 %2 张，可开具 %3 张（价税合计 %4 元），有错误 %5 张，跳过 %6 张。</source>
        <comment>counts without plural</comment>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="309"/>
        <source>红色格子有错误：双击修改，或取消勾选“开具”跳过该草稿。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="323"/>
        <source>开票账户“%1”的平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="330"/>
        <source>草稿 %1：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="334"/>
        <source>
……另有 %1 张同样无法开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="366"/>
        <source>导入批量开票表格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="367"/>
        <source>表格 (*.xlsx *.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="373"/>
        <source>保存批量开票模板</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="375"/>
        <source>Excel 表格 (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="376"/>
        <source>批量开票模板.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="385"/>
        <source>模板保存失败：%1。请换一个位置再试。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/batch/import_page.py" line="388"/>
        <source>模板已保存到 %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InvoiceForm</name>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="305"/>
        <source>已打开草稿</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="305"/>
        <source>新发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="333"/>
        <source>草稿已保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="362"/>
        <source>未保存的修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="390"/>
        <source>开票账户“%1”的平台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="469"/>
        <source>预览并开具发票（Ctrl+Enter）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="38"/>
        <source>没有发现问题，可以开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="41"/>
        <source>平台拒绝：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="39"/>
        <source>错误：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="29"/>
        <source>购买方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="30"/>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="31"/>
        <source>双击或按 Enter 跳到有问题的地方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="32"/>
        <source>合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="33"/>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="34"/>
        <source>税额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="35"/>
        <source>价税合计（小写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="36"/>
        <source>价税合计（大写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="37"/>
        <source>填写完成后会在这里列出需要改正的地方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="40"/>
        <source>提示：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="87"/>
        <source>直接输入即可编辑；Tab 下一格，Enter 确认（最后一行时新增一行），Esc 取消编辑</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="88"/>
        <source>撤销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="89"/>
        <source>重做</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="90"/>
        <source>添加行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="91"/>
        <source>删除行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="92"/>
        <source>移动行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="93"/>
        <source>复制行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="94"/>
        <source>添加折扣行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="95"/>
        <source>一起删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="96"/>
        <source>第 %1 行带有折扣行，将一起删除。要删除这两行吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="522"/>
        <source>请确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="523"/>
        <source>这张发票有以下提示，确认无误后继续开具：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/invoice_form.py" line="524"/>
        <source>仍然开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/lines_editor.py" line="346"/>
        <source>编辑第 %1 行</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IssueController</name>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="103"/>
        <source>标记为待开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="105"/>
        <source>开票平台恢复连接后，在草稿箱中一起开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="157"/>
        <source>，沙箱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="180"/>
        <source>开具发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="180"/>
        <source>请先添加或选择开票账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="187"/>
        <source>正在向开票平台开具发票…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="211"/>
        <source>已取消，发票未开具，草稿保持不变</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="218"/>
        <source>需要人脸认证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="221"/>
        <source>请在手机上完成人脸认证后再开具；这张发票没有发出。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="225"/>
        <source>没有完成人脸认证，发票没有发出。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="236"/>
        <source>开票时出现内部错误：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="247"/>
        <source>开票平台拒绝开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="249"/>
        <source>开票平台拒绝开具：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="254"/>
        <source>无法连接开票平台，发票没有发出。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="255"/>
        <source>可以先“标记为待开”，平台恢复连接后再开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="306"/>
        <source>核对失败，稍后再试：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="320"/>
        <source>开票平台确认这张发票没有开出：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="323"/>
        <source>可以返回修改后重新开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="309"/>
        <source>第 {n} 次核对：仍未确定，稍后再查。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="342"/>
        <source>正在开具发票，开完后再新建</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="347"/>
        <source>新发票；之前的草稿已保存在草稿箱</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="358"/>
        <source>正在下载 PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="367"/>
        <source>已保存到：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="376"/>
        <source>已标记为待开：平台恢复连接后会提示您开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issuing.py" line="377"/>
        <source>待开</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IssuePreview</name>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="63"/>
        <source>开具前预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="70"/>
        <source>开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/issue_preview.py" line="73"/>
        <source>返回修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="80"/>
        <source>合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="81"/>
        <source>购买方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="82"/>
        <source>销售方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="83"/>
        <source>价税合计（大写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="84"/>
        <source>（小写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="85"/>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="86"/>
        <source>开票账户</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IssueResultPage</name>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="131"/>
        <source>（未填写名称）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="162"/>
        <source>发票已开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="166"/>
        <source>开票平台已开出这张发票，但答复中没有发票号码。程序会按购买方、金额和开票时间查询号码，同步或核对时自动补上；不会重复开票。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="171"/>
        <source>开票平台已开出这张发票。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="173"/>
        <source>号码待查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="174"/>
        <source>（待查）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="177"/>
        <source>该开票平台不提供发票文件下载</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="179"/>
        <source>注意：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="185"/>
        <source>开票申请已被税务中台受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="188"/>
        <source>税务中台已接收这张发票的开票申请，但还没有发票号码。发票开出后，号码会在开票平台中显示；请不要重复提交。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="193"/>
        <source>（暂无号码）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="200"/>
        <source>正在与开票平台核对结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="203"/>
        <source>没有收到开票平台的明确答复，不能确定发票是否已经开出。程序正在用同一个请求流水号向平台核对，不会重复开票；结果确定后会显示在这里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="208"/>
        <source>（核对中）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="216"/>
        <source>发票没有开出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/result_page.py" line="230"/>
        <source>发票号码已复制</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="97"/>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="98"/>
        <source>税收分类编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="99"/>
        <source>规格型号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="100"/>
        <source>单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="101"/>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="102"/>
        <source>单价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="103"/>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="104"/>
        <source>含税</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="105"/>
        <source>税率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="106"/>
        <source>税额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="107"/>
        <source>税收优惠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="108"/>
        <source>折扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="109"/>
        <source>金额和单价是否含税（空格键切换）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <location filename="../../invoicedesk/ui/log_viewer.py" line="39"/>
        <source>日志</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/log_viewer.py" line="42"/>
        <source>日志文件：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/log_viewer.py" line="49"/>
        <source>密码、密钥等敏感信息在写入日志时已被隐去，可以放心发给技术支持。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/log_viewer.py" line="52"/>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/log_viewer.py" line="53"/>
        <source>复制全部</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/log_viewer.py" line="68"/>
        <source>（日志为空）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="285"/>
        <source>切换开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="291"/>
        <source>平台连接：未检测</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="292"/>
        <source>刷脸认证：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="293"/>
        <source>剩余授信额度：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="387"/>
        <source>开票平台已恢复连接，有 {n} 张待开发票可以开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="435"/>
        <source>InvoiceDesk — 未添加开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="436"/>
        <source>未添加开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="442"/>
        <source>当前账户：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesBox</name>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="50"/>
        <source>外观与语言</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="55"/>
        <source>跟随系统</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="56"/>
        <source>浅色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="57"/>
        <source>深色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="67"/>
        <location filename="../../invoicedesk/ui/preferences.py" line="98"/>
        <source>更改语言后，重新启动程序才会生效。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="74"/>
        <source>主题：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="75"/>
        <source>界面语言：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/preferences.py" line="96"/>
        <source>已保存。请重新启动程序以切换界面语言。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReachabilityMonitor</name>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="65"/>
        <source>平台连接：未检测</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="79"/>
        <source>平台连接：检测中…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="79"/>
        <source>平台连接：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="89"/>
        <source>平台连接：无法连接</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="128"/>
        <source>平台连接：正常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="130"/>
        <source>平台连接：账户被拒绝</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="132"/>
        <source>平台连接：答复异常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/reachability.py" line="139"/>
        <source>平台连接：无法连接，{s} 秒后重试</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RedPage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="195"/>
        <source>请先添加并选择开票账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="200"/>
        <source>{vendor}（{key}）没有红字发票接口，请在票单云或 FAW 开票中台账户中红冲，或到电子税务局办理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="214"/>
        <source>请输入蓝字发票号码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="246"/>
        <source>已刷新。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="272"/>
        <source>红字发票 {r} 已开具（对应蓝字发票 {b}）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="288"/>
        <source>可开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="313"/>
        <source>{n} 张红字信息表将在24小时内因未确认而作废，请尽快提醒对方确认。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/page.py" line="333"/>
        <source>打开红冲向导</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RedWizard</name>
    <message>
        <location filename="../../invoicedesk/ui/red/wizard.py" line="66"/>
        <source>红冲向导 — 蓝字发票 {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/wizard.py" line="78"/>
        <source>下一步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/wizard.py" line="79"/>
        <source>完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/wizard.py" line="80"/>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="144"/>
        <source>恢复数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="152"/>
        <source>恢复会用备份中的数据替换当前的全部数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="153"/>
        <source>建议先做一次备份。恢复前会先完整检查备份文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="158"/>
        <source>检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="170"/>
        <source>备份文件：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="172"/>
        <source>备份时间：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="173"/>
        <source>文件数：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="174"/>
        <source>数据版本：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="177"/>
        <source>恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="191"/>
        <source>选择备份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="215"/>
        <source>请先选择备份文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="219"/>
        <source>找不到文件：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="221"/>
        <source>正在检查备份文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="225"/>
        <source>不能恢复：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="231"/>
        <source>{v}（程序版本 {app}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="233"/>
        <source>检查通过。点“恢复”将替换当前数据，程序随后重新打开数据。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="256"/>
        <source>第5步：开具红字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="261"/>
        <source>开具红字发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="264"/>
        <source>刷新信息表状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="269"/>
        <source>重新申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="289"/>
        <source>信息表 {n}：{c} {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="296"/>
        <source>可以关闭向导：信息表会保留在“红字发票”页，对方确认后在那里或这里开具。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="306"/>
        <source>确认期限：{d}（{l}）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScopePage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="36"/>
        <source>第3步：红冲原因和范围</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="53"/>
        <source>全额红冲（冲销全部剩余金额）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="55"/>
        <source>部分红冲（按行填写数量或金额）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="65"/>
        <source>序号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="66"/>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="67"/>
        <source>单价</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="68"/>
        <source>可红冲数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="69"/>
        <source>可红冲金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="70"/>
        <source>红冲数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="71"/>
        <source>红冲金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="72"/>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="114"/>
        <source>不可选：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="127"/>
        <source>申请红字信息表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="127"/>
        <source>提交红字订单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="167"/>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="247"/>
        <source>请先选择红冲原因。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="176"/>
        <source>部分红冲不可选：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="179"/>
        <source>填写红冲数量（金额按原单价计算）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="180"/>
        <source>填写红冲金额，可同时填写数量（单价不变）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="181"/>
        <source>只填写红冲金额（不填单价和数量）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="185"/>
        <source>全额红冲：冲销每一行剩余的全部数量和金额。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="258"/>
        <source>红字合计：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/scope_page.py" line="263"/>
        <source>红字合计：金额 {a}&#x3000;税额 {t}&#x3000;价税合计 {s}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TreatmentDelegate</name>
    <message>
        <location filename="../../invoicedesk/ui/treatment_widgets.py" line="48"/>
        <source>无</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TreatmentText</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="110"/>
        <source>免税</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="111"/>
        <source>不征税</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="112"/>
        <source>一般纳税人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="113"/>
        <source>小规模纳税人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="114"/>
        <source>前期已开具发票，发生销售折让、中止或者退回等情形需要开具红字发票，或者开票有误需要重新开具</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="115"/>
        <source>因为实际经营业务需要，放弃享受减按1%征收率</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="116"/>
        <source>差额征税（差额开具）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="117"/>
        <source>差额征税（全额开具）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VendorNames</name>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="127"/>
        <source>098 整车销售</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="128"/>
        <source>099 其他</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="129"/>
        <source>北京</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="130"/>
        <source>天津</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="131"/>
        <source>河北</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="132"/>
        <source>山西</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="133"/>
        <source>内蒙古</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="134"/>
        <source>辽宁</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="135"/>
        <source>大连</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="136"/>
        <source>吉林</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="137"/>
        <source>黑龙江</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="138"/>
        <source>上海</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="139"/>
        <source>江苏</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="140"/>
        <source>浙江</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="141"/>
        <source>宁波</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="142"/>
        <source>安徽</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="143"/>
        <source>福建</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="144"/>
        <source>厦门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="145"/>
        <source>江西</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="146"/>
        <source>山东</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="147"/>
        <source>青岛</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="148"/>
        <source>河南</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="149"/>
        <source>湖北</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="150"/>
        <source>湖南</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="151"/>
        <source>广东</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="152"/>
        <source>深圳</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="153"/>
        <source>广西</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="154"/>
        <source>海南</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="155"/>
        <source>重庆</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="156"/>
        <source>四川</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="157"/>
        <source>贵州</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="158"/>
        <source>云南</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="159"/>
        <source>西藏</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="160"/>
        <source>陕西</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="161"/>
        <source>甘肃</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="162"/>
        <source>青海</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="163"/>
        <source>宁夏</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="164"/>
        <source>新疆</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="165"/>
        <source>开放平台 API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="166"/>
        <source>WebSocket 开票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="167"/>
        <source>票单云</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="168"/>
        <source>签名开票接口</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="169"/>
        <source>FAW 开票中台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="170"/>
        <source>票单云只支持全额红冲：它的红字信息表接口只有“销方全额红冲”和“购方全额红冲”两种申请类型。需要部分红冲时，请到电子税务局办理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="171"/>
        <source>API 密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="172"/>
        <source>电子税务局账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="173"/>
        <source>登录电子税务局的手机号或用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="174"/>
        <source>电子税务局密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="175"/>
        <source>平台用户 ID（userId）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="176"/>
        <source>地区（area）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="177"/>
        <source>身份（role）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="178"/>
        <source>如 法定代表人、财务负责人、开票员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="179"/>
        <source>销售方开户银行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="180"/>
        <source>如 招商银行杭州分行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="181"/>
        <source>销售方银行账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="182"/>
        <source>印在发票上的账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="183"/>
        <source>手机号 / 局端账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="184"/>
        <source>票单云登录手机号，也是电子税务局账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="185"/>
        <source>票单云密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="186"/>
        <source>租户 ID（tenant_id）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="187"/>
        <source>登录电子税务局（短信验证）用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="188"/>
        <source>销售方地址电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="189"/>
        <source>地址和电话，印在发票上</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="190"/>
        <source>销售方开户行及账号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="191"/>
        <source>开户行和账号，印在发票上</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="192"/>
        <source>接入标识（flag）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="193"/>
        <source>签名密钥（secret）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="194"/>
        <source>只用于计算签名，不会发送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="195"/>
        <source>用户标识（U_ID）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="196"/>
        <source>访问令牌（Bearer token）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="197"/>
        <source>开票业务类型编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="198"/>
        <source>开票业务类型名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="199"/>
        <source>选填，如 整车销售；留空时为“其他”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="200"/>
        <source>账套编码（bukrs）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="201"/>
        <source>数电普票的发票类型（invoiceType）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="202"/>
        <source>数电专票的发票类型（invoiceType）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="203"/>
        <source>1–10 位字母或数字，如 W92</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="204"/>
        <source>文档枚举中的 2–4 位编码，如 02</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="205"/>
        <source>文档枚举中的 2–4 位编码，如 01</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../build/translations/tr_wrappers.py" line="118"/>
        <source>（沙箱）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="78"/>
        <source>欢迎使用 InvoiceDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="82"/>
        <source>还没有开票账户。可以先用内置的沙箱体验完整流程（模拟五家开票平台，不会开出真实发票），也可以直接添加您在开票平台的账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="90"/>
        <source>先用沙箱体验</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="92"/>
        <source>在本机启动模拟平台，并创建五个演示账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="93"/>
        <source>添加开票账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/main_window.py" line="95"/>
        <source>填写开票平台的账户信息</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WizardPage</name>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="84"/>
        <source>序号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="85"/>
        <source>项目名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="86"/>
        <source>税收编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="87"/>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="88"/>
        <source>金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="89"/>
        <source>税额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="90"/>
        <source>已红冲金额</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="91"/>
        <source>可红冲数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/red/pages.py" line="92"/>
        <source>可红冲金额</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_PathRow</name>
    <message>
        <location filename="../../invoicedesk/ui/backup_dialog.py" line="51"/>
        <source>浏览…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../invoicedesk/ui/menus.py" line="173"/>
        <source>正在关闭数据并恢复备份…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_wiring.py" line="47"/>
        <source>已存入客户：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/catalog_wiring.py" line="57"/>
        <source>已存入商品：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../invoicedesk/gui_app.py" line="268"/>
        <source>上次程序没有正常退出，已重新打开当时正在填写的草稿“{title}”。其他草稿在“草稿箱”中。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/gui_app.py" line="270"/>
        <source>未命名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/gui_app.py" line="298"/>
        <source>开票平台没有接受账户“{name}”：{detail}（请到“设置”检查这个账户。）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/sandbox_host.py" line="53"/>
        <source>正在启动沙箱…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/account_switch.py" line="52"/>
        <source>正在开具发票，开完后才能切换账户（避免同一张发票用两个账户开出）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="66"/>
        <source>刷脸认证：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="66"/>
        <source>剩余授信额度：—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="75"/>
        <source>刷脸认证：未知（{m}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="81"/>
        <source>剩余授信额度：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="83"/>
        <source>剩余授信额度：未知（{m}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/quit_flow.py" line="49"/>
        <source>正在开具发票</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/quit_flow.py" line="50"/>
        <source>有一张发票正在开具。退出前会等它开完（不会中途放弃，也不会重复开票）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/quit_flow.py" line="51"/>
        <source>开完后退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/quit_flow.py" line="55"/>
        <source>正在等待开票完成，随后退出…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="93"/>
        <source>刷脸认证：需要认证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="96"/>
        <source>刷脸认证：有效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="100"/>
        <source>刷脸认证：已过期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/status_figures.py" line="101"/>
        <source>刷脸认证：剩余 {h} 小时 {m} 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../invoicedesk/ui/several_issues.py" line="34"/>
        <source>正在开具发票，请稍候。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
