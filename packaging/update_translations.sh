#!/usr/bin/env bash
# The one command after adding or changing UI text:   bash packaging/update_translations.sh
#
#   1. pyside6-lupdate: every tr()/translate()/_tr() string of invoicedesk/ui, app.py and
#      gui_app.py, and the _tr()-marked texts of services modules with a TR_CONTEXT, into resources/translations/invoicedesk_{en,zh_CN}.ts (translations kept,
#      strings no longer in the code dropped);
#   2. packaging/fill_translations.py: English for new strings from the tables in
#      packaging/translations_en/*.py (each defines T = {"中文原文": "English"}); it lists the
#      strings still without English (add them to a table and run this again);
#   3. pyside6-lrelease: .ts -> .qm (what the program loads; see invoicedesk/ui/i18n.py), and
#      the hand-written qt_extra_zh_CN.ts (Qt's own strings missing from qtbase_zh_CN).
# Chinese is the source language: invoicedesk_zh_CN needs no translations.
# Exit status 1 when English strings are still missing (tests/ui/test_i18n.py fails then too).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=resources/translations
mkdir -p "$OUT"
SOURCES=$(find invoicedesk/ui -name '*.py' | sort; echo invoicedesk/app.py invoicedesk/gui_app.py)
# Qt-free modules whose texts the window shows mark them with a no-op _tr and TR_CONTEXT
MARKED=$(grep -l '^TR_CONTEXT = ' invoicedesk/services/*.py | sort)
# strings given to a module's own _tr() helper, which lupdate cannot see by itself
EXTRA=build/translations/tr_wrappers.py
# shellcheck disable=SC2086
"$BIN/python" packaging/tr_wrappers.py "$EXTRA" $SOURCES $MARKED
SOURCES="$SOURCES $EXTRA"
for lang in en zh_CN; do
    # shellcheck disable=SC2086
    "$BIN/pyside6-lupdate" -silent -no-obsolete -source-language zh_CN -target-language "$lang" \
        $SOURCES -ts "$OUT/invoicedesk_$lang.ts"
done
status=0
"$BIN/python" packaging/fill_translations.py packaging/translations_en/*.py || status=$?
for lang in en zh_CN; do
    "$BIN/pyside6-lrelease" -silent "$OUT/invoicedesk_$lang.ts" -qm "$OUT/invoicedesk_$lang.qm"
done
"$BIN/pyside6-lrelease" -silent "$OUT/qt_extra_zh_CN.ts" -qm "$OUT/qt_extra_zh_CN.qm"
ls -l "$OUT"
exit "$status"
