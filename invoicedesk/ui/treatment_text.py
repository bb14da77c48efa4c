"""Tax treatments as the preview and the history show them, in the window's language.

The words come from domain.treatments (face_cells: the 税率/税额 cells of the official layout,
domain reference §3); each is also a literal inside translate() here so that lupdate finds it."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from invoicedesk.domain import treatments


def _tr(text: str) -> str:
    return QCoreApplication.translate("TreatmentText", text)


def _words() -> dict[str, str]:
    return {"免税": _tr("免税"), "不征税": _tr("不征税")}


def face_cells(treatment: str, rate: Decimal, tax: Decimal) -> tuple[str, str] | None:
    """The 税率 and 税额 cells of a 免税 or 不征税 line as the official layout prints them
    (免税 / ***, 不征税 / empty); None for any other line, whose cells are its rate and tax."""
    if treatment not in ("exempt", "non_taxable"):
        return None
    rate_cell, tax_cell = treatments.face_cells(treatment, rate, tax)
    return _words().get(rate_cell, rate_cell), tax_cell


def seller_type_labels() -> dict[str, str]:
    return {"general": _tr("一般纳税人"), "small_scale": _tr("小规模纳税人")}


def rate_note_labels() -> dict[str, str]:
    return {
        "2": _tr("前期已开具发票，发生销售折让、中止或者退回等情形需要开具红字发票，"
                 "或者开票有误需要重新开具"),
        "3": _tr("因为实际经营业务需要，放弃享受减按1%征收率"),
    }  # fmt: skip


def deduction_mode_labels() -> dict[str, str]:
    return {"partial": _tr("差额征税（差额开具）"), "full": _tr("差额征税（全额开具）")}
