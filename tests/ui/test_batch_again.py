"""Issue 19 item 11 in the running program: after a batch the status bar's 剩余授信额度 is read
again; the same sheet imported again says its drafts were issued, by which batch, and does not
offer to issue them again."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from invoicedesk.app import GuiApp
from invoicedesk.ui.main_window import Page
from tests.conftest import run_in_loop
from tests.e2e.helpers import sandbox_invoices
from tests.services.test_batch_io import GOOD, write_xlsx
from tests.ui.gui_fixtures import gui

__all__ = ["gui"]


def test_batch_refreshes_credit_and_a_sheet_issued_before_is_not_offered_again(
    qtbot: Any, qloop: Any, gui: GuiApp, sandbox: Any, tmp_path: Path
) -> None:
    assert run_in_loop(qtbot, qloop, gui.choose_account("piaodanyun", force=True))
    assert run_in_loop(qtbot, qloop, gui.services.account.sandbox_tax_login("piaodanyun"))
    run_in_loop(qtbot, qloop, gui.refresh_figures("piaodanyun"))
    window = gui.window
    before = window.credit_label.text()
    assert before.startswith("剩余授信额度：¥"), before
    qtbot.wait(1500)  # the refresh choosing an account schedules (after 1 s) is over
    assert window.credit_label.text() == before

    window.show_page(Page.BATCH)
    page = gui.batch_page
    qtbot.waitUntil(lambda: page.import_page.profile_box.count() > 0, timeout=10000)
    ip = page.import_page
    ip.profile_box.setCurrentText("piaodanyun")
    rows: list[dict[str, object]] = [
        {"draft": f"D{i}", **GOOD, "remark": f"第 {i} 张"} for i in range(3)
    ]
    book = write_xlsx(tmp_path / "十二月.xlsx", rows)
    assert run_in_loop(qtbot, qloop, ip.load(book))
    assert "可开具 3 张" in ip.summary.text()
    qtbot.mouseClick(ip.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            page.runs_done >= 1 and all(v.state == "issued" for v in page.progress_page.model.views)
        ),
        timeout=30000,
    )
    assert len(sandbox_invoices(sandbox, "piaodanyun")) == 3
    # 剩余授信额度 read again after the batch: 3 × 94.34 (the 金额 excl. tax of 100.00) less
    qtbot.waitUntil(lambda: window.credit_label.text() != before, timeout=10000)
    left_before = Decimal(before.split("¥")[1].replace(",", ""))
    left_after = Decimal(window.credit_label.text().split("¥")[1].replace(",", ""))
    assert left_before - left_after == Decimal("283.02")
    batch_id = page.batch_id

    # the same sheet again
    page.new_batch()
    assert run_in_loop(qtbot, qloop, ip.load(book))
    text = ip.summary.text()
    assert "可开具 0 张" in text and "跳过 3 张" in text
    assert f"其中 3 张已由批次 #{batch_id}“十二月.xlsx”（" in text, text
    assert not ip.start_button.isEnabled()
    numbers = {v.number for v in page.batches.items(batch_id)}
    detail = [p.message for d in ip.model.drafts for p in d.problems]
    assert all("已开具过" in m for m in detail) and len(detail) == 3
    assert {m.split("开具的发票 ")[1][:20] for m in detail} == numbers
    if shots := os.environ.get("INVOICEDESK_SCREENSHOT_DIR"):  # to look at it by eye
        window.grab().save(str(Path(shots) / "batch-again.png"))
    assert len(sandbox_invoices(sandbox, "piaodanyun")) == 3
