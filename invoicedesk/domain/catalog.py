"""The 商品和服务税收分类编码 catalog: the official codes, an overlay of what we know about some of
them (简称, rates), and a search by name, pinyin and code.

Files (UTF-8 CSV, optional BOM so Excel-saved files work):
- resources/tax_codes.csv `code,name`: the State Taxation Administration's table (5,554 leaf
  codes, see ../shared/data/README.md for its provenance). Only these codes are "known".
- resources/tax_catalog.csv `code,name,short_name,rates,note`: the overlay. A row for an official
  code gives that code its 简称 and rates; a row for a summary code (e.g. 3030100000000000000
  基础电信服务, not itself a leaf) gives them to every official code below it, unless a nearer row
  says otherwise. `rates` is a ";"-separated list of fractions ("0.06;0.03;0.01;0").
- resources/tax_codes_pinyin.csv `text,initials,pinyin`: pinyin of every name and 简称, made by
  packaging/make_pinyin_index.py (tests/domain/test_catalog.py checks it is current), so that no
  search waits for pypinyin to load.
A replacement table in the overlay format (TaxCatalog.load) also works on its own.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Every rate of domain-reference §3: the fallback when a code is not in the catalog.
ALL_RATES: tuple[Decimal, ...] = tuple(
    Decimal(r) for r in ("0.13", "0.09", "0.06", "0.05", "0.03", "0.015", "0.01", "0")
)
_CODE = re.compile(r"[0-9]{19}")
REQUIRED_COLUMNS = ("code", "name", "short_name", "rates")

# The first digit of a code says what kind of thing it is (the browse view's top level).
KINDS: dict[str, str] = {
    "1": "货物",
    "2": "加工修理修配劳务",
    "3": "销售服务",
    "4": "无形资产",
    "5": "不动产",
    "6": "不征税项目",
}


class CatalogError(ValueError):
    """The catalog file cannot be used (message names the row)."""


@dataclass(frozen=True)
class CatalogEntry:
    code: str
    name: str
    short_name: str
    rates: tuple[Decimal, ...]
    note: str = ""

    @functools.cached_property
    def initials(self) -> str:
        """Pinyin initials of the name, lowercase ("rjkffw")."""
        return pinyin_keys(self.name)[0]

    @functools.cached_property
    def short_initials(self) -> str:
        return pinyin_keys(self.short_name)[0]


def code_levels(code: str) -> str:
    """The significant part of a code: its first digit, then two digits a level, without the
    trailing "00" levels ("3030100000000000000" -> "30301")."""
    digits = code.strip()
    end = len(digits)
    while end > 1 and digits[end - 2 : end] == "00":
        end -= 2
    return digits[:end]


# text -> (initials, full pinyin); filled from the shipped index, computed for other texts
_PINYIN: dict[str, tuple[str, str]] = {}


def pinyin_keys(text: str) -> tuple[str, str]:
    """Lowercase pinyin initials and full pinyin of a text ("软件" -> ("rj", "ruanjian")); other
    letters and digits kept. Cached; pypinyin is loaded only for texts the index lacks."""
    if not text:
        return "", ""
    found = _PINYIN.get(text)
    if found is None:
        found = compute_pinyin(text)
        _PINYIN[text] = found
    return found


def compute_pinyin(text: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    def squash(parts: list[str]) -> str:
        return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())

    initials = squash(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
    return initials, squash(lazy_pinyin(text, errors="default"))


def pinyin_initials(text: str) -> str:
    """Lowercase pinyin initials of the Chinese characters; other letters and digits kept."""
    return pinyin_keys(text)[0]


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


def _rows(
    text: str, source: str, required: tuple[str, ...]
) -> Iterable[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogError(f"{source}: missing column(s) {', '.join(missing)}")
    for row in reader:
        where = f"{source} line {reader.line_num}"
        code = (row.get("code") or "").strip()
        if not _CODE.fullmatch(code):
            raise CatalogError(f"{where}: code {code!r} is not 19 digits")
        yield where, {k: (v or "").strip() for k, v in row.items() if k}


def _read_official(text: str, source: str) -> list[tuple[str, str]]:
    """(code, name) rows of the official table (plain csv.reader: 5,554 rows, read at start)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    if next(reader, None) != ["code", "name"]:
        raise CatalogError(f"{source}: the first line must be code,name")
    rows = []
    for number, row in enumerate(reader, start=2):
        if len(row) != 2 or not _CODE.fullmatch(row[0]) or not row[1].strip():
            raise CatalogError(f"{source} line {number}: expected a 19-digit code and a name")
        rows.append((row[0], row[1].strip()))
    return rows


def parse_overlay(text: str, source: str = "tax catalog") -> list[CatalogEntry]:
    """The overlay format (code,name,short_name,rates,note)."""
    return [
        CatalogEntry(
            code=row["code"],
            name=row.get("name", ""),
            short_name=row.get("short_name", ""),
            rates=_parse_rates(row.get("rates", ""), where),
            note=row.get("note", ""),
        )
        for where, row in _rows(text, source, REQUIRED_COLUMNS)
    ]


def merge_official(
    official: Iterable[tuple[str, str]], overlay: Iterable[CatalogEntry]
) -> list[CatalogEntry]:
    """Every official (code, name), with the 简称 and rates of its own overlay row or else of
    the nearest overlay row for a code above it. Official names win over the overlay's."""
    known = {code_levels(e.code): e for e in overlay}
    heads = {levels[:3] for levels in known}  # most codes have no overlay row above them
    entries = []
    for code, name in official:
        source = None
        if code[:3] in heads or code[:1] in heads:
            levels = code_levels(code)
            for end in range(len(levels), 0, -2):
                source = known.get(levels[:end])
                if source is not None:
                    break
        if source is None:
            entries.append(CatalogEntry(code, name, "", ()))
        else:
            note = "" if source.code == code else f"from {source.code} {source.name}"
            entries.append(CatalogEntry(code, name, source.short_name, source.rates, note))
    return entries


