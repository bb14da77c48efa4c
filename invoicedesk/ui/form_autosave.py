"""The invoice form's autosave: the newest draft mirrored into a plain object that outlives the
widget, so that a form destroyed without being closed still writes what was typed."""

from __future__ import annotations

import asyncio
import logging
import threading

from invoicedesk.domain.models import Draft, Line
from invoicedesk.services.drafts import DraftService

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1500  # short: a crash loses at most this much typing


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
    def draft(self) -> Draft | None:
        """The newest draft, the one the next save writes (None before the first)."""
        return self._draft

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


def save_quietly(saver: Autosaver) -> None:
    try:
        saver.save_now()
    except Exception:  # the widget is gone: log it, but a failed last save must not crash
        log.exception("saving the draft of a destroyed form failed")
