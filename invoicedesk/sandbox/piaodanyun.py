"""Simulator of 票单云 (piaodanyun-api.md), mounted under /piaodanyun.

Endpoints (fault `endpoint` = the last path segment):
  POST /obtainToken                                     token (phone|phone_email, pass, tenant_id,
                                                        token_type=TaxApi)
  POST /qdjk/fullExteriorInvoke/loginDppt               tax-bureau login, SMS in two calls
  POST /qdjk/fullApplets/queryFaceAuthState             base64 JSON with `Sfsl`
  GET  /qdjk/fullExteriorInvoke/getFaceImg              face QR text `ewm` (+ status by `rzid`)
  POST /qdjk/fullExteriorInvoke/blueTicket              blue invoice (form-encoded fyxm[i][...])
  POST /qdjk/fullExteriorInvoke/getInvoicePdfOfd        PDF / OFD / XML (base64) or their URLs
  POST /qdjk/fullExteriorInvoke/invoiceQueryMx          detail by fphm or fpqqlsh, with zbmx
  POST /qdjk/allElectricInvoice/getCreditLine           credit line
  POST /qdjk/fullExteriorInvoke/retInviceMsg            查蓝票 before a red form
  POST /qdjk/fullExteriorInvoke/hzxxbsq                 红字信息表 apply (and status query)
  POST /qdjk/fullExteriorInvoke/hzfpkj                  红字发票
  GET  /files/{fphm}.{pdf|ofd|xml}                      the files behind downflag=4 URLs

Readings made where the document is silent:
- Envelope `{"code", "msg", "message", "data", "total": 0}` on every answer, HTTP 200.
  Codes: 200 success; 20000 "参数不能为空:<field>" (a required field is missing); 40000
  "用户名或密码错误" (obtainToken); 401 token missing/unknown ("token无效,请重新获取") or expired
  ("token已过期,请重新获取", also what the token_expired fault answers); 999 every business
  refusal with a Chinese `msg` naming the problem (the code loginDppt's example uses).
- Bodies are read as application/x-www-form-urlencoded; a JSON object body is accepted too (the
  obtainToken example prints JSON). Arrays: `fyxm[i][key]`, `mxzb[i][key]`, `sqyy`/`sqyy[]`/
  `sqyy[0]`.
- obtainToken success: `data = {"token": "<opaque>", "token_type": "TaxApi", "expires_in": s}`
  with s = settings.token_ttl_s; expiry is measured on the sandbox clock. tenant_id must be 1.
- The tax-bureau user is 13800000000 with password sandbox-password. Every /qdjk call needs a
  prior successful loginDppt for that username (999 "电子税务局未登录…" otherwise); the session
  lasts until the sandbox is reset. First loginDppt call (no `sms`): code 200, msg
  "短信验证码已发送", data null. Second call with sms 123456: data = a 32-hex uuid. `cert` 1/2
  logs in at once; `ewmlx` (QR login) is refused with 999. `nsrsbh`/`xhdwsbh` must be the
  sandbox seller's tax ID (999 otherwise).
- Face: queryFaceAuthState's base64 JSON is {"Yjjb", "Sxlb", "Sfsl", "ItsScanFlag"} as in the
  example plus "Rzyxsc" (the validity window in hours, settings.face_window_hours) and "Rzyxqz"
  (valid until "yyyy-MM-dd HH:mm:ss", "" when never scanned). getFaceImg without `rzid` makes a
  fresh QR each call (slzt null, as printed); with `rzid` (an extension) it reports that QR:
  slzt "1" not scanned, "2" scanned OK, "3" expired (5 sandbox minutes) or the scan failed (a
  failed scan spends the QR: fetch a new one). A failed scan counts only for the QRs made
  before it: a QR fetched after it waits ("1") for its own scan (scans are ordered by count,
  not by the clock's whole seconds). "2" is the account's state: any QR says so while an OK
  scan holds. `emwly` (sic) is "swj" or, for type=2, "grsds".
- blueTicket/hzfpkj while face auth is needed: 999 "当前需要人脸识别认证…". Nothing is issued.
- blueTicket: fpqqlsh must be "<xhdwsbh>_<custom>" and ≤ 40 chars; only fplxdm 81/82 and kplx 0;
  81 needs ghdwsbh. hsbz=1: je/dj include tax and the stored amount is je − se. Checks: tax rate
  in the 数电 list, money ≤ 2 decimals, |spsl×dj − je| ≤ 0.01, |金额×税率 − se| ≤ 0.06,
  |Σ金额 − hjje| ≤ 0.01, total tax ≤ 1.27, hjje + hjse = jshj exactly, hjje/jshj > 0, normal
  lines > 0, discount lines (fphxz 1) < 0. A repeated fpqqlsh returns the first invoice (even if
  the new body differs). The credit line (amount excl. tax) is consumed; exhausted → 999.
- getInvoicePdfOfd: downflag 1/2/3 → data is the base64 of the PDF/OFD/XML; 4 → the three URLs
  (served under /piaodanyun/files, no token: the URL is the capability).
- invoiceQueryMx: figures as strings in the header (as the example prints), numbers in zbmx
  where the example prints numbers. fpzt: "00" normal, "03" partly red-lettered, "04" fully
  red-lettered (blue); red invoices carry yfphm (blue number) and tzdbh (form number).
- getCreditLine: zsxed total, sysxed left, ysysxed used, fphjje/fpejse the amount/tax of the
  seller's blue invoices, kjlpzs their count.
- Red chain: retInviceMsg answers the figures still red-letterable (negative), or 999 when the
  blue invoice is locked by an open form or fully red-lettered. hzxxbsq: sqyy 2 seller / 3 buyer;
  the form is full (the document: "暂时只支持全额"), unless `mxzb[i][xh|je|se|spsl]` rows are
  sent (an extension for partial forms: 02/03/04 only). Reason rules: 02 not on service-only
  codes (3…), 03 not on goods-only codes (1…/2…). Status 01 when the buyer has not used the
  invoice, else 02 (seller) / 03 (buyer). `hzxxbcheck` ("传 1 不校验，直接去局端申请，否则
  申请过红字信息表返回申请过的数据") separates two calls. With hzxxbcheck=1 a NEW form is applied
  (one per partial red; refused with 999 "…蓝票已锁定" while an open, unused 01–04 form of the
  blue invoice exists). Without it, a form already applied for this blue invoice is returned as
  it now is, void ones included (the status query: 04 after confirmation, 07 after 72 h): the
  one named by `xxbbh` (or `uuid`) when sent (an extension; 999 when the blue invoice has no
  such form), else the latest; with no form yet, a new one is applied. hzfpkj issues only from
  a form in 01/04, once per form; a repeated fpqqlsh returns the first red invoice.
- Tax treatments (yhzcbs/lslbs/zzstsgl per line, zsfs/kce/slsm per invoice, the 差额 arithmetic)
  are checked by piaodanyun_treatments.py; a red invoice keeps its blue invoice's treatment,
  and a 差额 invoice (zsfs 2/3) is red-lettered in full only (999 for a partial form).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from invoicedesk.sandbox.core import (
    DecimalJSONResponse,
    Refused,
    SandboxState,
    SbInvoice,
    SbLine,
    check_figures,
    http_with_faults,
    to_decimal,
)
from invoicedesk.sandbox.files import file_bytes
from invoicedesk.sandbox.piaodanyun_treatments import (
    TreatmentRefused,
    line_flags,
    red_extra,
)
from invoicedesk.sandbox.piaodanyun_treatments import check_invoice as check_treatments

VENDOR = "piaodanyun"
PHONE = "13800000000"
PASSWORD = "sandbox-password"
TENANT_ID = "1"
SMS_CODE = "123456"
QR_LIFETIME = timedelta(minutes=5)
TAX_RATES = {
    Decimal(x) for x in ("0", "0.005", "0.01", "0.015", "0.03", "0.05", "0.06", "0.09", "0.13")
}
KINDS = {"0": "normal", "1": "discount", "2": "discounted"}
KIND_CODES = {v: k for k, v in KINDS.items()}
FORM_STATUS_TEXT = {
    "01": "无需确认",
    "02": "销方录入待购方确认",
    "03": "购方录入待销方确认",
    "04": "购销双方已确认",
    "05": "作废（销方录入购方否认）",
    "06": "作废（购方录入销方否认）",
    "07": "作废（超72小时未确认）",
    "08": "作废（发起方撤销）",
    "09": "作废（确认后撤销）",
    "10": "作废（异常凭证）",
}
_ARRAY_KEY = re.compile(r"^(\w+)\[(\d+)\]\[(\w+)\]$")


class Fail(Exception):
    """An error answer: (code, msg)."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def answer(code: int, msg: str, data: Any = None) -> Response:
    return DecimalJSONResponse({"code": code, "msg": msg, "message": msg, "data": data, "total": 0})


