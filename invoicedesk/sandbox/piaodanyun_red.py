"""The 票单云 simulator's red chain (retInviceMsg, hzxxbsq, hzfpkj)."""

from __future__ import annotations

from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response

from invoicedesk.sandbox.piaodanyun_base import (
    VENDOR,
    Fail,
    PiaodanyunBase,
    _form_json,
    answer,
    fmt_time,
    need,
    read_fields,
)
from invoicedesk.sandbox.piaodanyun_treatments import (
    line_flags,
    red_extra,
)


class PiaodanyunRed(PiaodanyunBase):
    """The red chain: the blue invoice's details, the red form and the red invoice."""

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
        # "(暂时只支持)2:销方全额红冲;3:购方全额红冲": always a full form; rows such as mxzb are
        # not part of the document and are ignored like any unknown field
        form = self.state.red.apply(fields["yfphm"], reason, None, initiator)
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
