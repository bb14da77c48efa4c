#!/usr/bin/env bash
# Refresh the translation sources from the code, then compile them for the program:
#   pyside6-lupdate: every tr()/translate() string of invoicedesk/ui, app.py and gui_app.py into
#                    resources/translations/invoicedesk_{en,zh_CN}.ts (translations kept)
#   pyside6-lrelease: .ts -> .qm (what the program loads; see invoicedesk/ui/i18n.py)
# Translate new strings in Qt Linguist (pyside6-linguist) or any .ts editor, then run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=resources/translations
mkdir -p "$OUT"
SOURCES=$(find invoicedesk/ui -name '*.py' | sort; echo invoicedesk/app.py invoicedesk/gui_app.py)
# strings given to a module's own _tr() helper, which lupdate cannot see by itself
EXTRA=build/translations/tr_wrappers.py
# shellcheck disable=SC2086
.venv/bin/python packaging/tr_wrappers.py "$EXTRA" $SOURCES
SOURCES="$SOURCES $EXTRA"
for lang in en zh_CN; do
    # shellcheck disable=SC2086
    "$BIN/pyside6-lupdate" -no-obsolete -source-language zh_CN -target-language "$lang" \
        $SOURCES -ts "$OUT/invoicedesk_$lang.ts"
    "$BIN/pyside6-lrelease" -silent "$OUT/invoicedesk_$lang.ts" -qm "$OUT/invoicedesk_$lang.qm"
done
ls -l "$OUT"
