<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Hand-written, not made by lupdate: Qt's own strings that qtbase_zh_CN.qm (PySide6 6.11)
     lacks, so Qt's file dialog read "&Look in:" and "Files of &type:" in the Chinese window.
     Compiled to qt_extra_zh_CN.qm by packaging/update_translations.sh; loaded by ui/i18n.py. -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
</TS>
