from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from invoicedesk.domain.models import Draft, Line, draft_from_json
from invoicedesk.domain.rules import (
    Problem,
    full_line_name,
    has_errors,
    problems_from_validation_error,
    split_line_name,
    validate,
)

SOFT = "3040201010000000000"


def make_line(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "normal",
        "name": "*信息技术服务*软件开发服务",
        "tax_code": SOFT,
        "unit": "项",
        "quantity": "1",
        "unit_price": "100.00",
        "amount": "100.00",
        "tax_rate": "0.06",
        "price_includes_tax": True,
    }
    base.update(kw)
    return base


def make_draft(lines: list[dict[str, Any]] | None = None, **kw: Any) -> Draft:
    data: dict[str, Any] = {
        "invoice_type": "82",
        "buyer": {"name": "测试购买方有限公司", "tax_id": "91110108MA01K2P4XY"},
        "lines": [make_line()] if lines is None else lines,
        "remark": "",
    }
    for key, value in kw.items():
        if key.startswith("buyer_"):
            data["buyer"][key.removeprefix("buyer_")] = value
        else:
            data[key] = value
    return Draft.model_validate(data)


def codes(problems: list[Problem]) -> dict[str, tuple[str, str]]:
    """code -> (field, severity); the first problem of each code."""
    out: dict[str, tuple[str, str]] = {}
    for p in problems:
        out.setdefault(p.code, (p.field, p.severity))
    return out


def test_good_draft_has_no_problems() -> None:
    assert validate(make_draft()) == []


def test_problem_messages_are_chinese_and_fields_are_paths() -> None:
    problems = validate(make_draft([make_line(tax_rate="abc")]))
    assert problems
    for p in problems:
        assert p.field.startswith("lines[0].")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message)
        assert p.to_dict() == {
            "field": p.field,
            "code": p.code,
            "severity": p.severity,
            "message": p.message,
        }


def test_invoice_type_must_be_known() -> None:
    assert codes(validate(make_draft(invoice_type="99")))["invoice_type.unknown"] == (
        "invoice_type",
        "error",
    )
    assert validate(make_draft(invoice_type="81")) == []


def test_buyer_name_required_and_length() -> None:
    assert codes(validate(make_draft(buyer_name="")))["buyer.name_required"][1] == "error"
    assert "field.too_long" in codes(validate(make_draft(buyer_name="公" * 301)))
    assert validate(make_draft(buyer_name="公" * 300)) == []


def test_special_invoice_needs_buyer_tax_id() -> None:
    problems = validate(make_draft(invoice_type="81", buyer_tax_id=""))
    assert codes(problems)["buyer.tax_id_required"] == ("buyer.tax_id", "error")
    assert validate(make_draft(invoice_type="82", buyer_tax_id="")) == []


def test_wrong_check_char_is_a_warning_naming_the_expected_char() -> None:
    problems = validate(make_draft(buyer_tax_id="91110105MA00123456"))
    assert problems == [
        Problem(
            "buyer.tax_id",
            "tax_id.checksum",
            "warning",
            "纳税人识别号校验位不正确（应为 R），请核对",
        )
    ]
    assert not has_errors(problems)


def test_malformed_tax_id_is_an_error() -> None:
    assert codes(validate(make_draft(buyer_tax_id="12345")))["tax_id.invalid"][1] == "error"


def test_legacy_tax_ids() -> None:
    assert validate(make_draft(buyer_tax_id="110108123456789")) == []
    assert "tax_id.unusual_length" in codes(validate(make_draft(buyer_tax_id="1101081234567890")))


def test_natural_person_rules() -> None:
    ticked = validate(make_draft(buyer_name="张", buyer_natural_person=True, buyer_tax_id=""))
    assert codes(ticked)["buyer.natural_person_name"][1] == "error"
    assert (
        validate(make_draft(buyer_name="张先生", buyer_natural_person=True, buyer_tax_id="")) == []
    )
    not_ticked = validate(make_draft(buyer_name="张先生", buyer_tax_id=""))
    assert codes(not_ticked)["buyer.maybe_natural_person"] == ("buyer.name", "warning")
    assert not has_errors(not_ticked)
    person_with_id = make_draft(
        buyer_name="张三", buyer_natural_person=True, buyer_tax_id="11010519491231002X"
    )
    assert validate(person_with_id) == []


