from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from invoicedesk.domain.catalog import (
    ALL_RATES,
    CatalogError,
    TaxCatalog,
    code_levels,
    default_catalog,
    pinyin_index_text,
)
from invoicedesk.paths import resource

RESOURCES = resource()


def test_default_catalog_is_the_whole_official_table() -> None:
    cat = default_catalog()
    assert cat is default_catalog()  # cached
    text = RESOURCES.joinpath("tax_codes.csv").read_text(encoding="utf-8")
    official = list(csv.reader(text.splitlines()))[1:]
    assert len(official) == 5554 == len(cat.entries)
    assert [(e.code, e.name) for e in cat.entries] == [tuple(row) for row in official]
    kinds = Counter(e.code[0] for e in cat.entries)
    assert kinds == {"1": 5225, "2": 9, "3": 265, "4": 13, "5": 10, "6": 32}


def test_overlay_gives_short_names_and_rates() -> None:
    cat = default_catalog()
    soft = cat.by_code("3040201010000000000")
    assert soft is not None
    assert (soft.name, soft.short_name) == ("软件开发服务", "信息技术服务")
    assert cat.short_name("3040201010000000000") == "信息技术服务"
    # an overlay row for a summary code (基础电信服务, not itself a leaf) covers the codes below
    assert cat.by_code("3030100000000000000") is None
    assert cat.allowed_rates("3030101000000000000") == [Decimal("0.09")]  # 语音通话服务
    assert cat.short_name("3030101000000000000") == "电信服务"
    assert cat.allowed_rates("3030201000000000000") == [Decimal("0.06")]
    assert cat.allowed_rates("6010000000000000000") == [Decimal(0)]
    # a nearer overlay row wins over the one above it
    assert cat.allowed_rates("3040502020200000000") != cat.allowed_rates("3040502020100000000")
    # the official name wins over the overlay's (3040803010000000000 is 劳务派遣服务)
    hr = cat.by_code("3040803010000000000")
    assert hr is not None and (hr.name, hr.short_name) == ("劳务派遣服务", "人力资源服务")
    # codes nobody described: no 简称, every standard rate
    steel = next(e for e in cat.entries if e.name == "钢筋")
    assert steel.short_name == "" and cat.allowed_rates(steel.code) == list(ALL_RATES)


def test_code_levels() -> None:
    assert code_levels("3030100000000000000") == "30301"
    assert code_levels("1100101011000000000") == "11001010110"  # a "10" level keeps its zero
    assert code_levels("5020000000000000000") == "502"


def test_shipped_pinyin_index_is_current() -> None:
    """resources/tax_codes_pinyin.csv is made by packaging/make_pinyin_index.py: run it when
    this fails."""
    cat = TaxCatalog.load_official(
        RESOURCES.joinpath("tax_codes.csv"), RESOURCES.joinpath("tax_catalog.csv")
    )
    shipped = RESOURCES.joinpath("tax_codes_pinyin.csv").read_text(encoding="utf-8")
    assert shipped == pinyin_index_text(cat)


def test_search_needs_no_pypinyin_for_the_shipped_names() -> None:
    code = (
        "import sys\n"
        "from invoicedesk.domain.catalog import default_catalog\n"
        "cat = default_catalog()\n"
        "assert cat.search('ruanjian')[0].name == '软件开发服务'\n"
        "print('pypinyin' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_search_goods_by_name_initials_and_full_pinyin() -> None:
    cat = default_catalog()
    assert cat.search("计算机")[0].name.startswith("计算机")
    assert any("计算机" in e.name for e in cat.search("jsj"))
    assert cat.search("gangjin")[0].name == "钢筋"
    assert cat.search("GangJin")[0].name == "钢筋"
    assert any("蔬菜" in e.name for e in cat.search("蔬菜"))


def test_search_puts_preferred_codes_first() -> None:
    cat = default_catalog()
    plain = cat.search("软件")
    last = plain[-1].code
    assert cat.search("软件", preferred={last: 0})[0].code == last
    # an exact match beats a prefix match
    assert cat.search("钢筋")[0].name == "钢筋"


def test_unknown_code_falls_back_to_every_rate() -> None:
    cat = default_catalog()
    assert cat.by_code("1234567890123456789") is None
    assert cat.short_name("1234567890123456789") is None
    assert cat.allowed_rates("1234567890123456789") == list(ALL_RATES)


def test_search_by_pinyin_initials_name_and_code() -> None:
    cat = default_catalog()
    assert [e.name for e in cat.search("rjkf")] == ["软件开发服务"]
    assert cat.search("RJKF")[0].name == "软件开发服务"
    assert cat.search("软件")[0].name == "软件开发服务"
    by_prefix = cat.search("3040201")
    assert by_prefix and all(e.code.startswith("3040201") for e in by_prefix)
    assert cat.search("3040201010000000000")[0].code == "3040201010000000000"
    assert len(cat.search("fw", limit=3)) == 3
    assert cat.search("") == []
    assert cat.search("不存在的东西") == []


def test_search_matches_short_name() -> None:
    cat = default_catalog()
    assert any(e.name == "物业管理服务" for e in cat.search("企业管理"))


def test_load_a_replacement_table(tmp_path: Path) -> None:
    path = tmp_path / "full.csv"
    path.write_text(
        "\ufeffcode,name,short_name,rates,note,extra\n"
        "1090101010000000000,测试商品,测试,13%;3%,,x\n",
        encoding="utf-8",
    )
    cat = TaxCatalog.load(path)
    assert cat.allowed_rates("1090101010000000000") == [Decimal("0.13"), Decimal("0.03")]
    assert cat.search("cssp")[0].code == "1090101010000000000"


@pytest.mark.parametrize(
    "body",
    [
        "code,name\n1090101010000000000,x\n",
        "code,name,short_name,rates\n12345,x,y,0.13\n",
        "code,name,short_name,rates\n1090101010000000000,x,y,abc\n",
        "code,name,short_name,rates\n1090101010000000000,x,y,1.3\n",
    ],
)
def test_bad_catalog_files_are_refused(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError):
        TaxCatalog.load(path)
