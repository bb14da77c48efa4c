"""Completions for a line's name: the tax classification catalog (by name, code, pinyin initials).

The UI works with `CatalogChoice` (ready-made line name, code, rates as text) so that the product
catalog can add its own choices later without the editors knowing where a choice came from.
"""

from __future__ import annotations

from decimal import Decimal

from invoicedesk.domain.catalog import TaxCatalog, default_catalog
from invoicedesk.ui.line_delegates import CatalogChoice

SEARCH_LIMIT = 12


def rate_text(rate: Decimal) -> str:
    """Decimal("0.060") -> "0.06"; zero -> "0" (the text a draft file holds)."""
    return f"{rate.normalize():f}" if rate else "0"


def line_name(short_name: str, name: str) -> str:
    """The name printed on a 数电票: *简称*名称."""
    return f"*{short_name}*{name}" if short_name else name


class CatalogChoices:
    def __init__(self, catalog: TaxCatalog) -> None:
        self.catalog = catalog

    @classmethod
    def default(cls) -> CatalogChoices:
        return cls(default_catalog())

    def search(self, query: str) -> list[CatalogChoice]:
        choices = []
        for entry in self.catalog.search(query, SEARCH_LIMIT):
            rates = tuple(rate_text(r) for r in entry.rates)
            full = line_name(entry.short_name, entry.name)
            choices.append(
                CatalogChoice(
                    label=f"{full}  {entry.code}",
                    name=full,
                    tax_code=entry.code,
                    tax_rate=rates[0] if rates else "",
                    allowed_rates=rates,
                )
            )
        return choices

    def rates(self, code: str) -> list[str]:
        return [rate_text(r) for r in self.catalog.allowed_rates(code)]
