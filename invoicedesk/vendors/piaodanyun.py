"""票单云 (piaodanyun) client: token, tax-bureau SMS login, face auth, blue invoices, files,
detail query, credit line and the three-step red-letter chain.

Wire reading (../shared/vendor-apis/piaodanyun-api.md and README decisions):
- Every call is form-encoded (`application/x-www-form-urlencoded`); `code` 200 is success and
  `data` carries the answer. The token from `obtainToken` goes in `Authorization` as is.
- `obtainToken` is sent with `phone` = profile.options["phone"] (falls back to
  profile.user_name), `pass` = secret "password", `tenant_id` = profile.options["tenant_id"],
  `token_type` = TaxApi. Its `data` is the token string (a `{"token": ...}` object is accepted).
- The token is reused until the vendor says it expired (code 401, "token_expired" in
  errors.py); then it is renewed ONCE and that call retried once. Such an answer is a definite
  "not done", so even an issuing call may be retried; an ambiguous failure (timeout, dropped
  connection, 5xx, unreadable answer) never is: it leaves as OutcomeUnknown.
- `username` (局端账号) is profile.user_name; the tax-bureau password for `loginDppt` is the
  secret "tax_password" (empty when the store has none). Every /qdjk call needs a live
  tax-bureau session: `sms_login_start()` (loginDppt without `sms`, the vendor texts a code) then
  `sms_login_finish(code)`; `tax_login()` is `sms_login_start()`. A lapsed session is
  AuthExpired with code "tax_login_required" (no token renewal for that).
- blueTicket: every figure is sent tax-exclusive (`hsbz` 0) as a plain decimal string computed
  by domain.money, so 金额 + 税额 = 价税合计 holds exactly; `fpqqlsh` is our serial (it must be
  "<seller tax ID>_<...>", ≤ 40 chars). Seller address/phone and bank/account come from
  profile.options["seller_address_phone"] / ["seller_bank_account"]. The vendor dedupes on
  `fpqqlsh`: a repeat returns the first invoice. A face scan needed → FaceAuthRequired (the
  services run face_qr/face_poll and issue again with the SAME serial).
- query(serial) returns None only on the vendor's "未查询到…" (code "not_found"); any other
  refusal is raised, since it says nothing about the serial.
- Face: `queryFaceAuthState` data is base64 JSON; `Sfsl` Y means a scan is needed; the window
  (`Rzyxsc`, hours) and its end (`Rzyxqz`) are read from the same JSON (never a constant).
  `getFaceImg` gives `ewm` (QR text) and `rzid` (the challenge token); face_poll asks getFaceImg
  with that `rzid` for `slzt` (1 waiting, 2 ok, 3 expired or failed: get a new QR).
- Red: retInviceMsg (red_check; a refusal → BlueCheck(ok=False)). hzxxbsq's `hzxxbcheck`
  ("传 1 不校验，直接去局端申请，否则申请过红字信息表返回申请过的数据") is read as the switch
  between two calls: WITH hzxxbcheck=1 it applies for a NEW form (red_apply; every partial red
  needs its own form); WITHOUT it, it returns the form already applied for the blue invoice
  as it is now (red_status: 01–10, void ones included). red_apply refused because an open
  form locks the blue invoice ("…锁定") reads that form and returns it when it is 01–04 (a
  retry after a lost answer; the bureau keeps at most one open form per blue invoice).
  red_status needs the blue number and reason the form was applied with: the caller passes
  the form it stored (`known`, RedService keeps form_no/uuid/reason in its case, so this
  survives a restart); the call also sends `xxbbh` = the form number (an extension, so the
  vendor answers about that form; one that ignores it answers the latest form, and a different
  form number or uuid in the answer is refused as "form_replaced"). Partial forms send
  `mxzb[i][xh|je|se|spsl]` with negative je/se/spsl (the sandbox's reading; the document only
  does full forms). The form's figures come from retInviceMsg (what is still red-letterable)
  or, for partial forms, the request. hzfpkj (red_issue) dedupes on fpqqlsh.
- Files: getInvoicePdfOfd downflag 1/2/3 → base64 in `data`.
- Tax treatments (blueTicket only): piaodanyun_treatments.py.
- Dates: `Kprq` comes as `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss`, read as China time (+08:00).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import json
import logging
import re
from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Draft
from invoicedesk.domain.money import compute_line, draft_deduction, money_text
from invoicedesk.vendors import piaodanyun_treatments
from invoicedesk.vendors.base import (
    AuthExpired,
    BlueCheck,
    Capability,
    CreditLine,
    FaceChallenge,
    FaceHandler,
    FaceResult,
    FaceStatus,
    IssuedInvoice,
    IssuedLine,
    IssueOutcome,
    OutcomeUnknown,
    Profile,
    ProtocolError,
    RedForm,
    RedFormRequest,
    Rejected,
    SecretGetter,
    VendorError,
    VendorKey,
    expected_invoice,
    issued_line,
)
from invoicedesk.vendors.errors import vendor_error
from invoicedesk.vendors.http_vendor import HttpVendor
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    HttpTransport,
    OnCall,
    as_decimal,
    register_secret,
)

log = logging.getLogger(__name__)

VENDOR = VendorKey.PIAODANYUN.value
# ghdwdzdh (购方地址电话) holds address and phone together; the platform caps it like an address
BUYER_ADDRESS_PHONE_MAX = 300

P_TOKEN = "/obtainToken"
P_FACE_IMG = "/qdjk/fullExteriorInvoke/getFaceImg"
P_FACE_STATE = "/qdjk/fullApplets/queryFaceAuthState"
P_BLUE = "/qdjk/fullExteriorInvoke/blueTicket"
P_FILES = "/qdjk/fullExteriorInvoke/getInvoicePdfOfd"
P_LOGIN = "/qdjk/fullExteriorInvoke/loginDppt"
P_QUERY = "/qdjk/fullExteriorInvoke/invoiceQueryMx"
P_CREDIT = "/qdjk/allElectricInvoice/getCreditLine"
P_RED_CHECK = "/qdjk/fullExteriorInvoke/retInviceMsg"
P_RED_APPLY = "/qdjk/fullExteriorInvoke/hzxxbsq"
P_RED_ISSUE = "/qdjk/fullExteriorInvoke/hzfpkj"

_KINDS = {"normal": "0", "discount": "1", "discounted": "2"}
_KIND_OF = {"0": "normal", "1": "discount", "2": "discounted"}
_DOWNFLAG = {"pdf": "1", "ofd": "2", "xml": "3"}
OPEN_FORM_STATUSES = frozenset({"01", "02", "03", "04"})
# hzxxbsq's refusal when an open form already locks the blue invoice
_LOCKED = re.compile(r"锁定")


# ---- small readers ----------------------------------------------------------------------------


def wire_decimal(value: Decimal) -> str:
    """A Decimal as plain text, never in exponent form."""
    return format(value, "f")


def _money(value: Any) -> Decimal:
    return as_decimal(value) or Decimal("0")


def parse_date(text: Any) -> dt.datetime | None:
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def decode_face_state(data: Any) -> dict[str, Any]:
    """queryFaceAuthState's `data`: base64 of a JSON object (a plain object is accepted too)."""
    if isinstance(data, dict):
        return data
    if not isinstance(data, str):
        raise ProtocolError(
            "人脸认证状态无法识别",
            code="bad_face_state",
            vendor=VENDOR,
            next_step="请稍后重试；如仍失败请联系票单云。",
        )
    try:
        decoded = json.loads(base64.b64decode(data + "=" * (-len(data) % 4)).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(
            "人脸认证状态无法识别",
            code="bad_face_state",
            vendor=VENDOR,
            next_step="请稍后重试；如仍失败请联系票单云。",
        ) from exc
    if not isinstance(decoded, dict):
        raise ProtocolError("人脸认证状态无法识别", code="bad_face_state", vendor=VENDOR)
    return decoded


def _ci_get(obj: dict[str, Any], *names: str) -> Any:
    """First present key, case-insensitively (the vendor mixes `Sfsl`, `sfsl`, `SFSL`)."""
    lowered = {k.lower(): v for k, v in obj.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def invoice_from_detail(data: dict[str, Any]) -> IssuedInvoice:
    """An invoiceQueryMx `data` object (also used for retInviceMsg's blue-invoice data)."""
    lines = []
    for row in data.get("zbmx") or data.get("mxzb") or []:
        if not isinstance(row, dict):
            continue
        kind = _KIND_OF.get(_text(row.get("fphxz")), "normal")
        lines.append(
            IssuedLine(
                name=_text(row.get("spmc")),
                tax_code=_text(row.get("spbm")),
                spec=_text(row.get("ggxh")),
                unit=_text(row.get("dw")),
                quantity=as_decimal(row.get("spsl")),
                unit_price=as_decimal(row.get("spdj")),
                amount=_money(row.get("je")),
                tax_rate=_money(row.get("sl")),
                tax=_money(row.get("se")),
                kind=kind,  # type: ignore[arg-type]
            )
        )
    amount = _money(data.get("hjje"))
    tax = _money(data.get("hjse") if data.get("hjse") not in (None, "") else data.get("se"))
    total = as_decimal(data.get("jshj"))
    if total is None:
        total = amount + tax
    blue = _text(data.get("yfphm")) or None
    color = "red" if (blue or total < 0) else "blue"
    return IssuedInvoice(
        number=_text(data.get("fphm")) or None,
        date=parse_date(data.get("kprq")),
        serial=_text(data.get("fpqqlsh")) or None,
        amount=amount,
        tax=tax,
        total=total,
        buyer_name=_text(data.get("ghdwmc")),
        buyer_tax_id=_text(data.get("ghdwsbh")) or _text(data.get("ghdwdm")),
        invoice_type=_text(data.get("fplxdm")),
        color=color,  # type: ignore[arg-type]
        blue_number=blue,
        status=_text(data.get("fpzt")),
        lines=tuple(lines),
    )


# ---- the client -------------------------------------------------------------------------------


class PiaodanyunVendor(HttpVendor):
    key = VendorKey.PIAODANYUN
    capabilities = (
        Capability.ISSUE
        | Capability.TAX_LOGIN
        | Capability.FACE_AUTH
        | Capability.QUERY_ONE
        | Capability.LINE_ITEMS
        | Capability.FILES
        | Capability.RED_LETTER
        | Capability.CREDIT_LINE
    )
    treatments = piaodanyun_treatments.SUPPORT

    http_timeout_s: float = 15  # per call; blueTicket answers synchronously

    def __init__(
        self,
        profile: Profile,
        secrets: SecretGetter,
        *,
        on_call: OnCall | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(profile, secrets, on_call=on_call, timeout=timeout)
        self._token: str | None = None
        self._token_lock: asyncio.Lock | None = None
        self._forms: dict[str, RedForm] = {}  # form_no -> the form as last read

    # ---- plumbing ---------------------------------------------------------------------------

    @property
    def _username(self) -> str:
        return self.profile.user_name

    @property
    def _tax_id(self) -> str:
        return self.profile.seller.tax_id

    def _transport(self) -> HttpTransport:
        return self.http  # HttpVendor: made on first use, inside the running loop

    async def _secret(self, name: str, *, optional: bool = False) -> str:
        """A secret from the SecretStore; an optional one missing there reads as ""."""
        try:
            value = await self.secrets(name)
            register_secret(value)  # the log filter masks it wherever it shows up
            return value
        except LookupError:
            if optional:
                return ""
            raise

    async def _obtain_token(self) -> str:
        form = {
            "phone": self.profile.options.get("phone", self.profile.user_name),
            "pass": await self._secret("password"),
            "tenant_id": self.profile.options.get("tenant_id", ""),
            "token_type": "TaxApi",
        }
        data = await self._post_raw(P_TOKEN, form, token=None, idempotent=True)
        token = data.get("token") if isinstance(data, dict) else data
        if not isinstance(token, str) or not token:
            raise ProtocolError(
                "票单云未返回访问令牌",
                code="no_token",
                vendor=VENDOR,
                next_step="请稍后重试；如仍失败请联系票单云。",
            )
        register_secret(token)
        return token

    async def _get_token(self, stale: str | None = None) -> str:
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            # Another task may have renewed it while we waited.
            if self._token is None or self._token == stale:
                self._token = await self._obtain_token()
            return self._token

    async def _post_raw(
        self,
        path: str,
        form: dict[str, str] | None,
        *,
        token: str | None,
        idempotent: bool,
        method: str = "POST",
        params: dict[str, str] | None = None,
    ) -> Any:
        headers = {"Authorization": token} if token else None
        try:
            reply = await self._transport().request(
                method, path, data=form, params=params, headers=headers, idempotent=idempotent
            )
            body = reply.json()
        except ProtocolError as exc:
            if idempotent:
                raise
            # An unreadable answer to a call that may have acted: the outcome is unknown.
            raise OutcomeUnknown(
                "票单云的回复无法识别，无法确定是否已处理",
                code=exc.code or "malformed",
                vendor=VENDOR,
                next_step="请先按流水号查询结果，确认后再决定是否重开。",
            ) from exc
        if not isinstance(body, dict) or "code" not in body:
            err_cls = ProtocolError if idempotent else OutcomeUnknown
            raise err_cls(
                "票单云的回复无法识别",
                code=f"http_{reply.status}",
                vendor=VENDOR,
                next_step="请稍后重试；开票请先按流水号查询结果。",
            )
        code = _text(body.get("code"))
        if code == "200":
            return body.get("data")
        message = _text(body.get("msg")) or _text(body.get("message"))
        raise vendor_error(VENDOR, code, message)

    async def _call(
        self,
        path: str,
        form: dict[str, str] | None,
        *,
        idempotent: bool,
        method: str = "POST",
        params: dict[str, str] | None = None,
    ) -> Any:
        token = await self._get_token()
        try:
            return await self._post_raw(
                path, form, token=token, idempotent=idempotent, method=method, params=params
            )
        except AuthExpired as exc:
            if exc.code != "token_expired":
                raise  # e.g. the tax-bureau login lapsed: a new token would not help
            # The vendor refused the token outright (nothing was done): renew once, retry once.
            token = await self._get_token(stale=token)
            return await self._post_raw(
                path, form, token=token, idempotent=idempotent, method=method, params=params
            )

    # ---- connection and login ---------------------------------------------------------------

    async def check_connection(self) -> None:
        self._token = None
        await self.credit_line()

    async def tax_login(self) -> None:
        """The tax-bureau login always goes through SMS here: this sends the code."""
        await self.sms_login_start()

    async def _login_form(self) -> dict[str, str]:
        return {
            "nsrsbh": self._tax_id,
            "username": self._username,
            "password": await self._secret("tax_password", optional=True),
        }

    async def sms_login_start(self) -> None:
        await self._call(P_LOGIN, await self._login_form(), idempotent=False)

    async def sms_login_finish(self, code: str) -> None:
        form = await self._login_form()
        form["sms"] = code.strip()
        await self._call(P_LOGIN, form, idempotent=False)

    # ---- face authentication ----------------------------------------------------------------

    async def _face_state(self) -> dict[str, Any]:
        data = await self._call(
            P_FACE_STATE, {"nsrsbh": self._tax_id, "username": self._username}, idempotent=True
        )
        return decode_face_state(data)

    async def face_status(self) -> FaceStatus:
        """`Sfsl` Y: a scan is needed. The window (`Rzyxsc`, hours) and its end (`Rzyxqz`) are
        the company's setting as the vendor reports it; None when the vendor says nothing."""
        state = await self._face_state()
        needed = _text(_ci_get(state, "Sfsl")).upper() != "N"
        window = as_decimal(_ci_get(state, "Rzyxsc"))
        valid_until = parse_date(_ci_get(state, "Rzyxqz"))
        return FaceStatus(needed=needed, valid_until=valid_until, window_hours=window)

    async def face_qr(self, app: int = 1) -> FaceChallenge:
        params = {"nsrsbh": self._tax_id, "username": self._username, "type": str(app)}
        data = await self._call(P_FACE_IMG, None, idempotent=True, method="GET", params=params)
        if not isinstance(data, dict) or not _text(data.get("ewm")):
            raise ProtocolError(
                "票单云未返回人脸二维码",
                code="no_qr",
                vendor=VENDOR,
                next_step="请稍后重新获取二维码。",
            )
        return FaceChallenge(text=_text(data["ewm"]), app=app, token=_text(data.get("rzid")))

    async def face_poll(self, challenge: FaceChallenge) -> FaceResult | None:
        """getFaceImg with the challenge's `rzid` reports `slzt`: 1 waiting (None), 2 "ok",
        3 "expired" (the QR ran out or the scan failed: either way fetch a new QR). Without an
        rzid, the face state decides ("ok" once no scan is needed)."""
        if challenge.token:
            params = {
                "nsrsbh": self._tax_id,
                "username": self._username,
                "type": str(challenge.app),
                "rzid": challenge.token,
            }
            data = await self._call(P_FACE_IMG, None, idempotent=True, method="GET", params=params)
            slzt = _text(data.get("slzt")) if isinstance(data, dict) else ""
            if slzt == "2":
                return "ok"
            if slzt == "3":
                return "expired"
            if slzt not in ("", "1"):
                raise ProtocolError(
                    "人脸认证状态无法识别",
                    code="bad_face_state",
                    vendor=VENDOR,
                    next_step="请重新获取二维码。",
                )
            if slzt == "1":
                return None
        state = await self._face_state()
        return "ok" if _text(_ci_get(state, "Sfsl")).upper() == "N" else None

    # ---- issuing ----------------------------------------------------------------------------

    def _blue_form(self, draft: Draft, serial: str) -> tuple[dict[str, str], IssuedInvoice]:
        self.refuse_uncarried(draft)  # e.g. 出口零税率: nothing is sent
        buyer = draft.buyer
        opts = self.profile.options
        address_phone = " ".join(p for p in (buyer.address, buyer.phone) if p)
        if len(address_phone) > BUYER_ADDRESS_PHONE_MAX:
            # 票单云 takes address and phone as one field (ghdwdzdh): each may be within its own
            # limit and the two together still too long. Refused here, before anything is sent.
            raise Rejected(
                f"购买方地址和电话合计 {len(address_phone)} 个字，"
                f"超过票单云的 {BUYER_ADDRESS_PHONE_MAX} 字上限，未开票",
                code="buyer_address_phone_too_long",
                vendor=VENDOR,
                fields=("buyer.address", "buyer.phone"),
                next_step="请缩短购买方地址或电话后再开票。",
            )
        form: dict[str, str] = {
            "username": self._username,
            "fpqqlsh": serial,
            "fplxdm": draft.invoice_type,
            "kplx": "0",
            "xhdwsbh": self._tax_id,
            "xhdwmc": self.profile.seller.name,
            "xhdwdzdh": opts.get("seller_address_phone", ""),
            "xhdwyhzh": opts.get("seller_bank_account", ""),
            "ghdwsbh": buyer.tax_id,
            "ghdwmc": buyer.name,
            "ghdwdzdh": address_phone,
            "ghdwyhzh": " ".join(p for p in (buyer.bank, buyer.bank_account) if p),
            "gfkhyx": buyer.email,
            "gfkhdh": buyer.phone,
            "gfzrrbs": "Y" if buyer.natural_person else "N",
            "bz": draft.remark,
        }
        deduction = draft_deduction(draft)
        form.update(piaodanyun_treatments.invoice_fields(draft, deduction))
        total_amount = Decimal("0")
        total_tax = Decimal("0")
        lines = []
        for i, line in enumerate(draft.lines):
            try:
                fig = compute_line(line, deduction)
            except (ValueError, ArithmeticError) as exc:
                raise Rejected(
                    f"第{i + 1}行的数量、单价、金额或税率有误，未开票",
                    code="bad_line",
                    vendor=VENDOR,
                    fields=(f"lines[{i}]",),
                    next_step="请在草稿中改正该行后再开票。",
                ) from exc
            p = f"fyxm[{i}]"
            form[f"{p}[fphxz]"] = _KINDS.get(line.kind, "0")
            form[f"{p}[spmc]"] = line.name
            form[f"{p}[ggxh]"] = line.spec
            form[f"{p}[dw]"] = line.unit
            quantity = getattr(fig, "quantity", None)
            price = getattr(fig, "unit_price_excl", None)
            form[f"{p}[spsl]"] = wire_decimal(quantity) if quantity is not None else ""
            form[f"{p}[dj]"] = wire_decimal(price) if price is not None else ""
            form[f"{p}[je]"] = money_text(fig.amount)
            form[f"{p}[sl]"] = wire_decimal(fig.tax_rate)
            form[f"{p}[se]"] = money_text(fig.tax)
            form[f"{p}[hsbz]"] = "0"
            form[f"{p}[spbm]"] = line.tax_code
            for key, value in piaodanyun_treatments.line_fields(i, line, fig.tax_rate).items():
                form[f"{p}[{key}]"] = value
            total_amount += fig.amount
            total_tax += fig.tax
            lines.append(issued_line(line, fig, quantity, price))
        form["hjje"] = money_text(total_amount)
        form["hjse"] = money_text(total_tax)
        form["jshj"] = money_text(total_amount + total_tax)
        expected = expected_invoice(draft, serial, lines)
        return form, expected

    async def issue(
        self, draft: Draft, serial: str, face: FaceHandler | None = None
    ) -> IssueOutcome:
        """blueTicket. FaceAuthRequired when the tax bureau wants a scan first (run the face
        flow with face_qr/face_poll, then issue again with the SAME serial)."""
        form, expected = self._blue_form(draft, serial)
        data = await self._call(P_BLUE, form, idempotent=False)
        number = _text(_ci_get(data, "Fphm")) if isinstance(data, dict) else ""
        if not number:
            raise OutcomeUnknown(
                "票单云回复成功但没有发票号码，无法确定是否已开具",
                code="no_number",
                vendor=VENDOR,
                next_step="请先按流水号查询结果，确认后再决定是否重开。",
            )
        invoice = IssuedInvoice(
            number=number,
            date=parse_date(_ci_get(data, "Kprq")),
            serial=serial,
            amount=expected.amount,
            tax=expected.tax,
            total=expected.total,
            buyer_name=expected.buyer_name,
            buyer_tax_id=expected.buyer_tax_id,
            invoice_type=expected.invoice_type,
            lines=expected.lines,
        )
        return IssueOutcome(state="ISSUED", serial=serial, invoice=invoice)

    # ---- queries and files ------------------------------------------------------------------

    async def _detail(self, *, number: str = "", serial: str = "") -> IssuedInvoice:
        form = {
            "username": self._username,
            "nsrsbh": self._tax_id,
            "fphm": number,
            "fpqqlsh": serial,
        }
        data = await self._call(P_QUERY, form, idempotent=True)
        if not isinstance(data, dict) or not _text(data.get("fphm")):
            raise _not_found(number or serial)
        return invoice_from_detail(data)

    async def query(self, serial: str) -> IssuedInvoice | None:
        """The invoice issued for this fpqqlsh, or None when the vendor knows none."""
        try:
            return await self._detail(serial=serial)
        except Rejected as exc:
            # "No such invoice" is a definite answer: nothing was made for this serial. Any
            # other refusal (not logged in, ...) says nothing about the serial.
            if exc.code == "not_found":
                return None
            raise

    async def get_invoice(self, number: str) -> IssuedInvoice:
        return await self._detail(number=number)

    async def line_items(self, number: str) -> list[IssuedLine]:
        return list((await self.get_invoice(number)).lines)

    async def download(self, invoice: IssuedInvoice, kind: str) -> bytes:
        flag = _DOWNFLAG.get(kind.lower())
        if flag is None:
            raise self._unsupported(f"{kind} 格式文件")
        if not invoice.number:
            raise Rejected("这张发票还没有号码，无法下载文件", code="no_number", vendor=VENDOR)
        form = {
            "username": self._username,
            "downflag": flag,
            "nsrsbh": self._tax_id,
            "fphm": invoice.number,
            "addSeal": "1",
        }
        if invoice.date is not None:
            form["kprq"] = invoice.date.astimezone(CHINA_TZ).strftime("%Y%m%d%H%M%S")
        data = await self._call(P_FILES, form, idempotent=True)
        if isinstance(data, str) and data:
            try:
                return base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ProtocolError(
                    "发票文件无法解码",
                    code="bad_file",
                    vendor=VENDOR,
                    next_step="请稍后重试下载。",
                ) from exc
        raise ProtocolError(
            "票单云未返回发票文件", code="no_file", vendor=VENDOR, next_step="请稍后重试下载。"
        )

    async def credit_line(self) -> CreditLine:
        data = await self._call(
            P_CREDIT, {"nsrsbh": self._tax_id, "username": self._username}, idempotent=True
        )
        left = as_decimal(data.get("sysxed")) if isinstance(data, dict) else None
        if left is None:
            raise ProtocolError(
                "票单云未返回剩余额度",
                code="no_credit",
                vendor=VENDOR,
                next_step="请稍后重试。",
            )
        used = as_decimal(data.get("ysysxed"))
        return CreditLine(total=as_decimal(data.get("zsxed")), used=used, left=left)

    # ---- red letters ------------------------------------------------------------------------

    async def _blue_info(self, blue_number: str) -> dict[str, Any]:
        form = {
            "username": self._username,
            "nsrsbh": self._tax_id,
            "fphm": blue_number,
            "sqyy": "2",
        }
        data = await self._call(P_RED_CHECK, form, idempotent=True)
        if not isinstance(data, dict):
            raise ProtocolError("票单云未返回蓝字发票信息", code="no_blue", vendor=VENDOR)
        return data

    async def red_check(self, blue_number: str) -> BlueCheck:
        try:
            data = await self._blue_info(blue_number)
        except Rejected as exc:
            return BlueCheck(number=blue_number, ok=False, message=exc.message)
        invoice = invoice_from_detail({**data, "fphm": data.get("fphm") or blue_number})
        return BlueCheck(
            number=blue_number,
            ok=True,
            message=_text(data.get("message")),
            invoice=invoice,
        )

    def _form_fields(self, blue_number: str, reason: str) -> dict[str, str]:
        return {
            "username": self._username,
            "xhdwsbh": self._tax_id,
            "yfphm": blue_number,
            "chyydm": reason,
            "sqyy": "2",
        }

    async def red_apply(self, request: RedFormRequest) -> RedForm:
        """hzxxbsq as 销方 (sqyy 2) with hzxxbcheck=1: a NEW form at the tax bureau (a blue
        invoice may carry several partial reds, one form each). The bureau refuses a second
        form while an open one locks the blue invoice ("…锁定"); that refusal is answered by
        reading the blue invoice's current form (hzxxbsq without hzxxbcheck) and returning it
        when it is open (01–04): a retry after a lost answer thus gets the form its first
        attempt made, never a second one. Partial forms send `mxzb[i][xh|je|se|spsl]`."""
        amount, tax = await self._red_figures(request)
        form = self._form_fields(request.blue_number, request.reason)
        for i, line in enumerate(request.lines if not request.full else ()):
            form[f"mxzb[{i}][xh]"] = str(line.blue_line_index)
            form[f"mxzb[{i}][je]"] = money_text(-abs(line.amount))
            form[f"mxzb[{i}][se]"] = money_text(-abs(line.tax))
            if line.quantity is not None:
                form[f"mxzb[{i}][spsl]"] = wire_decimal(-abs(line.quantity))
        try:
            data = await self._call(P_RED_APPLY, {**form, "hzxxbcheck": "1"}, idempotent=False)
        except Rejected as exc:
            if not _LOCKED.search(exc.message):
                raise
            current = self._form_fields(request.blue_number, request.reason)
            data = await self._call(P_RED_APPLY, current, idempotent=True)
            red = self._red_form(data, request.blue_number, amount, tax, request.reason)
            if red.status not in OPEN_FORM_STATUSES:
                raise
        red = self._red_form(data, request.blue_number, amount, tax, request.reason)
        self._forms[red.form_no] = red
        return red

    async def _red_figures(self, request: RedFormRequest) -> tuple[Decimal, Decimal]:
        """The form's (negative) amount and tax: the request's lines for a partial form; for a
        full one what retInviceMsg says is still red-letterable, or (when the blue invoice is
        already locked by a form) the blue invoice's own totals."""
        if not request.full:
            amount = sum((-abs(x.amount) for x in request.lines), Decimal("0"))
            return amount, sum((-abs(x.tax) for x in request.lines), Decimal("0"))
        try:
            blue = await self._blue_info(request.blue_number)
            return -abs(_money(blue.get("hjje"))), -abs(_money(blue.get("hjse")))
        except Rejected:
            invoice = await self.get_invoice(request.blue_number)
            return -abs(invoice.amount), -abs(invoice.tax)

    async def red_status(self, form_no: str, known: RedForm | None = None) -> RedForm:
        """The form as it is now (01–10, void ones included). The document has no status call:
        hzxxbsq without hzxxbcheck returns the form already applied for the blue invoice. It
        needs the blue number and reason the form was applied with: from `known` (the caller
        keeps them, e.g. in its store, so this works after a restart) or from this client's
        own memory of red_apply. `xxbbh` names the form we mean (an extension: a vendor that
        ignores it answers the blue invoice's latest form); an answer about another form is
        refused (code "form_replaced") rather than misread as ours."""
        if known is None or not known.blue_number or not known.reason:
            known = self._forms.get(form_no) or known
        if known is None or not known.blue_number or not known.reason:
            raise Rejected(
                f"不知道红字信息表 {form_no} 对应的蓝字发票",
                code="unknown_form",
                vendor=VENDOR,
                next_step="请从红字发票页面打开该红冲记录后再刷新。",
            )
        form = {**self._form_fields(known.blue_number, known.reason), "xxbbh": form_no}
        # Without hzxxbcheck this only reads the existing form (it never makes a second one).
        data = await self._call(P_RED_APPLY, form, idempotent=True)
        red = self._red_form(data, known.blue_number, known.amount, known.tax, known.reason)
        if red.form_no != form_no or (known.uuid and red.uuid and red.uuid != known.uuid):
            raise Rejected(
                f"红字信息表 {form_no} 已不是该蓝字发票的当前信息表，平台返回了 {red.form_no}",
                code="form_replaced",
                vendor=VENDOR,
                next_step="请到电子税务局核对该信息表的状态。",
            )
        self._forms[form_no] = red
        return red

    def _red_form(
        self, data: Any, blue_number: str, amount: Decimal, tax: Decimal, reason: str
    ) -> RedForm:
        if not isinstance(data, dict) or not _text(data.get("xxbbh")):
            raise OutcomeUnknown(
                "票单云未返回红字信息表编号，无法确定是否已申请",
                code="no_form",
                vendor=VENDOR,
                next_step="请稍后再次申请（蓝票被未完成的信息表锁定时，会返回该信息表）。",
            )
        return RedForm(
            form_no=_text(data.get("xxbbh")),
            status=_text(data.get("xxbztDm")),
            blue_number=_text(data.get("yfphm")) or blue_number,
            amount=amount,
            tax=tax,
            created_at=parse_date(data.get("sqsj")),
            uuid=_text(data.get("uuid")),
            reason=reason,
        )

    async def red_issue(self, form: RedForm, serial: str) -> IssueOutcome:
        body = {
            "username": self._username,
            "fpqqlsh": serial,
            "xhdwsbh": self._tax_id,
            "tzdbh": form.form_no,
            "yfphm": form.blue_number,
        }
        data = await self._call(P_RED_ISSUE, body, idempotent=False)
        number = _text(data.get("fphm")) if isinstance(data, dict) else ""
        if not number:
            raise OutcomeUnknown(
                "票单云回复成功但没有红字发票号码，无法确定是否已开具",
                code="no_number",
                vendor=VENDOR,
                next_step="请先按流水号查询结果，确认后再决定是否重开。",
            )
        total = as_decimal(data.get("jshj"))
        invoice = IssuedInvoice(
            number=number,
            date=parse_date(data.get("kprq")),
            serial=serial,
            amount=form.amount,
            tax=form.tax,
            total=total if total is not None else form.amount + form.tax,
            buyer_name=_text(data.get("ghdwmc")),
            buyer_tax_id=_text(data.get("ghdwsbh")),
            color="red",
            blue_number=form.blue_number,
        )
        return IssueOutcome(state="ISSUED", serial=serial, invoice=invoice)


def _not_found(what: str) -> VendorError:
    return Rejected(  # same code as the vendor's own "未查询到…" (errors.py)
        f"票单云没有查到发票 {what}",
        code="not_found",
        vendor=VENDOR,
        next_step="请核对发票号码或流水号。",
    )
