"""Reopen the draft that was in the form when the program last ended without shutting down.

The form saves as the user types (every 1.5 s), so a crash keeps the draft; this makes the
next start reopen it and say so (issue 19 item 13). Two settings in the store:
- `session.running` is "1" from start-up until a clean shutdown sets it to "0";
- `session.form_draft` is the id of the draft the form last saved.
At start-up, a `session.running` still "1" means the last session ended without shutting down
(a crash, a killed process, a power cut); its form draft is reopened when it is still a draft
(not issued, not deleted, not put aside as 待开).
"""

from __future__ import annotations

import asyncio
from typing import Any

from invoicedesk.services.drafts import DRAFT

RUNNING_SETTING = "session.running"
FORM_DRAFT_SETTING = "session.form_draft"


class DraftSession:
    def __init__(self, store: Any) -> None:
        self.store = store
        self._remembered: str | None = None

    def _begin(self) -> str | None:
        crashed = self.store.get_setting(RUNNING_SETTING) == "1"
        draft_id = self.store.get_setting(FORM_DRAFT_SETTING)
        self.store.set_setting(RUNNING_SETTING, "1")
        if not crashed or not draft_id:
            return None
        row = self.store.get_draft(draft_id)
        if row is None or row.status != DRAFT:
            return None
        self._remembered = draft_id
        return str(draft_id)

    async def begin(self) -> str | None:
        """Mark this session running; the draft to reopen when the last one crashed."""
        return await asyncio.to_thread(self._begin)

    async def remember(self, draft_id: str) -> None:
        """The form saved `draft_id`: it is the one to reopen after a crash."""
        if draft_id == self._remembered:
            return
        self._remembered = draft_id
        await asyncio.to_thread(self.store.set_setting, FORM_DRAFT_SETTING, draft_id)

    def end_blocking(self) -> None:
        """A clean shutdown (after the form's last save): nothing to reopen next time."""
        self.store.set_setting(RUNNING_SETTING, "0")

    async def end(self) -> None:
        await asyncio.to_thread(self.end_blocking)
