"""Issuing several drafts from 草稿箱, and the drafts marked 待开 once the platform is
reachable again (the banner's offer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from invoicedesk.ui.main_window import Page

if TYPE_CHECKING:
    from invoicedesk.services.drafts import DraftService
    from invoicedesk.ui.issuing import DraftOutcome, IssueController
    from invoicedesk.ui.main_window import MainWindow
    from invoicedesk.ui.reachability import ReachabilityMonitor


class SeveralIssues:
    def __init__(
        self,
        window: MainWindow,
        drafts: DraftService,
        controller: IssueController,
        monitor: ReachabilityMonitor,
    ) -> None:
        self.window = window
        self.drafts = drafts
        self.controller = controller
        self.monitor = monitor

    async def issue_drafts(self, ids: list[str]) -> list[DraftOutcome]:
        window, controller = self.window, self.controller
        page = window.drafts_page
        if controller.in_flight:
            window.statusBar().showMessage(window.tr("正在开具发票，请稍候。"), 5000)
            return []
        titles = {}
        if page is not None:
            titles = {r.id: r.title for r in await self.drafts.list()}
            page.start_batch(len(ids))

        def one(outcome: DraftOutcome) -> None:
            if page is not None:
                page.show_outcome(outcome.draft_id, outcome.text, titles.get(outcome.draft_id, ""))

        outcomes = await controller.issue_drafts(ids, one)
        if page is not None:
            await page.refresh()
        await self.offer_pending()
        return list(outcomes)

    async def issue_pending(self) -> list[DraftOutcome]:
        self.window.offer_pending(0)
        ids = await self.drafts.pending_ids()
        self.window.show_page(Page.DRAFTS)
        return await self.issue_drafts(ids)

    async def offer_pending(self) -> None:
        if self.monitor.reachable is False:
            self.window.offer_pending(0)
            return
        self.window.offer_pending(len(await self.drafts.pending_ids()))
