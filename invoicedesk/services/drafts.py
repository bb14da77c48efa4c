"""Drafts: save, load, list and (soft) delete invoice drafts, off the caller's thread.

The store is synchronous (SQLite); every call here goes through asyncio.to_thread so the GUI loop
never waits on the disk. `save_blocking` exists for the one place that cannot await: a window
being destroyed, where losing what the user typed is worse than a few milliseconds of blocking.
"""

from __future__ import annotations

import asyncio
import builtins
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from invoicedesk.domain.models import Draft, draft_from_json

DRAFT = "draft"
PENDING = "pending"  # 待开: to be issued when the vendor answers again
DELETED = "deleted"
ISSUED = "issued"  # its invoice exists (set by the journal; FAW orders by the GUI)


class DraftStore(Protocol):
    """The part of invoicedesk.store.db.Store (../briefs/store-api.md) that drafts use."""

    def save_draft(
        self,
        draft_id: str | None,
        draft_json: str,
        *,
        title: str,
        buyer_name: str,
        total: Decimal | None,
        status: str = ...,
    ) -> str: ...

    def get_draft(self, draft_id: str) -> Any: ...

    def list_drafts(self, search: str = ..., statuses: Any = ...) -> list[Any]: ...

    def set_draft_status(self, draft_id: str, status: str) -> None: ...


@dataclass(frozen=True)
class DraftSummary:
    """One row of the 草稿箱 list."""

    id: str
    title: str
    buyer_name: str
    total: Decimal | None
    status: str
    updated_at: str


class DraftNotFound(LookupError):
    pass


COPY_MARK = "（副本）"  # a duplicated draft's title starts with it, for as long as it is a draft


def draft_title(draft: Draft) -> str:
    """A short human title: the buyer and the first line, whichever exist."""
    names = [line.name for line in draft.lines if line.name]
    parts = [p for p in (draft.buyer.name, names[0] if names else "") if p]
    return " · ".join(parts)


def draft_total(draft: Draft) -> Decimal | None:
    """价税合计 for the list, or None when the figures cannot be computed yet."""
    try:
        from invoicedesk.domain.money import compute_totals

        total: Decimal = compute_totals(draft).total
        return total
    except Exception:  # a half-typed draft is still saved; the list just shows no total
        return None


class DraftService:
    def __init__(self, store: DraftStore) -> None:
        self._store = store

    def save_blocking(
        self, draft_id: str | None, draft: Draft, status: str = DRAFT, *, copy: bool = False
    ) -> str:
        title = draft_title(draft)
        if copy or (draft_id is not None and self._is_copy(draft_id)):
            title = COPY_MARK + title  # the copy stays told apart from its original
        return self._store.save_draft(
            draft_id,
            draft.to_json(),
            title=title,
            buyer_name=draft.buyer.name,
            total=draft_total(draft),
            status=status,
        )

    def _is_copy(self, draft_id: str) -> bool:
        row = self._store.get_draft(draft_id)
        return row is not None and row.title.startswith(COPY_MARK)

    async def duplicate(self, draft_id: str) -> str:
        """A new draft with the same content, titled （副本）…; returns its id."""
        draft = await self.load(draft_id)
        draft.serial_no = None  # a copy is a new invoice: it gets its own serial when sent
        return await asyncio.to_thread(
            functools.partial(self.save_blocking, None, draft, copy=True)
        )

    async def save(self, draft_id: str | None, draft: Draft) -> str:
        """Save (insert when draft_id is None) and return the draft's id."""
        return await asyncio.to_thread(self.save_blocking, draft_id, draft)

    async def load(self, draft_id: str) -> Draft:
        row = await asyncio.to_thread(self._store.get_draft, draft_id)
        if row is None:
            raise DraftNotFound(draft_id)
        return draft_from_json(row.json)

    async def list(self, search: str = "") -> list[DraftSummary]:
        rows = await asyncio.to_thread(self._store.list_drafts, search)
        return [
            DraftSummary(
                id=r.id,
                title=r.title,
                buyer_name=r.buyer_name,
                total=r.total,
                status=r.status,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    async def delete(self, draft_id: str) -> None:
        """Soft delete: undelete() brings it back."""
        await asyncio.to_thread(self._store.set_draft_status, draft_id, DELETED)

    async def undelete(self, draft_id: str) -> None:
        await asyncio.to_thread(self._store.set_draft_status, draft_id, DRAFT)

    async def mark_pending(self, draft_id: str) -> None:
        await asyncio.to_thread(self._store.set_draft_status, draft_id, PENDING)

    async def mark_issued(self, draft_id: str) -> None:
        await asyncio.to_thread(self._store.set_draft_status, draft_id, ISSUED)

    async def pending_ids(self) -> builtins.list[str]:
        """The drafts marked 待开, oldest first (issued in the order they were put aside)."""
        rows = await self.list()
        return [r.id for r in reversed(rows) if r.status == PENDING]
