"""The red-letter wizard: six QWizard pages that only display `domain.red.WizardState`.

The case (services/red.py) is the truth; every page shows it and every button asks the service
for the next step, then `show_case` jumps to the page of the step the case reached (restart at
that page: a case reopened after the program closed lands on the right page). No Back button:
what was sent cannot be unsent, and the steps before sending are cheap to redo.

Page ids: 0 blue invoice, 1 vendor check, 2 reason and scope, 3 the form, 4 issue / pending /
void, 5 done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from invoicedesk.domain import red
from invoicedesk.domain.red import RedRuleError, Step
from invoicedesk.services.red import RedCase, RedError, RedService
from invoicedesk.ui.red.pages import (
    P_BLUE,
    P_CHECK,
    P_DONE,
    P_FORM,
    P_RESULT,
    P_SCOPE,
    PAGE_OF,
    BluePage,
    CheckPage,
    DonePage,
    FormPage,
    ResultPage,
    WizardPage,
)
from invoicedesk.ui.red.scope_page import ScopePage


class RedWizard(QWizard):
    """Public API: RedWizard(service, case, full_only=why), case, service, full_only,
    show_case(case), run(coro), busy, pages (dict id → page), caseChanged(int)."""

    caseChanged = Signal(int)

    def __init__(
        self,
        service: RedService,
        case: RedCase,
        parent: QWidget | None = None,
        *,
        full_only: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.case: RedCase | None = case
        # why this account's vendor takes only 全额 red letters (None: partial is possible)
        self.full_only = full_only
        self.busy = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setWindowTitle(self.tr("红冲向导 — 蓝字发票 {n}").format(n=case.state.blue.number))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButton, False)
        self.setButtonLayout(
            [
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("关闭"))
        self.pages: dict[int, WizardPage] = {
            P_BLUE: BluePage(self),
            P_CHECK: CheckPage(self),
            P_SCOPE: ScopePage(self),
            P_FORM: FormPage(self),
            P_RESULT: ResultPage(self),
            P_DONE: DonePage(self),
        }
        for pid, page in self.pages.items():
            self.setPage(pid, page)
        self.currentIdChanged.connect(self._entered)
        self.resize(920, 640)
        self.show_case(case)

    def need(self) -> RedCase:
        assert self.case is not None
        return self.case

    def show_case(self, case: RedCase) -> None:
        """Display the case: jump to its step's page and refresh every page."""
        self.case = case
        target = PAGE_OF[case.step]
        if target == P_RESULT and -1 < self.currentId() < P_FORM:
            target = P_FORM  # just applied: show the form first
        if case.step is Step.BLUE and self.currentId() == P_CHECK and self.busy:
            target = P_CHECK
        if self.currentId() != target:
            self.setStartId(target)
            self.restart()
        for page in self.pages.values():
            page.show_case(case)
            page.completeChanged.emit()
        self.caseChanged.emit(case.id)

    def _entered(self, pid: int) -> None:
        """Next on page 1 runs the vendor's check; Next on page 2 moves the case to SCOPE."""
        case = self.case
        if case is None:
            return
        if pid == P_CHECK and case.step is Step.BLUE:
            self.run(self.service.check(case))
        elif pid == P_SCOPE and case.step is Step.CHECK:
            self.run(self.service.to_scope(case))

    def run(self, coro: Coroutine[Any, Any, RedCase | None]) -> asyncio.Task[Any]:
        """Run one service call; the answer (a case) is shown; errors become page text."""

        async def go() -> None:
            self._set_busy(True)
            try:
                result = await coro
            except (RedError, RedRuleError) as exc:
                self._problem(str(exc))
                return
            finally:
                self._set_busy(False)
            if result is not None:
                self.show_case(result)

        task = asyncio.ensure_future(go())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)
        if self.case is not None:
            for page in self.pages.values():
                page.show_case(self.case)

    def _problem(self, text: str) -> None:
        page = self.pages[P_SCOPE]
        assert isinstance(page, ScopePage)
        page.problem.setText(text)
        current = self.currentPage()
        if isinstance(current, BluePage):
            current.note.setText(text)

    async def apply(self, plan: red.RedPlan) -> RedCase:
        case = await self.service.choose(self.need(), plan)
        if case.state.needs_form:
            return await self.service.apply_form(case)
        return await self.service.issue(case)

    async def reapply(self) -> RedCase:
        return await self.service.reapply(self.need())

    def tasks(self) -> set[asyncio.Task[Any]]:
        return set(self._tasks)
