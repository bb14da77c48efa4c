"""Customer and product catalogs over the store, with Excel (.xlsx) import and export.

Every store call and every workbook read or write runs in a thread (asyncio.to_thread): the GUI
loop never waits on SQLite or openpyxl. Prices and rates stay exact text → Decimal, never float:
a number cell that openpyxl hands back as a float is turned into text through repr(), which is
the shortest text that reads back as the same float (1.1 stays "1.1").
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from invoicedesk.domain.models import Buyer, Line

CUSTOMER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "名称"),
    ("tax_id", "纳税人识别号"),
    ("address", "地址"),
    ("phone", "电话"),
    ("bank", "开户银行"),
    ("account", "银行账号"),
    ("email", "邮箱"),
    ("note", "备注"),
)
PRODUCT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "名称"),
    ("tax_code", "税收分类编码"),
    ("spec", "规格型号"),
    ("unit", "单位"),
    ("unit_price", "单价"),
    ("tax_rate", "税率"),
    ("note", "备注"),
)
SEARCH_LIMIT = 20
RECENT_CODES_SETTING = "catalog.recent_codes"  # JSON {code: last rate}, oldest first


class CatalogError(Exception):
    """A file could not be read or written; the message is Chinese and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Customer:
    id: str | None
    name: str
    tax_id: str = ""
    address: str = ""
    phone: str = ""
    bank: str = ""
    account: str = ""
    email: str = ""
    note: str = ""

    def buyer(self) -> Buyer:
        return Buyer(
            name=self.name,
            tax_id=self.tax_id,
            address=self.address,
            phone=self.phone,
            bank=self.bank,
            bank_account=self.account,
            email=self.email,
        )


@dataclass(frozen=True)
class Product:
    id: str | None
    name: str
    tax_code: str = ""
    spec: str = ""
    unit: str = ""
    unit_price: str = ""  # exact text
    tax_rate: str = ""  # exact text, "0.06"
    note: str = ""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # Chinese: "第3行：名称为空"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value else "0"
    return str(value).strip()


