#!/usr/bin/env bash
# Build the one-folder bundle in dist/invoicedesk/ (Linux here; the same spec on macOS and, with
# `pyinstaller packaging/invoicedesk.spec`, on Windows). Run from anywhere; uses ./.venv.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e . "pyinstaller>=6.10"

# Icons for the bundle, rendered from the SVG source with Qt (no extra tools needed).
mkdir -p build/icons
QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py resources/icons/invoicedesk.svg build/icons

.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/invoicedesk.spec
du -sh dist/invoicedesk | awk '{print "bundle size: " $1}'
echo "built dist/invoicedesk/invoicedesk"
