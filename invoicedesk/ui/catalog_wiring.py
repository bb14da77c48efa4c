"""The form and the catalogs: 存为客户 / 存为商品 from the form, the product choices of the line
editor's completer, and the tax codes used lately."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invoicedesk.domain.models import Buyer, Line
    from invoicedesk.services.catalogs import CatalogService
    from invoicedesk.ui.catalog_pages import ProductChoices
    from invoicedesk.ui.main_window import MainWindow

Spawn = Callable[[Coroutine[Any, Any, Any]], None]


class CatalogWiring:
    def __init__(
        self,
        window: MainWindow,
        catalogs: CatalogService,
        choices: ProductChoices,
        spawn: Spawn,
    ) -> None:
        self.window = window
        self.catalogs = catalogs
        self.choices = choices
        self.spawn = spawn
        form = window.form
        form.set_customer_search(catalogs.search_buyers)
        form.buyerSaveRequested.connect(lambda b: spawn(self.save_buyer(b)))
        form.lineSaveRequested.connect(lambda line: spawn(self.save_line(line)))

    async def load_products(self) -> None:
        self.choices.products = await self.catalogs.products()

    async def load_recent_codes(self) -> None:
        self.choices.recent = await self.catalogs.recent_codes()
        self.choices.on_remember = lambda recent: self.spawn(
            self.catalogs.save_recent_codes(recent)
        )

    async def save_buyer(self, buyer: Buyer) -> None:
        await self.catalogs.add_buyer(buyer)
        self.window.statusBar().showMessage(
            self.window.tr("已存入客户：") + (buyer.name or buyer.tax_id), 5000
        )

    async def save_line(self, line: Line) -> None:
        try:
            await self.catalogs.add_line(line)
        except ValueError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return
        await self.load_products()
        self.window.statusBar().showMessage(self.window.tr("已存入商品：") + line.name, 5000)
