"""The one error catalog: (vendor, code) → error class, Chinese message, Chinese next step.

Every vendor client turns a failure into an error through `vendor_error()`, so that the user
reads the same words for the same situation whichever vendor is used. Codes:

- transport rows (vendor "*"), used by transport.py and by any client: connect, bad_url,
  handshake, not_connected, timeout, dropped, http_5xx, malformed, ws_closed, read_failed,
  read_malformed, http_401, http_403, http_429;
- each vendor's documented codes, as the vendor writes them ("1002", "40000");
- codes the documents do not number, named here in the form "<message type>:<data>" for
  ws-invoice ("login:0") and as short English names elsewhere ("token_expired",
  "order_exists", "status_failed").

A code missing from the table gets the vendor's default class (see `_DEFAULTS`), with the
vendor's own message shown, so an undocumented answer still reads sensibly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from invoicedesk.vendors.base import (
    AuthExpired,
    AuthFailed,
    FaceAuthRequired,
    NotSent,
    NotSupported,
    OutcomeUnknown,
    ProtocolError,
    RateLimited,
    Rejected,
    VendorError,
)


@dataclass(frozen=True)
class Entry:
    cls: type[VendorError]
    message: str
    next_step: str


E = Entry
_CHECK_NET = "请检查网络连接和开票账户中的接口地址，然后重试。"
_RECONCILE = "请先查询开具结果（系统会用同一个流水号核对），不要直接重新开票。"
_FIX_DRAFT = "请按提示修改发票草稿后重新提交。"
_CONTACT = "如果一直这样，请联系开票平台技术支持。"

# fmt: off
CATALOG: dict[tuple[str, str], Entry] = {
    # ---- transport failures, any vendor ---------------------------------------------------
    ("*", "connect"): E(NotSent, "无法连接开票平台，请求没有发出，发票未开具。", _CHECK_NET),
    ("*", "bad_url"): E(NotSent, "开票平台接口地址无效，请求没有发出。",
                        "请在开票账户设置中检查接口地址。"),
    ("*", "handshake"): E(NotSent, "开票平台拒绝了连接，请求没有发出。", _CHECK_NET),
    ("*", "not_connected"): E(NotSent, "与开票平台的连接已断开，这条请求没有发出。",
                              "请重试；系统会重新连接。"),
    ("*", "timeout"): E(OutcomeUnknown, "等待开票平台答复超时，不能确定是否已经处理。", _RECONCILE),
    ("*", "dropped"): E(OutcomeUnknown, "与开票平台的连接中断，不能确定是否已经处理。", _RECONCILE),
    ("*", "http_5xx"): E(OutcomeUnknown, "开票平台服务器出错，不能确定是否已经处理。", _RECONCILE),
    ("*", "malformed"): E(OutcomeUnknown, "开票平台的答复无法识别，不能确定是否已经处理。",
                          _RECONCILE),
    ("*", "ws_closed"): E(OutcomeUnknown, "与开票平台的连接被关闭，不能确定是否已经处理。",
                          _RECONCILE),
    ("*", "read_failed"): E(OutcomeUnknown, "没有取得开票平台的答复（网络超时或连接中断）。",
                            "请检查网络后稍后重试。"),
    ("*", "read_malformed"): E(ProtocolError, "开票平台返回的内容无法识别。",
                               "请稍后重试；" + _CONTACT),
    ("*", "http_401"): E(AuthFailed, "开票平台拒绝了访问（身份验证失败）。",
                         "请在开票账户设置中检查账号和密钥。"),
    ("*", "http_403"): E(AuthFailed, "开票平台不允许这个账户访问此功能。",
                         "请联系开票平台开通权限，或检查开票账户设置。"),
    ("*", "http_404"): E(ProtocolError, "开票平台没有这个接口。",
                         "请在开票账户设置中检查接口地址。"),
    ("*", "http_429"): E(RateLimited, "开票平台提示请求过于频繁。", "请稍等片刻再试。"),
    ("*", "token_expired"): E(AuthExpired, "登录已过期。",
                              "系统会自动重新登录；如仍失败，请重新登录。"),
    ("*", "not_supported"): E(NotSupported, "该开票平台不支持这个功能。",
                              "请换用支持此功能的开票账户。"),
    ("*", "clock_skew"): E(AuthFailed, "这台电脑的时间不准，开票平台拒绝了请求。",
                           "请把电脑时间校准为北京时间（开启“自动设置时间”）后重试。"),

    # ---- open-api (open-api-v1.json: envelope code "0"; statuses PROCESSING/SUCCESS/FAILED) ---
    ("open-api", "http_401"): E(AuthFailed, "开放API拒绝了访问：API Key 不正确或已停用。",
                                "请在开票账户设置中重新填写 API Key。"),
    ("open-api", "http_403"): E(AuthFailed, "开放API不允许这个 API Key 开票。",
                                "请联系开票平台确认 API Key 已绑定开票用户。"),
    ("open-api", "http_400"): E(Rejected, "开放API认为开票请求有误，发票未开具。", _FIX_DRAFT),
    ("open-api", "discount_unsupported"): E(NotSupported, "开放API不支持折扣行，发票没有发出。",
                                            "请把折扣直接计入商品金额，或换用支持折扣行的开票账户。"),
    ("open-api", "status_failed"): E(Rejected, "开票失败，发票未开具。", _FIX_DRAFT),
    ("open-api", "batch_failed"): E(Rejected, "这张发票在批量开票中失败，未开具。", _FIX_DRAFT),
    ("open-api", "still_processing"): E(OutcomeUnknown, "开票平台仍在处理这张发票。",
                                        "请稍后查询开具结果，不要重新开票。"),

    # ---- signed-api (signed-invoice-management-api.md §5, plus ONEX e0000xx) ----------------
    ("signed-api", "1"): E(Rejected, "请求参数错误。", "请检查填写的内容是否完整、格式是否正确。"),
    ("signed-api", "400"): E(Rejected, "请求参数错误。",
                             "请检查填写的内容是否完整、格式是否正确。"),
    ("signed-api", "401"): E(AuthFailed, "未授权访问：应用标识（flag）或签名不正确。",
                             "请在开票账户设置中检查 flag 和密钥。"),
    ("signed-api", "403"): E(AuthFailed, "禁止访问：这个应用没有此接口的权限。",
                             "请联系开票平台管理员开通权限。"),
    ("signed-api", "500"): E(OutcomeUnknown, "开票平台服务器内部错误。", "请稍后重试；" + _CONTACT),
    ("signed-api", "1001"): E(AuthFailed, "应用标识（flag）不正确。",
                              "请在开票账户设置中检查 flag（用户名一栏）。"),
    ("signed-api", "1002"): E(AuthFailed, "请求已过期：这台电脑的时间与开票平台相差超过 5 分钟。",
                              "请把电脑时间校准为北京时间（开启“自动设置时间”）后重试。"),
    ("signed-api", "1003"): E(AuthFailed, "签名错误：密钥不正确。",
                              "请在开票账户设置中重新填写密钥。"),
    ("signed-api", "1004"): E(ProtocolError, "开票平台不支持所请求的返回格式。", _CONTACT),
    ("signed-api", "2001"): E(Rejected, "缺少必要的参数。", "请检查填写的内容是否完整。"),
    ("signed-api", "2002"): E(Rejected, "请求参数不合法。", "请检查填写内容的格式和范围。"),
    ("signed-api", "2003"): E(NotSupported, "开票平台没有这个接口。",
                              "请确认开票平台版本，或联系开票平台技术支持。"),
    ("signed-api", "e000001"): E(ProtocolError, "系统参数缺失或有误。", _CONTACT),
    ("signed-api", "e000002"): E(AuthFailed, "签名错误：密钥不正确。",
                                 "请在开票账户设置中重新填写密钥。"),
    ("signed-api", "e000003"): E(NotSupported, "开票平台没有这个接口。", _CONTACT),
    ("signed-api", "e000004"): E(AuthFailed, "没有访问这个接口的权限。",
                                 "请联系开票平台管理员开通权限。"),
    ("signed-api", "e000005"): E(OutcomeUnknown, "开票平台接口初始化失败。",
                                 "请稍后重试；" + _CONTACT),
    ("signed-api", "e000006"): E(Rejected, "请求参数有误。", "请检查填写内容的格式和范围。"),
    ("signed-api", "e000007"): E(OutcomeUnknown, "开票平台模板初始化失败。",
                                 "请稍后重试；" + _CONTACT),
    ("signed-api", "e000008"): E(AuthFailed, "这台电脑的时间与开票平台相差太多，请求被拒绝。",
                                 "请把电脑时间校准为北京时间（开启“自动设置时间”）后重试。"),
    ("signed-api", "e000009"): E(Rejected, "重复的请求被拒绝。", "请稍等一秒后重试。"),
    ("signed-api", "not_found"): E(Rejected, "开票平台没有这张发票。", "请核对发票编号。"),

    # ---- piaodanyun (piaodanyun-api.md; code 200 = success) --------------------------------
    ("piaodanyun", "40000"): E(AuthFailed, "票单云账号或密码错误。",
                               "请在开票账户设置中检查手机号、密码和企业租户ID。"),
    ("piaodanyun", "20000"): E(Rejected, "请求缺少必填内容（参数不能为空）。",
                               "请检查发票草稿和开票账户设置是否填写完整。"),
    ("piaodanyun", "999"): E(Rejected, "电子税务局拒绝了请求。",
                             "请按电子税务局的提示处理（例如先完成用户注册或实名认证）后重试。"),
    ("piaodanyun", "401"): E(AuthExpired, "票单云登录已过期。",
                             "系统会自动重新获取令牌；如仍失败，请重新登录。"),
    ("piaodanyun", "token_expired"): E(AuthExpired, "票单云登录已过期。",
                                       "系统会自动重新获取令牌；如仍失败，请重新登录。"),
    ("piaodanyun", "tax_login_required"): E(AuthExpired, "尚未登录电子税务局，或登录已失效。",
                                            "请先登录电子税务局（需要短信验证码）。"),
    ("piaodanyun", "sms_code_wrong"): E(AuthFailed, "短信验证码不正确或已过期。",
                                        "请重新获取验证码并填写。"),
    ("piaodanyun", "face_required"): E(FaceAuthRequired, "电子税务局要求开票人先完成人脸识别。",
                                       "请用电子税务局App扫描二维码完成人脸识别后再开票。"),
    ("piaodanyun", "face_failed"): E(FaceAuthRequired, "人脸识别没有通过。",
                                     "请重新扫描二维码再试一次。"),
    ("piaodanyun", "credit_exceeded"): E(Rejected, "开票额度不足，发票未开具。",
                                         "请在电子税务局申请调整额度后再开票。"),
    ("piaodanyun", "blue_not_redable"): E(Rejected, "这张蓝字发票不能红冲。",
                                          "请按平台提示核对发票状态。"),
    ("piaodanyun", "not_found"): E(Rejected, "票单云没有查到这张发票。",
                                   "请核对发票号码或流水号。"),

    # ---- ws-invoice (websocket-invoice-api.md: data "1" success, "0" failure) ----------------
    ("ws-invoice", "http_401"): E(AuthFailed, "开票平台拒绝了访问：用户ID不正确。",
                                  "请在开票账户设置中检查用户ID。"),
    ("ws-invoice", "http_403"): E(AuthFailed, "开票平台不允许这个用户ID访问。",
                                  "请联系开票平台开通权限。"),
    ("ws-invoice", "login:0"): E(AuthFailed, "登录电子税务局失败：账号、密码、地区或身份不正确。",
                                 "请在开票账户设置中检查税务局账号、密码、地区和登录身份。"),
    ("ws-invoice", "invoice_qrcode:0"): E(FaceAuthRequired, "人脸识别没有通过，发票未开具。",
                                          "请重新开票并用手机重新扫描人脸识别二维码。"),
    ("ws-invoice", "invoice_pdf:0"): E(Rejected, "开票失败，发票未开具。",
                                       "请检查发票草稿和税务局账户后重新提交。"),
    ("ws-invoice", "query_invoice:0"): E(OutcomeUnknown, "查询发票失败，没有取得结果。",
                                         "请检查税务局账号密码后稍后重试。"),
    ("ws-invoice", "query_invoice_download_zip:failed"): E(
        OutcomeUnknown, "发票文件下载失败。", "系统会用平台返回的时间重试下载；也可稍后再试。"),
    ("ws-invoice", "face_cancelled"): E(Rejected, "已取消人脸识别，发票未开具。",
                                        "需要时请重新开票并完成人脸识别。"),

    # ---- faw (faw-invoice-order-api.md: success true, code 200) ----------------------------
    # A bearer token is configured by hand: wrong or expired, the user must replace it.
    ("faw", "http_401"): E(AuthFailed, "一汽开票中台拒绝了访问：访问令牌（Token）无效或已过期。",
                           "请向一汽财务共享中心获取新 Token，并在开票账户设置中更新。"),
    ("faw", "http_403"): E(AuthFailed, "一汽开票中台不允许这个账户（U_ID）提交开票申请单。",
                           "请在开票账户设置中检查 U_ID，或联系一汽财务共享中心开通权限。"),
    ("faw", "400"): E(Rejected, "一汽开票中台拒收了开票申请单。", _FIX_DRAFT),
    ("faw", "500"): E(OutcomeUnknown, "一汽开票中台处理出错，不能确定申请单是否已接收。",
                      _RECONCILE),
    ("faw", "refused"): E(Rejected, "一汽开票中台拒收了开票申请单。", _FIX_DRAFT),
}
# fmt: on

# An undocumented code: a structured "no" from the vendor means nothing was done.
_DEFAULTS: dict[str, Entry] = {
    "open-api": E(Rejected, "开放API拒绝了请求。", _FIX_DRAFT),
    "signed-api": E(Rejected, "发票管理接口拒绝了请求。", "请按提示检查后重试。"),
    "piaodanyun": E(Rejected, "票单云拒绝了请求。", "请按提示处理后重试。"),
    "ws-invoice": E(Rejected, "开票平台拒绝了请求。", "请按提示处理后重试。"),
    "faw": E(Rejected, "一汽开票中台拒收了开票申请单。", _FIX_DRAFT),
    "*": E(ProtocolError, "开票平台返回了无法识别的错误。", "请稍后重试；" + _CONTACT),
}


# Catch-all codes that carry many situations (piaodanyun answers every business refusal with
# 999): the vendor's message picks the more precise row. The error keeps the precise code.
REFINE: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("piaodanyun", "999"): (
        (r"未登录|登录已失效|请先.{0,6}登录", "tax_login_required"),
        (r"未查询到", "not_found"),
        (r"人脸|刷脸|实人认证", "face_required"),
        (r"短信验证码.{0,4}(错误|不正确|过期|失效)|请先获取短信验证码", "sms_code_wrong"),
        (r"用户名或密码错误|密码错误", "40000"),
        (r"额度", "credit_exceeded"),
        (r"token.{0,4}(过期|失效)", "token_expired"),
    ),
    ("piaodanyun", "401"): ((r".", "token_expired"),),
}


def refine(vendor: str, code: str, vendor_message: str) -> str:
    """The precise code for a catch-all code, judged by the vendor's message."""
    for pattern, precise in REFINE.get((vendor, str(code)), ()):
        if re.search(pattern, vendor_message, re.IGNORECASE):
            return precise
    return str(code)


