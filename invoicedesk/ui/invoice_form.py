"""The invoice entry form: invoice type, buyer, lines, live totals and problems, autosave.

Every change re-validates at once (domain.rules is fast) and restarts a short autosave timer.
The latest draft is always mirrored into an `Autosaver`, a plain object that outlives the widget:
when the widget is destroyed without being closed, the autosaver still writes what was typed.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from invoicedesk.domain.capitals import amount_in_capitals
from invoicedesk.domain.models import Buyer, Draft, InvoiceType, Line
from invoicedesk.domain.money import compute_totals, grouped_money_text, money_text
from invoicedesk.domain.rules import Problem, validate
from invoicedesk.domain.treatments import ORDINARY_ONLY, TreatmentSupport, uncarried
from invoicedesk.services.drafts import DraftService
from invoicedesk.ui.async_dialog import confirm
from invoicedesk.ui.catalog_choices import CatalogChoices
from invoicedesk.ui.line_delegates import NameDelegate, RateDelegate, TextDelegate
from invoicedesk.ui.lines_model import COLUMN_OF_FIELD, Col, LinesModel
from invoicedesk.ui.tasks import spawn
from invoicedesk.ui.treatment_widgets import TreatmentBar, TreatmentDelegate

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1500  # short: a crash loses at most this much typing

ERROR_STYLE = "background-color: #f8d0d0;"
WARNING_STYLE = "background-color: #fbeec0;"

_LINE_FIELD = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")

BUYER_FIELDS = ("name", "tax_id", "address", "phone", "bank", "bank_account", "email")

CustomerSearch = Callable[[str], Awaitable[list[Buyer]]]

_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)


class Autosaver:
    """Holds the newest draft and writes it; safe to call from the GUI thread or a worker.

    A threading lock serialises writes, so a save on destroy never races an autosave in flight
    into two rows for one draft."""

    def __init__(self, drafts: DraftService | None) -> None:
        self.drafts = drafts
        self.draft_id: str | None = None
        self._draft: Draft | None = None
        self._version = 0
        self._saved_version = 0
        self._lock = threading.Lock()

    def update(self, draft: Draft) -> None:
        self._draft = draft
        self._version += 1

    def reset(self, draft: Draft, draft_id: str | None) -> None:
        with self._lock:
            self._draft, self.draft_id = draft, draft_id
            self._version += 1
            self._saved_version = self._version

    @property
    def dirty(self) -> bool:
        return self._version != self._saved_version

    def save_now(self, *, force: bool = False) -> str | None:
        """Write the newest draft if it changed (blocking; a few milliseconds of SQLite)."""
        with self._lock:
            if self.drafts is None or self._draft is None:
                return self.draft_id
            if not force and not self.dirty:
                return self.draft_id
            if self.draft_id is None and _is_empty(self._draft):
                return None  # nothing typed: no empty drafts in the 草稿箱
            version = self._version
            self.draft_id = self.drafts.save_blocking(self.draft_id, self._draft)
            self._saved_version = version
            return self.draft_id

    async def save(self, *, force: bool = False) -> str | None:
        return await asyncio.to_thread(self.save_now, force=force)


def _is_empty(draft: Draft) -> bool:
    return draft == Draft(invoice_type=draft.invoice_type, lines=[Line()]) or draft == Draft(
        invoice_type=draft.invoice_type
    )


class LinesView(QTableView):
    """The line table; Enter on the last line (editing or not) asks for a new line."""

    enterPressed = Signal()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.enterPressed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and plain
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.enterPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class InvoiceForm(QWidget):
    """Public API:
    - draft() -> Draft, set_draft(draft, draft_id=None), draft_id
    - save() (coroutine) -> id, save_now() -> id (blocking, for shutdown paths)
    - problems() -> the current domain Problems; has_errors()
    - set_customer_search(coroutine function str -> list[Buyer])
    - set_busy(text) / set_busy(None): read-only with a progress bar while an issue is in flight
    - show_vendor_problem(message, fields): the vendor's refusal at the fields it names, until
      the next change
    Signals: changed(), saved(str id), issueRequested(object Draft) after warnings are confirmed,
    buyerSaveRequested(object Buyer), lineSaveRequested(object Line).
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
        self._tasks: set[asyncio.Task[Any]] = set()
        self._customer_search: CustomerSearch | None = None
        self._customer_hits: dict[str, Buyer] = {}
        # the active account (issue 16): its 纳税人类型 and what its platform can carry
        self._seller_type = ""
        self._account_seller_type = ""
        self._support: TreatmentSupport | None = None
        self._account_name = ""

        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self._autosave)
        self._customer_timer = QTimer(self)
        self._customer_timer.setSingleShot(True)
        self._customer_timer.setInterval(150)
        self._customer_timer.timeout.connect(self._search_customers)

        self._build()
        self._build_actions()
        self.model.linesChanged.connect(self._on_change)
        # the autosaver is no child of the widget: it can still write after the widget is gone
        saver = self.autosaver
        self.destroyed.connect(lambda *_: _save_quietly(saver))
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

        buyer_box = QGroupBox(tr("购买方"))
        grid = QGridLayout(buyer_box)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setVerticalSpacing(4)
        self.buyer_edits: dict[str, QLineEdit] = {}
        labels = {
            "name": tr("名称"),
            "tax_id": tr("纳税人识别号"),
            "address": tr("地址"),
            "phone": tr("电话"),
            "bank": tr("开户银行"),
            "bank_account": tr("银行账号"),
            "email": tr("邮箱"),
        }
        placeholders = {
            "name": tr("输入名称或税号，可从客户中选择"),
            "tax_id": tr("统一社会信用代码 / 纳税人识别号"),
            "email": tr("交付发票的电子邮箱（选填）"),
        }
        for i, field in enumerate(BUYER_FIELDS):
            edit = QLineEdit()
            edit.setObjectName(f"buyer_{field}")
            edit.setPlaceholderText(placeholders.get(field, tr("选填")))
            edit.setProperty("baseToolTip", labels[field])
            edit.setToolTip(labels[field])
            label = QLabel(labels[field])
            label.setBuddy(edit)
            row, pair = divmod(i, 2)
            grid.addWidget(label, row, pair * 2)
            grid.addWidget(edit, row, pair * 2 + 1)
            self.buyer_edits[field] = edit
        self.remark_edit = QLineEdit()
        self.remark_edit.setObjectName("remark")
        self.remark_edit.setPlaceholderText(tr("备注（选填）"))
        self.remark_edit.setProperty("baseToolTip", tr("备注"))
        remark_label = QLabel(tr("备注"))
        remark_label.setBuddy(self.remark_edit)
        grid.addWidget(remark_label, 3, 2)
        grid.addWidget(self.remark_edit, 3, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        outer.addWidget(buyer_box)
        self.save_buyer_button = QToolButton()
        self.save_buyer_button.setObjectName("saveBuyerButton")
        self.save_buyer_button.setText(tr("存入客户"))
        self.save_buyer_button.setToolTip(tr("把这个购买方存入客户资料（Ctrl+Shift+B）"))
        self.save_buyer_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.save_buyer_button.clicked.connect(self.request_save_buyer)
        self.buyer_box = buyer_box

        self._customer_model = QStringListModel(self)
        completer = QCompleter(self._customer_model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated[str].connect(self._customer_chosen)  # type: ignore[index]
        self.buyer_edits["name"].setCompleter(completer)

        self.line_bar = QHBoxLayout()
        self.line_bar.setSpacing(4)
        outer.addLayout(self.line_bar)

        self.model = LinesModel(parent=self)
        self.table = LinesView()
        self.table.setObjectName("linesTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(_EDIT_TRIGGERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(True)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegate(TextDelegate(self.table))
        self.table.setItemDelegateForColumn(Col.NAME, NameDelegate(self._catalog.search, self))
        self.table.setItemDelegateForColumn(Col.TAX_RATE, RateDelegate(self._catalog.rates, self))
        self.table.setItemDelegateForColumn(Col.TREATMENT, TreatmentDelegate(self))
        self.table.setToolTip(
            tr("直接输入即可编辑；Tab 下一格，Enter 确认（最后一行时新增一行），Esc 取消编辑")
        )
        header = self.table.horizontalHeader()
        # narrow enough that a 14-character name still shows at the window's minimum size
        widths = {
            Col.TAX_CODE: 162,
            Col.SPEC: 64,
            Col.UNIT: 44,
            Col.QUANTITY: 56,
            Col.UNIT_PRICE: 84,
            Col.AMOUNT: 92,
            Col.INCLUDES_TAX: 40,
            Col.TAX_RATE: 48,
            Col.TAX: 76,
            Col.TREATMENT: 84,
        }
        metrics = header.fontMetrics()
        for col, width in widths.items():
            # never narrower than the header text (English labels are longer than Chinese ones)
            heading = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            self.table.setColumnWidth(col, max(width, metrics.horizontalAdvance(heading) + 18))
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setMinimumHeight(120)
        self.table.enterPressed.connect(self._enter_in_table)
        outer.addWidget(self.table, 1)
        self.treatment_bar = TreatmentBar()
        self.treatment_bar.changed.connect(self._on_change)
        outer.addWidget(self.treatment_bar)

        bottom = QHBoxLayout()
        problems_box = QGroupBox(tr("问题"))
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(6, 4, 6, 4)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problemList")
        self.problem_list.setToolTip(tr("双击或按 Enter 跳到有问题的地方"))
        self.problem_list.itemActivated.connect(self._go_to_problem)
        self.problem_list.setMaximumHeight(96)
        problems_layout.addWidget(self.problem_list)
        bottom.addWidget(problems_box, 3)

        totals_box = QGroupBox(tr("合计"))
        totals = QFormLayout(totals_box)
        totals.setContentsMargins(8, 4, 8, 4)
        totals.setVerticalSpacing(2)
        self.amount_label = QLabel()
        self.tax_label = QLabel()
        self.total_label = QLabel()
        self.capitals_label = QLabel()
        self.total_label.setStyleSheet("font-weight: bold;")
        for label in (self.amount_label, self.tax_label, self.total_label):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.capitals_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.capitals_label.setWordWrap(True)
        totals.addRow(tr("金额"), self.amount_label)
        totals.addRow(tr("税额"), self.tax_label)
        totals.addRow(tr("价税合计（小写）"), self.total_label)
        totals.addRow(tr("价税合计（大写）"), self.capitals_label)
        totals_box.setMinimumWidth(300)
        totals_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
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
        self.buyer_edits["name"].textEdited.connect(lambda _t: self._customer_timer.start())
        self.buyer_edits["tax_id"].textEdited.connect(lambda _t: self._customer_timer.start())
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
        tr = self.tr
        specs: list[tuple[str, str, list[str], Callable[[], None]]] = [
            ("add", tr("添加行"), ["Alt+Insert", "Alt+N"], self.add_line),
            ("remove", tr("删除行"), ["Alt+Delete"], self.remove_line),
            ("up", tr("上移"), ["Alt+Up"], lambda: self.move_line(-1)),
            ("down", tr("下移"), ["Alt+Down"], lambda: self.move_line(1)),
            ("duplicate", tr("复制行"), ["Alt+D"], self.duplicate_line),
            ("discount", tr("添加折扣行"), ["Alt+Z"], self.add_discount),
            ("product", tr("存入商品"), ["Alt+P"], self.request_save_line),
        ]
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, keys, slot in specs:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text}（{keys[0]}）")
            action.triggered.connect(slot)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"line_{name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard users have the shortcut
            self.line_bar.addWidget(button)
            self.actions_by_name[name] = action
        self.line_bar.addStretch(1)
        self.line_bar.addWidget(self.save_buyer_button)
        save_buyer = QAction(tr("存入客户"), self)
        save_buyer.setShortcut(QKeySequence("Ctrl+Shift+B"))
        save_buyer.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_buyer.triggered.connect(self.request_save_buyer)
        self.addAction(save_buyer)
        self.actions_by_name["save_buyer"] = save_buyer

        save = QAction(tr("保存草稿"), self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.request_save)
        self.addAction(save)
        issue = QAction(tr("开具发票"), self)
        issue.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        issue.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        issue.triggered.connect(self.request_issue)
        self.addAction(issue)
        self.actions_by_name["save"] = save
        self.actions_by_name["issue"] = issue

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
        finally:
            self._loading = False
        self._autosave_timer.stop()
        self._confirmed_warnings.clear()
        self._vendor_problems = []
        self.notice_label.clear()
        self.autosaver.reset(self.draft(), draft_id)
        self._refresh()
        self.status_label.setText(self.tr("已打开草稿") if draft_id else self.tr("新发票"))

    def new_draft(self, buyer: Buyer | None = None) -> None:
        self.save_now()
        self.set_draft(Draft(buyer=buyer or Buyer(), lines=[Line()]))

    async def open_draft(self, draft_id: str) -> None:
        drafts = self.autosaver.drafts
        if drafts is None:
            return
        await self.save()
        draft = await drafts.load(draft_id)
        self.set_draft(draft, draft_id)

    # ---- saving ----------------------------------------------------------------------------

    async def save(self, *, force: bool = False) -> str | None:
        self._autosave_timer.stop()
        draft_id = await self.autosaver.save(force=force)
        if draft_id:
            self.status_label.setText(self.tr("草稿已保存"))
            self.saved.emit(draft_id)
        return draft_id

    def save_now(self) -> str | None:
        """Blocking save for shutdown paths (window close, SIGTERM)."""
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
        self.autosaver.update(self.draft())
        self._autosave_timer.start()
        self.status_label.setText(self.tr("未保存的修改"))
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        draft = self.draft()
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
        self.treatment_bar.set_platform_text("\n".join(p.message for p in found))
        self._show_problems()

    def set_account(self, name: str, seller_type: str, support: TreatmentSupport | None) -> None:
        """The active account: its 纳税人类型 fills a draft that says none, and what its
        platform cannot carry is shown (and blocks issuing) before anything is sent."""
        self._account_name = name
        self._account_seller_type = seller_type
        self._support = support
        self._seller_type = seller_type or self._seller_type
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
        return list(self._problems)

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self._problems)

    def _show_problems(self) -> None:
        at_field: dict[str, tuple[str, str]] = {}
        cells: dict[tuple[int, int], tuple[str, str]] = {}
        self.problem_list.clear()
        item: QListWidgetItem | None
        if not self._problems and not self._vendor_problems:
            item = QListWidgetItem(self.tr("没有发现问题，可以开具"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.problem_list.addItem(item)
        shown_vendor: set[str] = set()
        for problem in [*self._vendor_problems, *self._problems]:
            severity, message, field = problem.severity, problem.message, problem.field
            if problem.code == "vendor.rejected":
                if message in shown_vendor:  # one entry per refusal, however many fields
                    item = None
                else:
                    shown_vendor.add(message)
                    item = QListWidgetItem(self.tr("平台拒绝：") + message)
            else:
                item = QListWidgetItem(
                    (self.tr("错误：") if severity == "error" else self.tr("提示：")) + message
                )
            field = _expand_star(field, self.model.rowCount())
            if item is not None:
                item.setData(Qt.ItemDataRole.UserRole, field.split("|")[0])
                item.setToolTip(message)
                self.problem_list.addItem(item)
            for one in field.split("|"):
                cell = _cell_of(one)
                if cell is not None:
                    _merge(cells, cell, severity, message)
                elif one:
                    key = one.removeprefix("buyer.")
                    _merge(at_field, key, severity, message)
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
        errors = self.has_errors()
        self.issue_button.setEnabled(not errors and not self._busy)
        self.actions_by_name["issue"].setEnabled(not errors and not self._busy)
        self.issue_button.setToolTip(
            self.tr("请先改正“问题”中列出的错误") if errors else self.tr("开具发票（Ctrl+Enter）")
        )

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        field = str(item.data(Qt.ItemDataRole.UserRole) or "")
        cell = _cell_of(field)
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
        if not self.has_errors() and not self._busy:
            self._start(self._issue())

    async def _issue(self) -> None:
        warnings = [p for p in self._problems if p.severity != "error"]
        keys = {(p.field, p.code) for p in warnings}
        if warnings and not keys <= self._confirmed_warnings:
            text = "\n".join(f"• {p.message}" for p in warnings)
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
        await self.save(force=True)
        self.issueRequested.emit(self.draft())

    def set_busy(self, text: str | None) -> None:
        """An issue is in flight (text says what is happening): everything stays visible but
        nothing can be changed. None: editable again."""
        busy = text is not None
        self._busy = busy
        self._commit_edit()
        for edit in (*self.buyer_edits.values(), self.remark_edit):
            edit.setReadOnly(busy)
        for widget in (self.type_combo, self.natural_person, self.save_button, self.treatment_bar):
            widget.setEnabled(not busy)
        for name, action in self.actions_by_name.items():
            if name not in ("issue", "save_buyer", "product"):
                action.setEnabled(not busy)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if busy else _EDIT_TRIGGERS
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
        row = self._current_row()
        if 0 <= row < self.model.rowCount():
            line = self.model.line(row)
            if line.name.strip() and line.kind != "discount":
                self.lineSaveRequested.emit(line)

    # ---- lines ------------------------------------------------------------------------------

    def _commit_edit(self) -> None:
        """A line action while a cell is being edited: keep what was typed in it first."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            self.table.setFocus()  # the delegate commits and closes its editor on focus-out

    def _current_row(self) -> int:
        self._commit_edit()
        index = self.table.currentIndex()
        return index.row() if index.isValid() else self.model.rowCount() - 1

    def _focus_cell(self, row: int, col: int, edit: bool = False) -> None:
        if row < 0:
            return
        index = self.model.index(row, col)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        if edit:
            self.table.edit(index)

    def add_line(self) -> None:
        row = self.model.insert_line(self._current_row() + 1)
        self._focus_cell(row, Col.NAME, edit=True)

    def remove_line(self) -> None:
        row = self._current_row()
        col = max(self.table.currentIndex().column(), 0)
        if row < 0:
            return
        self.model.remove_line(row)
        if self.model.rowCount() == 0:
            self.model.append_line()
        self._focus_cell(min(row, self.model.rowCount() - 1), col)

    def move_line(self, delta: int) -> None:
        self._commit_edit()
        col = max(self.table.currentIndex().column(), 0)
        row = self.model.move_line(self._current_row(), delta)
        self._focus_cell(row, col)

    def duplicate_line(self) -> None:
        row = self.model.duplicate_line(self._current_row())
        self._focus_cell(row, Col.NAME)

    def add_discount(self) -> None:
        row = self.model.add_discount(self._current_row())
        if row >= 0:
            self._focus_cell(row, Col.AMOUNT, edit=True)

    def _enter_in_table(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        if row >= self.model.rowCount() - 1:
            self.model.append_line()
            self._focus_cell(self.model.rowCount() - 1, Col.NAME, edit=True)
        else:
            self._focus_cell(row + 1, max(index.column(), 0))

    # ---- customers --------------------------------------------------------------------------

    def set_customer_search(self, search: CustomerSearch | None) -> None:
        """Where buyer completions come from (the customer catalog, searched off the GUI)."""
        self._customer_search = search

    def _search_customers(self) -> None:
        if self._customer_search is None:
            return
        text = self.buyer_edits["name"].text().strip() or self.buyer_edits["tax_id"].text()
        if text:
            self._start(self._fill_customers(self._customer_search, text.strip()))

    async def _fill_customers(self, search: CustomerSearch, text: str) -> None:
        buyers = await search(text)
        self._customer_hits = {f"{b.name}  {b.tax_id}".strip(): b for b in buyers}
        self._customer_model.setStringList(list(self._customer_hits))
        if self._customer_hits and self.buyer_edits["name"].hasFocus():
            completer = self.buyer_edits["name"].completer()
            if completer is not None:
                completer.complete()

    def _customer_chosen(self, text: str) -> None:
        buyer = self._customer_hits.get(text)
        if buyer is None:
            return
        # after the completer has written its text, put the whole buyer in
        QTimer.singleShot(0, lambda: self.fill_buyer(buyer))

    def fill_buyer(self, buyer: Buyer) -> None:
        for field, edit in self.buyer_edits.items():
            edit.setText(str(getattr(buyer, field)))
        self.natural_person.setChecked(buyer.natural_person)

    def first_cell(self) -> QModelIndex:
        return self.model.index(0, Col.NAME)


def _cell_of(field: str) -> tuple[int, int] | None:
    match = _LINE_FIELD.match(field or "")
    if not match:
        return None
    column = COLUMN_OF_FIELD.get(match.group(2) or "name", Col.NAME)
    return int(match.group(1)), int(column)


def _expand_star(field: str, rows: int) -> str:
    """A field like lines[*].tax_rate (the vendor named no line): every line, joined by "|"."""
    if not field.startswith("lines[*]"):
        return field
    rest = field[len("lines[*]") :]
    return "|".join(f"lines[{i}]{rest}" for i in range(rows)) or "lines"


def _merge(target: dict[Any, tuple[str, str]], key: Any, severity: str, message: str) -> None:
    """Several problems on one field: errors first, messages joined."""
    old = target.get(key)
    if old is None:
        target[key] = (severity, message)
    else:
        worst = "error" if "error" in (old[0], severity) else severity
        target[key] = (worst, f"{old[1]}\n{message}")


def _save_quietly(saver: Autosaver) -> None:
    try:
        saver.save_now()
    except Exception:  # the widget is gone: log it, but a failed last save must not crash
        log.exception("saving the draft of a destroyed form failed")