def _decimal(text: str, what: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "").replace("%", ""))
    except InvalidOperation:
        raise ValueError(f"{what}“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"{what}“{text}”不是数字")
    if what == "税率" and "%" in text:
        value = value / 100
    return value


def _dec_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value else "0"


class CatalogService:
    def __init__(self, store: Any) -> None:
        self.store = store

    # ---- customers -------------------------------------------------------------------------

    async def customers(self, search: str = "") -> list[Customer]:
        rows = await asyncio.to_thread(self.store.list_customers, search)
        return [
            Customer(r.id, r.name, r.tax_id, r.address, r.phone, r.bank, r.account, r.email, r.note)
            for r in rows
        ]

    async def search_buyers(self, text: str) -> list[Buyer]:
        """For the form's buyer completer: by name or tax ID (substring), or by the name's
        pinyin initials or full pinyin ("hzqh", "hangzhou")."""
        return await asyncio.to_thread(self._search_buyers, text)

    def _search_buyers(self, text: str) -> list[Buyer]:
        text = text.strip()
        rows = self.store.list_customers(text)
        low = text.lower().replace(" ", "")
        if low.isascii() and low.isalpha():
            from invoicedesk.domain.catalog import pinyin_keys

            seen = {r.id for r in rows}
            for r in self.store.list_customers(""):
                if r.id not in seen and any(k.startswith(low) for k in pinyin_keys(r.name)):
                    rows.append(r)
        customers = [
            Customer(r.id, r.name, r.tax_id, r.address, r.phone, r.bank, r.account, r.email, r.note)
            for r in rows[:SEARCH_LIMIT]
        ]
        return [c.buyer() for c in customers]

    async def save_customer(self, customer: Customer) -> str:
        return await asyncio.to_thread(self._save_customer, customer)

    def _save_customer(self, c: Customer) -> str:
        result: str = self.store.upsert_customer(
            c.id,
            name=c.name,
            tax_id=c.tax_id,
            address=c.address,
            phone=c.phone,
            bank=c.bank,
            account=c.account,
            email=c.email,
            note=c.note,
        )
        return result

    async def delete_customer(self, customer_id: str) -> None:
        await asyncio.to_thread(self.store.delete_customer, customer_id)

    async def add_buyer(self, buyer: Buyer) -> str:
        """Save a buyer from the form: updates the customer with the same tax ID (or, without
        one, the same name) instead of adding a twin."""
        return await asyncio.to_thread(self._add_buyer, buyer)

    def _add_buyer(self, buyer: Buyer) -> str:
        return remember_buyer(self.store, buyer)

    # ---- products --------------------------------------------------------------------------

    async def products(self, search: str = "") -> list[Product]:
        rows = await asyncio.to_thread(self.store.list_products, search)
        return [
            Product(
                r.id,
                r.name,
                r.tax_code,
                r.spec,
                r.unit,
                _dec_text(r.unit_price),
                _dec_text(r.tax_rate),
                r.note,
            )
            for r in rows
        ]

    async def save_product(self, product: Product) -> str:
        return await asyncio.to_thread(self._save_product, product)

    def _save_product(self, p: Product) -> str:
        result: str = self.store.upsert_product(
            p.id,
            name=p.name,
            tax_code=p.tax_code,
            spec=p.spec,
            unit=p.unit,
            unit_price=_decimal(p.unit_price, "单价"),
            tax_rate=_decimal(p.tax_rate, "税率"),
            note=p.note,
        )
        return result

    async def delete_product(self, product_id: str) -> None:
        await asyncio.to_thread(self.store.delete_product, product_id)

    async def add_line(self, line: Line) -> str:
        """Save a line from the form as a product (same name and tax code: updated)."""
        return await asyncio.to_thread(self._add_line, line)

    def _add_line(self, line: Line) -> str:
        name = line.name.strip()
        existing = next(
            (
                r
                for r in self.store.list_products(name)
                if r.name == name and r.tax_code == line.tax_code
            ),
            None,
        )
        price = line.unit_price.strip()
        if price:
            try:
                _decimal(price, "单价")
            except ValueError:
                price = ""
        return self._save_product(
            Product(
                existing.id if existing else None,
                name=name,
                tax_code=line.tax_code.strip(),
                spec=line.spec,
                unit=line.unit,
                unit_price=price,
                tax_rate=line.tax_rate.strip(),
                note=existing.note if existing else "",
            )
        )

    # ---- the tax codes the user chose lately ------------------------------------------------

    async def recent_codes(self) -> dict[str, str]:
        """{code: the rate last chosen with it}, oldest first; {} when none or unreadable."""
        text = await asyncio.to_thread(self.store.get_setting, RECENT_CODES_SETTING)
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items()}

    async def save_recent_codes(self, recent: dict[str, str]) -> None:
        text = json.dumps(recent, ensure_ascii=False)
        await asyncio.to_thread(self.store.set_setting, RECENT_CODES_SETTING, text)

    # ---- Excel -----------------------------------------------------------------------------

    async def export_customers(self, path: Path) -> int:
        rows = await self.customers()
        data = [[getattr(c, key) for key, _ in CUSTOMER_COLUMNS] for c in rows]
        await asyncio.to_thread(_write_xlsx, path, "客户", CUSTOMER_COLUMNS, data)
        return len(data)

    async def export_products(self, path: Path) -> int:
        rows = await self.products()
        data = [[getattr(p, key) for key, _ in PRODUCT_COLUMNS] for p in rows]
        await asyncio.to_thread(_write_xlsx, path, "商品", PRODUCT_COLUMNS, data)
        return len(data)

    async def import_customers(self, path: Path) -> ImportReport:
        return await asyncio.to_thread(self._import_customers, path)

    async def import_products(self, path: Path) -> ImportReport:
        return await asyncio.to_thread(self._import_products, path)

    def _import_customers(self, path: Path) -> ImportReport:
        report = ImportReport()
        for number, values in _read_xlsx(path, CUSTOMER_COLUMNS):
            if not values["name"]:
                report.skipped.append(f"第{number}行：名称为空，已跳过")
                continue
            existing = self.store.customer_by_key(values["name"], values["tax_id"])
            self._save_customer(Customer(existing.id if existing else None, **values))
            if existing:
                report.updated += 1
            else:
                report.added += 1
        return report

    def _import_products(self, path: Path) -> ImportReport:
        report = ImportReport()
        for number, values in _read_xlsx(path, PRODUCT_COLUMNS):
            if not values["name"]:
                report.skipped.append(f"第{number}行：名称为空，已跳过")
                continue
            try:
                _decimal(values["unit_price"], "单价")
                _decimal(values["tax_rate"], "税率")
            except ValueError as exc:
                report.skipped.append(f"第{number}行：{exc}，已跳过")
                continue
            existing = next(
                (
                    r
                    for r in self.store.list_products(values["name"])
                    if r.name == values["name"] and r.tax_code == values["tax_code"]
                ),
                None,
            )
            self._save_product(Product(existing.id if existing else None, **values))
            if existing:
                report.updated += 1
            else:
                report.added += 1
        return report


