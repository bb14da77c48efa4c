"""Issuing from the GUI: one controller between the form, the result page and services.issuing.

- One issue at a time (`in_flight`); the form stays as typed and read-only meanwhile.
- ISSUED / ACCEPTED → the result page. REJECTED → the vendor's reason at its fields.
- Not sent (the vendor cannot be reached) → said at once; the draft can be marked 待开.
- Unknown → the result page says the program is checking (same serial, never a second
  invoice) while `reconcile` runs with backoff; the outcome replaces it when known.
- Face authentication: `face_flow(profile_name, message) -> bool` (the QR dialog, installed by
  the application) and, for vendors that push a QR mid-issue, `face_handler(profile_name)`.
  Without a face flow the vendor's message is shown and nothing is retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QPushButton

from invoicedesk.domain.models import Buyer, Draft, Line
from invoicedesk.domain.rules import Problem
from invoicedesk.services.drafts import DraftService
from invoicedesk.services.issuing import UNSENT_CODES, FaceAuthNeeded, InvalidDraft, IssueResult
from invoicedesk.services.reconcile_policy import RECONCILE, reconcile_until_settled
from invoicedesk.ui.async_dialog import inform
from invoicedesk.ui.issue_preview import Account
from invoicedesk.ui.tasks import spawn
from invoicedesk.vocabulary import Capability, FaceHandler, VendorError

if TYPE_CHECKING:
    from invoicedesk.services.catalogs import CatalogService
    from invoicedesk.services.context import Core
    from invoicedesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# (profile name, the vendor's message) -> True when the scan succeeded and issuing may go on
FaceFlow = Callable[[str, str], Awaitable[bool]]
FaceHandlerFactory = Callable[[str], FaceHandler | None]


@dataclass(frozen=True)
class DraftOutcome:
    """One draft of a several-drafts issue: its id, the result (None: not sent) and a text."""

    draft_id: str
    result: IssueResult | None
    text: str


def vendor_fields(result: IssueResult) -> tuple[str, ...]:
    """The draft fields a refusal concerns, as the issuing service read them."""
    return result.fields


class IssueController(QObject):
    """Public API:
    - in_flight; issue(draft) (coroutine, from form.issueRequested); issue_drafts(ids)
    - wait_idle() (coroutine); mark_pending() (coroutine; the form's draft becomes 待开)
    - face_flow, face_handler: the face-authentication seams (see module docstring)
    - open_file: how a downloaded PDF is opened (QDesktopServices by default)
    Signals: busyChanged(bool), issued(object IssueResult), offline(), outcome(object IssueResult)
    """

    busyChanged = Signal(bool)
    issued = Signal(object)
    offline = Signal()
    outcome = Signal(object)

    def __init__(
        self,
        window: MainWindow,
        services: Core,
        drafts: DraftService,
        *,
        face_flow: FaceFlow | None = None,
        face_handler: FaceHandlerFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self.window = window
        self.form = window.form
        self.page = window.result_page
        self.services = services
        self.drafts = drafts
        self.face_flow = face_flow
        self.face_handler = face_handler
        self.open_file: Callable[[Path], None] = _open_with_desktop
        # issued buyers join the customers
        self.catalogs: CatalogService | None = services.catalogs
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._last: tuple[str, IssueResult, Draft] | None = None

        self.pending_button = QPushButton(self.tr("标记为待开"))
        self.pending_button.setObjectName("markPendingButton")
        self.pending_button.setToolTip(self.tr("开票平台恢复连接后，在草稿箱中一起开具"))
        self.pending_button.hide()
        self.pending_button.clicked.connect(lambda: self._start(self.mark_pending()))
        self.form.extra_actions.addWidget(self.pending_button)
        self.form.issueRequested.connect(lambda d: self._start(self.issue(d)))
        self.form.account_source = self._account
        self.form.platform_check = self._platform_problems
        self.form.changed.connect(self.pending_button.hide)
        self.page.openPdfRequested.connect(lambda n: self._start(self.open_pdf(n)))
        self.page.sameBuyerRequested.connect(self._same_buyer)
        self.page.newRequested.connect(lambda: self._back_to_form(Buyer()))
        self.page.backRequested.connect(self._back_to_refused)
        self._refused: Draft | None = None
        self._saved_before_new = False

    # ---- state -----------------------------------------------------------------------------

    @property
    def in_flight(self) -> bool:
        return self._busy > 0

    def _enter(self) -> None:
        self._busy += 1
        self._idle.clear()
        self.busyChanged.emit(True)

    def _leave(self) -> None:
        self._busy -= 1
        if self._busy == 0:
            self._idle.set()
            self.busyChanged.emit(False)

    async def wait_idle(self) -> None:
        await self._idle.wait()

    def _start(self, coro: Awaitable[Any]) -> None:
        task = spawn(coro, self._tasks)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("issuing step failed", exc_info=task.exception())

    def _account(self) -> Account | None:
        """The active account as the preview shows it."""
        from invoicedesk.ui.vendor_names import vendor_name

        profile = self.window.active_profile
        if profile is None:
            return None
        platform = vendor_name(profile.vendor)
        if profile.options.get("sandbox") == "1":
            platform += self.tr("，沙箱")
        return Account(profile.name, platform, profile.seller.name, profile.seller.tax_id)

    def _platform_problems(self, draft: Draft) -> list[Problem]:
        """What the active account's platform would refuse, marked in the form as typed."""
        from invoicedesk.services.platform_limits import platform_problems
        from invoicedesk.ui.vendor_names import vendor_name

        profile = self.window.active_profile
        if profile is None:
            return []
        label = vendor_name(profile.vendor)
        return platform_problems(draft, profile.vendor, label)

    def _profile_name(self) -> str | None:
        profile = self.window.active_profile
        return None if profile is None else str(profile.name)

    # ---- one draft from the form ------------------------------------------------------------

    async def issue(self, draft: Draft) -> IssueResult | None:
        name = self._profile_name()
        if name is None:
            await inform(self.window, self.tr("开具发票"), self.tr("请先添加或选择开票账户。"))
            return None
        if self.in_flight:
            return None
        self._enter()
        self.pending_button.hide()
        self.form.set_notice("")
        self.form.set_busy(self.tr("正在向开票平台开具发票…"))
        try:
            result = await self._issue_one(name, draft, self.form.draft_id)
        finally:
            self.form.set_busy(None)
            self._leave()
        if result is not None:
            await self._show(name, result, draft)
        return result

    async def _issue_one(self, name: str, draft: Draft, draft_id: str | None) -> IssueResult | None:
        """services.issuing.issue with the face flow; None when nothing could be sent."""
        handler = self.face_handler(name) if self.face_handler is not None else None
        for _ in range(3):  # a face scan, then the issue again (at most twice)
            try:
                issuing = self.services.issuing.issue(name, draft, draft_id=draft_id, face=handler)
                from invoicedesk.ui.face_dialog import DialogFaceHandler, issue_with_face

                if not isinstance(handler, DialogFaceHandler):
                    return await issuing
                # the face dialog's handler: it closes its dialog after the issue; None means
                # the user gave up the scan (nothing was issued)
                result: IssueResult | None = await issue_with_face(handler, issuing)
                if result is None:
                    self.form.set_notice(self.tr("已取消，发票未开具，草稿保持不变"))
                return result
            except FaceAuthNeeded as exc:
                if self.face_flow is None:
                    self.form.set_notice(exc.message, error=True)
                    await inform(
                        self.window,
                        self.tr("需要人脸认证"),
                        exc.message
                        + "\n\n"
                        + self.tr("请在手机上完成人脸认证后再开具；这张发票没有发出。"),
                    )
                    return None
                if not await self.face_flow(name, exc.message):
                    self.form.set_notice(self.tr("没有完成人脸认证，发票没有发出。"), error=True)
                    return None
            except InvalidDraft as exc:
                self.form.set_notice(exc.message, error=True)
                return None
            except VendorError as exc:  # e.g. a secret missing from the keyring
                self.form.set_notice(f"{exc.message} {exc.next_step}".strip(), error=True)
                return None
            except Exception as exc:  # the program must say something, never crash
                log.exception("issuing failed")
                self.form.set_notice(
                    self.tr("开票时出现内部错误：") + type(exc).__name__, error=True
                )
                return None
        return None

    async def _show(self, name: str, result: IssueResult, draft: Draft) -> None:
        self.outcome.emit(result)
        if result.ok:
            await self._show_ok(name, result, draft)
            return
        if result.state == "REJECTED":
            message = result.error_message or self.tr("开票平台拒绝开具。")
            self.form.show_vendor_problem(message, vendor_fields(result))
            self.form.set_notice(self.tr("开票平台拒绝开具：") + message, error=True)
            return
        if result.error_code in UNSENT_CODES:
            if result.error_code == "not_sent":
                self.form.set_notice(
                    self.tr("无法连接开票平台，发票没有发出。")
                    + self.tr("可以先“标记为待开”，平台恢复连接后再开具。"),
                    error=True,
                )
                self.pending_button.setVisible(self.form.draft_id is not None)
                self.offline.emit()
            else:
                self.form.set_notice(result.error_message or "", error=True)
            return
        # the outcome is unknown: check with the vendor by the same serial
        self.page.show_checking(draft.buyer, result.total, result.serial)
        self.window.show_result_page()
        self._last = (name, result, draft)
        self.form.set_draft(Draft(lines=[Line()]))
        self._start(self._reconcile(name, result, draft))

    async def _show_ok(self, name: str, result: IssueResult, draft: Draft) -> None:
        if self.catalogs is not None and (draft.buyer.name or draft.buyer.tax_id):
            try:  # an invoiced buyer joins the customers (updated when already there)
                await self.catalogs.add_buyer(draft.buyer)
            except Exception:
                log.exception("adding the buyer to the customers failed")
        has_files = False
        try:
            _, vendor = await self.services.vendor(name)
            has_files = bool(vendor.capabilities & Capability.FILES)
        except Exception:  # the page still shows the number
            log.exception("reading the vendor's capabilities failed")
        if result.state == "ACCEPTED":
            self.page.show_accepted(draft.buyer, result.total, result.serial)
        else:
            self.page.show_issued(
                result.invoice_no or "",
                result.invoice_date or "",
                draft.buyer,
                result.total,
                result.serial,
                has_files=has_files and bool(result.invoice_no or result.number_pending),
                warning=result.warning or "",
            )
        self.window.show_result_page()
        self._last = (name, result, draft)
        if result.state == "ACCEPTED" and self.form.draft_id is not None:
            await self.drafts.mark_issued(self.form.draft_id)
        self.form.set_draft(Draft(lines=[Line()]))  # the issued draft is done
        self.issued.emit(result)

    async def _reconcile(self, name: str, result: IssueResult, draft: Draft) -> None:
        assert result.journal_id is not None

        def pending(attempt: int, error: Exception | None) -> None:
            if error is not None:  # kept trying: the serial is kept, nothing is resent twice
                self.page.set_status(self.tr("核对失败，稍后再试：") + str(error))
            else:
                self.page.set_status(
                    self.tr("第 {n} 次核对：仍未确定，稍后再查。").format(n=attempt)
                )

        now = await reconcile_until_settled(
            self.services.issuing, result.journal_id, policy=RECONCILE, on_pending=pending
        )
        assert now is not None  # no deadline: it returns once the vendor has said
        if now.ok:
            await self._show_ok(name, now, draft)
            return
        self.page.show_failed(
            self.tr("开票平台确认这张发票没有开出：")
            + (now.error_message or "")
            + "\n"
            + self.tr("可以返回修改后重新开具。")
        )
        self.outcome.emit(now)
        self._refused = draft.model_copy(update={"serial_no": None})

    # ---- after the result -------------------------------------------------------------------

    def _same_buyer(self, buyer: Buyer) -> None:
        self._back_to_form(buyer)

    def _back_to_refused(self) -> None:
        if self._refused is not None:
            self.form.set_draft(self._refused)
            self._refused = None
        self.window.show_issue_form()

    def new_invoice(self) -> None:
        """新建 from any page: a blank invoice; the open draft stays saved in 草稿箱."""
        if self.in_flight:
            self.window.statusBar().showMessage(self.tr("正在开具发票，开完后再新建"), 5000)
            return
        self._saved_before_new = self.form.draft_id is not None or self.form.autosaver.dirty
        self._back_to_form(Buyer())
        if self.form.autosaver.drafts is not None and self._saved_before_new:
            self.window.statusBar().showMessage(self.tr("新发票；之前的草稿已保存在草稿箱"), 5000)

    def _back_to_form(self, buyer: Buyer) -> None:
        self.form.new_draft(buyer)
        self.window.show_issue_form()
        self.form.buyer_edits["name"].setFocus()

    async def open_pdf(self, number: str) -> None:
        name = self._last[0] if self._last else self._profile_name()
        if not number or name is None:
            return
        self.page.set_status(self.tr("正在下载 PDF…"))
        try:
            stored = await self.services.files.download(name, number, "pdf")
        except VendorError as exc:
            self.page.set_status(f"{exc.message} {exc.next_step}".strip())
            return
        except Exception as exc:
            self.page.set_status(str(getattr(exc, "message", exc)))
            return
        self.page.set_status(self.tr("已保存到：") + str(stored.path))
        self.open_file(stored.path)

    async def mark_pending(self) -> None:
        draft_id = await self.form.save(force=True)
        if draft_id is None:
            return
        await self.drafts.mark_pending(draft_id)
        self.pending_button.hide()
        self.form.set_notice(self.tr("已标记为待开：平台恢复连接后会提示您开具。"))
        self.form.status_label.setText(self.tr("待开"))

    # ---- several drafts (草稿箱) ------------------------------------------------------------

    async def issue_drafts(
        self, draft_ids: list[str], on_result: Callable[[DraftOutcome], None] | None = None
    ) -> list[DraftOutcome]:
        """One after the other through the same service; per-draft outcomes."""
        name = self._profile_name()
        if name is None or self.in_flight:
            return []
        self._enter()
        out: list[DraftOutcome] = []
        try:
            for draft_id in draft_ids:
                outcome = await self._issue_saved(name, draft_id)
                out.append(outcome)
                if on_result is not None:
                    on_result(outcome)
        finally:
            self._leave()
        return out

    async def _issue_saved(self, name: str, draft_id: str) -> DraftOutcome:
        tr = self.tr
        try:
            draft = await self.drafts.load(draft_id)
            result = await self.services.issuing.issue(name, draft, draft_id=draft_id)
        except FaceAuthNeeded as exc:
            return DraftOutcome(draft_id, None, tr("需要人脸认证：") + exc.message)
        except InvalidDraft as exc:
            return DraftOutcome(draft_id, None, tr("草稿有错误：") + exc.message)
        except VendorError as exc:
            return DraftOutcome(draft_id, None, exc.message)
        except Exception as exc:
            log.exception("issuing a saved draft failed")
            return DraftOutcome(draft_id, None, tr("内部错误：") + type(exc).__name__)
        self.outcome.emit(result)
        if result.state == "ISSUED":
            text = tr("已开具：") + (result.invoice_no or tr("号码待查"))
            if result.warning:
                text += tr("（注意：") + result.warning + "）"
        elif result.state == "ACCEPTED":
            await self.drafts.mark_issued(draft_id)
            text = tr("已受理（暂无号码）")
        elif result.state == "REJECTED":
            text = tr("被拒绝：") + (result.error_message or "")
        elif result.error_code == "not_sent":
            text = tr("未发出：无法连接开票平台")
        elif result.error_code in UNSENT_CODES:
            text = tr("未发出：") + (result.error_message or "")
        else:
            text = tr("结果未知，正在核对（不会重复开票）")
        if result.ok and self.catalogs is not None:
            try:
                await self.catalogs.add_buyer(draft.buyer)
            except Exception:
                log.exception("adding the buyer to the customers failed")
        return DraftOutcome(draft_id, result, text)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def _open_with_desktop(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