def token_expired() -> Response:
    return answer(401, "token已过期,请重新获取")


@dataclass
class FaceQr:
    rzid: str
    tax_id: str
    ewm: str
    created: datetime
    kind: str
    scans_before: int = 0  # how many scans the account had when this QR was made


def _scratch(state: SandboxState) -> dict[str, Any]:
    data = state.scratch(VENDOR)
    data.setdefault("tokens", {})  # token -> expiry
    data.setdefault("sms_sent", set())  # usernames
    data.setdefault("logins", set())  # usernames
    data.setdefault("qrs", {})  # rzid -> FaceQr
    return data


# ---- reading bodies ----------------------------------------------------------------------------


async def read_fields(request: Request) -> dict[str, str]:
    """The body's fields: form-encoded, or a JSON object (values turned into text)."""
    raw = await request.body()
    ctype = request.headers.get("content-type", "")
    text = raw.decode("utf-8", errors="replace")
    if "json" in ctype or text.lstrip().startswith("{"):
        try:
            obj = json.loads(text, parse_float=Decimal)
        except ValueError:
            raise Fail(20000, "请求体格式错误:需要表单或 JSON 对象") from None
        if not isinstance(obj, dict):
            raise Fail(20000, "请求体格式错误:需要 JSON 对象")
        return {str(k): _as_text(v) for k, v in obj.items()}
    fields: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key in ("sqyy[]", "sqyy[0]"):
            key = "sqyy"
        fields[key] = value
    return fields


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return str(value[0]) if value else ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def rows(fields: dict[str, str], name: str) -> list[dict[str, str]]:
    """`name[i][key]` fields grouped by i, in index order."""
    grouped: dict[int, dict[str, str]] = {}
    for key, value in fields.items():
        match = _ARRAY_KEY.match(key)
        if match and match.group(1) == name:
            grouped.setdefault(int(match.group(2)), {})[match.group(3)] = value
    return [grouped[i] for i in sorted(grouped)]