class TaxCatalog:
    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: list[CatalogEntry] = list(entries)
        self._by_code = {e.code: e for e in self.entries}
        # search keys per entry, built by prepare_search() (or on the first search)
        self._keys: list[tuple[str, str, str, str, str]] | None = None

    @classmethod
    def from_csv_text(cls, text: str, source: str = "tax catalog") -> TaxCatalog:
        return cls(parse_overlay(text, source))

    @classmethod
    def load(cls, path: Path | str) -> TaxCatalog:
        """Read a catalog file in the overlay format. Raises OSError or CatalogError."""
        path = Path(path)
        return cls.from_csv_text(path.read_text(encoding="utf-8"), source=path.name)

    @classmethod
    def load_official(cls, codes: Path, overlay: Path, pinyin: Path | None = None) -> TaxCatalog:
        """The official table with the overlay applied; the pinyin index when given."""
        official = _read_official(codes.read_text(encoding="utf-8"), codes.name)
        extra = parse_overlay(overlay.read_text(encoding="utf-8"), overlay.name)
        if pinyin is not None:
            load_pinyin_index(pinyin.read_text(encoding="utf-8"))
        return cls(merge_official(official, extra))

    def prepare_search(self) -> None:
        """Build the search keys now (pinyin comes from the index; pypinyin loads only for
        names the index lacks)."""
        if self._keys is None:
            keys = []
            for e in self.entries:
                initials, full = pinyin_keys(e.name)
                short_initials, short_full = pinyin_keys(e.short_name)
                keys.append(
                    (e.name + " " + e.short_name, initials, full, short_initials, short_full)
                )
            self._keys = keys

    def by_code(self, code: str) -> CatalogEntry | None:
        return self._by_code.get(code.strip())

    def short_name(self, code: str) -> str | None:
        entry = self.by_code(code)
        return entry.short_name if entry and entry.short_name else None

    def allowed_rates(self, code: str) -> list[Decimal]:
        """The code's rates; every §3 rate when the code is unknown or no row lists any."""
        entry = self.by_code(code)
        if entry is None or not entry.rates:
            return list(ALL_RATES)
        return list(entry.rates)

    def children(self, prefix: str) -> list[CatalogEntry]:
        """Entries whose code starts with the digits given (the browse view's groups)."""
        return [e for e in self.entries if e.code.startswith(prefix)]

    def search(
        self, query: str, limit: int = 20, preferred: Mapping[str, int] | None = None
    ) -> list[CatalogEntry]:
        """Entries matching the query, best first. Ranks: exact code, name or pinyin; code prefix,
        name prefix or pinyin prefix ("rjkf", "ruanjian" → 软件开发服务); then substrings of name,
        简称 and pinyin. `preferred` (code -> rank, lower first) puts the user's own codes first
        among the matches."""
        q = query.strip()
        if not q or limit <= 0:
            return []
        self.prepare_search()
        assert self._keys is not None
        q_lower = q.lower().replace(" ", "")
        pinyin_query = q_lower.isascii() and q_lower.isalnum() and not q.isdigit()
        preferred = preferred or {}
        worst = len(preferred) + 1
        scored: list[tuple[int, int, int, CatalogEntry]] = []
        for index, (e, keys) in enumerate(zip(self.entries, self._keys, strict=True)):
            names, initials, full, short_initials, short_full = keys
            if e.code == q or e.name == q or (pinyin_query and q_lower in (full, initials)):
                rank = 0
            elif q.isdigit():
                if not e.code.startswith(q):
                    continue
                rank = 1
            elif e.name.startswith(q):
                rank = 1
            elif pinyin_query and (initials.startswith(q_lower) or full.startswith(q_lower)):
                rank = 2
            elif q in names:
                rank = 3
            elif pinyin_query and (
                q_lower in initials
                or q_lower in full
                or q_lower in short_initials
                or q_lower in short_full
            ):
                rank = 4
            else:
                continue
            # among equals, shorter names first (钢筋 before 钢筋混凝土…); codes in table order
            tie = index if q.isdigit() else len(e.name) * 10000 + index
            scored.append((preferred.get(e.code, worst), rank, tie, e))
        scored.sort(key=lambda item: item[:3])
        return [e for *_, e in scored[:limit]]


def load_pinyin_index(text: str) -> None:
    """Fill the pinyin cache from the shipped index (text,initials,pinyin)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    next(reader, None)
    for row in reader:
        if len(row) == 3:
            _PINYIN.setdefault(row[0], (row[1], row[2]))


def pinyin_index_text(catalog: TaxCatalog) -> str:
    """The index file for a catalog: every distinct name and 简称, sorted (computed afresh)."""
    texts = sorted({t for e in catalog.entries for t in (e.name, e.short_name) if t})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["text", "initials", "pinyin"])
    for text in texts:
        writer.writerow([text, *compute_pinyin(text)])
    return out.getvalue()


@functools.cache
def default_catalog() -> TaxCatalog:
    """The shipped catalog (official codes + overlay + pinyin index), read once."""
    from invoicedesk.paths import resource

    return TaxCatalog.load_official(
        resource("tax_codes.csv"), resource("tax_catalog.csv"), resource("tax_codes_pinyin.csv")
    )