def remember_buyer(store: Any, buyer: Buyer) -> str:
    """A buyer the user issued to (or saved): into the customers, or the customer with the same
    tax ID (without one, the same name) updated. What is typed now wins; a field left empty
    this time keeps what the customer had. Blocking (store calls): run it in a thread."""
    name, tax_id = buyer.name.strip(), buyer.tax_id.strip()
    existing = store.customer_by_key(name, tax_id)

    def pick(new: str, old: str) -> str:
        return new.strip() or old

    fields = {
        "name": pick(name, existing.name if existing else ""),
        "tax_id": tax_id,
        "address": pick(buyer.address, existing.address if existing else ""),
        "phone": pick(buyer.phone, existing.phone if existing else ""),
        "bank": pick(buyer.bank, existing.bank if existing else ""),
        "account": pick(buyer.bank_account, existing.account if existing else ""),
        "email": pick(buyer.email, existing.email if existing else ""),
        "note": existing.note if existing else "",
    }
    if existing is not None and all(getattr(existing, k) == v for k, v in fields.items()):
        return str(existing.id)  # a repeat buyer, nothing new: no write (issuing calls this)
    result: str = store.upsert_customer(existing.id if existing else None, **fields)
    return result


def _write_xlsx(
    path: Path, title: str, columns: tuple[tuple[str, str], ...], rows: list[list[str]]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append([label for _, label in columns])
    for row in rows:
        # text cells: a tax ID or bank account must not turn into a number in Excel
        sheet.append([str(v) for v in row])
    for i, (_, label) in enumerate(columns):
        width = max([len(label) * 2, *(len(str(r[i])) for r in rows)])
        sheet.column_dimensions[chr(ord("A") + i)].width = min(60, width + 2)
    tmp = path.with_name(path.name + ".part")
    try:
        book.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CatalogError(f"无法写入文件“{path.name}”：{reason}。请换一个位置。") from exc


def _read_xlsx(
    path: Path, columns: tuple[tuple[str, str], ...]
) -> list[tuple[int, dict[str, str]]]:
    """(row number, {key: text}) for each non-empty data row; the header names the columns
    (by their Chinese label or English key), so columns may come in any order."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # OSError, zipfile.BadZipFile, openpyxl's own errors
        raise CatalogError(
            f"无法读取“{path.name}”：它不是有效的 Excel（.xlsx）文件。"
            "请用 Excel 另存为 .xlsx 后再导入。"
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return []
        names = {label: key for key, label in columns} | {key: key for key, _ in columns}
        where = {names[_text(h)]: i for i, h in enumerate(header) if _text(h) in names}
        if "name" not in where:
            raise CatalogError(f"“{path.name}”的第一行没有“名称”列。请使用导出的表格作为模板。")
        out = []
        for number, row in enumerate(rows, start=2):
            values = {
                key: _text(row[where[key]]) if key in where and where[key] < len(row) else ""
                for key, _ in columns
            }
            if any(values.values()):
                out.append((number, values))
        return out
    finally:
        book.close()