def lookup(vendor: str, code: str) -> Entry:
    """The catalog row for (vendor, code): the vendor's own row, else the transport row, else
    the vendor's default. Any 5xx status without a row of its own reads as "http_5xx"."""
    code = str(code)
    keys = [(vendor, code), ("*", code)]
    if re.fullmatch(r"http_5\d\d", code):
        keys += [(vendor, "http_5xx"), ("*", "http_5xx")]
    for key in keys:
        if key in CATALOG:
            return CATALOG[key]
    return _DEFAULTS.get(vendor, _DEFAULTS["*"])


def vendor_error(
    vendor: str,
    code: str | int,
    vendor_message: str = "",
    fields: tuple[str, ...] = (),
    *,
    detail: str = "",
    cls: type[VendorError] | None = None,
) -> VendorError:
    """Build the typed error for a vendor answer.

    `vendor_message` is the vendor's own text (shown after ours, when it adds something; never
    pass a request body here). `detail` is our own precision ("连接被拒绝"), shown in brackets.
    `fields` defaults to the draft fields named in the vendor message. `cls`
    overrides the table's class, e.g. an issuing call's unreadable answer must be OutcomeUnknown.
    """
    code = refine(vendor, str(code), vendor_message)
    entry = lookup(vendor, code)
    message = entry.message
    if detail:
        message = f"{message}（{detail}）"
    from invoicedesk.vendors.transport import redact  # here: transport imports this module

    said = str(redact(vendor_message.strip()[:300]))
    if said and said not in message:
        message = f"{message}（开票平台说明：{said}）"
    found = fields or fields_from_message(said)
    return (cls or entry.cls)(
        message, code=code, next_step=entry.next_step, vendor=vendor, fields=found
    )


