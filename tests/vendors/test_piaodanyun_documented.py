"""piaodanyun client fed the document's own example replies (piaodanyun-api.md), over loopback:
face state from queryFaceAuthState, the QR from getFaceImg, and the full-only red chain."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import pytest

from invoicedesk.vendors.base import RedFormRequest, RedLineRequest, Rejected
from tests.vendors.canned import canned_server
from tests.vendors.rest_helpers import run
from tests.vendors.test_piaodanyun import make_vendor

# obtainToken's document shows only refusals; the literal reading of a success: data = token
TOKEN_OK: dict[str, Any] = {"code": 200, "msg": "成功", "data": "documented-token"}
FACE_IMG: dict[str, Any] = {
    "code": 200,
    "msg": "成功",
    "data": {
        "rzid": "5246703dc22842b5a3d7826f375e6c7d",
        "nsrsbh": "9151123123122031211",
        "ewm": "qrcode_id=gYyixYMScMK4GQc2LfzqvKVnk33kJHs7p5wnpig3QdYFAdAvmDp7i7Yobk7zzkNM"
        "&areaPrefix=5100&int erfaceCode=0004",
        "slzt": None,
        "emwly": "swj",
    },
    "total": 0,
}
FACE_STATE_Y: dict[str, Any] = {
    "code": 200,
    "msg": "成功",
    "data": "eyJZampiIjoiMDEiLCJTeGxiIjoiMyIsIlNmc2wiOiJZIiwiSXRzU2NhbkZsYWciOiJOIn0=",
    "total": 0,
}
RET_INVICE_MSG: dict[str, Any] = {
    "code": 200,
    "msg": "成功",
    "message": "成功",
    "data": {
        "fphm": "24112000000064654320",
        "message": "成功,本张发票可以开负数!",
        "xhdwsbh": "9111011457319202X9",
        "xhdwmc": "北京民诺科技有限公司",
        "ghdwsbh": None,
        "ghdwmc": "个人",
        "kprq": "2024-06-19 19:34:07",
        "hjje": -0.99,
        "hjse": -0.01,
        "fplxdm": "82",
        "tdyslxdm": None,
        "zsfs": "0",
        "jbr": None,
        "XfsytDm": "00",
        "ZzsytDm": "03",
        "FprzztDm": "00",
        "mxzb": [
            {
                "xh": 1,
                "sl": 0.01,
                "dw": "年",
                "spmc": "*软件*票单云财税管理系统",
                "se": -0.01,
                "je": -0.99,
                "spdj": "0.990099009901",
                "ggxh": "V1",
                "spsl": "-1",
                "spbm": "1060301020100000000",
                "zxbm": "",
                "hsbz": "",
                "yhzcbs": "0",
                "bb": "",
                "zzstsgl": None,
                "sqdh": "",
                "lslbs": "",
            }
        ],
    },
    "total": 0,
}
HZXXBSQ: dict[str, Any] = {
    "code": 200,
    "msg": "成功",
    "message": "成功",
    "data": {
        "sqsj": "2024-06-19 19:55:40",
        "xxbztDm": "01",
        "xxbbh": "11011424061000028528",
        "uuid": "4e75f060b492476383338a63aa96537a",
        "xxbzt": "无需确认",
    },
    "total": 0,
}
HZFPKJ: dict[str, Any] = {
    "code": 200,
    "msg": "负数发票开具成功",
    "message": "负数发票开具成功",
    "data": {
        "fphm": "24112000000064636722",
        "kprq": "2024-06-19 19:55:40",
        "xhdwsbh": "9111011457319202X9",
        "ghdwsbh": "",
        "xhdwmc": "北京民诺科技有限公司",
        "ghdwmc": "个人",
        "jshj": -1,
        "xxbbh": "11011424061000028528",
    },
    "total": 0,
}
BLUE = "24112000000064654320"


def face_state(sfsl: str) -> dict[str, Any]:
    """The documented state with another Sfsl value, in the document's shape."""
    data = {"Yjjb": "01", "Sxlb": "3", "Sfsl": sfsl, "ItsScanFlag": "N"}
    encoded = base64.b64encode(json.dumps(data).encode()).decode()
    return {**FACE_STATE_Y, "data": encoded}


def test_face_state_qr_and_poll_from_the_documented_replies() -> None:
    replies = {
        "obtainToken": [TOKEN_OK],
        "getFaceImg": [FACE_IMG],
        "queryFaceAuthState": [FACE_STATE_Y, FACE_STATE_Y, face_state("N")],
    }
    with canned_server(replies) as server:
        vendor = make_vendor(server.base_url)

        async def go() -> list[Any]:
            status = await vendor.face_status()
            challenge = await vendor.face_qr()
            polls = [await vendor.face_poll(challenge), await vendor.face_poll(challenge)]
            await vendor.close()
            return [status, challenge, polls]

        status, challenge, polls = run(go())
        (qr_call,) = server.sent("getFaceImg")
        state_calls = server.sent("queryFaceAuthState")
    assert status.needed and status.window_hours is None and status.valid_until is None
    assert challenge.text == FACE_IMG["data"]["ewm"]
    assert polls == [None, "ok"]
    assert "rzid" not in qr_call["query"] and qr_call["query"]["username"] == "13800000000"
    assert len(state_calls) == 3
    assert state_calls[0]["headers"]["authorization"] == "documented-token"


def test_full_red_chain_from_the_documented_replies() -> None:
    replies = {
        "obtainToken": [TOKEN_OK],
        "retInviceMsg": [RET_INVICE_MSG],
        "hzxxbsq": [HZXXBSQ],
        "hzfpkj": [HZFPKJ],
    }
    with canned_server(replies) as server:
        vendor = make_vendor(server.base_url)

        async def go() -> list[Any]:
            check = await vendor.red_check(BLUE)
            form = await vendor.red_apply(RedFormRequest(BLUE, "01", True))
            outcome = await vendor.red_issue(form, "91330106MA2H7Q3D1G_R1")
            await vendor.close()
            return [check, form, outcome]

        check, form, outcome = run(go())
        (apply_call,) = server.sent("hzxxbsq")
    assert check.ok and check.message == "成功,本张发票可以开负数!"
    assert (form.form_no, form.status, form.uuid) == (
        "11011424061000028528",
        "01",
        "4e75f060b492476383338a63aa96537a",
    )
    assert (form.amount, form.tax) == (Decimal("-0.99"), Decimal("-0.01"))
    sent = apply_call["body"]
    assert sent["sqyy"] == "2" and sent["hzxxbcheck"] == "1" and sent["yfphm"] == BLUE
    assert not [k for k in sent if k.startswith("mxzb")]
    assert outcome.state == "ISSUED" and outcome.invoice is not None
    assert outcome.invoice.number == "24112000000064636722"
    assert outcome.invoice.total == Decimal("-1") and outcome.invoice.blue_number == BLUE


def test_a_partial_red_form_is_refused_before_anything_is_sent() -> None:
    with canned_server({"obtainToken": [TOKEN_OK], "hzxxbsq": [HZXXBSQ]}) as server:
        vendor = make_vendor(server.base_url)
        line = RedLineRequest(1, Decimal("-1"), Decimal("-0.50"), Decimal("-0.01"))
        with pytest.raises(Rejected) as refused:
            run(vendor.red_apply(RedFormRequest(BLUE, "02", False, (line,))))
        assert server.sent("hzxxbsq") == []
    assert refused.value.code == "partial_red_unsupported" and "全额" in refused.value.message
    assert not vendor.partial_red
