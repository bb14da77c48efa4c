"""Fill unfinished English translations in resources/translations/invoicedesk_en.ts from a
Python dict file (source text -> English), e.g. after update_translations.sh found new strings:

    python packaging/fill_translations.py MORE.py [MORE2.py ...]   # each defines T = {...}

Existing translations are kept; then run update_translations.sh again to compile the .qm.
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
            translation.text = table[source]
            translation.attrib.pop("type", None)
            filled += 1
        else:
            missing += 1
            print("untranslated:", source.replace("\n", " ")[:80], file=sys.stderr)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"filled {filled}, still untranslated {missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
