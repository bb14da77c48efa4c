"""The pages that need the Core, built when first shown (MainWindow knows no service)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QWidget

from invoicedesk.ui.core_bridge import signals
from invoicedesk.ui.main_window import Page

if TYPE_CHECKING:
    from invoicedesk.services.context import Core
    from invoicedesk.ui.account_dialog import Tester
    from invoicedesk.ui.accounts import AccountsPage
    from invoicedesk.ui.batch.page import BatchPage
    from invoicedesk.ui.catalog_pages import CatalogPage, ProductChoices
    from invoicedesk.ui.history.page import HistoryPage
    from invoicedesk.ui.main_window import MainWindow
    from invoicedesk.ui.red.page import RedPage

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any]], None]
W = TypeVar("W", bound=QWidget)


class WindowPages:
    """Public API: install(), page(Page) (built now if not yet), built (the pages so far),
    batch_restore (the batch page reopening an unfinished batch, once built)."""

    def __init__(
        self,
        window: MainWindow,
        core: Core,
        *,
        choices: ProductChoices,
        data_dir: Path,
        keyring_ok: bool,
        tester: Tester,
        choose_account: Callable[[str], Coroutine[Any, Any, bool]],
        refresh_figures: Callable[[str], Coroutine[Any, Any, None]],
        load_products: Callable[[], Coroutine[Any, Any, None]],
        spawn: Spawn,
        track: Callable[[asyncio.Task[Any]], None],
    ) -> None:
        self.window = window
        self.core = core
        self.choices = choices
        self.data_dir = data_dir
        self.keyring_ok = keyring_ok
        self.tester = tester
        self.choose_account = choose_account
        self.refresh_figures = refresh_figures
        self.load_products = load_products
        self.spawn = spawn
        self.track = track  # a task the composition root waits for at shutdown
        self.built: dict[int, QWidget] = {}
        self.batch_restore: asyncio.Task[bool] | None = None

    def install(self) -> None:
        factories: dict[int, Callable[[], QWidget]] = {
            Page.HISTORY: self._history,
            Page.RED: self._red,
            Page.CUSTOMERS: self._customers,
            Page.PRODUCTS: self._products,
            Page.SETTINGS: self._accounts,
            Page.BATCH: self._batch,
        }
        for page, factory in factories.items():
            self.window.set_page_factory(page, self._built_by(page, factory))

    def page(self, page: int) -> QWidget | None:
        """A page's widget, built now if not yet."""
        if page not in self.built:
            self.window.ensure_page(page)
        return self.built.get(page)

    def history(self) -> HistoryPage:
        from invoicedesk.ui.history.page import HistoryPage

        return self._typed(Page.HISTORY, HistoryPage)

    def red(self) -> RedPage:
        from invoicedesk.ui.red.page import RedPage

        return self._typed(Page.RED, RedPage)

    def batch(self) -> BatchPage:
        from invoicedesk.ui.batch.page import BatchPage

        return self._typed(Page.BATCH, BatchPage)

    def customers(self) -> CatalogPage:
        from invoicedesk.ui.catalog_pages import CatalogPage

        return self._typed(Page.CUSTOMERS, CatalogPage)

    def products(self) -> CatalogPage:
        from invoicedesk.ui.catalog_pages import CatalogPage

        return self._typed(Page.PRODUCTS, CatalogPage)

    def accounts(self) -> AccountsPage:
        from invoicedesk.ui.accounts import AccountsPage

        return self._typed(Page.SETTINGS, AccountsPage)

    def _typed(self, page: int, kind: type[W]) -> W:
        widget = self.page(page)
        assert isinstance(widget, kind), (page, widget)
        return widget

    async def close_batch(self) -> None:
        """Before the Core closes: the batch page sends no more (those in flight finish)."""
        page = self.built.get(Page.BATCH)
        if page is not None:
            from invoicedesk.ui.batch.page import BatchPage

            assert isinstance(page, BatchPage)
            await page.aclose()

    def close_history(self) -> None:
        """Before the Core closes: the history page's queries and sync end."""
        page = self.built.get(Page.HISTORY)
        if page is not None:
            from invoicedesk.ui.history.page import HistoryPage

            assert isinstance(page, HistoryPage)
            page.shutdown()

    def _built_by(self, page: int, factory: Callable[[], QWidget]) -> Callable[[], QWidget]:
        def build() -> QWidget:
            from invoicedesk.ui.theme import tidy_tables

            widget = factory()
            self.built[page] = widget
            tidy_tables(widget)  # what menus.install did for the pages present then
            return widget

        return build

    def _history(self) -> HistoryPage:
        from invoicedesk.ui.history.page import HistoryPage

        return HistoryPage(self.core)

    def _red(self) -> RedPage:
        from invoicedesk.ui.red.page import install_red_page

        return install_red_page(self.window, self.core)

    def _customers(self) -> CatalogPage:
        from invoicedesk.ui.catalog_pages import customers_page

        page = customers_page(self.core.catalogs)
        signals(self.core).customersChanged.connect(page.reload)  # an issued buyer joins
        return page

    def _products(self) -> CatalogPage:
        from invoicedesk.ui.catalog_pages import products_page

        page = products_page(self.core.catalogs, self.choices)
        page.catalogChanged.connect(lambda: self.spawn(self.load_products()))
        return page

    def _accounts(self) -> AccountsPage:
        from invoicedesk.ui import menus
        from invoicedesk.ui.accounts import AccountsPage
        from invoicedesk.ui.banner import no_keyring_text

        banner = self.window.notice_bar
        page = AccountsPage(
            self.core,
            self.tester,
            keyring_ok=self.keyring_ok,
            keyring_news_shown=lambda: banner.text() == no_keyring_text(),
        )
        banner.closed.connect(page.refresh_keyring_notice)
        page.activateRequested.connect(lambda name: self.spawn(self.choose_account(name)))
        box = self.window.findChild(menus.PreferencesBox, "preferencesBox")
        layout = page.layout()
        if box is not None and layout is not None:
            layout.addWidget(box)  # the 外观与语言 box moves from the placeholder
        else:
            self.window.mount(Page.SETTINGS, page)
            menus.add_preferences(self.window, self.data_dir)
        return page

    def _batch(self) -> BatchPage:
        from invoicedesk.ui.batch.page import BatchPage

        page = BatchPage(self.core)
        page.runFinished.connect(lambda name: self.spawn(self.refresh_figures(name)))
        self.batch_restore = asyncio.ensure_future(page.restore())  # accounts, open batch
        self.track(self.batch_restore)
        return page
