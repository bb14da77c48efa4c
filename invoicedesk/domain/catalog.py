"""The 商品和服务税收分类编码 catalog: a CSV data file, looked up by code and searched.

File format (resources/tax_catalog.csv, UTF-8, optional BOM so Excel-saved files work):
    code,name,short_name,rates,note
`code` is 19 digits, `rates` a ";"-separated list of fractions ("0.06;0.03;0.01;0"), `note`
free text (rows not checked against an official source say "unverified"). A fuller official
table can replace the file as long as it keeps these columns; extra columns are ignored.
Pinyin initials are computed on first use (pypinyin), not stored.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Every rate of domain-reference §3: the fallback when a code is not in the catalog.
ALL_RATES: tuple[Decimal, ...] = tuple(
    Decimal(r) for r in ("0.13", "0.09", "0.06", "0.05", "0.03", "0.015", "0.01", "0")
)
_CODE = re.compile(r"[0-9]{19}")
REQUIRED_COLUMNS = ("code", "name", "short_name", "rates")


class CatalogError(ValueError):
    """The catalog file cannot be used (message names the row)."""


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    name: str
    short_name: str
    rates: tuple[Decimal, ...]
    note: str = ""

    # Pinyin initials are computed on first use: importing pypinyin takes about a second, which
    # must not delay the first window (prepare_search() does it in the background).
    @functools.cached_property
    def initials(self) -> str:
        """Pinyin initials of the name, lowercase ("rjkffw")."""
        return pinyin_initials(self.name)

    @functools.cached_property
    def short_initials(self) -> str:
        return pinyin_initials(self.short_name)


def pinyin_initials(text: str) -> str:
    """Lowercase pinyin initials of the Chinese characters; other letters and digits kept."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())


def _parse_rates(text: str, where: str) -> tuple[Decimal, ...]:
    rates: list[Decimal] = []
    for part in text.replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            rate = Decimal(part.rstrip("%")) / (100 if part.endswith("%") else 1)
        except InvalidOperation:
            raise CatalogError(f"{where}: rate {part!r} is not a number") from None
        if not rate.is_finite() or not 0 <= rate < 1:
            raise CatalogError(f"{where}: rate {part!r} is outside 0..1")
        rates.append(rate.normalize() if rate else Decimal(0))
    return tuple(rates)


class TaxCatalog:
    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: list[CatalogEntry] = list(entries)
        self._by_code = {e.code: e for e in self.entries}

    @classmethod
    def from_csv_text(cls, text: str, source: str = "tax catalog") -> TaxCatalog:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{source}: missing column(s) {', '.join(missing)}")
        entries = []
        for row in reader:
            where = f"{source} line {reader.line_num}"
            code = (row.get("code") or "").strip()
            if not _CODE.fullmatch(code):
                raise CatalogError(f"{where}: code {code!r} is not 19 digits")
            name = (row.get("name") or "").strip()
            short = (row.get("short_name") or "").strip()
            entries.append(
                CatalogEntry(
                    code=code,
                    name=name,
                    short_name=short,
                    rates=_parse_rates(row.get("rates") or "", where),
                    note=(row.get("note") or "").strip(),
                )
            )
        return cls(entries)

    @classmethod
    def load(cls, path: Path | str) -> TaxCatalog:
        """Read a catalog file. Raises OSError or CatalogError."""
        path = Path(path)
        return cls.from_csv_text(path.read_text(encoding="utf-8"), source=path.name)

    def prepare_search(self) -> None:
        """Compute every entry's pinyin initials now (slow the first time: pypinyin loads)."""
        for entry in self.entries:
            _ = entry.initials, entry.short_initials

    def by_code(self, code: str) -> CatalogEntry | None:
        return self._by_code.get(code.strip())

    def short_name(self, code: str) -> str | None:
        entry = self.by_code(code)
        return entry.short_name if entry and entry.short_name else None

    def allowed_rates(self, code: str) -> list[Decimal]:
        """The code's rates; every §3 rate when the code is unknown or its row lists none."""
        entry = self.by_code(code)
        if entry is None or not entry.rates:
            return list(ALL_RATES)
        return list(entry.rates)

    def search(self, query: str, limit: int = 20) -> list[CatalogEntry]:
        """Entries matching the query, best first: exact code, code prefix, name prefix, name
        or 简称 substring, pinyin initials prefix ("rjkf" → 软件开发服务), initials substring."""
        q = query.strip()
        if not q or limit <= 0:
            return []
        q_lower = q.lower()
        scored: list[tuple[int, int, CatalogEntry]] = []
        for index, e in enumerate(self.entries):
            if e.code == q:
                rank = 0
            elif q.isdigit() and e.code.startswith(q):
                rank = 1
            elif e.name.startswith(q):
                rank = 2
            elif q in e.name or q in e.short_name:
                rank = 3
            elif q_lower.isascii() and e.initials.startswith(q_lower):
                rank = 4
            elif q_lower.isascii() and (q_lower in e.initials or q_lower in e.short_initials):
                rank = 5
            else:
                continue
            scored.append((rank, index, e))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [e for _, _, e in scored[:limit]]


@functools.cache
def default_catalog() -> TaxCatalog:
    """The shipped catalog (resources/tax_catalog.csv), read once."""
    from invoicedesk.paths import resource

    return TaxCatalog.load(resource("tax_catalog.csv"))