@pytest.mark.parametrize(
    ("field", "limit"), [("address", 300), ("phone", 60), ("bank", 120), ("bank_account", 50)]
)
def test_buyer_field_lengths(field: str, limit: int) -> None:
    assert validate(make_draft(**{f"buyer_{field}": "1" * limit})) == []
    problems = validate(make_draft(**{f"buyer_{field}": "1" * (limit + 1)}))
    assert codes(problems)["field.too_long"] == (f"buyer.{field}", "error")


@pytest.mark.parametrize("email", ["a@b.cn", "a@b.cn; c.d@e.com.cn", "x@y.com，z@w.org"])
def test_good_emails(email: str) -> None:
    assert validate(make_draft(buyer_email=email)) == []


@pytest.mark.parametrize("email", ["ab.cn", "a@b", "a@@b.cn", "a@b.cn;oops"])
def test_bad_emails(email: str) -> None:
    assert codes(validate(make_draft(buyer_email=email)))["buyer.email_invalid"][1] == "error"


def test_remark_length() -> None:
    assert validate(make_draft(remark="备" * 450)) == []
    problems = validate(make_draft(remark="备" * 451))
    assert codes(problems)["remark.too_long"] == ("remark", "error")
    red = validate(
        make_draft(remark="备" * 400, lines=[make_line(amount="-100.00", quantity="-1")]), red=True
    )
    assert "remark.too_long" in codes(red)


def test_huge_remark_gives_one_problem() -> None:
    problems = validate(make_draft(remark="x" * 10_000_000))
    assert [p.code for p in problems] == ["remark.too_long"]
    assert len(problems[0].message) < 100


def test_no_lines() -> None:
    assert codes(validate(make_draft([]))) == {"lines.empty": ("lines", "error")}


def test_line_count_limits() -> None:
    cheap = make_line(quantity="", unit_price="", amount="1.00")
    many = validate(make_draft([cheap] * 2001))
    assert codes(many)["lines.many"] == ("lines", "warning")
    too_many = validate(make_draft([cheap] * 5001))
    assert codes(too_many)["lines.too_many"] == ("lines", "error")


def test_line_name_required_and_length() -> None:
    assert codes(validate(make_draft([make_line(name="")])))["line.name_required"] == (
        "lines[0].name",
        "error",
    )
    long_name = "*信息技术服务*" + "软" * 300
    assert "field.too_long" in codes(validate(make_draft([make_line(name=long_name)])))


def test_plain_name_is_a_warning_and_gets_the_short_name() -> None:
    problems = validate(make_draft([make_line(name="软件开发服务")]))
    assert codes(problems) == {"line.name_short_name_added": ("lines[0].name", "warning")}
    assert "*信息技术服务*软件开发服务" in problems[0].message
    assert full_line_name(Line(name="软件开发服务", tax_code=SOFT)) == "*信息技术服务*软件开发服务"
    assert full_line_name(Line(name="*信息技术服务*开发", tax_code=SOFT)) == "*信息技术服务*开发"
    unknown = Line(name="某物", tax_code="1234567890123456789")
    assert full_line_name(unknown) == "某物"


def test_plain_name_with_unknown_code() -> None:
    problems = validate(make_draft([make_line(name="某物", tax_code="1090101010000000000")]))
    found = codes(problems)
    assert found["line.name_without_short_name"][1] == "warning"
    assert found["line.tax_code_unknown"] == ("lines[0].tax_code", "warning")
    assert not has_errors(problems)


def test_broken_star_form_is_an_error() -> None:
    assert codes(validate(make_draft([make_line(name="*信息技术服务软件")])))["line.name_format"]


