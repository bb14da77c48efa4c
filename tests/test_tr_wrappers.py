"""packaging/tr_wrappers.py finds what lupdate cannot (a module's `_tr("…")` helper, `tr("…")`
inside an f-string), and every string it finds has English, in the translation file or in a
table of packaging/translations_en/ that the next update fills in."""

from __future__ import annotations

import ast
import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

from tr_wrappers import fstring_strings, wrapped_strings

ROOT = Path(__file__).resolve().parent.parent


def test_tr_inside_an_fstring_is_found_with_its_class_as_context() -> None:
    source = (
        "class Preview:\n"
        "    def html(self):\n"
        "        tr = self.tr\n"
        "        return f\"<b>{tr('合计')}</b>{self.tr('备注')}\" + tr('不在 f-string 里')\n"
    )
    assert fstring_strings(ast.parse(source)) == [("Preview", "合计"), ("Preview", "备注")]


def test_every_string_lupdate_cannot_see_has_english() -> None:
    english: set[str] = set()
    for table in sorted((ROOT / "packaging" / "translations_en").glob("*.py")):
        english |= set(runpy.run_path(str(table))["T"])
    ts = ET.parse(ROOT / "resources" / "translations" / "invoicedesk_en.ts")
    english |= {m.findtext("source") or "" for m in ts.iter("message") if m.findtext("translation")}
    found = [
        (path.name, text)
        for path in sorted((ROOT / "invoicedesk" / "ui").rglob("*.py"))
        for _context, text in wrapped_strings(path)
    ]
    assert found
    missing = [(name, text) for name, text in found if text not in english]
    assert not missing, missing
