"""Fill unfinished English translations in resources/translations/invoicedesk_en.ts from
Python dict files (source text -> English). packaging/update_translations.sh runs it with every
table in packaging/translations_en/; by hand:

    python packaging/fill_translations.py packaging/translations_en/*.py   # each: T = {...}

Existing translations are kept. Exit status 1 while some string has no English (they are
listed), so the update script and CI notice.
"""

from __future__ import annotations

import runpy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "resources" / "translations" / "invoicedesk_en.ts"


def main(argv: list[str]) -> int:
    table: dict[str, str] = {}
    for path in argv:
        table.update(runpy.run_path(path)["T"])
    tree = ET.parse(TS)
    filled = missing = 0
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        if translation.get("type") != "unfinished" and translation.text:
            continue
        if source in table:
            forms = translation.findall("numerusform")
            if message.get("numerus") == "yes" and forms:
                # a message lupdate keeps as plural: every form gets the plural-free English
                translation.text = None
                for form in forms:
                    form.text = table[source]
            else:
                translation.text = table[source]
            translation.attrib.pop("type", None)
            filled += 1
        else:
            missing += 1
            print("untranslated:", source.replace("\n", " ")[:80], file=sys.stderr)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"filled {filled}, still untranslated {missing}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