def test_short_name_mismatch_warning() -> None:
    found = codes(validate(make_draft([make_line(name="*软件*开发")])))
    assert found == {"line.short_name_mismatch": ("lines[0].name", "warning")}


def test_split_line_name() -> None:
    assert split_line_name("*A*B") == ("A", "B")
    assert split_line_name("AB") is None
    assert split_line_name("**B") is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "line.tax_code_required"),
        ("30402010100", "line.tax_code_format"),
        ("304020101000000000X", "line.tax_code_format"),
    ],
)
def test_tax_code_format(code: str, expected: str) -> None:
    assert codes(validate(make_draft([make_line(tax_code=code)])))[expected][1] == "error"


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        ("abc", "figure.not_a_number"),
        ("NaN", "figure.not_a_number"),
        ("", "figure.empty"),
        ("0.07", "line.tax_rate_unknown"),
        ("0.13", "line.tax_rate_not_allowed"),
    ],
)
def test_rate_problems(rate: str, code: str) -> None:
    assert codes(validate(make_draft([make_line(tax_rate=rate)])))[code] == (
        "lines[0].tax_rate",
        "error",
    )


def test_rates_per_code() -> None:
    assert validate(make_draft([make_line(tax_rate="0.01")])) == []
    assert validate(make_draft([make_line(tax_rate="6%")])) == []
    telecom = make_line(name="*电信服务*宽带", tax_code="3030100000000000000", tax_rate="0.06")
    assert "line.tax_rate_not_allowed" in codes(validate(make_draft([telecom])))
    nontax = make_line(name="*未发生销售行为的不征税项目*预付卡", tax_code="6010000000000000000")
    assert "line.tax_rate_not_allowed" in codes(validate(make_draft([nontax])))
    nontax_zero = {**nontax, "tax_rate": "0", "tax_treatment": "non_taxable"}
    assert validate(make_draft([nontax_zero])) == []
    unknown6 = make_line(name="*x*y", tax_code="6990000000000000000", tax_rate="0.06")
    assert "line.tax_rate_not_allowed" in codes(validate(make_draft([unknown6])))


def test_quantity_and_price_both_or_neither() -> None:
    assert codes(validate(make_draft([make_line(unit_price="")])))["line.quantity_price_pair"] == (
        "lines[0].unit_price",
        "error",
    )
    assert codes(validate(make_draft([make_line(quantity="")])))["line.quantity_price_pair"] == (
        "lines[0].quantity",
        "error",
    )
    assert validate(make_draft([make_line(quantity="", unit_price="")])) == []


def test_quantity_times_price_against_amount() -> None:
    assert (
        validate(make_draft([make_line(quantity="3", unit_price="33.333", amount="100.00")])) == []
    )
    problems = validate(make_draft([make_line(quantity="3", unit_price="33.32", amount="100.00")]))
    assert codes(problems)["line.amount_mismatch"] == ("lines[0].amount", "error")


def test_zero_quantity() -> None:
    assert "line.quantity_zero" in codes(validate(make_draft([make_line(quantity="0")])))


def test_amount_problems() -> None:
    assert codes(validate(make_draft([make_line(amount="100.001", quantity="", unit_price="")])))[
        "figure.too_many_decimals"
    ] == ("lines[0].amount", "error")
    assert "figure.not_a_number" in codes(validate(make_draft([make_line(amount="1e400")])))
    assert "figure.empty" in codes(
        validate(make_draft([make_line(amount="", quantity="", unit_price="")]))
    )
    # amount left empty with quantity and price: computed, not a problem
    assert validate(make_draft([make_line(amount="")])) == []


