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


# ---- issue 19 item 1: letters outside the alphabet, ID-card numbers -------------------------

from invoicedesk.domain.rules import validate  # noqa: E402
from invoicedesk.domain.taxid import describe, resident_id_check_char  # noqa: E402
from tests.domain.test_rules import codes, make_draft  # noqa: E402


@pytest.mark.parametrize(
    ("code", "position", "char", "hint"),
    [
        ("9111O108MA01K2P4XY", 5, "O", "是否应为数字 0？"),
        ("91110108MA0IK2P4XY", 12, "I", "是否应为数字 1？"),
        ("9111010SMA01K2P4XY", 8, "S", "是否应为数字 5？"),
        ("91110108MA01K2P4ZY", 17, "Z", "是否应为数字 2？"),
        ("V1110108MA01K2P4XY", 1, "V", "请核对"),
    ],
)
def test_letters_outside_gb32100_name_position_and_letter(
    code: str, position: int, char: str, hint: str
) -> None:
    check = check_tax_id(code)
    assert (check.kind, check.ok, check.reason) == ("invalid", False, "bad_char")
    assert (check.position, check.char) == (position, char)
    text = describe(check)
    assert f"第 {position} 位的 {char} 不是统一社会信用代码使用的字符" in text
    assert text.endswith(hint)


def test_letter_in_the_region_code_names_the_position() -> None:
    check = check_tax_id("9111A108MA01K2P4XY")
    assert (check.reason, check.position, check.char) == ("not_digit", 5, "A")
    assert "第 5 位的 A 应为数字" in describe(check)


def test_bad_letter_is_an_error_at_the_buyer_tax_id() -> None:
    problems = validate(make_draft(buyer_tax_id="9111O108MA01K2P4XY"))
    assert codes(problems)["tax_id.bad_char"] == ("buyer.tax_id", "error")
    [problem] = [p for p in problems if p.field == "buyer.tax_id"]
    assert "第 5 位的 O 不是统一社会信用代码使用的字符，是否应为数字 0？" in problem.message


def test_id_card_check_digit_names_the_id_cards_own_character() -> None:
    assert resident_id_check_char("11010519491231002") == "X"
    check = check_tax_id("110105194912310021", natural_person=True)
    assert (check.kind, check.ok, check.reason, check.expected) == (
        "resident_id",
        False,
        "id_checksum",
        "X",
    )
    problems = validate(
        make_draft(buyer_name="张三", buyer_natural_person=True, buyer_tax_id="110105194912310021")
    )
    assert codes(problems)["tax_id.id_checksum"] == ("buyer.tax_id", "warning")
    message = next(p.message for p in problems if p.field == "buyer.tax_id")
    assert "身份证号码校验位不正确" in message and "应为 X" in message
    # the company-code algorithm's answer for the same 17 characters is another character
    assert uscc_check_char("11010519491231002") != "X"


@pytest.mark.parametrize("code", ["110105194902300025", "110105194913010026", "110105180001010021"])
def test_impossible_birth_dates_are_rejected(code: str) -> None:
    check = check_tax_id(code, natural_person=True)
    assert (check.ok, check.reason) == (False, "id_birth_date")
    problems = validate(make_draft(buyer_name="张三", buyer_natural_person=True, buyer_tax_id=code))
    assert codes(problems)["tax_id.id_birth_date"] == ("buyer.tax_id", "error")
    assert "出生日期" in describe(check)
    assert not resident_id_ok(code)


def test_a_valid_credit_code_of_a_natural_person_flag_still_passes() -> None:
    assert check_tax_id("91330701MA2DFB848M", natural_person=True).ok
    assert check_tax_id("11010519491231002X", natural_person=True).ok
