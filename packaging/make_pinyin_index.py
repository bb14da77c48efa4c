"""Regenerate resources/tax_codes_pinyin.csv (pinyin of every tax-code name and 简称).

Run after changing resources/tax_codes.csv or resources/tax_catalog.csv:

    .venv/bin/python packaging/make_pinyin_index.py

tests/domain/test_catalog.py fails while the shipped index is stale.
"""

from __future__ import annotations

from pathlib import Path

from invoicedesk.domain.catalog import TaxCatalog, pinyin_index_text

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def main() -> None:
    catalog = TaxCatalog.load_official(RESOURCES / "tax_codes.csv", RESOURCES / "tax_catalog.csv")
    target = RESOURCES / "tax_codes_pinyin.csv"
    target.write_text(pinyin_index_text(catalog), encoding="utf-8")
    print(f"wrote {target} ({len(catalog.entries)} codes)")


if __name__ == "__main__":
    main()