def need(fields: dict[str, str], *names: str) -> None:
    for name in names:
        if not fields.get(name, "").strip():
            raise Fail(20000, f"参数不能为空:{name}")


def number(fields: dict[str, str], name: str, *, money: bool = False) -> Decimal:
    value = to_decimal(fields.get(name))
    if value is None:
        raise Fail(999, f"{name} 不是合法的数字")
    if money and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Fail(999, f"{name} 最多两位小数")
    return value


def fmt_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S")


# ---- the routes --------------------------------------------------------------------------------


def routes(state: SandboxState) -> list[BaseRoute]:
    sim = Piaodanyun(state)

    def wrap(endpoint: str, handler: Any, *, auth: bool = True) -> Any:
        async def guarded(request: Request) -> Response:
            try:
                if auth:
                    sim.check_token(request)
                result: Response = await handler(request)
                return result
            except Fail as exc:
                return answer(exc.code, exc.msg)
            except Refused as exc:
                return answer(999, exc.message)

        async def run(request: Request) -> Response:
            return await http_with_faults(
                state, VENDOR, endpoint, request, guarded, token_expired=token_expired
            )

        return run

    qdjk = "/qdjk/fullExteriorInvoke"
    return [
        Route("/obtainToken", wrap("obtainToken", sim.obtain_token, auth=False), methods=["POST"]),
        Route(f"{qdjk}/loginDppt", wrap("loginDppt", sim.login), methods=["POST"]),
        Route(
            "/qdjk/fullApplets/queryFaceAuthState",
            wrap("queryFaceAuthState", sim.face_state),
            methods=["POST"],
        ),
        Route(f"{qdjk}/getFaceImg", wrap("getFaceImg", sim.face_img), methods=["GET", "POST"]),
        Route(f"{qdjk}/blueTicket", wrap("blueTicket", sim.blue_ticket), methods=["POST"]),
        Route(f"{qdjk}/getInvoicePdfOfd", wrap("getInvoicePdfOfd", sim.files), methods=["POST"]),
        Route(f"{qdjk}/invoiceQueryMx", wrap("invoiceQueryMx", sim.query_mx), methods=["POST"]),
        Route(
            "/qdjk/allElectricInvoice/getCreditLine",
            wrap("getCreditLine", sim.credit_line),
            methods=["POST"],
        ),
        Route(f"{qdjk}/retInviceMsg", wrap("retInviceMsg", sim.blue_info), methods=["POST"]),
        Route(f"{qdjk}/hzxxbsq", wrap("hzxxbsq", sim.red_form), methods=["POST"]),
        Route(f"{qdjk}/hzfpkj", wrap("hzfpkj", sim.red_ticket), methods=["POST"]),
        Route("/files/{number}.{ext}", wrap("files", sim.file, auth=False), methods=["GET"]),
    ]


