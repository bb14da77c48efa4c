"""The Qt model contract (pytest-qt's qtmodeltester) on the plain Qt models the window fills:
the drafts list. (The code browser's tree of 5,554 codes is left out: the Python tester walks
the whole tree on every change, minutes per filter.) (Our own model classes
have theirs: test_lines_model.py, test_history.py, test_batch_models.py.) `check()` runs once
(a second call attaches a second tester); the tester stays attached and re-checks the model on
every change the window then makes, failing the test through Qt's warnings."""

from __future__ import annotations

from typing import Any

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.services.drafts import DraftService
from invoicedesk.store.db import Store
from invoicedesk.ui.drafts_page import DraftsPage
from tests.conftest import run_in_loop


def test_drafts_list_model(qtbot: Any, qloop: Any, store: Store, qtmodeltester: Any) -> None:
    drafts = DraftService(store)
    for name in ("甲公司", "乙公司", "丙公司"):
        draft = Draft(buyer=Buyer(name=name), lines=[Line(name="*信息技术服务*软件开发服务")])
        run_in_loop(qtbot, qloop, drafts.save(None, draft))
    page = DraftsPage(drafts)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model, force_py=True)
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 3
    page.search.setText("乙")
    run_in_loop(qtbot, qloop, page.refresh())
    assert page.model.rowCount() == 1
