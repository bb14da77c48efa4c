"""The 票单云 simulator's wire: constants, reading form bodies, the answer envelope, and
the base of its handlers (piaodanyun.py describes what it decides where the document is silent)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from invoicedesk.sandbox.core import (
    DecimalJSONResponse,
    SandboxState,
    SbInvoice,
    to_decimal,
)
from invoicedesk.sandbox.piaodanyun_treatments import (
    line_flags,
)

VENDOR = "piaodanyun"
PHONE = "13800000000"
PASSWORD = "sandbox-password"
TENANT_ID = "1"
SMS_CODE = "123456"
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


# The top-level keys each endpoint's documented reply has (its "返回数据结构").
ENVELOPES = {
    "obtainToken": ("code", "msg", "data"),
    "invoiceQueryMx": ("code", "msg", "data"),
    "getFaceImg": ("code", "msg", "data", "total"),
    "queryFaceAuthState": ("code", "msg", "data", "total"),
    "blueTicket": ("code", "msg", "data", "total"),
    "getInvoicePdfOfd": ("code", "msg", "data", "total"),
}


def documented_envelope(endpoint: str, response: Response) -> Response:
    """Only the envelope keys the endpoint's document shows (the others show all five)."""
    keys = ENVELOPES.get(endpoint)
    if keys is None or not isinstance(response, DecimalJSONResponse):
        return response
    body = json.loads(bytes(response.body), parse_float=Decimal)
    if not isinstance(body, dict):
        return response
    return DecimalJSONResponse({k: body[k] for k in keys if k in body}, response.status_code)


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


class PiaodanyunBase:
    """The session, token and face checks, and the invoice reads, that the handlers share."""

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

    # ---- reads -------------------------------------------------------------------------------

    def _own_invoice(self, number_: str) -> SbInvoice:
        invoice = self.state.invoices.get(number_)
        if invoice is None or invoice.seller_tax_id != self.state.settings.seller_tax_id:
            raise Fail(999, f"未查询到发票号码为 {number_} 的发票")
        return invoice

    # ---- red chain -------------------------------------------------------------------------

    def _blue(self, number_: str) -> SbInvoice:
        invoice = self._own_invoice(number_)
        if invoice.color != "blue":
            raise Fail(999, f"发票 {number_} 是红字发票,不能红冲")
        return invoice


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
