"""The customer and product catalogs (the draft editor's completers), mixed into Store."""

from __future__ import annotations

import uuid
from decimal import Decimal

from invoicedesk.store import invoices
from invoicedesk.store.records import CustomerRow, ProductRow
from invoicedesk.store.store_like import StoreLike

_CUSTOMER_COLUMNS = "id, name, tax_id, address, phone, bank, account, email, note, updated_at"


class CatalogsMixin:
    """Mixed into Store (which supplies _conn, _write and _now)."""

    def upsert_customer(
        self: StoreLike,
        customer_id: str | None = None,
        *,
        name: str,
        tax_id: str = "",
        address: str = "",
        phone: str = "",
        bank: str = "",
        account: str = "",
        email: str = "",
        note: str = "",
    ) -> str:
        customer_id = customer_id or uuid.uuid4().hex
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO customers (id, name, tax_id, address, phone, bank, "
                "account, email, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    customer_id,
                    name,
                    tax_id,
                    address,
                    phone,
                    bank,
                    account,
                    email,
                    note,
                    self._now(),
                ),
            )
        return customer_id

    def customer_by_key(self: StoreLike, name: str, tax_id: str) -> CustomerRow | None:
        """The customer with this tax ID, or without one the customer of exactly this name
        (the oldest, should several match); None when there is none. An exact match, not a
        search: issuing asks it for every invoice."""
        column, key = ("tax_id", tax_id) if tax_id else ("name", name)
        if not key:
            return None
        row = (
            self._conn()
            .execute(
                f"SELECT {_CUSTOMER_COLUMNS} FROM customers WHERE {column} = ? "
                "ORDER BY name, id LIMIT 1",
                (key,),
            )
            .fetchone()
        )
        return CustomerRow(*row) if row else None

    def list_customers(self: StoreLike, search: str = "") -> list[CustomerRow]:
        sql = f"SELECT {_CUSTOMER_COLUMNS} FROM customers"
        params: list[object] = []
        if search.strip():
            pattern = "%" + invoices._like_escape(search.strip()) + "%"
            sql += " WHERE name LIKE ? ESCAPE '\\' OR tax_id LIKE ? ESCAPE '\\'"
            params = [pattern, pattern]
        return [CustomerRow(*r) for r in self._conn().execute(sql + " ORDER BY name, id", params)]

    def delete_customer(self: StoreLike, customer_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM customers WHERE id = ?", (customer_id,))

    def upsert_product(
        self: StoreLike,
        product_id: str | None = None,
        *,
        name: str,
        tax_code: str = "",
        spec: str = "",
        unit: str = "",
        unit_price: Decimal | None = None,
        tax_rate: Decimal | None = None,
        note: str = "",
    ) -> str:
        """unit_price and tax_rate keep any precision (exact text), unlike money amounts."""
        product_id = product_id or uuid.uuid4().hex
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO products (id, name, tax_code, spec, unit, unit_price, "
                "tax_rate, note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    product_id,
                    name,
                    tax_code,
                    spec,
                    unit,
                    invoices._text(unit_price),
                    invoices._text(tax_rate),
                    note,
                    self._now(),
                ),
            )
        return product_id

    def list_products(self: StoreLike, search: str = "") -> list[ProductRow]:
        sql = (
            "SELECT id, name, tax_code, spec, unit, unit_price, tax_rate, note, updated_at "
            "FROM products"
        )
        params: list[object] = []
        if search.strip():
            pattern = "%" + invoices._like_escape(search.strip()) + "%"
            sql += " WHERE name LIKE ? ESCAPE '\\' OR tax_code LIKE ? ESCAPE '\\'"
            params = [pattern, pattern]
        return [
            ProductRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                None if r[5] is None else Decimal(r[5]),
                None if r[6] is None else Decimal(r[6]),
                r[7],
                r[8],
            )
            for r in self._conn().execute(sql + " ORDER BY name, id", params)
        ]

    def delete_product(self: StoreLike, product_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM products WHERE id = ?", (product_id,))
