"""Compact, column-wise storage of history rows for the table model.

A million `HistoryRow` tuples would take about 400 MB (a tuple, two unique strings and four ints
per row). Here numbers live in `array`s (8 bytes each), the repeating texts (buyer name + tax ID,
and colour/type/status/red status/account) are stored once and referenced by a 4-byte code, and
the texts unique to a row (date, number, serial) are UTF-8 in one shared bytearray. That is
about 90 bytes a row.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from invoicedesk.services.history_query import HistoryRow

SEP = "\x1f"


class _Codes:
    """Values stored once, referenced by their index."""

    def __init__(self) -> None:
        self.values: list[tuple[str, ...]] = []
        self.index: dict[tuple[str, ...], int] = {}

    def code(self, value: tuple[str, ...]) -> int:
        n = self.index.get(value)
        if n is None:
            n = len(self.values)
            self.index[value] = n
            self.values.append(value)
        return n


class RowStore:
    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._ids = array("q")
        self._money = array("q")  # amount, tax, total per row
        self._buyer = array("I")
        self._misc = array("I")
        self._text = bytearray()
        self._spans = array("Q")  # start and end offset of each row's text in _text
        self._buyers = _Codes()
        self._miscs = _Codes()
        self._by_id: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def extend(self, rows: Iterable[HistoryRow]) -> None:
        buyer, misc = self._buyers.code, self._miscs.code
        for r in rows:
            self._ids.append(r.id)
            self._money.extend((r.amount_cents, r.tax_cents, r.total_cents))
            self._buyer.append(buyer((r.buyer_name, r.buyer_tax_id)))
            self._misc.append(
                misc((r.color, r.invoice_type, r.status, r.red_status, r.profile, r.flag))
            )
            self._spans.extend(self._add_text(r))
        self._by_id = None

    def _add_text(self, r: HistoryRow) -> tuple[int, int]:
        start = len(self._text)
        self._text += SEP.join((r.issued_at, r.number, r.serial)).encode()
        return start, len(self._text)

    def replace(self, i: int, r: HistoryRow) -> None:
        """Put a fresh copy of row i in place, e.g. after a status refresh. The old text bytes
        stay behind unused (a refresh is rare; a reload drops them)."""
        self._ids[i] = r.id
        self._money[3 * i : 3 * i + 3] = array("q", (r.amount_cents, r.tax_cents, r.total_cents))
        self._buyer[i] = self._buyers.code((r.buyer_name, r.buyer_tax_id))
        self._misc[i] = self._miscs.code(
            (r.color, r.invoice_type, r.status, r.red_status, r.profile, r.flag)
        )
        self._spans[2 * i : 2 * i + 2] = array("Q", self._add_text(r))
        self._by_id = None

    def get(self, i: int) -> HistoryRow:
        start, end = self._spans[2 * i], self._spans[2 * i + 1]
        issued_at, number, serial = self._text[start:end].decode().split(SEP)
        name, tax_id = self._buyers.values[self._buyer[i]]
        color, invoice_type, status, red_status, profile, flag = self._miscs.values[self._misc[i]]
        m = 3 * i
        return HistoryRow(
            self._ids[i],
            issued_at,
            number,
            serial,
            color,
            invoice_type,
            name,
            tax_id,
            self._money[m],
            self._money[m + 1],
            self._money[m + 2],
            status,
            red_status,
            profile,
            flag,
        )

    def id_at(self, i: int) -> int:
        return self._ids[i]

    def color_at(self, i: int) -> str:
        return self._miscs.values[self._misc[i]][0]

    def row_of(self, invoice_id: int) -> int | None:
        if self._by_id is None:
            self._by_id = {x: n for n, x in enumerate(self._ids)}
        return self._by_id.get(invoice_id)

    def nbytes(self) -> int:
        """The size of the per-row arrays (for tests and the benchmark)."""
        arrays = (self._ids, self._money, self._buyer, self._misc, self._spans)
        return sum(a.itemsize * len(a) for a in arrays) + len(self._text)
