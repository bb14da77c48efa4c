"""The invoice entry form: invoice type, buyer, lines, live totals and problems, autosave.

Every change re-validates at once (domain.rules is fast) and restarts a short autosave timer.
The latest draft is always mirrored into an `Autosaver`, a plain object that outlives the widget:
when the widget is destroyed without being closed, the autosaver still writes what was typed.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.capitals import amount_in_capitals
from invoicedesk.domain.models import Buyer, Draft, InvoiceType, Line
from invoicedesk.domain.money import compute_totals, grouped_money_text, money_text
from invoicedesk.domain.rules import Problem, validate
from invoicedesk.domain.treatments import ORDINARY_ONLY, TreatmentSupport, uncarried
from invoicedesk.services.drafts import DraftService
from invoicedesk.ui.async_dialog import confirm, run_dialog
from invoicedesk.ui.catalog_choices import CatalogChoices
from invoicedesk.ui.form_actions import build_actions
from invoicedesk.ui.form_autosave import AUTOSAVE_MS, Autosaver, save_quietly
from invoicedesk.ui.form_buyer import BUYER_FIELDS, BuyerBox, CustomerSearch
from invoicedesk.ui.form_problems import (
    ERROR_STYLE,
    WARNING_STYLE,
    ProblemsBox,
    TotalsBox,
    cell_of,
)
from invoicedesk.ui.issue_preview import Account, IssuePreview
from invoicedesk.ui.lines_editor import EDIT_TRIGGERS, LinesEditor
from invoicedesk.ui.problem_text import shown
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.treatment_widgets import TreatmentBar

log = logging.getLogger(__name__)


LARGE_DRAFT = 100  # lines; above it, checks wait for a pause in the typing
CHECK_DELAY_MS = 150


class InvoiceForm(QWidget):
    """Public API:
    - draft() -> Draft, set_draft(draft, draft_id=None), draft_id
    - save() (coroutine) -> id, save_now() -> id (blocking, for shutdown paths)
    - problems() -> the current domain Problems; has_errors()
    - set_customer_search(coroutine function str -> list[Buyer])
    - set_busy(text) / set_busy(None): read-only with a progress bar while an issue is in flight
    - show_vendor_problem(message, fields): the vendor's refusal at the fields it names, until
      the next change
    Signals: changed(), saved(str id), buyerSaveRequested(object Buyer),
    lineSaveRequested(object Line), issueRequested(object Draft) after warnings are confirmed
    and 开具 was chosen in the preview (`preview` while it is open; `account_source` says who
    issues).
    """

    changed = Signal()
    saved = Signal(str)
    issueRequested = Signal(object)
    buyerSaveRequested = Signal(object)
    lineSaveRequested = Signal(object)

    def __init__(
        self,
        drafts: DraftService | None = None,
        catalog: CatalogChoices | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("invoiceForm")
        self.autosaver = Autosaver(drafts)
        self._catalog = catalog or CatalogChoices.default()
        self._loading = False
        self._serial_no: str | None = None
        self._problems: list[Any] = []
        self._vendor_problems: list[Problem] = []
        self._busy = False
        self._confirmed_warnings: set[tuple[str, str]] = set()
        # who issues, for the preview (set by the issuing controller from the active account)
        self.account_source: Callable[[], Account | None] | None = None
        self.preview: IssuePreview | None = None
        # what the active account's platform cannot take (set by the issuing controller)
        self.platform_check: Callable[[Draft], list[Problem]] | None = None
        self._platform_problems: list[Problem] = []
        self._left: set[str] = set()  # buyer fields the user has left
        self._show_all = False  # issuing was tried, or the draft was opened
        self._tasks: set[asyncio.Task[Any]] = set()
        # the active account (issue 16): its 纳税人类型 and what its platform can carry
        self._seller_type = ""
        self._account_seller_type = ""
        self._support: TreatmentSupport | None = None
        self._account_name = ""
        self._uncarried: set[tuple[str, str]] = set()  # shown at once, like platform problems

        # a large draft is checked once typing pauses, not on every keystroke (issue 19 #12)
        self._pending_check = False
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._flush_check)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self._autosave)

        self._build()
        self._build_actions()
        self.model.linesChanged.connect(self._on_change)
        # the autosaver is no child of the widget: it can still write after the widget is gone
        saver = self.autosaver
        self.destroyed.connect(lambda *_: save_quietly(saver))
        self.set_draft(Draft(lines=[Line()]))

    # ---- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)

        top = QHBoxLayout()
        self.type_combo = QComboBox()
        self.type_combo.addItem(tr("数电普票"), InvoiceType.ORDINARY.value)
        self.type_combo.addItem(tr("数电专票"), InvoiceType.SPECIAL.value)
        self.type_combo.setToolTip(tr("发票类型：普票或专票"))
        self.natural_person = QCheckBox(tr("购买方为自然人（个人）"))
        self.natural_person.setToolTip(tr("开给个人时勾选，名称后会自动加“（个人）”"))
        self.status_label = QLabel()
        self.status_label.setObjectName("draftStatus")
        top.addWidget(QLabel(tr("发票类型")))
        top.addWidget(self.type_combo)
        top.addSpacing(16)
        top.addWidget(self.natural_person)
        top.addStretch(1)
        top.addWidget(self.status_label)
        outer.addLayout(top)

        self.buyer_box = BuyerBox()
        self.buyer_edits = self.buyer_box.edits
        self.remark_edit = self.buyer_box.remark_edit
        self.save_buyer_button = self.buyer_box.save_buyer_button
        self.save_buyer_button.clicked.connect(self.request_save_buyer)
        self.buyer_box.buyerChosen.connect(self.fill_buyer)
        outer.addWidget(self.buyer_box)

        self.lines_editor = LinesEditor(self._catalog)
        self.line_bar = self.lines_editor.line_bar
        self.model = self.lines_editor.model
        self.table = self.lines_editor.table
        outer.addWidget(self.lines_editor, 1)
        self.treatment_bar = TreatmentBar()
        self.treatment_bar.changed.connect(self._on_change)
        outer.addWidget(self.treatment_bar)

        bottom = QHBoxLayout()
        self.problems_box = ProblemsBox()
        self.problem_list = self.problems_box.problem_list
        self.problem_list.itemActivated.connect(self._go_to_problem)
        bottom.addWidget(self.problems_box, 3)

        totals_box = TotalsBox()
        self.amount_label, self.tax_label = totals_box.amount_label, totals_box.tax_label
        self.total_label, self.capitals_label = totals_box.total_label, totals_box.capitals_label
        bottom.addWidget(totals_box, 2)
        outer.addLayout(bottom)

        actions = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("issueProgress")
        self.progress.setRange(0, 0)  # busy: the vendor gives no percentage
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("issueProgressLabel")
        self.notice_label = QLabel()
        self.notice_label.setObjectName("formNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress.hide()
        self.progress_label.hide()
        actions.addWidget(self.progress)
        actions.addWidget(self.progress_label)
        actions.addWidget(self.notice_label, 1)
        self.extra_actions = QHBoxLayout()  # the issuing controller adds 标记为待开 here
        actions.addLayout(self.extra_actions)
        self.save_button = QPushButton(tr("保存草稿"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip(tr("保存草稿（Ctrl+S）；草稿也会自动保存"))
        self.issue_button = QPushButton(tr("开具发票"))
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setDefault(False)
        self.issue_button.setAutoDefault(False)
        actions.addWidget(self.save_button)
        actions.addWidget(self.issue_button)
        outer.addLayout(actions)

        self.type_combo.currentIndexChanged.connect(self._on_change)
        self.natural_person.toggled.connect(self._on_change)
        for edit in (*self.buyer_edits.values(), self.remark_edit):
            edit.textChanged.connect(self._on_change)
        for key, edit in (*self.buyer_edits.items(), ("remark", self.remark_edit)):
            edit.editingFinished.connect(lambda key=key: self._left_field(key))
        self.natural_person.toggled.connect(lambda _on: self._left_field("natural_person"))
        self.type_combo.activated.connect(lambda _i: self._left_field("invoice_type"))
        self.table.selectionModel().currentChanged.connect(self._cell_left)
        self.save_button.clicked.connect(self.request_save)
        self.issue_button.clicked.connect(self.request_issue)

        order: list[QWidget] = [
            self.type_combo,
            self.natural_person,
            *(self.buyer_edits[f] for f in BUYER_FIELDS),
            self.remark_edit,
            self.table,
            self.problem_list,
            self.save_button,
            self.issue_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _build_actions(self) -> None:
        self.actions_by_name = build_actions(self)

    # ---- the draft ------------------------------------------------------------------------

    @property
    def draft_id(self) -> str | None:
        return self.autosaver.draft_id

    def draft(self) -> Draft:
        """What the form holds now, as the domain's Draft."""
        edits = self.buyer_edits
        buyer = Buyer(
            name=edits["name"].text(),
            tax_id=edits["tax_id"].text(),
            natural_person=self.natural_person.isChecked(),
            address=edits["address"].text(),
            phone=edits["phone"].text(),
            bank=edits["bank"].text(),
            bank_account=edits["bank_account"].text(),
            email=edits["email"].text(),
        )
        return Draft(
            invoice_type=str(self.type_combo.currentData()),
            buyer=buyer,
            lines=self.model.lines(),
            remark=self.remark_edit.text(),
            serial_no=self._serial_no,
            seller_type=self._seller_type,
            rate_note=self.treatment_bar.rate_note_value(),
            deduction=self.treatment_bar.deduction(),
        )

    def set_draft(self, draft: Draft, draft_id: str | None = None) -> None:
        """Show a draft (a new one when draft_id is None); nothing is saved by showing it."""
        self._loading = True
        try:
            found = self.type_combo.findData(draft.invoice_type)
            self.type_combo.setCurrentIndex(max(found, 0))
            self.natural_person.setChecked(draft.buyer.natural_person)
            for field, edit in self.buyer_edits.items():
                edit.setText(str(getattr(draft.buyer, field)))
            self.remark_edit.setText(draft.remark)
            self._serial_no = draft.serial_no
            self._seller_type = self._account_seller_type or draft.seller_type
            self.treatment_bar.set_from(draft)
            self.model.set_lines(draft.lines or [Line()])
            self.lines_editor.clear_undo()
        finally:
            self._loading = False
        self._autosave_timer.stop()
        self._check_timer.stop()
        self._pending_check = False
        self._confirmed_warnings.clear()
        self._vendor_problems = []
        self._left = set()
        # a draft opened or handed in with lines was typed before: its problems show at once
        self._show_all = draft_id is not None or any(line != Line() for line in draft.lines)
        self.notice_label.clear()
        self.autosaver.reset(self.draft(), draft_id)
        self._refresh()
        self.status_label.setText(self.tr("已打开草稿") if draft_id else self.tr("新发票"))

    def new_draft(self, buyer: Buyer | None = None) -> None:
        self.save_now()
        self.set_draft(Draft(buyer=buyer or Buyer(), lines=[Line()]))
        self.buyer_edits["name"].setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.buyer_edits["name"].setFocus()  # typing starts with the buyer

    async def open_draft(self, draft_id: str) -> None:
        drafts = self.autosaver.drafts
        if drafts is None:
            return
        await self.save()
        draft = await drafts.load(draft_id)
        self.set_draft(draft, draft_id)

    # ---- saving ----------------------------------------------------------------------------

    async def save(self, *, force: bool = False) -> str | None:
        self._flush_check()
        self._autosave_timer.stop()
        draft_id = await self.autosaver.save(force=force)
        if draft_id:
            self.status_label.setText(self.tr("草稿已保存"))
            self.saved.emit(draft_id)
        return draft_id

    def save_now(self) -> str | None:
        """Blocking save for shutdown paths (window close, SIGTERM)."""
        self._flush_check()
        self._autosave_timer.stop()
        return self.autosaver.save_now()

    def request_save(self) -> None:
        self._start(self.save(force=True))

    def _autosave(self) -> None:
        self._start(self.save())

    def _start(self, coro: Awaitable[Any]) -> None:
        spawn(coro, self._tasks)

    # ---- change tracking, validation, totals ------------------------------------------------

    def _on_change(self, *_args: Any) -> None:
        if self._loading:
            return
        if self._vendor_problems:  # the user is fixing what the vendor refused
            self._vendor_problems = []
            self.notice_label.clear()
        self._pending_check = True
        self._autosave_timer.start()
        self.status_label.setText(self.tr("未保存的修改"))
        if self.model.rowCount() > LARGE_DRAFT:
            self._check_timer.start()
        else:
            self._flush_check()
        self.changed.emit()

    def _flush_check(self) -> None:
        """Bring the autosaver, totals and problems up to date with what was typed."""
        self._check_timer.stop()
        if not self._pending_check:
            return
        self._pending_check = False
        draft = self.draft()
        self.autosaver.update(draft)
        self._refresh(draft)

    def _refresh(self, draft: Draft | None = None) -> None:
        draft = draft or self.draft()
        totals = compute_totals(draft)
        self.amount_label.setText(f"¥{grouped_money_text(totals.amount)}")
        self.tax_label.setText(f"¥{grouped_money_text(totals.tax)}")
        self.total_label.setText(f"¥{grouped_money_text(totals.total)}")
        self.capitals_label.setText(amount_in_capitals(totals.total))
        self.model.set_taxes([money_text(f.tax) if f else "" for f in totals.lines])
        self._problems = list(validate(draft))
        self.treatment_bar.set_context(self._seller_type, draft)
        # what the account's platform cannot carry is an error here, before anything is sent
        platform = self.tr("开票账户“%1”的平台").replace("%1", self._account_name)
        found = uncarried(draft, self._support or ORDINARY_ONLY, platform) if self._support else []
        self._problems += [Problem(p.field, p.code, "error", p.message) for p in found]
        self._uncarried = {(p.field, p.code) for p in found}
        self.treatment_bar.set_platform_text("\n".join(p.message for p in found))
        self._platform_problems = self.platform_check(draft) if self.platform_check else []
        self._show_problems()

    def set_account(self, name: str, seller_type: str, support: TreatmentSupport | None) -> None:
        """The active account: its 纳税人类型 fills a draft that says none, and what its
        platform cannot carry is shown (and blocks issuing) before anything is sent."""
        self._account_name = name
        self._account_seller_type = seller_type
        self._support = support
        self._seller_type = seller_type or self._seller_type
        self._refresh()

    def recheck(self) -> None:
        """Validate again (the active account changed: its platform may refuse other lines)."""
        self._refresh()

    def show_vendor_problem(self, message: str, fields: tuple[str, ...] = ()) -> None:
        """The vendor refused the invoice: its reason at the fields it concerns and in the
        problems panel. Cleared by the next change; it does not block issuing again."""
        self._vendor_problems = [
            Problem(f, "vendor.rejected", "error", message) for f in (fields or ("",))
        ]
        self._show_problems()

    def set_notice(self, text: str, *, error: bool = False) -> None:
        """One line under the totals: offline, refused, checking with the vendor..."""
        self.notice_label.setText(text)
        self.notice_label.setStyleSheet("color: #b00020;" if error else "")

    def problems(self) -> list[Any]:
        self._flush_check()
        return list(self._problems)

    def has_errors(self) -> bool:
        self._flush_check()
        return any(p.severity == "error" for p in self._problems)

    def _visible(self, problem: Problem) -> bool:
        """Shown yet? Once the field was left, issuing was tried, or the draft was opened."""
        if self._show_all or problem.code.startswith(("vendor.", "platform.")):
            return True
        if (problem.field, problem.code) in self._uncarried:
            return True
        field = problem.field
        if field in ("", "lines") or field.startswith("lines[*]"):
            return self.model.any_touched()
        cell = cell_of(field)
        if cell is not None:
            return self.model.touched(*cell)
        return field.removeprefix("buyer.") in self._left

    def _show_problems(self) -> None:
        everything = [*self._vendor_problems, *self._platform_problems, *self._problems]
        shown = [p for p in everything if self._visible(p)]
        cells, at_field = self.problems_box.show_problems(
            shown, self.model.rowCount(), hidden=len(everything) - len(shown)
        )
        self.model.set_problems(cells)
        widgets: dict[str, QWidget] = {**self.buyer_edits, "remark": self.remark_edit}
        widgets.update(self.treatment_bar.field_widgets())
        widgets["natural_person"] = self.natural_person
        widgets["invoice_type"] = self.type_combo
        for key, widget in widgets.items():
            found = at_field.get(key)
            base = str(widget.property("baseToolTip") or widget.toolTip() or "")
            if widget.property("baseToolTip") is None:
                widget.setProperty("baseToolTip", base)
            style = "" if not found else ERROR_STYLE if found[0] == "error" else WARNING_STYLE
            if widget.styleSheet() != style:  # restyling on every keystroke would be wasted
                widget.setStyleSheet(style)
            widget.setToolTip(found[1] if found else base)
        # 开具 stays enabled while there are errors: trying it shows them all
        self.issue_button.setEnabled(not self._busy)
        self.actions_by_name["issue"].setEnabled(not self._busy)
        self.issue_button.setToolTip(self.tr("预览并开具发票（Ctrl+Enter）"))

    def _left_field(self, key: str) -> None:
        if key not in self._left:
            self._left.add(key)
            self._show_problems()

    def _cell_left(self, current: QModelIndex, previous: QModelIndex) -> None:
        if previous.isValid() and not self.model.touched(previous.row(), previous.column()):
            self.model.mark_touched(previous.row(), previous.column())
            self._show_problems()

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        field = str(item.data(Qt.ItemDataRole.UserRole) or "")
        cell = cell_of(field)
        if cell is not None:
            index = self.model.index(*cell)
            self.table.setFocus()
            self.table.setCurrentIndex(index)
            return
        widget = self.buyer_edits.get(field.removeprefix("buyer."))
        if field == "remark":
            widget = self.remark_edit
        if widget is not None:
            widget.setFocus()

    # ---- issuing ----------------------------------------------------------------------------

    def request_issue(self) -> None:
        self._flush_check()
        if self._busy:
            return
        if self.has_errors() or self._platform_errors():
            # issuing was tried: every problem shows, and the first one gets the focus
            self._show_all = True
            self._show_problems()
            first = self.problem_list.item(0)
            if first is not None and first.data(Qt.ItemDataRole.UserRole) is not None:
                self._go_to_problem(first)
            return
        self._start(self._issue())

    def _platform_errors(self) -> bool:
        return any(p.severity == "error" for p in self._platform_problems)

    async def _issue(self) -> None:
        """Warnings confirmed, then the preview; 开具 there sends the draft on."""
        warnings = [p for p in self._problems if p.severity != "error"]
        keys = {(p.field, p.code) for p in warnings}
        if warnings and not keys <= self._confirmed_warnings:
            text = "\n".join(f"• {shown(p)}" for p in warnings)
            ok = await confirm(
                self,
                self.tr("请确认"),
                self.tr("这张发票有以下提示，确认无误后继续开具：") + "\n\n" + text,
                yes=self.tr("仍然开具"),
            )
            if not ok:
                return
            self._confirmed_warnings |= keys
        if self.has_errors():
            return
        account = self.account_source() if self.account_source is not None else None
        self.preview = IssuePreview(self.draft(), account, self)
        accepted = await run_dialog(self.preview) == QDialog.DialogCode.Accepted
        self.preview.deleteLater()
        self.preview = None
        if not accepted or self.has_errors() or self._busy:
            return
        await self.save(force=True)
        self.issueRequested.emit(self.draft())

    def set_busy(self, text: str | None) -> None:
        """An issue is in flight (text says what is happening): everything stays visible but
        nothing can be changed. None: editable again."""
        busy = text is not None
        self._busy = busy
        self.lines_editor.commit_edit()
        for edit in (*self.buyer_edits.values(), self.remark_edit):
            edit.setReadOnly(busy)
        for widget in (self.type_combo, self.natural_person, self.save_button, self.treatment_bar):
            widget.setEnabled(not busy)
        for name, action in self.actions_by_name.items():
            if name not in ("issue", "save_buyer", "product"):
                action.setEnabled(not busy)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if busy else EDIT_TRIGGERS
        )
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        self.progress_label.setText(text or "")
        if busy:
            self._autosave_timer.stop()
        self._show_problems()

    @property
    def busy(self) -> bool:
        return self._busy

    # ---- catalogs ---------------------------------------------------------------------------

    def request_save_buyer(self) -> None:
        buyer = self.draft().buyer
        if buyer.name.strip() or buyer.tax_id.strip():
            self.buyerSaveRequested.emit(buyer)

    def request_save_line(self) -> None:
        row = self.lines_editor.current_row()
        if 0 <= row < self.model.rowCount():
            line = self.model.line(row)
            if line.name.strip() and line.kind != "discount":
                self.lineSaveRequested.emit(line)

    # ---- customers --------------------------------------------------------------------------

    def set_customer_search(self, search: CustomerSearch | None) -> None:
        """Where buyer completions come from (the customer catalog, searched off the GUI)."""
        self.buyer_box.set_customer_search(search)

    def fill_buyer(self, buyer: Buyer) -> None:
        for field, edit in self.buyer_edits.items():
            edit.setText(str(getattr(buyer, field)))
        self.natural_person.setChecked(buyer.natural_person)

    def add_line(self) -> None:
        """添加行 (the lines editor does it; kept here for callers of the form)."""
        self.lines_editor.add_line()

    def first_cell(self) -> QModelIndex:
        return self.lines_editor.first_cell()
