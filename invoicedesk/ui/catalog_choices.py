"""Completions for a line's name and tax code: the user's products, the codes they used lately,
and the official tax classification catalog (by name, code, pinyin initials and full pinyin).

The UI works with `CatalogChoice` (ready-made line name, code, rates as text) so that the editors
do not know where a choice came from. The products and the remembered codes are caches filled
off the GUI thread (gui_app), so the completers, which ask on every keystroke, never wait on
SQLite.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from invoicedesk.domain.catalog import (
    ALL_RATES,
    CatalogEntry,
    TaxCatalog,
    default_catalog,
    pinyin_keys,
)
from invoicedesk.services.catalogs import Product
from invoicedesk.ui.line_delegates import CatalogChoice

SEARCH_LIMIT = 12
PRODUCT_LIMIT = 6
RECENT_LIMIT = 50

# The usual rate by the code's first digit, for a code whose rates we do not know: goods and
# processing 13%, services and intangibles 6%, real estate 9%, 不征税 0 (domain-reference §3).
# Only a first choice: the rate cell offers every rate and the rules check it.
KIND_RATE = {"1": "0.13", "2": "0.13", "3": "0.06", "4": "0.06", "5": "0.09", "6": "0"}


def rate_text(rate: Decimal) -> str:
    """Decimal("0.060") -> "0.06"; zero -> "0" (the text a draft file holds)."""
    return f"{rate.normalize():f}" if rate else "0"


def line_name(short_name: str, name: str) -> str:
    """The name printed on a 数电票: *简称*名称 (the plain name when the 简称 is unknown)."""
    return f"*{short_name}*{name}" if short_name else name


class CatalogChoices:
    """Public API: search(text) (the name cell), search_codes(text) (the code cell),
    rates(code), remember(code, rate), `products`, `recent` (code -> last rate, newest last),
    `on_remember` (called with `recent` after each change, to persist it)."""

    def __init__(self, catalog: TaxCatalog) -> None:
        self.catalog = catalog
        self.products: list[Product] = []
        self.recent: dict[str, str] = {}
        self.on_remember: Callable[[dict[str, str]], None] | None = None

    @classmethod
    def default(cls) -> CatalogChoices:
        return cls(default_catalog())

    # ---- searching -------------------------------------------------------------------------

    def search(self, query: str) -> list[CatalogChoice]:
        """Name-cell choices: matching products first, then catalog codes (recent ones first)."""
        q = query.strip()
        if not q:
            return []
        mine = self._product_choices(q)
        return mine + [self.choice_for(e) for e in self._entries(q, SEARCH_LIMIT)]

    def search_codes(self, query: str) -> list[CatalogChoice]:
        """Code-cell choices: the same catalog search, recent codes first."""
        q = query.strip()
        return [self.choice_for(e) for e in self._entries(q, SEARCH_LIMIT)] if q else []

    def _entries(self, query: str, limit: int) -> list[CatalogEntry]:
        codes = [p.tax_code for p in self.products if p.tax_code]
        codes += reversed(list(self.recent))
        preferred: dict[str, int] = {}
        for code in codes:
            preferred.setdefault(code, len(preferred))
        return self.catalog.search(query, limit, preferred)

    def _product_choices(self, q: str) -> list[CatalogChoice]:
        low = q.lower()
        mine: list[CatalogChoice] = []
        for p in self.products:
            initials, full = pinyin_keys(p.name)
            if not (
                low in p.name.lower()
                or (p.tax_code and q.isdigit() and p.tax_code.startswith(q))
                or (low.isascii() and (initials.startswith(low) or full.startswith(low)))
            ):
                continue
            entry = self.catalog.by_code(p.tax_code)
            name = p.name
            if entry is not None and entry.short_name and not name.startswith("*"):
                name = line_name(entry.short_name, name)
            allowed = tuple(self.rates(p.tax_code)) if p.tax_code else ()
            mine.append(
                CatalogChoice(
                    label=f"{p.name}  {p.tax_code}  " + _tr("（商品）"),
                    name=name,
                    tax_code=p.tax_code,
                    tax_rate=p.tax_rate or self.default_rate(p.tax_code),
                    allowed_rates=allowed,
                    rate_remembered=bool(p.tax_rate),
                    spec=p.spec,
                    unit=p.unit,
                    unit_price=p.unit_price,
                )
            )
            if len(mine) >= PRODUCT_LIMIT:
                break
        return mine

    def choice_for(self, entry: CatalogEntry) -> CatalogChoice:
        remembered = self.recent.get(entry.code, "")
        rates = tuple(self.rates(entry.code))
        return CatalogChoice(
            label=f"{line_name(entry.short_name, entry.name)}  {entry.code}",
            name=line_name(entry.short_name, entry.name),
            tax_code=entry.code,
            tax_rate=remembered if remembered in rates else self.default_rate(entry.code),
            allowed_rates=rates,
            rate_remembered=remembered in rates,
        )

    # ---- rates -----------------------------------------------------------------------------

    def rates(self, code: str) -> list[str]:
        """The code's known rates, else every standard rate."""
        return [rate_text(r) for r in self.catalog.allowed_rates(code)]

    def default_rate(self, code: str) -> str:
        """The rate to propose for a code: the user's last choice for it, its first known
        rate, or the usual rate of its kind."""
        rates = self.rates(code)
        remembered = self.recent.get(code)
        if remembered in rates:
            return str(remembered)
        entry = self.catalog.by_code(code)
        if entry is not None and entry.rates:
            return rates[0]
        kind = KIND_RATE.get(code[:1], "")
        return kind if kind in {rate_text(r) for r in ALL_RATES} else ""

    def remember(self, code: str, rate: str) -> None:
        """The user put `rate` on a line with `code`: offer it first next time."""
        code, rate = code.strip(), rate.strip()
        if not code or not rate or self.catalog.by_code(code) is None:
            return
        if list(self.recent.items())[-1:] == [(code, rate)]:
            return
        self.recent.pop(code, None)
        self.recent[code] = rate
        while len(self.recent) > RECENT_LIMIT:
            self.recent.pop(next(iter(self.recent)))
        if self.on_remember is not None:
            self.on_remember(dict(self.recent))


def _tr(text: str) -> str:
    return QCoreApplication.translate("CatalogChoices", text)
