"""One table of what the program knows about each platform besides its client: the name the
window shows, the account fields its document marks required or optional, the URL schemes of
its base address, the sandbox's demo account, its request serial's format, and which flows it
offers (derived from its client's capabilities). The account dialog, `invoicedesk profile add`
and the services read it; nothing else decides by a platform's name.

No Qt here. The texts are Chinese source strings marked with `_tr` (a no-op):
packaging/tr_wrappers.py collects them under TR_CONTEXT for lupdate, and the window translates
them where it shows them (ui/vendor_names.py).

Account fields (what each document marks 必选 是 / true):
- piaodanyun: loginDppt's `password` (secret "tax_password") and blueTicket's `xhdwdzdh`
  (销方地址电话, option "seller_address_phone") and `xhdwyhzh` (销方银行账户, option
  "seller_bank_account").
- ws-invoice: login's `area` and `role`, invoice_info's `sellerBank`/`sellerBankAccount`
  (options "seller_bank", "seller_bank_account"). `area` is a province in pinyin ("zhejiang" in
  the example): offered by name, stored as pinyin (PROVINCES: the 36 tax-bureau areas, the five
  计划单列市 included; 陕西 is "shaanxi", 山西 "shanxi", the official romanisation).
- faw: business type, `bukrs` and `invoiceType` are the account's settings (vendors/faw.py):
  businessTypeCode from the document's enumeration, bukrs "W92" (the enumeration's only value;
  another may be typed, the example sends "VB5"), invoiceType codes found in the enumeration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from invoicedesk.vendors.base import Capability, VendorKey
from invoicedesk.vendors.faw import (
    BUKRS_CHOICES,
    BUSINESS_TYPE_CODES,
    BUSINESS_TYPE_NAMES,
    DEFAULTS,
    invoice_type_valid,
)

TR_CONTEXT = "VendorNames"


def _tr(text: str) -> str:
    """Marks a source text for translation (see the module's docstring); returns it as is."""
    return text


FieldKind = Literal["user", "option", "secret"]


@dataclass(frozen=True)
class FieldSpec:
    """One account field. kind: "user" (profile.user_name), "option" (profile.options[key]),
    "secret" (the SecretStore, under `key`).

    `choices` (label, stored value) make the field a drop-down; `editable` lets the user type
    another value, which `valid` must accept (else `hint` says what is expected). `default`
    is used when nothing was given (the dialog preselects it, `profile add` fills it in)."""

    kind: FieldKind
    key: str
    label: str
    placeholder: str = ""
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    editable: bool = False
    default: str = ""
    valid: Callable[[str], bool] | None = None
    hint: str = ""

    @property
    def secret(self) -> bool:
        return self.kind == "secret"


@dataclass(frozen=True)
class SandboxAccount:
    """The sandbox's public demo account (shared/vendor-apis/README.md); not anyone's secret."""

    user_name: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    # the base address's scheme: ws-invoice's base is its socket (its HTTP reads derive)
    scheme: str = "http"


@dataclass(frozen=True)
class VendorFacts:
    key: VendorKey
    name: str  # Chinese source text; the window translates it
    fields: tuple[FieldSpec, ...]
    sandbox: SandboxAccount
    url_schemes: tuple[str, ...] = ("http", "https")
    # the request serial; {tax_id} the seller's, {tail} time + random (≤ 21 characters)
    serial_format: str = "ID{tail}"
    # why only 全额 red letters are offered, where the client's `partial_red` is False
    full_red_only_why: str = ""

    def field(self, kind: str, key: str) -> FieldSpec | None:
        return next((s for s in self.fields if s.kind == kind and s.key == key), None)


PROVINCES: tuple[tuple[str, str], ...] = (
    (_tr("北京"), "beijing"),
    (_tr("天津"), "tianjin"),
    (_tr("河北"), "hebei"),
    (_tr("山西"), "shanxi"),
    (_tr("内蒙古"), "neimenggu"),
    (_tr("辽宁"), "liaoning"),
    (_tr("大连"), "dalian"),
    (_tr("吉林"), "jilin"),
    (_tr("黑龙江"), "heilongjiang"),
    (_tr("上海"), "shanghai"),
    (_tr("江苏"), "jiangsu"),
    (_tr("浙江"), "zhejiang"),
    (_tr("宁波"), "ningbo"),
    (_tr("安徽"), "anhui"),
    (_tr("福建"), "fujian"),
    (_tr("厦门"), "xiamen"),
    (_tr("江西"), "jiangxi"),
    (_tr("山东"), "shandong"),
    (_tr("青岛"), "qingdao"),
    (_tr("河南"), "henan"),
    (_tr("湖北"), "hubei"),
    (_tr("湖南"), "hunan"),
    (_tr("广东"), "guangdong"),
    (_tr("深圳"), "shenzhen"),
    (_tr("广西"), "guangxi"),
    (_tr("海南"), "hainan"),
    (_tr("重庆"), "chongqing"),
    (_tr("四川"), "sichuan"),
    (_tr("贵州"), "guizhou"),
    (_tr("云南"), "yunnan"),
    (_tr("西藏"), "xizang"),
    (_tr("陕西"), "shaanxi"),
    (_tr("甘肃"), "gansu"),
    (_tr("青海"), "qinghai"),
    (_tr("宁夏"), "ningxia"),
    (_tr("新疆"), "xinjiang"),
)

# The business-type labels built below, spelled out so that lupdate finds them.
_BUSINESS_TYPE_LABELS = (_tr("098 整车销售"), _tr("099 其他"))

BUSINESS_TYPES = tuple(
    (f"{code} {BUSINESS_TYPE_NAMES[code]}" if code in BUSINESS_TYPE_NAMES else code, code)
    for code in sorted(BUSINESS_TYPE_CODES)
)


def _bukrs_ok(text: str) -> bool:
    return 1 <= len(text) <= 10 and text.isalnum() and text.isascii()


def _user(label: str, placeholder: str = "") -> FieldSpec:
    return FieldSpec("user", "user_name", label, placeholder)


# Public demo credentials of the sandbox (vendor-apis/README.md). Not secrets of anyone.
_DEMO_PASSWORD = "sandbox-" + "password"
_DEMO_PHONE = "13800000000"

FACTS: dict[VendorKey, VendorFacts] = {
    VendorKey.OPEN_API: VendorFacts(
        VendorKey.OPEN_API,
        _tr("开放平台 API"),
        (FieldSpec("secret", "api_key", _tr("API 密钥"), "X-Api-Key"),),
        SandboxAccount(secrets={"api_key": "sandbox-api-key"}),
    ),
    VendorKey.WS_INVOICE: VendorFacts(
        VendorKey.WS_INVOICE,
        _tr("WebSocket 开票"),
        (
            _user(_tr("电子税务局账号"), _tr("登录电子税务局的手机号或用户名")),
            FieldSpec("secret", "tax_password", _tr("电子税务局密码")),
            FieldSpec("option", "userId", _tr("平台用户 ID（userId）")),
            FieldSpec("option", "area", _tr("地区（area）"), choices=PROVINCES, default="zhejiang"),
            FieldSpec(
                "option", "role", _tr("身份（role）"), _tr("如 法定代表人、财务负责人、开票员")
            ),
            FieldSpec("option", "seller_bank", _tr("销售方开户银行"), _tr("如 招商银行杭州分行")),
            FieldSpec(
                "option", "seller_bank_account", _tr("销售方银行账号"), _tr("印在发票上的账号")
            ),
        ),
        SandboxAccount(
            _DEMO_PHONE,
            {
                "userId": "sandbox-user",
                "area": "zhejiang",
                "role": "法定代表人",
                # invoice_info's required sellerBank / sellerBankAccount
                "seller_bank": "中国工商银行杭州分行",
                "seller_bank_account": "1202020209000012345",
            },
            {"password": _DEMO_PASSWORD, "tax_password": _DEMO_PASSWORD},
            scheme="ws",
        ),
        url_schemes=("ws", "wss", "http", "https"),
    ),
    VendorKey.PIAODANYUN: VendorFacts(
        VendorKey.PIAODANYUN,
        _tr("票单云"),
        (
            _user(_tr("手机号 / 局端账号"), _tr("票单云登录手机号，也是电子税务局账号")),
            FieldSpec("secret", "password", _tr("票单云密码")),
            FieldSpec("option", "tenant_id", _tr("租户 ID（tenant_id）")),
            FieldSpec(
                "secret",
                "tax_password",
                _tr("电子税务局密码"),
                _tr("登录电子税务局（短信验证）用"),
            ),
            FieldSpec(
                "option",
                "seller_address_phone",
                _tr("销售方地址电话"),
                _tr("地址和电话，印在发票上"),
            ),
            FieldSpec(
                "option",
                "seller_bank_account",
                _tr("销售方开户行及账号"),
                _tr("开户行和账号，印在发票上"),
            ),
        ),
        SandboxAccount(
            _DEMO_PHONE,
            {
                "tenant_id": "1",
                "sms_code": "123456",
                "seller_address_phone": "杭州市西湖区文三路 100 号 0571-88888888",
                "seller_bank_account": "中国工商银行杭州分行 1202020209000012345",
            },
            {"password": _DEMO_PASSWORD, "tax_password": _DEMO_PASSWORD},
        ),
        # the document's fpqqlsh: "税号_自定义编号", at most 40 characters
        serial_format="{tax_id}_{tail}",
        full_red_only_why=_tr(
            "票单云只支持全额红冲：它的红字信息表接口只有“销方全额红冲”和“购方全额红冲”两种申请"
            "类型。需要部分红冲时，请到电子税务局办理。"
        ),
    ),
    VendorKey.SIGNED_API: VendorFacts(
        VendorKey.SIGNED_API,
        _tr("签名开票接口"),
        (
            _user(_tr("接入标识（flag）")),
            FieldSpec(
                "secret", "secret", _tr("签名密钥（secret）"), _tr("只用于计算签名，不会发送")
            ),
        ),
        SandboxAccount("sandbox-flag", secrets={"secret": "sandbox-secret"}),
    ),
    VendorKey.FAW: VendorFacts(
        VendorKey.FAW,
        _tr("FAW 开票中台"),
        (
            _user(_tr("用户标识（U_ID）")),
            FieldSpec("secret", "token", _tr("访问令牌（Bearer token）")),
            FieldSpec(
                "option",
                "business_type_code",
                _tr("开票业务类型编码"),
                choices=BUSINESS_TYPES,
                default=DEFAULTS["business_type_code"],
            ),
            FieldSpec(
                "option",
                "business_type_name",
                _tr("开票业务类型名称"),
                _tr("选填，如 整车销售；留空时为“其他”"),
                required=False,
            ),
            FieldSpec(
                "option",
                "bukrs",
                _tr("账套编码（bukrs）"),
                choices=tuple((x, x) for x in BUKRS_CHOICES),
                editable=True,
                default=DEFAULTS["bukrs"],
                valid=_bukrs_ok,
                hint=_tr("1–10 位字母或数字，如 W92"),
            ),
            FieldSpec(
                "option",
                "invoice_type_82",
                _tr("数电普票的发票类型（invoiceType）"),
                choices=(("02", "02"),),
                editable=True,
                default=DEFAULTS["invoice_type_82"],
                valid=invoice_type_valid,
                hint=_tr("文档枚举中的 2–4 位编码，如 02"),
            ),
            FieldSpec(
                "option",
                "invoice_type_81",
                _tr("数电专票的发票类型（invoiceType）"),
                choices=(("01", "01"),),
                editable=True,
                default=DEFAULTS["invoice_type_81"],
                valid=invoice_type_valid,
                hint=_tr("文档枚举中的 2–4 位编码，如 01"),
            ),
        ),
        SandboxAccount("sandbox", secrets={"token": "sandbox-token"}),
    ),
}


def facts(vendor: VendorKey | str) -> VendorFacts:
    """The facts of a platform (by key or its text); KeyError for an unknown one."""
    return FACTS[VendorKey(vendor)]


def vendor_name(vendor: VendorKey | str) -> str:
    """The platform's name in Chinese (the window translates it); an unknown key as it is."""
    try:
        return facts(vendor).name
    except ValueError:
        return str(vendor)


# ---- flows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flows:
    """What an account on this platform can do, from its client's capabilities."""

    issue: bool
    batch: bool
    face_auth: bool  # 人脸认证 page / status (a QR asked for ahead of issuing)
    face_in_issue: bool  # issuing itself may push a QR
    tax_login: bool
    sms_login: bool  # 电子税务局 SMS login in two steps
    sync: bool
    line_items: bool
    files: bool
    credit_line: bool
    print_info: bool
    red_letter: bool
    red_form: bool  # red letters through a 红字信息表 (check → form → red invoice)
    red_order: bool  # red letters as one red order (no form, no check call)
    red_partial: bool  # part of a blue invoice may be red-lettered


def flows(vendor: VendorKey | str) -> Flows:
    from invoicedesk.vendors.registry import capabilities_of, partial_red_of

    key = VendorKey(vendor)
    caps = capabilities_of(key)

    def has(flag: Capability) -> bool:
        return bool(caps & flag)

    red_letter = has(Capability.RED_LETTER)
    return Flows(
        issue=has(Capability.ISSUE),
        batch=has(Capability.BATCH_ISSUE),
        face_auth=has(Capability.FACE_AUTH),
        face_in_issue=has(Capability.FACE_IN_ISSUE),
        tax_login=has(Capability.TAX_LOGIN),
        sms_login=has(Capability.SMS_LOGIN),
        sync=has(Capability.SYNC_HISTORY),
        line_items=has(Capability.LINE_ITEMS),
        files=has(Capability.FILES),
        credit_line=has(Capability.CREDIT_LINE),
        print_info=has(Capability.PRINT_INFO),
        red_letter=red_letter,
        red_form=has(Capability.RED_FORM),
        red_order=has(Capability.RED_ORDER),
        red_partial=red_letter and partial_red_of(key),
    )


def red_letter_vendors() -> tuple[VendorKey, ...]:
    return tuple(key for key in FACTS if flows(key).red_letter)