def test_negative_figures_on_a_blue_invoice() -> None:
    problems = validate(make_draft([make_line(quantity="-1", amount="-100.00")]))
    found = codes(problems)
    assert found["line.negative_quantity"] == ("lines[0].quantity", "error")
    assert found["line.amount_not_positive"] == ("lines[0].amount", "error")
    assert found["totals.not_positive"][1] == "error"
    assert "line.amount_not_positive" in codes(
        validate(make_draft([make_line(quantity="", unit_price="", amount="0")]))
    )
    assert "line.negative_price" in codes(
        validate(make_draft([make_line(quantity="-1", unit_price="-100", amount="100.00")]))
    )


def test_red_invoice_figures() -> None:
    red = make_draft([make_line(quantity="-1", amount="-100.00")])
    assert validate(red, red=True) == []
    assert "line.red_not_negative" in codes(validate(make_draft(), red=True))


def discount_pair(**discount: Any) -> list[dict[str, Any]]:
    d = make_line(kind="discount", quantity="", unit_price="", unit="", amount="-10.00")
    d.update(discount)
    return [make_line(kind="discounted"), d]


def test_valid_discount() -> None:
    assert validate(make_draft(discount_pair())) == []
    assert validate(make_draft(discount_pair(amount="-100.00"))) != []  # total 0 is not > 0


def test_discount_rules() -> None:
    def found(lines: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
        return codes(validate(make_draft(lines)))

    assert found(discount_pair(amount="10.00"))["discount.not_negative"][0] == "lines[1].amount"
    assert found(discount_pair(amount="-100.01"))["discount.too_large"][0] == "lines[1].amount"
    assert found(discount_pair(quantity="1"))["discount.field_not_empty"][0] == (
        "lines[1].quantity"
    )
    assert found(discount_pair(unit="项"))["discount.field_not_empty"][0] == "lines[1].unit"
    assert "discount.tax_rate_mismatch" in found(discount_pair(tax_rate="0.03"))
    other_code = discount_pair(tax_code="3040201020000000000")
    assert "discount.tax_code_mismatch" in found(other_code)
    assert "discount.name_mismatch" in found(discount_pair(name="*信息技术服务*别的"))
    normal_then_discount = [make_line(), discount_pair()[1]]
    assert found(normal_then_discount)["discount.position"] == ("lines[1].kind", "error")
    assert "discount.position" in found([discount_pair()[1]])
    assert found([make_line(kind="discounted")])["discount.missing"] == ("lines[0].kind", "error")


def test_red_invoice_has_only_normal_lines() -> None:
    lines = [make_line(kind="discounted", quantity="-1", amount="-100.00")]
    assert "line.red_kind" in codes(validate(make_draft(lines), red=True))


def test_invoice_level_tax_tolerance() -> None:
    # each 0.10 at 6% inclusive: tax 0.01, amount 0.09, exact tax 0.0054 → 0.0046 per line
    tiny = make_line(quantity="", unit_price="", amount="0.10")
    assert "totals.tax_tolerance" not in codes(validate(make_draft([tiny] * 250)))
    assert codes(validate(make_draft([tiny] * 300)))["totals.tax_tolerance"][1] == "error"


def validation_error(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        draft_from_json(text)
    return info.value


def test_wrong_json_types_become_problems() -> None:
    exc = validation_error('{"lines": 5, "buyer": {"natural_person": "yes"}}')
    problems = problems_from_validation_error(exc)
    fields = {p.field: p for p in problems}
    assert set(fields) == {"lines", "buyer.natural_person"}
    assert all(p.severity == "error" for p in problems)
    assert "true 或 false" in fields["buyer.natural_person"].message


def test_wrong_types_inside_lines_have_indexed_paths() -> None:
    exc = validation_error(
        '{"lines": [{"amount": "1"}, {"amount": true, "kind": "gift", "price_includes_tax": 1}]}'
    )
    fields = {p.field for p in problems_from_validation_error(exc)}
    assert fields == {"lines[1].amount", "lines[1].kind", "lines[1].price_includes_tax"}


def test_buyer_not_an_object() -> None:
    exc = validation_error('{"buyer": "某公司"}')
    assert [p.field for p in problems_from_validation_error(exc)] == ["buyer"]
