"""The error catalog: every row builds a well-formed typed error; unknown codes fall back sanely."""

from __future__ import annotations

import pytest

from invoicedesk.vendors.base import (
    AuthExpired,
    AuthFailed,
    FaceAuthRequired,
    NotSent,
    OutcomeUnknown,
    ProtocolError,
    Rejected,
    VendorError,
)
from invoicedesk.vendors.errors import CATALOG, fields_from_message, lookup, vendor_error

VENDORS = ("open-api", "ws-invoice", "piaodanyun", "signed-api", "faw")


@pytest.mark.parametrize(("vendor", "code"), sorted(CATALOG))
def test_every_row_builds_a_typed_error_with_chinese_text(vendor: str, code: str) -> None:
    who = "faw" if vendor == "*" else vendor
    error = vendor_error(who, code)
    assert type(error) is CATALOG[(vendor, code)].cls
    assert isinstance(error, VendorError) and type(error) is not VendorError
    assert error.code == code and error.vendor == who
    assert error.message and error.next_step
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message + error.next_step)


def test_every_documented_code_of_each_vendor_has_a_row() -> None:
    documented = {
        "signed-api": [
            "1",
            "400",
            "401",
            "403",
            "500",
            "1001",
            "1002",
            "1003",
            "1004",
            "2001",
            "2002",
            "2003",
        ],
        "piaodanyun": ["40000", "20000", "999"],
        "ws-invoice": ["login:0", "invoice_qrcode:0", "invoice_pdf:0", "query_invoice:0"],
        "open-api": ["status_failed", "http_401"],
        "faw": ["http_401", "http_403"],
    }
    for vendor, codes in documented.items():
        for code in codes:
            assert (vendor, code) in CATALOG, (vendor, code)


def test_transport_rows_have_the_right_classes() -> None:
    assert isinstance(vendor_error("faw", "connect"), NotSent)
    assert isinstance(vendor_error("faw", "timeout"), OutcomeUnknown)
    assert isinstance(vendor_error("open-api", "http_503"), OutcomeUnknown)
    assert isinstance(vendor_error("open-api", "read_malformed"), ProtocolError)
    assert isinstance(vendor_error("signed-api", "1003"), AuthFailed)


def test_unknown_code_uses_the_vendor_default_and_shows_the_vendor_message() -> None:
    for vendor in VENDORS:
        error = vendor_error(vendor, "E-NEVER-SEEN", "额度不足")
        assert isinstance(error, Rejected)
        assert "额度不足" in error.message
        assert error.code == "E-NEVER-SEEN"
    assert isinstance(lookup("nobody", "x").cls(""), ProtocolError)


def test_class_override_for_an_issuing_call() -> None:
    error = vendor_error("open-api", "read_malformed", cls=OutcomeUnknown)
    assert isinstance(error, OutcomeUnknown)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("购买方纳税人识别号不正确", ("buyer.tax_id",)),
        ("字段 buyerTaxpayerNum 超长", ("buyer.tax_id",)),
        ("购买方名称不能为空", ("buyer.name",)),
        ("第2行：单价×数量与金额相差超过0.01", ("lines[1].unit_price",)),
        ("字段 itemList[0].taxRateValue 不是可用税率：0.07", ("lines[0].tax_rate",)),
        ("字段 itemList[3].taxClassificationCode 必须是 19 位数字", ("lines[3].tax_code",)),
        ("税率不在可用范围", ("lines[*].tax_rate",)),
        ("备注超长", ("remark",)),
        ("系统繁忙", ()),
    ],
)
def test_field_paths_from_vendor_messages(text: str, expected: tuple[str, ...]) -> None:
    assert fields_from_message(text) == expected
    assert vendor_error("open-api", "400", text).fields == expected


@pytest.mark.parametrize(
    ("message", "cls", "code"),
    [
        ("电子税务局未登录或登录已失效,请先调用loginDppt登录", AuthExpired, "tax_login_required"),
        ("当前需要人脸识别认证,请获取人脸二维码", FaceAuthRequired, "face_required"),
        ("短信验证码错误", AuthFailed, "sms_code_wrong"),
        ("可信错误:该用户未注册,请在自然人业务入口进行用户注册", Rejected, "999"),
    ],
)
def test_a_catch_all_code_is_refined_by_the_vendor_message(
    message: str, cls: type[VendorError], code: str
) -> None:
    error = vendor_error("piaodanyun", 999, message)
    assert type(error) is cls and error.code == code
    assert message in error.message


def test_a_vendor_message_echoing_a_secret_is_redacted() -> None:
    error = vendor_error("ws-invoice", "invoice_pdf:0", '{"sellerLoginPassword": "hunter22"}')
    assert "hunter22" not in str(error)


def test_piaodanyun_wire_field_names_map_to_draft_fields() -> None:
    from invoicedesk.vendors.errors import fields_from_message

    assert fields_from_message("参数格式错误:ghdwdzdh") == ("buyer.address", "buyer.phone")
    assert fields_from_message("GHDWSBH 不能为空") == ("buyer.tax_id",)
