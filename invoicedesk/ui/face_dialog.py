"""The face-authentication dialog (人脸认证) and the two ways issuing uses it.

- piaodanyun asks before issuing: `ensure_face_auth(parent, services, profile)` reads the state
  (`queryFaceAuthState`); only when a scan is needed does the dialog open, fetch a QR (`ewm`,
  drawn by ui/qr_widget.py), let the user pick 电子税务局 App or 个人所得税 App, and poll until
  done (True), or until the user cancels (False). `face_flow_for(parent, services)` is the same
  as the issue controller's `face_flow(profile_name, message)` seam (after FaceAuthNeeded).
- ws-invoice pushes its QR in the middle of `issue()`: `DialogFaceHandler` is the FaceHandler
  the vendor calls; `face_handler_for(parent, services)` is the controller's factory seam. A
  failed scan ("0") says so and offers to try again (the vendor then sends the invoice again and
  pushes a fresh QR). Cancel while the vendor waits for the scan cancels the issuing task (the
  socket is dropped, nothing is issued); cancel after a failed scan answers "no retry".
- Never a nested event loop: the dialog is opened with `open()` and awaited (async_dialog).
- "模拟扫码" is only there for sandbox profiles (services/face.py `is_sandbox_profile`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.services.face import FaceAuthService, is_sandbox_profile, utc_now
from invoicedesk.services.issuing import FaceAuthNeeded
from invoicedesk.ui.async_dialog import run_dialog
from invoicedesk.ui.qr_widget import QrView
from invoicedesk.ui.tasks import spawn
from invoicedesk.vocabulary import (
    Capability,
    FaceAuthRequired,
    FaceChallenge,
    FaceHandler,
    FaceResult,
    NotSupported,
    Profile,
    VendorError,
)

if TYPE_CHECKING:
    from invoicedesk.services.context import Core

log = logging.getLogger(__name__)
T = TypeVar("T")

APP_TAX_BUREAU = 1  # 电子税务局 App
APP_INDIVIDUAL_TAX = 2  # 个人所得税 App


def _tr(text: str) -> str:
    return QCoreApplication.translate("FaceDialog", text)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, VendorError):
        return f"{exc.message} {exc.next_step}".strip()
    return _tr("出现内部错误：") + type(exc).__name__


class FaceDialog(QDialog):
    """The QR, a countdown, "刷新二维码", cancel, and (sandbox only) "模拟扫码".

    Public API: show_challenge(challenge), show_busy(text), show_waiting(text),
    show_expired(text), show_failed(), show_error(text), app() (1 or 2), challenge, qr (QrView),
    refresh_button, simulate_button, cancel_button, status_label, countdown_label.
    Signals: refreshRequested(), simulateRequested(), appChanged(int).
    Cancel (button, Esc, closing the window) rejects the dialog.
    """

    refreshRequested = Signal()
    simulateRequested = Signal()
    appChanged = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        choose_app: bool = True,
        sandbox: bool = False,
        message: str = "",
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("faceDialog")
        self.setWindowTitle(self.tr("人脸认证"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)
        self._now = now
        self._choose_app = choose_app
        self.challenge: FaceChallenge | None = None
        self._expired = False

        intro = QLabel(
            self.tr(
                "税务局要求开票人刷脸确认身份。请用手机打开所选的 App，"
                "扫描下方二维码并按提示完成刷脸，完成后会自动继续开票。"
            )
            if choose_app
            else self.tr(
                "税务局要求开票人刷脸确认身份。请用手机上的电子税务局 App "
                "扫描下方二维码并按提示完成刷脸，完成后会自动继续开票。"
            )
        )
        intro.setObjectName("faceIntro")
        intro.setWordWrap(True)
        # what the vendor said ("要求开票人先完成人脸识别…") repeats the intro: a tooltip, not a
        # third paragraph saying the same thing
        intro.setToolTip(message)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)

        self.app_group = QButtonGroup(self)
        self.app_box = QWidget()
        app_layout = QVBoxLayout(self.app_box)
        app_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        for app, label in (
            (APP_TAX_BUREAU, self.tr("电子税务局 App")),
            (APP_INDIVIDUAL_TAX, self.tr("个人所得税 App")),
        ):
            button = QRadioButton(label)
            button.setObjectName(f"faceApp{app}")
            self.app_group.addButton(button, app)
            row.addWidget(button)
        row.addStretch(1)
        self.app_group.button(APP_TAX_BUREAU).setChecked(True)
        self.app_group.idClicked.connect(self.appChanged.emit)
        app_layout.addLayout(row)
        hint = QLabel(
            self.tr(
                "一般用本省的电子税务局 App 扫码；手机上没有它或登录不了时，"
                "改用个人所得税 App（也可通过支付宝完成刷脸）。"
            )
        )
        hint.setWordWrap(True)
        app_layout.addWidget(hint)
        self.app_box.setVisible(choose_app)
        layout.addWidget(self.app_box)

        self.qr = QrView()
        layout.addWidget(self.qr, 1)
        self.countdown_label = QLabel()
        self.countdown_label.setObjectName("faceCountdown")
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.status_label = QLabel()
        self.status_label.setObjectName("faceStatus")
        self.status_label.setWordWrap(True)
        # one line under the QR (not on its white margin): what happens, and the time left
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.countdown_label)
        layout.addSpacing(4)
        layout.addLayout(status_row)

        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("刷新二维码"))
        self.refresh_button.setObjectName("faceRefreshButton")
        self.refresh_button.clicked.connect(self.refreshRequested.emit)
        self.simulate_button = QPushButton(self.tr("模拟扫码"))
        self.simulate_button.setObjectName("faceSimulateButton")
        self.simulate_button.setToolTip(self.tr("演示账户专用：假装手机已完成扫码刷脸"))
        self.simulate_button.clicked.connect(self.simulateRequested.emit)
        self.simulate_button.setVisible(sandbox)
        self.cancel_button = QPushButton(self.tr("取消开票"))
        self.cancel_button.setObjectName("faceCancelButton")
        self.cancel_button.setToolTip(self.tr("不开这张发票；草稿保持原样，可以稍后再开"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.simulate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.finished.connect(lambda _code: self._timer.stop())

    def app(self) -> int:
        return self.app_group.checkedId() if self._choose_app else APP_TAX_BUREAU

    # ---- states ----------------------------------------------------------------------------

    def show_busy(self, text: str) -> None:
        self.status_label.setText(text)
        self.qr.set_dimmed(True)

    def show_challenge(self, challenge: FaceChallenge) -> None:
        """Show a new QR: drawn from its text, or its PNG as it came."""
        self.challenge = challenge
        self._expired = False
        if challenge.text:
            self.qr.set_text(challenge.text)
        elif challenge.png:
            self.qr.set_png(challenge.png)
        else:
            self.qr.clear()
        self.show_waiting(self.tr("正在等待扫码结果…"))
        self._tick()
        self._timer.start()
        self._fit()

    def _fit(self) -> None:
        """Grow to show the whole QR (a pushed PNG may be wider than the dialog opened) and
        the whole status text (a longer message wraps to more lines: never over the QR)."""
        wanted = self.size().expandedTo(self.minimumSizeHint())
        if wanted != self.size():
            self.resize(wanted)
        # the wrapped text's new line count is known once the label's layout request ran
        QTimer.singleShot(0, self, self._fit_text)  # not after the dialog is gone

    def _fit_text(self) -> None:
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def show_waiting(self, text: str) -> None:
        self.status_label.setText(text)
        self.qr.set_dimmed(self._expired)

    def show_expired(self, text: str = "") -> None:
        self._expired = True
        self._timer.stop()
        self.qr.set_dimmed(True)
        self.countdown_label.setText("")  # the status line says it, once
        self.status_label.setText(
            text or self.tr("二维码已过期。请点击“刷新二维码”，用新的二维码扫码。")
        )
        self.refresh_button.setEnabled(True)
        self._fit()

    def show_failed(self) -> None:
        self.show_expired(
            self.tr(
                "扫码刷脸没有通过（或二维码已过期），发票没有开出。"
                "请点击“刷新二维码”再试一次，或取消开票。"
            )
        )

    def show_error(self, text: str) -> None:
        self._timer.stop()
        self.qr.set_dimmed(True)
        self.countdown_label.setText("")
        self.status_label.setText(text + "\n" + self.tr("可点击“刷新二维码”重试。"))
        self.refresh_button.setEnabled(True)
        self._fit()

    def _tick(self) -> None:
        expires = self.challenge.expires_at if self.challenge else None
        if expires is None or self._expired:
            if not self._expired:
                self.countdown_label.setText("")
            return
        left = int((expires - self._now()).total_seconds())
        if left <= 0:
            self.countdown_label.setText(self.tr("二维码已过期"))
            self.qr.set_dimmed(True)
            return
        self.countdown_label.setText(
            self.tr("二维码有效期还剩 {m}:{s:02d}").format(m=left // 60, s=left % 60)
        )


# ---- piaodanyun: a check before issuing, a QR we draw, polling ------------------------------


class PollingFaceFlow:
    """The dialog over FaceAuthService for vendors with face_qr/face_poll (piaodanyun)."""

    def __init__(
        self, parent: QWidget | None, face: FaceAuthService, profile: Profile, message: str = ""
    ) -> None:
        self.face = face
        self.profile = profile
        self.dialog = FaceDialog(
            parent,
            choose_app=True,
            sandbox=is_sandbox_profile(profile),
            message=message,
            now=face.clock,
        )
        self._wake = asyncio.Event()  # refresh / other app: stop polling, fetch a new QR
        self._tasks: set[asyncio.Task[Any]] = set()
        self.dialog.refreshRequested.connect(self._wake.set)
        self.dialog.appChanged.connect(lambda _app: self._wake.set())
        self.dialog.simulateRequested.connect(lambda: self._spawn(self._simulate()))

    async def run(self) -> bool:
        """True when the scan succeeded; False when the user cancelled."""
        self._spawn(self._drive())
        try:
            code = await run_dialog(self.dialog)
        finally:
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            self.dialog.deleteLater()  # one per scan: do not let them pile up under the window
        return code == QDialog.DialogCode.Accepted

    def _spawn(self, coro: Awaitable[Any]) -> None:
        spawn(coro, self._tasks)

    async def _drive(self) -> None:
        name = self.profile.name
        while True:
            self._wake.clear()
            self.dialog.show_busy(_tr("正在获取二维码…"))
            try:
                challenge = await self.face.start(name, self.dialog.app())
                self.dialog.show_challenge(challenge)
                result = await self.face.wait(name, challenge, self._wake)
            except Exception as exc:  # shown in the dialog: the user may retry or cancel
                log.warning("face QR step failed: %s", type(exc).__name__)
                self.dialog.show_error(_error_text(exc))
                await self._wake.wait()
                continue
            if result == "ok":
                self._succeed()
                return
            if result == "cancelled":
                continue  # refresh or the other app: a new QR
            # "expired" (piaodanyun reports a failed scan the same way: the QR is spent)
            self.dialog.show_expired(
                _tr("二维码已过期或扫码没有通过。请点击“刷新二维码”，用新的二维码重新扫码。")
            )
            await self._wake.wait()

    async def _simulate(self) -> None:
        self.dialog.simulate_button.setEnabled(False)
        try:
            await self.face.simulate_scan(self.profile.name)
            challenge = self.dialog.challenge
            result: FaceResult | None = None
            if challenge is not None:
                result = await self.face.poll_once(self.profile.name, challenge)
            if result != "ok":
                # the QR on screen may be spent; the account's state is what counts
                reading = await self.face.status(self.profile.name)
                result = "ok" if not reading.needed else result
            if result == "ok":
                self.face.record_ok(self.profile.name)
                self._succeed()
        except Exception as exc:
            self.dialog.show_error(_error_text(exc))
        finally:
            self.dialog.simulate_button.setEnabled(True)

    def _succeed(self) -> None:
        self.dialog.status_label.setText(_tr("认证成功，继续开票…"))
        self.dialog.accept()


async def _profile(services: Core, profile: Profile | str) -> Profile:
    name = profile if isinstance(profile, str) else profile.name
    prof, _ = await services.vendor(name)
    return prof


async def ensure_face_auth(parent: QWidget | None, services: Core, profile: Profile | str) -> bool:
    """Before issuing: True when no scan is needed or the scan succeeded, False when the user
    cancelled. The dialog never opens when the vendor says no scan is needed, nor for vendors
    that cannot report the state (their issue() asks mid-way, see DialogFaceHandler)."""
    prof = await _profile(services, profile)
    face = services.face
    _, vendor = await services.vendor(prof.name)
    if not vendor.capabilities & Capability.FACE_AUTH:
        return True
    try:
        reading = await face.status(prof.name)
    except NotSupported:
        return True
    except VendorError as exc:
        # cannot tell now: issuing goes on and the vendor itself says if a scan is needed
        log.warning("face state unreadable before issuing: %s", exc.code)
        return True
    if not reading.needed:
        return True
    return await PollingFaceFlow(parent, face, prof).run()


async def face_scan(
    parent: QWidget | None, services: Core, profile: Profile | str, message: str = ""
) -> bool:
    """The dialog at once (the vendor already said a scan is needed)."""
    prof = await _profile(services, profile)
    return await PollingFaceFlow(parent, services.face, prof, message).run()


def face_flow_for(parent: QWidget | None, services: Core) -> Callable[[str, str], Awaitable[bool]]:
    """The IssueController's `face_flow(profile_name, message) -> bool` seam."""

    async def flow(profile_name: str, message: str) -> bool:
        return await face_scan(parent, services, profile_name, message)

    return flow


