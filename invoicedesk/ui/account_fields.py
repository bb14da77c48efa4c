"""What the account dialog asks for each vendor: the fields each vendor document marks required
(必选 是 / true), with the choices a document enumerates. No Qt here: the dialog builds the
widgets, `invoicedesk profile add` may reuse the same specs and checks.

- piaodanyun: loginDppt's `password` and blueTicket's `xhdwdzdh` (销方地址电话) and `xhdwyhzh`
  (销方银行账户) are 必选 是, so the account asks for them (options "seller_address_phone",
  "seller_bank_account"; secret "tax_password").
- ws-invoice: login's `area` and `role` and invoice_info's `sellerBank`/`sellerBankAccount` are
  true. `area` is a province in pinyin ("zhejiang" in the example): offered by name, stored as
  pinyin (PROVINCES: the 36 tax-bureau areas, the five 计划单列市 included; 陕西 is "shaanxi",
  山西 "shanxi", the official romanisation that keeps them apart). The bank and its account are
  options "seller_bank" and "seller_bank_account".
- faw: business type, `bukrs` and `invoiceType` are the account's settings (vendors/faw.py):
  businessTypeCode from the document's enumeration, bukrs "W92" (the enumeration's only value;
  another may be typed, the example sends "VB5"), invoiceType codes that occur in the
  enumeration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from invoicedesk.services.vendor_settings import (
    BUKRS_CHOICES,
    BUSINESS_TYPE_CODES,
    BUSINESS_TYPE_NAMES,
    DEFAULTS,
    invoice_type_valid,
)
from invoicedesk.vocabulary import VendorKey


@dataclass(frozen=True)
class FieldSpec:
    """kind: "user" (profile.user_name), "option" (profile.options[key]), "secret".

    `choices` (label, stored value) make the field a drop-down; `editable` lets the user type
    another value, which `valid` must accept (else `hint` says what is expected)."""

    kind: str
    key: str
    label: str
    placeholder: str = ""
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    editable: bool = False
    default: str = ""
    valid: Callable[[str], bool] | None = None
    hint: str = ""


PROVINCES: tuple[tuple[str, str], ...] = (
    ("北京", "beijing"),
    ("天津", "tianjin"),
    ("河北", "hebei"),
    ("山西", "shanxi"),
    ("内蒙古", "neimenggu"),
    ("辽宁", "liaoning"),
    ("大连", "dalian"),
    ("吉林", "jilin"),
    ("黑龙江", "heilongjiang"),
    ("上海", "shanghai"),
    ("江苏", "jiangsu"),
    ("浙江", "zhejiang"),
    ("宁波", "ningbo"),
    ("安徽", "anhui"),
    ("福建", "fujian"),
    ("厦门", "xiamen"),
    ("江西", "jiangxi"),
    ("山东", "shandong"),
    ("青岛", "qingdao"),
    ("河南", "henan"),
    ("湖北", "hubei"),
    ("湖南", "hunan"),
    ("广东", "guangdong"),
    ("深圳", "shenzhen"),
    ("广西", "guangxi"),
    ("海南", "hainan"),
    ("重庆", "chongqing"),
    ("四川", "sichuan"),
    ("贵州", "guizhou"),
    ("云南", "yunnan"),
    ("西藏", "xizang"),
    ("陕西", "shaanxi"),
    ("甘肃", "gansu"),
    ("青海", "qinghai"),
    ("宁夏", "ningxia"),
    ("新疆", "xinjiang"),
)

BUSINESS_TYPES = tuple(
    (f"{code} {BUSINESS_TYPE_NAMES[code]}" if code in BUSINESS_TYPE_NAMES else code, code)
    for code in sorted(BUSINESS_TYPE_CODES)
)


def _bukrs_ok(text: str) -> bool:
    return 1 <= len(text) <= 10 and text.isalnum() and text.isascii()


def _u(label: str, placeholder: str = "") -> FieldSpec:
    return FieldSpec("user", "user_name", label, placeholder)


VENDOR_FIELDS: dict[VendorKey, tuple[FieldSpec, ...]] = {
    VendorKey.OPEN_API: (FieldSpec("secret", "api_key", "API 密钥", "X-Api-Key"),),
    VendorKey.WS_INVOICE: (
        _u("电子税务局账号", "登录电子税务局的手机号或用户名"),
        FieldSpec("secret", "tax_password", "电子税务局密码"),
        FieldSpec("option", "userId", "平台用户 ID（userId）"),
        FieldSpec("option", "area", "地区（area）", choices=PROVINCES, default="zhejiang"),
        FieldSpec("option", "role", "身份（role）", "如 法定代表人、财务负责人、开票员"),
        FieldSpec("option", "seller_bank", "销售方开户银行", "如 招商银行杭州分行"),
        FieldSpec("option", "seller_bank_account", "销售方银行账号", "印在发票上的账号"),
    ),
    VendorKey.PIAODANYUN: (
        _u("手机号 / 局端账号", "票单云登录手机号，也是电子税务局账号"),
        FieldSpec("secret", "password", "票单云密码"),
        FieldSpec("option", "tenant_id", "租户 ID（tenant_id）"),
        FieldSpec("secret", "tax_password", "电子税务局密码", "登录电子税务局（短信验证）用"),
        FieldSpec("option", "seller_address_phone", "销售方地址电话", "地址和电话，印在发票上"),
        FieldSpec(
            "option", "seller_bank_account", "销售方开户行及账号", "开户行和账号，印在发票上"
        ),
    ),
    VendorKey.SIGNED_API: (
        _u("接入标识（flag）"),
        FieldSpec("secret", "secret", "签名密钥（secret）", "只用于计算签名，不会发送"),
    ),
    VendorKey.FAW: (
        _u("用户标识（U_ID）"),
        FieldSpec("secret", "token", "访问令牌（Bearer token）"),
        FieldSpec(
            "option",
            "business_type_code",
            "开票业务类型编码",
            choices=BUSINESS_TYPES,
            default=DEFAULTS["business_type_code"],
        ),
        FieldSpec(
            "option",
            "business_type_name",
            "开票业务类型名称",
            "选填，如 整车销售；留空时为“其他”",
            required=False,
        ),
        FieldSpec(
            "option",
            "bukrs",
            "账套编码（bukrs）",
            choices=tuple((x, x) for x in BUKRS_CHOICES),
            editable=True,
            default=DEFAULTS["bukrs"],
            valid=_bukrs_ok,
            hint="1–10 位字母或数字，如 W92",
        ),
        FieldSpec(
            "option",
            "invoice_type_82",
            "数电普票的发票类型（invoiceType）",
            choices=(("02", "02"),),
            editable=True,
            default=DEFAULTS["invoice_type_82"],
            valid=invoice_type_valid,
            hint="文档枚举中的 2–4 位编码，如 02",
        ),
        FieldSpec(
            "option",
            "invoice_type_81",
            "数电专票的发票类型（invoiceType）",
            choices=(("01", "01"),),
            editable=True,
            default=DEFAULTS["invoice_type_81"],
            valid=invoice_type_valid,
            hint="文档枚举中的 2–4 位编码，如 01",
        ),
    ),
}
