"""The help pages name what the window shows (issue 19 item 14): every **bold** term of the
red-letter help is a button, page or status text of the window, in Chinese and in English."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import invoicedesk.ui
from invoicedesk.domain import red
from invoicedesk.paths import resource

BOLD = re.compile(r"\*\*(.+?)\*\*")


def ui_strings() -> set[str]:
    """Every string literal of invoicedesk/ui (the window's Chinese texts)."""
    found: set[str] = set()
    for path in Path(invoicedesk.ui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def english_strings() -> set[str]:
    tree = ET.parse(resource("translations", "invoicedesk_en.ts"))
    return {t.text for t in tree.iter("translation") if t.text}


def statuses() -> set[str]:
    return {f"{code} {text}" for code, text in red.FORM_STATUS.items()}


@pytest.mark.parametrize(("page", "window"), [("red.md", "zh"), ("en/red.md", "en")])
def test_red_help_terms_are_window_texts(page: str, window: str) -> None:
    text = resource("help", page).read_text(encoding="utf-8")
    shown = (ui_strings() if window == "zh" else english_strings()) | statuses()
    terms = BOLD.findall(text)
    assert len(terms) >= 5
    missing = [t for t in terms if t not in shown]
    assert missing == [], f"help names what the window does not show: {missing}"
    assert "**开具红字**" not in text and "**待确认**" not in text  # the old, wrong names
