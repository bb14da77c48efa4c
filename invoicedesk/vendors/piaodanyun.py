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
  `getFaceImg` gives `ewm` (QR text; `rzid` is kept as the challenge's token, never sent back).
  face_poll reads queryFaceAuthState only: getFaceImg takes no `rzid`, its `slzt` has no
  documented values, and each call may mint a new QR.
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
  form number or uuid in the answer is refused as "form_replaced"). Red letters are 全额 only:
  hzxxbsq's `sqyy` supports only 2 销方全额红冲 / 3 购方全额红冲, so a partial request is refused
  here (code "partial_red_unsupported") before anything is sent (`partial_red` is False,
  which the services and the red wizard follow). The form's figures come from retInviceMsg
  (what is still red-letterable). hzfpkj (red_issue) dedupes on fpqqlsh.
- Files: getInvoicePdfOfd downflag 1/2/3 → base64 in `data`.
- Tax treatments (blueTicket only): piaodanyun_treatments.py.
- Dates: `Kprq` comes as `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss`, read as China time (+08:00).
"""

from __future__ import annotations

import base64
import binascii
import logging
from decimal import Decimal
from typing import Any

from invoicedesk.domain.models import Draft
from invoicedesk.domain.money import compute_line, draft_deduction, money_text
from invoicedesk.vendors import piaodanyun_treatments
from invoicedesk.vendors.base import (
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
    ProtocolError,
    Rejected,
    VendorKey,
    expected_invoice,
    issued_line,
)
from invoicedesk.vendors.piaodanyun_red import PiaodanyunRed
from invoicedesk.vendors.piaodanyun_wire import (  # noqa: F401 - re-exported
    _DOWNFLAG,
    _KINDS,
    BUYER_ADDRESS_PHONE_MAX,
    OPEN_FORM_STATUSES,
    P_BLUE,
    P_CREDIT,
    P_FACE_IMG,
    P_FACE_STATE,
    P_FILES,
    P_LOGIN,
    P_QUERY,
    P_RED_APPLY,
    P_RED_CHECK,
    P_RED_ISSUE,
    P_TOKEN,
    VENDOR,
    _ci_get,
    _not_found,
    _text,
    decode_face_state,
    invoice_from_detail,
    parse_date,
    wire_decimal,
)
from invoicedesk.vendors.transport import (
    CHINA_TZ,
    as_decimal,
)

log = logging.getLogger(__name__)


class PiaodanyunVendor(PiaodanyunRed):
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
        """Answers "ok" once `queryFaceAuthState` says no scan is needed (`Sfsl` N), else None
        (still waiting). The document gives getFaceImg no `rzid` parameter and `slzt` no values; a
        getFaceImg call may mint a new QR: it is called only for a new QR (face_qr), when the
        user asks or the QR's lifetime ran out (services/face.py). A failed scan therefore
        shows as a QR that runs out."""
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