# ---------------------------------------------------------------------------------------------
# Vendor messages → draft field paths
# ---------------------------------------------------------------------------------------------

# (pattern, field) — the first patterns are the more specific ones.
_BUYER_FIELDS: tuple[tuple[str, str], ...] = (
    (
        r"(购买方|购方|买方|受票方|purchaser|buyer).{0,8}(税号|纳税人识别号|信用代码|taxpayer|"
        r"indentification|identification)",
        "buyer.tax_id",
    ),
    (
        r"buyerTaxpayerNum|purchaserTaxpayerNo|buyerIndentification|gmfnsrsbh|gmfNsrsbh",
        "buyer.tax_id",
    ),
    (r"(购买方|购方|买方|purchaser|buyer).{0,4}(名称|name)|gmfmc", "buyer.name"),
    (r"(购买方|购方|买方|purchaser|buyer).{0,4}(地址|address)", "buyer.address"),
    (
        r"(购买方|购方|买方|purchaser|buyer).{0,4}(开户行|银行|bank)(?!.{0,2}(账号|account|no))",
        "buyer.bank",
    ),
    (
        r"(购买方|购方|买方|purchaser|buyer).{0,6}(账号|银行账户|account|bankno)",
        "buyer.bank_account",
    ),
    (r"(邮箱|email)", "buyer.email"),
    (r"(购买方|购方|买方|purchaser|buyer).{0,4}(电话|手机|phone|tel)", "buyer.phone"),
)
_LINE_FIELDS: tuple[tuple[str, str], ...] = (
    (r"税收分类编码|商品编码|税收编码|taxClassificationCode|taxonomyCode|spbm", "tax_code"),
    (r"税率|征收率|taxRate|taxrate|slv", "tax_rate"),
    (r"单价|unitPrice|price|dj\b", "unit_price"),
    (r"数量|quantity|\bsl\b", "quantity"),
    (r"规格|spec", "spec"),
    (r"单位|unit\b", "unit"),
    (r"项目名称|商品名称|货物.{0,8}名称|goodsName|itemName|xmmc", "name"),
    (r"金额|amount|\bje\b", "amount"),
)
_LINE_INDEX = (
    re.compile(r"第\s*(\d+)\s*(?:行|条|项|个明细)"),
    re.compile(r"(?:明细|商品行|项目行)\s*(?:序号)?\s*(\d+)"),
)
_ZERO_BASED_INDEX = re.compile(r"(?:itemList|invoiceItems|invoiceOrderSub|fyxm|lines)\[(\d+)\]")


