"""批量开票: the page the main window mounts. Import with a dry run → confirm → progress.

After a crash or a closed window, `restore()` reopens the newest unfinished batch on the progress
page with its stored states; "继续开具" settles what was in flight (by its serial, through the
journal) and continues. Every service call is awaited on the loop; nothing here blocks it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QStackedWidget, QWidget

from invoicedesk.domain.models import draft_from_json
from invoicedesk.services import batch_io
from invoicedesk.services.batch_issued import IssuedBefore
from invoicedesk.services.batches import ItemView
from invoicedesk.ui.async_dialog import confirm, run_dialog
from invoicedesk.ui.batch.import_page import ImportPage
from invoicedesk.ui.batch.progress_page import EditDialog, ProgressPage
from invoicedesk.ui.core_bridge import signals
from invoicedesk.ui.tasks import spawn

if TYPE_CHECKING:
    from invoicedesk.services.context import Core


class BatchPage(QStackedWidget):
    """Public API: `restore()`, `start_batch()`, `run()`, `aclose()` (coroutines);
    `import_page`, `progress_page`, `batches`, `batch_id`."""

    runFinished = Signal(str)  # the batch's account, after each run (issued or not)

    def __init__(self, services: Core, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchPage")
        self.services = services
        self.batches = services.batches
        self.batch_id: int | None = None
        self.profile_name = ""
        self._running: asyncio.Task[Any] | None = None
        self.runs_done = 0  # runs finished (tests and the status bar wait on it)
        self._tasks: set[asyncio.Task[Any]] = set()
        self.import_page = ImportPage()
        self.import_page.issued_lookup = self._issued_before
        self.progress_page = ProgressPage()
        self.addWidget(self.import_page)
        self.addWidget(self.progress_page)

        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)

        self.import_page.confirmed.connect(lambda: self._start(self.start_batch()))
        self.import_page.profile_box.currentTextChanged.connect(
            lambda _name: self._start(self._show_concurrency())
        )
        p = self.progress_page
        p.pauseToggled.connect(self.toggle_pause)
        p.cancelRequested.connect(self.cancel)
        p.continueRequested.connect(lambda: self._start(self.run()))
        p.retryRequested.connect(lambda: self._start(self.run(retry_rejected=True)))
        p.editRequested.connect(lambda row: self._start(self.edit_row(row)))
        p.exportRequested.connect(self._pick_export)
        p.newBatchRequested.connect(self.new_batch)
        # the tax catalog is loaded once, in a thread, before the first dry run needs it
        self._start(asyncio.to_thread(_warm_catalog))
        bridge = signals(services)
        bridge.profileActivated.connect(self._account_switched)
        bridge.profilesChanged.connect(self._profiles_changed)

    def _account_switched(self, name: str) -> None:
        """A new import goes to the active account (a batch already made keeps its own)."""
        if self.import_page.profile_box.findText(name) >= 0:
            self.import_page.profile_box.setCurrentText(name)

    def _profiles_changed(self, _name: str) -> None:
        self._start(self.refresh_profiles())

    # ---- tasks -------------------------------------------------------------------------------

    def _start(self, coro: Any) -> asyncio.Task[Any]:
        task = spawn(coro, self._tasks)
        return task

    async def aclose(self) -> None:
        """Before the services close: stop sending (in flight finish), wait for them."""
        if self.batch_id is not None and self._running is not None:
            self.batches.cancel(self.batch_id)
        for task in list(self._tasks):
            if task is not self._running:
                task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._timer.stop()
        await self.import_page.aclose()

    async def _issued_before(
        self, profile: str, drafts: Sequence[batch_io.ImportedDraft]
    ) -> list[IssuedBefore | None]:
        return await self.services.issued_before(profile, drafts)

    # ---- opening ------------------------------------------------------------------------------

    async def refresh_profiles(self) -> None:
        profiles = await self.services.profiles.list_all()
        active = await self.services.active_profile_name()
        from invoicedesk.services.profiles import treatments_of

        supports = {p.name: treatments_of(p.vendor) for p in profiles}
        self.import_page.set_profiles([p.name for p in profiles], active, supports)
        await self._show_concurrency()

    async def _show_concurrency(self) -> None:
        """The per-vendor limit of the chosen profile (a setting; default 4)."""
        name = self.import_page.profile()
        if not name:
            return
        try:
            profile = await self.services.profiles.get(name)
            value = await self.batches.concurrency(profile)
        except Exception:  # a profile deleted meanwhile: keep what the box shows
            return
        self.import_page.concurrency.setValue(value)

    async def restore(self) -> bool:
        """Reopen the newest unfinished batch (True), else show the import step (False)."""
        await self.refresh_profiles()
        open_ = await self.batches.open_batches()
        if not open_:
            self.setCurrentWidget(self.import_page)
            return False
        await self.show_batch(open_[0].id)
        views = self.batches.items(open_[0].id)
        waiting = sum(v.state in ("waiting", "sending", "unknown") for v in views)
        issued = sum(v.state == "issued" for v in views)
        self.progress_page.banner.setText(
            self.tr(
                "上次的批次没有完成（可能是程序意外退出）：已开具 %1 张，还有 %2 张未完成。"
                "点“继续开具”会先按原流水号核对发送中的发票，再开具其余的，不会重复开具。"
            )
            .replace("%1", str(issued))
            .replace("%2", str(waiting))
        )
        self.progress_page.banner.show()
        return True

    async def show_batch(self, batch_id: int) -> None:
        batch = await self.batches.batch(batch_id)
        self.batch_id = batch_id
        self.profile_name = batch.profile
        views = await self.batches.load(batch_id)
        self.progress_page.model.set_items(views)
        self.progress_page.title.setText(
            self.tr("批次 %1：%2（开票账户 %3）")
            .replace("%1", str(batch_id))
            .replace("%2", Path(batch.source).name)
            .replace("%3", batch.profile)
        )
        self.progress_page.banner.hide()
        self.setCurrentWidget(self.progress_page)
        self._update()

    def new_batch(self) -> None:
        self.batch_id = None
        self.setCurrentWidget(self.import_page)

    # ---- starting ------------------------------------------------------------------------------

    async def start_batch(self) -> int | None:
        """Store the confirmed dry run as a batch, check credit and face time, then run."""
        page = self.import_page
        if page.result is None or not page.issuable():
            return None
        profile = page.profile()
        chosen = await self.services.profiles.get(profile)
        await self.batches.set_concurrency(chosen.vendor.value, page.concurrency.value())
        # drafts from the import's worker process keep their Draft as text until first asked
        # for; build them here in a thread, not 5,000 at once on the GUI thread in create()
        await asyncio.to_thread(_build_drafts, page.model.drafts)
        batch_id = await self.batches.create(profile, page.result.source, page.model.drafts)
        await self.show_batch(batch_id)
        try:
            warnings = await self.batches.preflight(batch_id, profile)
        except Exception as exc:  # a check that cannot run must not stop the user
            warnings = [self.tr("开票前检查失败：%1").replace("%1", str(exc))]
        if warnings and not await confirm(
            self,
            self.tr("开始批量开票前请注意"),
            "\n\n".join(warnings),
            yes=self.tr("仍然开始"),
        ):
            self.progress_page.status.setText(self.tr("尚未开始：点“继续开具”开始。"))
            self.progress_page.set_running(False, paused=False)
            return batch_id
        await self.run()
        return batch_id

    async def run(self, *, retry_rejected: bool = False) -> None:
        if self.batch_id is None or self._running is not None:
            return
        batch_id = self.batch_id
        self.progress_page.banner.hide()
        self._running = asyncio.current_task()
        self._timer.start()
        self._update()
        try:
            await self.batches.run(
                batch_id, on_item=self._item_changed, retry_rejected=retry_rejected
            )
        except Exception as exc:  # shown, never lost: the store keeps every state
            self.progress_page.status.setText(
                self.tr("批量开票中断：%1。点“继续开具”接着处理。").replace("%1", str(exc))
            )
            self._running = None
            self._timer.stop()
            self.progress_page.set_running(False, paused=False)
            self.runs_done += 1
            self.runFinished.emit(self.profile_name)
            return
        self._running = None
        self._timer.stop()
        self.progress_page.model.set_items(self.batches.items(batch_id))
        self._update()
        self.runs_done += 1
        # the account's figures (剩余授信额度, face time) changed with every invoice issued
        self.runFinished.emit(self.profile_name)

    def _item_changed(self, view: ItemView) -> None:
        self.progress_page.model.item_changed(view)

    def _tick(self) -> None:
        self._update()

    def _update(self) -> None:
        if self.batch_id is None:
            return
        running = self._running is not None
        paused = self.batches.is_paused(self.batch_id)
        self.progress_page.show_progress(
            self.batches.progress(self.batch_id), running=running, paused=paused
        )
        self.progress_page.set_running(running, paused=paused)

    # ---- controls -----------------------------------------------------------------------------

    def toggle_pause(self) -> None:
        if self.batch_id is None:
            return
        if self.batches.is_paused(self.batch_id):
            self.batches.resume(self.batch_id)
        else:
            self.batches.pause(self.batch_id)
        self._update()

    def cancel(self) -> None:
        if self.batch_id is not None:
            self.batches.cancel(self.batch_id)
            self.progress_page.status.setText(
                self.tr("正在取消：不再发送新的草稿，正在发送的完成后核对结果。")
            )

    async def edit_row(self, row: int) -> bool:
        """Edit a rejected draft in the dry-run table; True when it was changed."""
        if self.batch_id is None or self._running is not None:
            return False
        view = self.progress_page.model.views[row]
        if view.state != "rejected":
            return False
        imported = batch_io.from_draft(view.label, draft_from_json(view.draft_json))
        dialog = EditDialog(imported, self)
        try:
            if await run_dialog(dialog) != EditDialog.DialogCode.Accepted:
                return False
            await self.batches.edit_item(self.batch_id, view.id, dialog.draft.draft)
        finally:
            dialog.deleteLater()
        self.progress_page.model.item_changed(view)
        self._update()
        return True

    def _pick_export(self) -> None:
        dialog = QFileDialog(self, self.tr("导出开票结果"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Excel 表格 (*.xlsx)"))
        dialog.selectFile(self.tr("开票结果.xlsx"))
        dialog.fileSelected.connect(lambda name: self._start(self.export(Path(name))))
        dialog.open()

    async def export(self, path: Path) -> None:
        if self.batch_id is None:
            return
        try:
            await self.batches.export(self.batch_id, path)
        except OSError as exc:
            self.progress_page.status.setText(
                self.tr("导出失败：%1。请换一个位置再试。").replace("%1", exc.strerror or "")
            )
            return
        self.progress_page.status.setText(self.tr("结果已导出到 %1").replace("%1", str(path)))


def _warm_catalog() -> None:
    from invoicedesk.domain.catalog import default_catalog

    default_catalog()


def _build_drafts(drafts: list[batch_io.ImportedDraft]) -> None:
    for d in drafts:
        _ = d.draft, d.totals
