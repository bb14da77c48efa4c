"""One vocabulary for the history's 状态 column, read from each platform's own status.

The platforms say the same thing in different words and codes (open-api "开票成功", piaodanyun
fpzt "00"/"03"/"04", ws-invoice "部分红冲", the sandbox's "issued"); the history shows one word
per meaning. A status nobody has mapped yet is shown as the platform wrote it rather than guessed.
"""

from __future__ import annotations

NORMAL = "正常"
PARTLY_RED = "部分红冲"
FULLY_RED = "已红冲"
VOID = "已作废"
PENDING = "开票中"  # the platform took the request and has not issued yet
NUMBER_PENDING = "号码待查"  # issued, its number not known yet (ws-invoice, issue 13)

VOCABULARY = (NORMAL, PARTLY_RED, FULLY_RED, VOID, PENDING, NUMBER_PENDING)

_SYNONYMS: dict[str, str] = {
    "": NORMAL,
    "00": NORMAL,
    "正常": NORMAL,
    "开票成功": NORMAL,
    "已开具": NORMAL,
    "已开票": NORMAL,
    "蓝票": NORMAL,
    "issued": NORMAL,
    "success": NORMAL,
    "normal": NORMAL,
    "03": PARTLY_RED,
    "部分红冲": PARTLY_RED,
    "red_partly": PARTLY_RED,
    "04": FULLY_RED,
    "已红冲": FULLY_RED,
    "全额红冲": FULLY_RED,
    "red_fully": FULLY_RED,
    "作废": VOID,
    "已作废": VOID,
    "void": VOID,
    "开票中": PENDING,
    "已提交": PENDING,
    "processing": PENDING,
    "accepted": PENDING,
    "订单已接收，待开票": PENDING,
    "号码待查": NUMBER_PENDING,
}


def status_word(raw: str, *, has_number: bool = True) -> str:
    """The history's word for a platform status. An invoice without a number that the platform
    reports as fine has not been issued yet as far as we can tell: 开票中."""
    word = _SYNONYMS.get(raw.strip().lower(), _SYNONYMS.get(raw.strip(), raw.strip()))
    if word == NORMAL and not has_number:
        return PENDING
    return word