# ---- ws-invoice: the vendor pushes the QR during issue() ------------------------------------


class DialogFaceHandler(FaceHandler):
    """The FaceHandler a vendor calls mid-issue (ws-invoice). One per issue.

    show(): the dialog opens (or shows the new QR). result("failed"): says so and waits for
    "刷新二维码" (True: the vendor sends again) or cancel (False). result("ok") or the issuing
    task ending closes the dialog. Cancel while waiting for the scan cancels the issuing task.
    `cancelled` tells the caller the user gave up."""

    def __init__(
        self,
        parent: QWidget | None,
        face: FaceAuthService,
        profile_name: str,
        *,
        sandbox: bool | None = None,
    ) -> None:
        self.parent = parent
        self.face = face
        self.profile_name = profile_name
        self.sandbox = sandbox
        self.dialog: FaceDialog | None = None
        self.cancelled = False
        self.shown = 0  # how many QRs were shown
        self._task: asyncio.Task[Any] | None = None
        self._retry: asyncio.Future[bool] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    async def show(self, challenge: FaceChallenge) -> None:
        task = asyncio.current_task()
        if task is not None and task is not self._task:
            self._task = task
            task.add_done_callback(lambda _t: self.finish())
        if self.sandbox is None:
            self.sandbox = await self.face.is_sandbox(self.profile_name)
        dialog = self._dialog()
        dialog.refresh_button.setEnabled(False)  # the platform pushes QRs; see result()
        dialog.refresh_button.setToolTip(
            _tr("这个平台的二维码由平台推送；扫码失败或过期后可在这里获取新的二维码")
        )
        dialog.show_challenge(self.face.stamp(challenge))
        self.shown += 1

    async def result(self, result: FaceResult) -> bool:
        if result == "ok":
            self.face.record_ok(self.profile_name)
            self.finish()
            return False
        if self.cancelled or self.dialog is None:
            return False
        if result == "expired":
            self.dialog.show_expired()
        else:
            self.dialog.show_failed()
        self._retry = asyncio.get_running_loop().create_future()
        try:
            return await self._retry
        finally:
            self._retry = None

    def finish(self) -> None:
        """Close the dialog (the issue went on, or ended)."""
        for task in list(self._tasks):
            task.cancel()
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            if dialog.isVisible():
                dialog.done(QDialog.DialogCode.Accepted)
            dialog.deleteLater()

    def _dialog(self) -> FaceDialog:
        if self.dialog is None:
            dialog = FaceDialog(
                self.parent, choose_app=False, sandbox=bool(self.sandbox), now=self.face.clock
            )
            # the request is already at the platform, waiting for the scan: after a cancel a
            # scan on the phone could still let it through (the journal row stays SENDING and
            # is reconciled by buyer + total, never sent twice)
            dialog.cancel_button.setToolTip(
                _tr("停止等待并取消开票。取消后请不要再用手机扫描这个二维码。")
            )
            dialog.refreshRequested.connect(self._refresh)
            dialog.simulateRequested.connect(self._simulate)
            dialog.rejected.connect(self._cancel)
            dialog.open()
            self.dialog = dialog
        return self.dialog

    def _refresh(self) -> None:
        if self._retry is not None and not self._retry.done():
            if self.dialog is not None:
                self.dialog.show_busy(_tr("正在重新发送，等待平台推送新的二维码…"))
                self.dialog.refresh_button.setEnabled(False)
            self._retry.set_result(True)

    def _simulate(self) -> None:
        async def scan() -> None:
            dialog = self.dialog
            try:
                await self.face.simulate_scan(self.profile_name)
                if dialog is not None:
                    dialog.show_waiting(_tr("已模拟扫码，正在等待开票平台…"))
            except Exception as exc:
                if dialog is not None:
                    dialog.show_error(_error_text(exc))

        task = asyncio.ensure_future(scan())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _cancel(self) -> None:
        self.cancelled = True
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        if self._retry is not None and not self._retry.done():
            self._retry.set_result(False)  # the vendor says the scan failed: nothing issued
            return
        if self._task is not None and not self._task.done():
            # the vendor is waiting for the scan: stop the issue (its socket is dropped and
            # the pending request with it; nothing was issued)
            self._task.cancel()


def face_handler_for(parent: QWidget | None, services: Core) -> Callable[[str], FaceHandler | None]:
    """The IssueController's `face_handler(profile_name)` factory seam."""
    face = services.face

    def make(profile_name: str) -> FaceHandler | None:
        return DialogFaceHandler(parent, face, profile_name)

    return make


async def issue_with_face(handler: DialogFaceHandler, coro: Awaitable[T]) -> T | None:
    """Run an issue coroutine that uses `handler`; None when the user cancelled the scan
    (nothing was issued, the draft is as it was): while the platform waited for the scan (the
    issue task is cancelled and the vendor closes its socket), or after a failed scan (the
    vendor then says the scan did not pass; no second dialog should follow a cancel)."""
    task = asyncio.ensure_future(coro)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if handler.cancelled and task.cancelled():
            return None
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise
    except (FaceAuthNeeded, FaceAuthRequired):
        if handler.cancelled:
            return None
        raise
    finally:
        handler.finish()
