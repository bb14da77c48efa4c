from __future__ import annotations

import pytest

from invoicedesk.domain.taxid import check_tax_id, resident_id_ok, uscc_check_char


@pytest.mark.parametrize(
    ("code", "ok", "expected"),
    [
        ("91330701MA2DFB848M", True, None),
        ("9111011457319202X9", True, None),
        ("91350000000000000X", False, "C"),
        ("91110105MA00123456", False, "R"),
        ("91330106MA2H7Q3D1G", True, None),
        ("91110108MA01K2P4XY", True, None),
        ("91350100M000100Y43", True, None),
        ("91350100M000100Y4Z", False, "3"),  # GB 32100's own example (Z is not in the charset)
        ("91350203M0001QAY9B", False, "9"),
    ],
)
def test_uscc_table(code: str, ok: bool, expected: str | None) -> None:
    check = check_tax_id(code)
    assert check.kind == "uscc"
    assert check.ok is ok
    assert check.expected == expected


def test_check_char_of_worked_example() -> None:
    assert uscc_check_char("91330701MA2DFB848") == "M"


def test_normalization() -> None:
    check = check_tax_id(" 91330701ma2dfb848m ")
    assert check.normalized == "91330701MA2DFB848M"
    assert check.ok
    assert check_tax_id("９１３３０７０１ＭＡ２ＤＦＢ８４８Ｍ").ok


@pytest.mark.parametrize("code", ["110108123456789", "11010812345678901", "11010812345678901200"])
def test_legacy_ids_shape_only(code: str) -> None:
    check = check_tax_id(code)
    assert (check.kind, check.ok) == ("legacy", True)


@pytest.mark.parametrize("code", ["1234", "91330701MA2DFB848M1234", "9133-0701MA2DFB848", "税号"])
def test_invalid(code: str) -> None:
    check = check_tax_id(code)
    assert (check.kind, check.ok) == ("invalid", False)


def test_empty() -> None:
    assert check_tax_id("  ") == check_tax_id("")
    assert check_tax_id("").kind == "empty"


def test_resident_id_for_natural_persons() -> None:
    assert resident_id_ok("11010519491231002X")
    assert not resident_id_ok("110105194912310021")
    assert check_tax_id("11010519491231002X", natural_person=True).kind == "resident_id"
    # without the flag an ID-card number is read as a credit code that fails its check
    assert check_tax_id("11010519491231002X").kind == "uscc"
