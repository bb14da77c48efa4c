"""Buyer tax IDs: 统一社会信用代码 (GB 32100-2015 check character) and old 纳税人识别号.

domain-reference.md §1: uppercase; 18 characters in USCC shape → mod-31 check; otherwise
15–20 digits/uppercase letters, checked for shape only. A failed check character is reported
with the expected character; the rules make it a warning (real codes exist that fail it).
"""

from __future__ import annotations

import datetime as dt
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
# Why a check failed, stable English: "bad_char" (I, O, S, V, Z in a credit code), "not_digit"
# (a letter in positions 3–8, the region code), "checksum" (credit code check character),
# "id_checksum" / "id_birth_date" (居民身份证 number), "shape" (no known shape).
TaxIdReason = Literal[
    "", "bad_char", "not_digit", "checksum", "id_checksum", "id_birth_date", "shape"
]

# Letters outside the GB 32100 alphabet and the digit a bookkeeper most likely meant.
_LOOKALIKE_DIGITS = {"O": "0", "I": "1", "Z": "2", "S": "5"}
_NOT_USCC = "IOSVZ"
_ID_CARD_DIGITS = re.compile(r"[0-9]{17}[0-9X]")
_FIRST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class TaxIdCheck:
    """kind: uscc (18-char credit code), legacy (15–20 char old ID, shape only), resident_id
    (a 居民身份证 number, only when checked for a natural person), empty, invalid.
    `expected` is the correct check character when the last character is wrong; `position`
    (1-based) and `char` name a character that cannot stand where it is."""

    kind: TaxIdKind
    normalized: str
    ok: bool
    expected: str | None = None
    reason: TaxIdReason = ""
    position: int | None = None
    char: str = ""


def normalize_tax_id(text: str) -> str:
    """Uppercase, full-width characters folded to ASCII, all whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (all in the USCC charset)."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_CARD_WEIGHTS, strict=True))
    return _ID_CARD_CHECK[total % 11]


def resident_id_birth_date_ok(code: str) -> bool:
    """Positions 7–14 of a 居民身份证 number are a real calendar date from 1900 on (the domain
    has no clock, so a date in the future is not caught here)."""
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return born.year >= _FIRST_BIRTH_YEAR


def resident_id_ok(text: str) -> bool:
    """GB 11643 居民身份证 number check (ISO 7064 MOD 11-2) and a possible birth date."""
    if not _ID_CARD_SHAPE.fullmatch(text):
        return False
    return resident_id_check_char(text[:17]) == text[17] and resident_id_birth_date_ok(text)


def _check_resident_id(code: str) -> TaxIdCheck:
    if not resident_id_birth_date_ok(code):
        return TaxIdCheck("resident_id", code, False, reason="id_birth_date")
    expected = resident_id_check_char(code[:17])
    if expected != code[17]:
        return TaxIdCheck("resident_id", code, False, expected, reason="id_checksum")
    return TaxIdCheck("resident_id", code, True)


def _check_uscc_chars(code: str) -> TaxIdCheck | None:
    """An 18-character code with a character no credit code has in positions 1–17."""
    for index, char in enumerate(code[:17]):
        if char in _NOT_USCC:
            return TaxIdCheck(
                "invalid", code, False, reason="bad_char", position=index + 1, char=char
            )
    for index in range(2, 8):
        if not code[index].isdigit() and code[index].isascii():
            return TaxIdCheck(
                "invalid", code, False, reason="not_digit", position=index + 1, char=code[index]
            )
    return None


def check_tax_id(text: str, *, natural_person: bool = False) -> TaxIdCheck:
    code = normalize_tax_id(text)
    if not code:
        return TaxIdCheck("empty", code, True)
    if natural_person and _ID_CARD_DIGITS.fullmatch(code):
        as_id = _check_resident_id(code)
        if as_id.ok or not (_USCC_SHAPE.fullmatch(code) and uscc_check_char(code[:17]) == code[17]):
            return as_id
    if len(code) == 18 and (bad := _check_uscc_chars(code)) is not None:
        return bad
    if len(code) == 18 and _USCC_SHAPE.fullmatch(code):
        expected = uscc_check_char(code[:17])
        if expected == code[17]:
            return TaxIdCheck("uscc", code, True)
        return TaxIdCheck("uscc", code, False, expected, reason="checksum")
    if _LEGACY_SHAPE.fullmatch(code):
        return TaxIdCheck("legacy", code, True)
    return TaxIdCheck("invalid", code, False, reason="shape")


def describe(check: TaxIdCheck, label: str = "纳税人识别号") -> str:
    """What is wrong with a failed check, in Chinese, naming what to do ("" when ok)."""
    if check.ok:
        return ""
    if check.reason == "bad_char":
        guess = _LOOKALIKE_DIGITS.get(check.char)
        ask = f"是否应为数字 {guess}？" if guess else "请核对"
        return f"{label}第 {check.position} 位的 {check.char} 不是统一社会信用代码使用的字符，{ask}"
    if check.reason == "not_digit":
        return (
            f"{label}第 {check.position} 位的 {check.char} 应为数字"
            "（第 3～8 位是登记管理机关行政区划码），请核对"
        )
    if check.reason == "checksum":
        return f"{label}校验位不正确（应为 {check.expected}），请核对"
    if check.reason == "id_checksum":
        return f"身份证号码校验位不正确（按身份证号码规则应为 {check.expected}），请核对"
    if check.reason == "id_birth_date":
        code = check.normalized
        return (
            f"身份证号码中的出生日期 {code[6:10]}-{code[10:12]}-{code[12:14]} 不存在，"
            "请核对第 7～14 位"
        )
    return f"{label}应为 15～20 位数字或大写字母，请核对"