class Piaodanyun:
    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # ---- auth -------------------------------------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        return _scratch(self.state)

    def check_token(self, request: Request) -> None:
        token = request.headers.get("authorization", "").strip()
        expiry = self.data["tokens"].get(token) if token else None
        if expiry is None:
            raise Fail(401, "token无效,请重新获取")
        if self.state.clock.now() >= expiry:
            raise Fail(401, "token已过期,请重新获取")

    def check_session(self, fields: dict[str, str], tax_field: str) -> str:
        """The tax-bureau session and seller of a /qdjk call; returns the seller's tax ID."""
        need(fields, "username", tax_field)
        username = fields["username"]
        if username != PHONE:
            raise Fail(999, f"局端账号 {username} 不存在")
        if username not in self.data["logins"]:
            raise Fail(999, "电子税务局未登录或登录已失效,请先调用loginDppt登录")
        tax_id = fields[tax_field]
        if tax_id != self.state.settings.seller_tax_id:
            raise Fail(999, f"纳税人识别号 {tax_id} 与局端账号不匹配")
        return tax_id

    def check_face(self, tax_id: str) -> None:
        if self.state.face.needed(VENDOR, tax_id):
            raise Fail(999, "当前需要人脸识别认证,请获取人脸二维码并用税务APP扫码认证后再开票")

    async def obtain_token(self, request: Request) -> Response:
        fields = await read_fields(request)
        if not fields.get("phone") and fields.get("phone_email"):
            fields["phone"] = fields["phone_email"]
        need(fields, "phone", "pass", "tenant_id", "token_type")
        if fields["token_type"] != "TaxApi":
            raise Fail(999, "token_type 必须是 TaxApi")
        if fields["phone"] != PHONE or fields["pass"] != PASSWORD:
            raise Fail(40000, "用户名或密码错误")
        if fields["tenant_id"] != TENANT_ID:
            raise Fail(999, f"企业租户 {fields['tenant_id']} 不存在")
        token = secrets.token_hex(24)
        ttl = self.state.settings.token_ttl_s
        self.data["tokens"][token] = self.state.clock.now() + timedelta(seconds=ttl)
        return answer(200, "成功", {"token": token, "token_type": "TaxApi", "expires_in": ttl})

    async def login(self, request: Request) -> Response:
        fields = await read_fields(request)
        need(fields, "nsrsbh", "username", "password")
        username = fields["username"]
        if username != PHONE:
            raise Fail(999, "可信错误:该用户未注册,请在自然人业务入口进行用户注册")
        if fields["password"] != PASSWORD:
            raise Fail(999, "可信错误:用户名或密码错误")
        if fields["nsrsbh"] != self.state.settings.seller_tax_id:
            raise Fail(999, f"纳税人识别号 {fields['nsrsbh']} 与局端账号不匹配")
        if fields.get("ewmlx"):
            raise Fail(999, "沙箱不支持扫码登录,请使用短信验证码登录")
        if fields.get("cert") in ("1", "2"):
            self.data["logins"].add(username)
            return answer(200, "成功", uuid.uuid4().hex)
        sms = fields.get("sms", "").strip()
        if not sms:
            self.data["sms_sent"].add(username)
            return answer(200, "短信验证码已发送", None)
        if username not in self.data["sms_sent"]:
            raise Fail(999, "请先获取短信验证码")
        if sms != SMS_CODE:
            raise Fail(999, "短信验证码错误")
        self.data["sms_sent"].discard(username)
        self.data["logins"].add(username)
        return answer(200, "成功", uuid.uuid4().hex)

    # ---- face ------------------------------------------------------------------------------

    async def face_state(self, request: Request) -> Response:
        fields = await read_fields(request)
        tax_id = self.check_session(fields, "nsrsbh")
        needed = self.state.face.needed(VENDOR, tax_id)
        until = self.state.face.valid_until(VENDOR, tax_id)
        payload = {
            "Yjjb": "01",
            "Sxlb": "3",
            "Sfsl": "Y" if needed else "N",
            "ItsScanFlag": "N",
            "Rzyxsc": f"{self.state.settings.face_window_hours:f}",
            "Rzyxqz": fmt_time(until) if until is not None and not needed else "",
        }
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return answer(200, "成功", base64.b64encode(text.encode("utf-8")).decode("ascii"))

    async def face_img(self, request: Request) -> Response:
        fields = dict(request.query_params)
        if request.method == "POST":
            fields.update(await read_fields(request))
        tax_id = self.check_session(fields, "nsrsbh")
        kind = "grsds" if fields.get("type") == "2" else "swj"
        rzid = fields.get("rzid", "")
        if rzid:
            qr = self.data["qrs"].get(rzid)
            if qr is None or qr.tax_id != tax_id:
                raise Fail(999, f"认证ID {rzid} 不存在")
            return answer(200, "成功", self._qr_json(qr, self._qr_status(qr)))
        qr = FaceQr(
            rzid=uuid.uuid4().hex,
            tax_id=tax_id,
            ewm=(
                f"qrcode_id={secrets.token_urlsafe(48)}&areaPrefix=3300&interfaceCode=0004"
                f"&rzid={uuid.uuid4().hex[:8]}"
            ),
            created=self.state.clock.now(),
            kind=kind,
            scans_before=len(self.state.face.scans.get((VENDOR, tax_id), [])),
        )
        self.data["qrs"][qr.rzid] = qr
        return answer(200, "成功", self._qr_json(qr, None))

    def _qr_status(self, qr: FaceQr) -> str:
        """A failed scan spends only the QRs that existed when it happened, never one fetched
        afterwards. Success is the account's: once an OK scan holds (no scan needed), every
        QR says so, also one fetched a moment after the scan."""
        face = self.state.face
        key = (VENDOR, qr.tax_id)
        if face.last_scan.get(key) is not None and not face.needed(*key):
            return "2"
        if False in face.scans.get(key, [])[qr.scans_before :]:
            return "3"
        if self.state.clock.now() > qr.created + QR_LIFETIME:
            return "3"
        return "1"

    @staticmethod
    def _qr_json(qr: FaceQr, slzt: str | None) -> dict[str, Any]:
        return {"rzid": qr.rzid, "nsrsbh": qr.tax_id, "ewm": qr.ewm, "slzt": slzt, "emwly": qr.kind}

    # ---- blue invoice ----------------------------------------------------------------------

    async def blue_ticket(self, request: Request) -> Response:
        fields = await read_fields(request)
        tax_id = self.check_session(fields, "xhdwsbh")
        need(fields, "fpqqlsh")
        serial = fields["fpqqlsh"]
        existing = self.state.invoices.find_serial(VENDOR, serial)
        if existing is not None:
            return answer(200, "成功", self._blue_answer(existing))
        invoice_fields = self._parse_blue(fields, tax_id)
        self.check_face(tax_id)
        invoice = self.state.invoices.issue(VENDOR, serial, **invoice_fields)
        return answer(200, "成功", self._blue_answer(invoice))

    @staticmethod
    def _blue_answer(invoice: SbInvoice) -> dict[str, Any]:
        return {
            "Fphm": invoice.number,
            "Kprq": fmt_time(invoice.issued_at),
            "Gmfyx": None,
            "GmfSsjswjgdm": None,
        }

    def _parse_blue(self, fields: dict[str, str], tax_id: str) -> dict[str, Any]:
        need(
            fields,
            "fplxdm",
            "kplx",
            "xhdwmc",
            "xhdwdzdh",
            "xhdwyhzh",
            "ghdwmc",
            "hjje",
            "hjse",
            "jshj",
        )
        serial = fields["fpqqlsh"]
        if len(serial) > 40 or not serial.startswith(f"{tax_id}_") or serial == f"{tax_id}_":
            raise Fail(999, "发票请求流水号fpqqlsh格式应为“税号_自定义编号”,总计40个字符以内")
        if fields["fplxdm"] not in ("81", "82"):
            raise Fail(999, "发票类型代码fplxdm只支持81(专票)或82(普票)")
        if fields["kplx"] != "0":
            raise Fail(999, "开票类型kplx只能为0(正数发票);负数发票请走红字信息表流程")
        if fields["fplxdm"] == "81" and not fields.get("ghdwsbh"):
            raise Fail(20000, "参数不能为空:ghdwsbh")
        for name, limit in (("ghdwmc", 300), ("xhdwmc", 300), ("bz", 450), ("ghdwdzdh", 300)):
            if len(fields.get(name, "")) > limit:
                raise Fail(999, f"{name} 超长:最多{limit}个字符")
        items = rows(fields, "fyxm")
        if not items:
            raise Fail(20000, "参数不能为空:fyxm")
        lines = [self._parse_line(item, i) for i, item in enumerate(items)]
        try:
            treatment = check_treatments(fields, items)
        except TreatmentRefused as exc:
            raise Fail(999, str(exc)) from None
        hjje = number(fields, "hjje", money=True)
        hjse = number(fields, "hjse", money=True)
        jshj = number(fields, "jshj", money=True)
        if treatment["deduction"]:
            # the 差额 line's tax was checked against its own formula; the rest as usual
            problem = check_figures(
                [replace(x, tax_rate=Decimal(0), tax=Decimal(0)) for x in lines]
            )
            if abs(sum((x.amount for x in lines), Decimal(0)) - hjje) > Decimal("0.01"):
                problem = "明细金额之和与合计金额相差超过0.01"
            elif sum((x.tax for x in lines), Decimal(0)) != hjse or hjje + hjse != jshj:
                problem = "合计金额加合计税额不等于价税合计"
        else:
            problem = check_figures(lines, hjje, hjse, jshj)
        if problem:
            raise Fail(999, problem)
        if hjje <= 0 or jshj <= 0 or hjse < 0:
            raise Fail(999, "蓝字发票合计金额、价税合计必须大于0,合计税额不能小于0")
        return {
            "invoice_type": fields["fplxdm"],
            "seller_name": fields["xhdwmc"],
            "buyer_name": fields["ghdwmc"],
            "buyer_tax_id": fields.get("ghdwsbh", ""),
            "buyer_address": fields.get("ghdwdzdh", ""),
            "buyer_account": fields.get("ghdwyhzh", ""),
            "buyer_phone": fields.get("gfkhdh", ""),
            "buyer_email": fields.get("gfkhyx", ""),
            "lines": lines,
            "amount": hjje,
            "tax": hjse,
            "total": jshj,
            "remark": fields.get("bz", ""),
            "extra": {
                "xhdwdzdh": fields["xhdwdzdh"],
                "xhdwyhzh": fields["xhdwyhzh"],
                **treatment["extra"],
                "kpr": fields.get("kpr", ""),
                "skr": fields.get("skr", ""),
                "fhr": fields.get("fhr", ""),
                "qdbz": fields.get("qdbz", ""),
            },
        }

    @staticmethod
    def _parse_line(item: dict[str, str], pos: int) -> SbLine:
        label = f"fyxm[{pos}]"
        for key in ("fphxz", "spmc", "je", "sl", "se", "hsbz", "spbm"):
            if not item.get(key, "").strip():
                raise Fail(20000, f"参数不能为空:{label}[{key}]")
        kind = KINDS.get(item["fphxz"])
        if kind is None:
            raise Fail(999, f"{label}[fphxz] 只能是0、1或2")
        if item["hsbz"] not in ("0", "1"):
            raise Fail(999, f"{label}[hsbz] 只能是0或1")
        spbm = item["spbm"]
        if len(spbm) != 19 or not spbm.isdigit():
            raise Fail(999, f"{label}[spbm] 商品编码必须是19位数字")
        je = number(item, "je", money=True)
        se = number(item, "se", money=True)
        rate = number(item, "sl")
        if rate not in TAX_RATES:
            raise Fail(999, f"{label}[sl] 税率 {item['sl']} 不在可用税率列表中")
        qty = to_decimal(item["spsl"]) if item.get("spsl", "").strip() else None
        price = to_decimal(item["dj"]) if item.get("dj", "").strip() else None
        if (item.get("spsl", "").strip() and qty is None) or (
            item.get("dj", "").strip() and price is None
        ):
            raise Fail(999, f"{label} 商品数量或单价不是合法的数字")
        if (qty is None) != (price is None):
            raise Fail(999, f"{label} 商品数量和单价必须同时填写或同时为空")
        if qty is not None and price is not None and abs(qty * price - je) > Decimal("0.01"):
            raise Fail(999, f"第{pos + 1}行:单价×数量与金额相差超过0.01")
        amount = je - se if item["hsbz"] == "1" else je
        if price is not None and item["hsbz"] == "1":
            price = (price / (1 + rate)).quantize(Decimal("1e-12")).normalize()
            if qty is not None and abs(qty * price - amount) > Decimal("0.01"):
                price = (amount / qty).quantize(Decimal("1e-12")).normalize()
        if kind == "discount" and (amount >= 0 or se > 0):
            raise Fail(999, f"第{pos + 1}行:折扣行金额必须小于0")
        if kind != "discount" and (amount <= 0 or se < 0):
            raise Fail(999, f"第{pos + 1}行:金额必须大于0,税额不能小于0")
        return SbLine(
            index=pos + 1,
            name=item["spmc"],
            tax_code=spbm,
            spec=item.get("ggxh", ""),
            unit=item.get("dw", ""),
            quantity=qty,
            unit_price=price,
            amount=amount,
            tax_rate=rate,
            tax=se,
            kind=kind,
        )

    # ---- reads -------------------------------------------------------------------------------

    def _own_invoice(self, number_: str) -> SbInvoice:
        invoice = self.state.invoices.get(number_)
        if invoice is None or invoice.seller_tax_id != self.state.settings.seller_tax_id:
            raise Fail(999, f"未查询到发票号码为 {number_} 的发票")
        return invoice

    async def files(self, request: Request) -> Response:
        fields = await read_fields(request)
        self.check_session(fields | {"username": fields.get("username") or PHONE}, "nsrsbh")
        need(fields, "downflag", "fphm")
        invoice = self._own_invoice(fields["fphm"])
        flag = fields["downflag"]
        kinds = {"1": "pdf", "2": "ofd", "3": "xml"}
        if flag in kinds:
            content, _media = file_bytes(invoice, kinds[flag])
            return answer(200, "成功", base64.b64encode(content).decode("ascii"))
        if flag == "4":
            base = f"{request.url.scheme}://{request.url.netloc}/piaodanyun/files/{invoice.number}"
            return answer(
                200,
                "成功",
                {"pdfUrl": f"{base}.pdf", "ofdUrl": f"{base}.ofd", "xmlUrl": f"{base}.xml"},
            )
        raise Fail(999, "downflag 只能是1(PDF)、2(OFD)、3(XML)或4(下载地址)")

    async def file(self, request: Request) -> Response:
        invoice = self.state.invoices.get(request.path_params["number"])
        if invoice is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        try:
            content, media = file_bytes(invoice, request.path_params["ext"])
        except ValueError:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return Response(content, media_type=media)

    async def query_mx(self, request: Request) -> Response:
        fields = await read_fields(request)
        tax_id = self.check_session(fields, "nsrsbh")
        fphm = fields.get("fphm", "").strip()
        serial = fields.get("fpqqlsh", "").strip()
        if not fphm and not serial:
            raise Fail(20000, "参数不能为空:fphm或fpqqlsh")
        if fphm:
            invoice = self._own_invoice(fphm)
        else:
            found = self.state.invoices.find_serial(VENDOR, serial)
            if found is None or found.seller_tax_id != tax_id:
                raise Fail(999, f"未查询到发票请求流水号为 {serial} 的发票")
            invoice = found
        return answer(200, "成功", detail_json(invoice))

    async def credit_line(self, request: Request) -> Response:
        fields = await read_fields(request)
        tax_id = self.check_session(fields, "nsrsbh")
        credit = self.state.credit
        blues = [
            x for x in self.state.invoices.all() if x.color == "blue" and x.seller_tax_id == tax_id
        ]
        data = {
            "zsxed": _money(credit.total),
            "kjlpzs": str(len(blues)),
            "sysxed": _money(credit.left),
            "fpejse": _money(sum((x.tax for x in blues), Decimal(0))),
            "ysysxed": _money(credit.used),
            "fphjje": _money(sum((x.amount for x in blues), Decimal(0))),
        }
        return answer(200, "成功", data)

    # ---- red chain -------------------------------------------------------------------------

    def _blue(self, number_: str) -> SbInvoice:
        invoice = self._own_invoice(number_)
        if invoice.color != "blue":
            raise Fail(999, f"发票 {number_} 是红字发票,不能红冲")
        return invoice

    async def blue_info(self, request: Request) -> Response:
        fields = await read_fields(request)
        self.check_session(fields, "nsrsbh")
        need(fields, "fphm")
        blue = self._blue(fields["fphm"])
        if any(f.open for f in self.state.red.for_blue(fields["fphm"])):
            raise Fail(999, "该发票已申请红字信息表且未使用,蓝票已锁定,不能重复申请")
        left = [r for r in self.state.invoices.redeemable(fields["fphm"]) if r.amount > 0]
        if not left:
            raise Fail(999, "该发票已全额红冲,不能再开负数发票")
        by_index = {x.index: x for x in blue.lines}
        mxzb = []
        for r in left:
            src = by_index[r.index]
            flags = line_flags(blue.extra, blue.lines.index(src))
            mxzb.append(
                {
                    "xh": r.index,
                    "sl": src.tax_rate,
                    "dw": src.unit,
                    "spmc": src.name,
                    "se": -r.tax,
                    "je": -r.amount,
                    "spdj": "" if src.unit_price is None else f"{src.unit_price:f}",
                    "ggxh": src.spec,
                    "spsl": "" if r.quantity is None else f"{-r.quantity:f}",
                    "spbm": src.tax_code,
                    "zxbm": "",
                    "hsbz": "",
                    "bb": "",
                    "sqdh": "",
                    **flags,
                }
            )
        data = {
            "fphm": blue.number,
            "message": "成功,本张发票可以开负数!",
            "xhdwsbh": blue.seller_tax_id,
            "xhdwmc": blue.seller_name,
            "ghdwsbh": blue.buyer_tax_id or None,
            "ghdwmc": blue.buyer_name,
            "kprq": fmt_time(blue.issued_at),
            "hjje": -sum((r.amount for r in left), Decimal(0)),
            "hjse": -sum((r.tax for r in left), Decimal(0)),
            "fplxdm": blue.invoice_type,
            "tdyslxdm": None,
            "zsfs": blue.extra.get("zsfs", "0"),
            "jbr": None,
            "XfsytDm": "00",
            "ZzsytDm": "01" if blue.used else "03",
            "FprzztDm": "01" if blue.used else "00",
            "mxzb": mxzb,
        }
        return answer(200, "成功", data)

    async def red_form(self, request: Request) -> Response:
        fields = await read_fields(request)
        self.check_session(fields, "xhdwsbh")
        need(fields, "yfphm", "chyydm", "sqyy")
        blue = self._blue(fields["yfphm"])
        if fields.get("hzxxbcheck") != "1":
            # "否则申请过红字信息表返回申请过的数据": the status read of a form already applied
            forms = self.state.red.for_blue(fields["yfphm"])
            wanted = fields.get("xxbbh") or fields.get("uuid")
            if wanted:
                named = [f for f in forms if wanted in (f.form_no, f.uuid)]
                if not named:
                    raise Fail(999, f"红字信息表 {wanted} 不存在或不属于发票 {fields['yfphm']}")
                return answer(200, "成功", _form_json(named[0]))
            if forms:
                return answer(200, "成功", _form_json(max(forms, key=lambda f: f.form_no)))
        initiator = {"2": "seller", "3": "buyer"}.get(fields["sqyy"])
        if initiator is None:
            raise Fail(999, "申请原因sqyy只支持2(销方全额红冲)或3(购方全额红冲)")
        reason = fields["chyydm"]
        if reason not in ("01", "02", "03", "04"):
            raise Fail(999, "红冲原因代码chyydm只能是01、02、03或04")
        codes = [x.tax_code for x in blue.lines]
        if reason == "02" and all(c.startswith("3") for c in codes):
            raise Fail(999, "商品服务编码仅为服务时红冲原因不允许选择“02,销货退回”")
        if reason == "03" and all(c[:1] in ("1", "2") for c in codes):
            raise Fail(999, "原蓝字发票商品服务编码仅为货物或劳务时红冲原因不允许选择“03,服务中止”")
        partial = rows(fields, "mxzb")
        if partial and blue.extra.get("zsfs") in ("2", "3"):
            raise Fail(999, "差额征税发票只能全额红冲")
        lines: list[dict[str, Any]] | None = None
        if partial:
            lines = []
            for i, row in enumerate(partial):
                index = to_decimal(row.get("xh"))
                lines.append(
                    {
                        "index": int(index) if index is not None and index == int(index) else -1,
                        "amount": row.get("je"),
                        "tax": row.get("se"),
                        "quantity": row.get("spsl") or None,
                    }
                )
                if index is None:
                    raise Fail(20000, f"参数不能为空:mxzb[{i}][xh]")
        form = self.state.red.apply(fields["yfphm"], reason, lines, initiator)
        return answer(200, "成功", _form_json(form))

    async def red_ticket(self, request: Request) -> Response:
        fields = await read_fields(request)
        tax_id = self.check_session(fields, "xhdwsbh")
        need(fields, "fpqqlsh", "tzdbh", "yfphm")
        serial = fields["fpqqlsh"]
        existing = self.state.invoices.find_serial(VENDOR, serial)
        if existing is None:
            if len(serial) > 40 or not serial.startswith(f"{tax_id}_"):
                raise Fail(999, "发票流水号fpqqlsh格式应为“税号_自定义编号”,总计40个字符以内")
            form = self.state.red.get(fields["tzdbh"])
            if form is None:
                raise Fail(999, f"红字信息表 {fields['tzdbh']} 不存在")
            if form.blue_number != fields["yfphm"]:
                raise Fail(999, "红字信息表与原发票号码不一致")
            self.check_face(tax_id)
            existing = self.state.issue_red(
                VENDOR, serial, form.form_no, extra=red_extra(self._blue(form.blue_number), form)
            )
        data = {
            "fphm": existing.number,
            "kprq": fmt_time(existing.issued_at),
            "xhdwsbh": existing.seller_tax_id,
            "ghdwsbh": existing.buyer_tax_id,
            "xhdwmc": existing.seller_name,
            "ghdwmc": existing.buyer_name,
            "jshj": existing.total,
            "xxbbh": existing.red_form_no,
        }
        return answer(200, "负数发票开具成功", data)


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _form_json(form: Any) -> dict[str, Any]:
    return {
        "sqsj": fmt_time(form.created_at),
        "xxbztDm": form.status,
        "xxbbh": form.form_no,
        "uuid": form.uuid,
        "xxbzt": FORM_STATUS_TEXT.get(form.status, ""),
    }


