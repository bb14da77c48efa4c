"""Simulator of 票单云 (piaodanyun-api.md), mounted under /piaodanyun.

Endpoints (fault `endpoint` = the last path segment):
  POST /obtainToken                                     token (phone|phone_email, pass, tenant_id,
                                                        token_type=TaxApi)
  POST /qdjk/fullExteriorInvoke/loginDppt               tax-bureau login, SMS in two calls
  POST /qdjk/fullApplets/queryFaceAuthState             base64 JSON with `Sfsl`
  GET  /qdjk/fullExteriorInvoke/getFaceImg              face QR text `ewm` (a new QR each call)
  POST /qdjk/fullExteriorInvoke/blueTicket              blue invoice (form-encoded fyxm[i][...])
  POST /qdjk/fullExteriorInvoke/getInvoicePdfOfd        PDF / OFD / XML (base64) or their URLs
  POST /qdjk/fullExteriorInvoke/invoiceQueryMx          detail by fphm or fpqqlsh, with zbmx
  POST /qdjk/allElectricInvoice/getCreditLine           credit line
  POST /qdjk/fullExteriorInvoke/retInviceMsg            查蓝票 before a red form
  POST /qdjk/fullExteriorInvoke/hzxxbsq                 红字信息表 apply (and status query)
  POST /qdjk/fullExteriorInvoke/hzfpkj                  红字发票
  GET  /files/{fphm}.{pdf|ofd|xml}                      the files behind downflag=4 URLs

Readings made where the document is silent:
- Envelope: each endpoint's reply has exactly the top-level keys its document shows
  (ENVELOPES: obtainToken and invoiceQueryMx `code, msg, data`; getFaceImg,
  queryFaceAuthState, blueTicket, getInvoicePdfOfd add `total`; the others
  `code, msg, message, data, total`), HTTP 200.
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
  (valid until "yyyy-MM-dd HH:mm:ss", "" when never scanned), both extensions the client uses
  when present. getFaceImg makes a fresh QR each call (`slzt` null, as printed; `rzid` is
  not a parameter and is ignored); the scan's outcome shows only in queryFaceAuthState.
  `emwly` (sic) is "swj" or, for type=2, "grsds".
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
  the form is always full (the document: "(暂时只支持)2:销方全额红冲;3:购方全额红冲"); rows
  such as `mxzb[i][…]` are not in the document and are ignored. Reason rules: 02 not on service-only
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
import secrets
import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from invoicedesk.sandbox.core import (
    Refused,
    SandboxState,
    SbInvoice,
    SbLine,
    check_figures,
    http_with_faults,
    to_decimal,
)
from invoicedesk.sandbox.files import file_bytes
from invoicedesk.sandbox.piaodanyun_base import (
    KINDS,
    PASSWORD,
    PHONE,
    SMS_CODE,
    TAX_RATES,
    TENANT_ID,
    VENDOR,
    FaceQr,
    Fail,
    _money,
    answer,
    detail_json,
    documented_envelope,
    fmt_time,
    need,
    number,
    read_fields,
    rows,
    token_expired,
)
from invoicedesk.sandbox.piaodanyun_red import PiaodanyunRed
from invoicedesk.sandbox.piaodanyun_treatments import (
    TreatmentRefused,
)
from invoicedesk.sandbox.piaodanyun_treatments import check_invoice as check_treatments

# ---- the routes --------------------------------------------------------------------------------


def routes(state: SandboxState) -> list[BaseRoute]:
    sim = Piaodanyun(state)

    def wrap(endpoint: str, handler: Any, *, auth: bool = True) -> Any:
        async def guarded(request: Request) -> Response:
            try:
                if auth:
                    sim.check_token(request)
                result: Response = await handler(request)
            except Fail as exc:
                result = answer(exc.code, exc.msg)
            except Refused as exc:
                result = answer(999, exc.message)
            return documented_envelope(endpoint, result)

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


class Piaodanyun(PiaodanyunRed):
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
        qr = FaceQr(
            rzid=uuid.uuid4().hex,
            tax_id=tax_id,
            ewm=(f"qrcode_id={secrets.token_urlsafe(48)}&areaPrefix=3300&interfaceCode=0004"),
            created=self.state.clock.now(),
            kind=kind,
            scans_before=len(self.state.face.scans.get((VENDOR, tax_id), [])),
        )
        self.data["qrs"][qr.rzid] = qr
        return answer(200, "成功", self._qr_json(qr, None))

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
