"""Problems in the English window (issue 19 item 8): every problem code the domain can produce
has an English text, real problems from bad drafts read in English with their figures, and a
message no pattern fits stays Chinese rather than half-translated."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

import invoicedesk.domain
from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.rules import Problem, validate
from invoicedesk.ui.problem_text import TABLE, english, problem_text

CJK = re.compile("[\u4e00-\u9fff]")
GOOD_LINE = Line(
    name="*信息技术服务*软件开发服务",
    tax_code="3040201010000000000",
    quantity="1",
    unit_price="100",
    amount="100.00",
    tax_rate="0.06",
)


def domain_codes() -> set[str]:
    """Every literal problem code in invoicedesk/domain: error/warning/Problem(…, "code", …)
    and FigureError("code", …)."""
    codes: set[str] = set()
    for path in Path(invoicedesk.domain.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            name, args = node.func.id, node.args
            at = {"error": 1, "warning": 1, "Problem": 1, "FigureError": 0}.get(name)
            if at is None or len(args) <= at:
                continue
            code = args[at]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.add(code.value)
            elif isinstance(code, ast.JoinedStr):  # f"format.{kind}"
                head = code.values[0]
                if isinstance(head, ast.Constant):
                    codes.add(f"{head.value}*")
    return codes


def test_every_domain_problem_code_has_english() -> None:
    codes = domain_codes()
    assert len(codes) > 40
    # a code built at run time (f"tax_id.{reason}") needs an entry under its prefix
    missing = sorted(
        c
        for c in codes
        if c not in TABLE and not (c.endswith("*") and any(k.startswith(c[:-1]) for k in TABLE))
    )
    assert missing == [], (
        "problem codes without English: add them to invoicedesk/ui/problem_text.py TABLE"
    )


def bad_drafts() -> list[Draft]:
    line = GOOD_LINE.model_copy
    return [
        Draft(invoice_type="99", buyer=Buyer(name="甲"), lines=[]),
        Draft(invoice_type="81", buyer=Buyer(name="某公司"), lines=[line()], remark="备" * 300),
        Draft(buyer=Buyer(name="某某有限公司", tax_id="91330106MA2H7Q3D1X"), lines=[line()]),
        Draft(buyer=Buyer(name="某某有限公司", tax_id="12"), lines=[line()]),
        Draft(buyer=Buyer(name="某某有限公司", tax_id="9111O108MA01K2P4XY"), lines=[line()]),
        Draft(buyer=Buyer(name="某某有限公司", email="不是邮箱"), lines=[line()]),
        Draft(
            buyer=Buyer(name="某某有限公司"),
            lines=[
                line(update={"name": ""}),
                line(update={"name": "软件开发"}),
                line(update={"tax_code": "123"}),
                line(update={"quantity": "abc"}),
                line(update={"quantity": "0"}),
                line(update={"unit_price": "-1"}),
                line(update={"amount": "120.00"}),
                line(update={"tax_rate": "0.07"}),
                line(update={"quantity": "", "unit_price": "100"}),
                line(update={"amount": "1.123"}),
                line(update={"tax_rate": "2"}),
                line(update={"quantity": "", "unit_price": "", "amount": ""}),
                line(update={"kind": "discount", "amount": "-10.00", "unit": "个"}),
            ],
        ),
    ]


def test_real_problems_read_in_english_with_their_figures() -> None:
    seen: set[str] = set()
    for draft in bad_drafts():
        for problem in validate(draft):
            text = english(problem)
            assert text is not None, (problem.code, problem.message)
            # Chinese only inside quotes (what the user typed, an example item name)
            unquoted = re.sub(r'"[^"]*"|\([^)]*\)|\*[^ ]*', "", text)
            assert not CJK.search(unquoted), (problem.code, text)
            seen.add(problem.code)
    assert len(seen) >= 15, seen
    rows = [english(p) for p in validate(bad_drafts()[6]) if p.code == "line.quantity_zero"]
    assert rows == ["Line 5: the quantity cannot be 0"]


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (
            "remark.too_long",
            "备注最多 200 个字，现有 300 个，请删减",
            "The remark takes at most 200 characters, it has 300; shorten it",
        ),
        (
            "tax_id.checksum",
            "纳税人识别号校验位不正确（应为 G），请核对",
            "The taxpayer ID's check character is wrong (it should be G); check the ID",
        ),
        (
            "figure.not_a_number",
            "第 2 行单价“abc”不是数字，请只填写数字和小数点（例如 100.00）",
            'Line 2: Unit price "abc" is not a number: type digits and a decimal point only',
        ),
    ],
)
def test_patterns(code: str, message: str, expected: str) -> None:
    assert english(Problem("", code, "error", message)) == expected


def test_unknown_or_reworded_messages_stay_chinese() -> None:
    new = Problem("buyer.tax_id", "tax_id.new_check", "error", "纳税人识别号第 5 位不能是字母 O")
    assert problem_text(new, in_english=True) == new.message
    reworded = Problem("", "lines.empty", "error", "没有任何明细行")
    assert problem_text(reworded, in_english=True) == reworded.message
    known = Problem("", "lines.empty", "error", "发票没有明细，请至少添加一行")
    assert problem_text(known, in_english=False) == known.message


def test_the_form_shows_problems_in_english(qtbot: Any, qapp: Any) -> None:
    from PySide6.QtCore import QLocale

    from invoicedesk.ui import i18n
    from invoicedesk.ui.invoice_form import InvoiceForm

    translators = i18n.install_language(qapp, i18n.ENGLISH)
    try:
        form = InvoiceForm(None, None)
        qtbot.addWidget(form)
        form.set_draft(Draft(buyer=Buyer(name="某某有限公司"), lines=[]))
        form.request_issue()  # issuing tried: every problem shows (issue 15)
        texts = [form.problem_list.item(i).text() for i in range(form.problem_list.count())]
        assert "Error: Line 1: fill in the item name" in texts  # the form's empty first line
        assert not any(CJK.search(t) for t in texts), texts
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