def detail_json(invoice: SbInvoice) -> dict[str, Any]:
    """invoiceQueryMx's data: the example's fields, with this invoice's values."""
    kprq = invoice.issued_at.strftime("%Y%m%d%H%M%S")
    seller = invoice.seller_tax_id
    extra = invoice.extra
    fpzt = {"red_partly": "03", "red_fully": "04"}.get(invoice.status, "00")
    lines = []
    for pos, line in enumerate(invoice.lines):
        flags = line_flags(extra, pos)
        incl = line.amount + line.tax
        lines.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{invoice.number}/{line.index}")),
                "mxid": str(uuid.uuid5(uuid.NAMESPACE_URL, str(invoice.number))),
                "fpdm": "",
                "fphm": invoice.number,
                "fpmxxh": str(line.index),
                "xsdjbh": "",
                "fphxz": KIND_CODES.get(line.kind, "0"),
                "je": f"{line.amount:f}",
                "sl": f"{line.tax_rate:f}",
                "se": f"{line.tax:f}",
                "spmc": line.name,
                "spsm": "",
                "ggxh": line.spec,
                "dw": line.unit,
                "spsl": line.quantity,
                "spdj": line.unit_price,
                "hsbz": "0",
                "spbm": line.tax_code,
                "djmxxh": None,
                "bb": "",
                "zxbm": "",
                **flags,
                "kprq": kprq,
                "jqbh": "",
                "xhdwdm": seller,
                "hsje": incl,
                "hsdj": (
                    None
                    if line.quantity in (None, Decimal(0))
                    else (incl / line.quantity).quantize(Decimal("1e-12")).normalize()
                ),
                "kpdwdm": seller,
                "cepzmx": None,
                "cqzsh": None,
            }
        )
    empty = [
        "gmfjbr",
        "skm",
        "yfpdm",
        "ghdwdm",
        "dfgtgmbq",
        "GFKHDH",
        "zfrdm",
        "bbh",
        "spbmjc",
        "bmbbbh",
        "jbrzrrnsrsbh",
        "qmbz",
        "spsm",
        "slsm",
        "tdyslxDm",
        "yqbz",
        "hssign",
        "kpjh",
        "zfrq",
        "ssyf",
        "scbsbz",
        "jbrsfzjlx",
        "kpddm",
        "zkbz",
        "zfyy",
        "ceburl",
        "tqm",
        "zzfphm",
        "scbz",
        "qdbz",
        "rzzt",
        "qmcs",
        "DZDH",
        "tzdh",
        "GFKHYX",
        "zffs",
        "zfr",
        "sccgsj",
        "qmz",
        "jbrsfzjhm",
        "fpdm",
        "jbrgjlx",
        "hsslbs",
        "jqbh",
        "tspz",
        "jym",
    ]
    data: dict[str, Any] = dict.fromkeys(empty, "")
    data.update(
        dict.fromkeys(
            [
                "kdsbz",
                "zlqqz",
                "swjgmc",
                "fpcbh",
                "swjgdm",
                "fwfsd",
                "mxzb",
                "ip",
                "zfdqsj",
                "dphgzbh",
                "fullAddress",
                "zhsl",
                "hczt",
                "jzxmmc",
                "tdzzsxmbh",
                "hdjsjg",
                "sfyytljdj",
                "ncpsgzjlx",
                "wqhtbabh",
                "bchcbz",
                "hjzkje",
                "hjzkse",
                "fdjhm",
                "fjys",
                "sjcjhsje",
            ]
        )
    )
    data.update(
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, str(invoice.number))),
            "kce": extra.get("kce", "0"),
            "ghdwyhzh": invoice.buyer_account,
            "ghdwdzdh": invoice.buyer_address,
            "GFKHDH": invoice.buyer_phone,
            "GFKHYX": invoice.buyer_email,
            "jshj": f"{invoice.total:f}",
            "hjje": f"{invoice.amount:f}",
            "se": f"{invoice.tax:f}",
            "czydm": "sandbox",
            "fpqqlsh": invoice.serial if invoice.vendor == VENDOR else "",
            "kprq": kprq,
            "bz": invoice.remark,
            "ghdwmc": invoice.buyer_name,
            "ghdwdm": invoice.buyer_tax_id,
            "sfsdts": "0",
            "zyspmc": invoice.lines[0].name if invoice.lines else "",
            "fphm": invoice.number,
            "tscbz": "0",
            "dqsj": fmt_time(invoice.issued_at),
            "kpr": extra.get("kpr", ""),
            "skr": extra.get("skr", ""),
            "fhr": extra.get("fhr", ""),
            "kpdwdm": seller,
            "fplxdm": invoice.invoice_type,
            "fpzt": fpzt,
            "tdys": [],
            "sfwzzfp": "0",
            "dxtsbz": "0",
            "xhdwdm": seller,
            "hcFphm": None,
            "xhdwdzdh": extra.get("xhdwdzdh", ""),
            "xhdwyhzh": extra.get("xhdwyhzh", ""),
            "xhdwmc": invoice.seller_name,
            "zbmx": lines,
            "zsfs": extra.get("zsfs", "0"),
            "slsm": extra.get("slsm", ""),
            "qdbz": extra.get("qdbz", ""),
            "yfphm": invoice.blue_number or "",
            "tzdbh": invoice.red_form_no or "",
        }
    )
    return data
