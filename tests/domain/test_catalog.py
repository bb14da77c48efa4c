from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from invoicedesk.domain.catalog import ALL_RATES, CatalogError, TaxCatalog, default_catalog


def test_default_catalog_has_the_sourced_codes() -> None:
    cat = default_catalog()
    assert cat is default_catalog()  # cached
    soft = cat.by_code("3040201010000000000")
    assert soft is not None
    assert (soft.name, soft.short_name) == ("软件开发服务", "信息技术服务")
    assert cat.short_name("3040201010000000000") == "信息技术服务"
    assert cat.allowed_rates("3030100000000000000") == [Decimal("0.09")]
    assert cat.allowed_rates("3030200000000000000") == [Decimal("0.06")]
    assert cat.allowed_rates("6010000000000000000") == [Decimal(0)]
    for entry in cat.entries:
        assert len(entry.code) == 19 and entry.name and entry.rates


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
