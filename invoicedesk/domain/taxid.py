"""Buyer tax IDs: 统一社会信用代码 (GB 32100-2015 check character) and old 纳税人识别号.

domain-reference.md §1: uppercase; 18 characters in USCC shape → mod-31 check; otherwise
15–20 digits/uppercase letters, checked for shape only. A failed check character is reported
with the expected character; the rules make it a warning (real codes exist that fail it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_U = "0-9A-HJ-NPQRTUWXY"
# The first 17 characters in USCC shape; the 18th may be any letter so that a wrong check
# character (even one outside the charset, like the standard's own example ending in Z) is
# reported as a checksum problem rather than accepted as an old ID.
_USCC_SHAPE = re.compile(rf"[{_U}]{{2}}[0-9]{{6}}[{_U}]{{9}}[0-9A-Z]")
_LEGACY_SHAPE = re.compile(r"[0-9A-Z]{15,20}")
_ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CARD_CHECK = "10X98765432"
_ID_CARD_SHAPE = re.compile(r"[1-9][0-9]{16}[0-9X]")

TaxIdKind = Literal["uscc", "legacy", "resident_id", "empty", "invalid"]


@dataclass(frozen=True)
class TaxIdCheck:
    """kind: uscc (18-char credit code), legacy (15–20 char old ID, shape only), resident_id
    (a valid 居民身份证 number, only when checked for a natural person), empty, invalid.
    `expected` is the correct check character when a USCC's last character is wrong."""

    kind: TaxIdKind
    normalized: str
    ok: bool
    expected: str | None = None


def normalize_tax_id(text: str) -> str:
    """Uppercase, full-width characters folded to ASCII, all whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (all in the USCC charset)."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def resident_id_ok(text: str) -> bool:
    """GB 11643 居民身份证 number check (ISO 7064 MOD 11-2)."""
    if not _ID_CARD_SHAPE.fullmatch(text):
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], _ID_CARD_WEIGHTS, strict=True))
    return _ID_CARD_CHECK[total % 11] == text[17]


def check_tax_id(text: str, *, natural_person: bool = False) -> TaxIdCheck:
    code = normalize_tax_id(text)
    if not code:
        return TaxIdCheck("empty", code, True)
    if natural_person and resident_id_ok(code):
        return TaxIdCheck("resident_id", code, True)
    if len(code) == 18 and _USCC_SHAPE.fullmatch(code):
        expected = uscc_check_char(code[:17])
        if expected == code[17]:
            return TaxIdCheck("uscc", code, True)
        return TaxIdCheck("uscc", code, False, expected)
    if _LEGACY_SHAPE.fullmatch(code):
        return TaxIdCheck("legacy", code, True)
    return TaxIdCheck("invalid", code, False)