# 票单云 form field names a refusal may quote; one of its fields can hold two draft fields
_WIRE_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ghdwdzdh", ("buyer.address", "buyer.phone")),
    ("ghdwyhzh", ("buyer.bank", "buyer.bank_account")),
    ("ghdwmc", ("buyer.name",)),
    ("ghdwsbh", ("buyer.tax_id",)),
)


def fields_from_message(text: str) -> tuple[str, ...]:
    """Draft field paths a vendor's error text is about, where that can be told.

    Buyer fields map to "buyer.<field>"; line fields to "lines[i].<field>" when the text
    names the line ("第2行" → lines[1]; "itemList[0]" → lines[0]), else "lines[*].<field>".
    """
    if not text:
        return ()
    found: list[str] = []
    lowered = text.lower()
    for wire, paths in _WIRE_FIELDS:
        if wire in lowered:
            found.extend(paths)
            break
    for pattern, path in _BUYER_FIELDS if not found else ():
        if re.search(pattern, text, re.IGNORECASE) and path not in found:
            found.append(path)
            break  # one buyer field is enough; the first patterns are the most specific
    index: int | None = None
    zero = _ZERO_BASED_INDEX.search(text)
    if zero:
        index = int(zero.group(1))
    else:
        for rx in _LINE_INDEX:
            m = rx.search(text)
            if m and int(m.group(1)) >= 1:
                index = int(m.group(1)) - 1
                break
    if not found or index is not None:
        for pattern, name in _LINE_FIELDS:
            if re.search(pattern, text, re.IGNORECASE):
                found.append(f"lines[{'*' if index is None else index}].{name}")
                break
    if re.search(r"备注|remark|\bbz\b", text, re.IGNORECASE):
        found.append("remark")
    return tuple(found)
