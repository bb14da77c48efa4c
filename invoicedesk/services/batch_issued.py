"""A sheet imported again after it was issued (issue 19 item 11): the dry run says which drafts
were issued already, by which batch, and does not offer them again.

A draft "was issued" when the journal's latest row for its content (the same content hash the
IssueService resumes by) on the chosen account ended ISSUED or ACCEPTED. Issuing it again would
only resume that row (never a second invoice), so such drafts are unticked with a warning that
names the invoice and the batch; a bookkeeper who really wants a second invoice changes the
remark, which makes it new content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from invoicedesk.services import batch_io
from invoicedesk.services.issuing import FINAL_OK, content_hash

ALREADY_ISSUED = "batch.already_issued"


@dataclass(frozen=True)
class IssuedBefore:
    invoice_no: str
    batch_id: int | None  # None: issued alone (the form, the drafts box, the command line)
    batch_source: str
    batch_created_at: str

    def where(self) -> str:
        """ "批次 #3（a.xlsx，2026-12-04 10:00）" or "单张开具"."""
        if self.batch_id is None:
            return "单张开具"
        name = self.batch_source.replace("\\", "/").rsplit("/", 1)[-1] or "未命名表格"
        when = self.batch_created_at.replace("T", " ")[:16]
        return f"批次 #{self.batch_id}“{name}”（{when}）"


def issued_before(
    store: Any, profile: str, drafts: Sequence[batch_io.ImportedDraft]
) -> list[IssuedBefore | None]:
    """For each draft, how it was issued on `profile` before, or None. Blocking: run it in a
    thread (one indexed journal read per draft, one read for the batches)."""
    rows = []
    for d in drafts:
        row = store.latest_for_content(profile, content_hash(d.draft))
        rows.append(row if row is not None and row.state in FINAL_OK else None)
    batches = store.batches_of_journal_rows([r.id for r in rows if r is not None])
    out: list[IssuedBefore | None] = []
    for row in rows:
        if row is None:
            out.append(None)
            continue
        batch = batches.get(row.id)
        out.append(
            IssuedBefore(
                row.invoice_number or "",
                batch.id if batch is not None else None,
                batch.source if batch is not None else "",
                batch.created_at if batch is not None else "",
            )
        )
    return out


def issued_problem(d: batch_io.ImportedDraft, found: IssuedBefore) -> batch_io.RowProblem:
    number = f"发票 {found.invoice_no}" if found.invoice_no else "发票"
    return batch_io.RowProblem(
        d.rows[0],
        batch_io.DRAFT_COLUMN,
        "",
        ALREADY_ISSUED,
        "warning",
        f"草稿 {d.label} 已开具过：{found.where()}开具的{number}。已取消勾选，不会再开；"
        "如确需再开一张，请修改备注后再导入。",
    )


def issued_summary(found: Sequence[IssuedBefore]) -> str:
    """One sentence for the dry run's summary: how many were issued already, and where."""
    if not found:
        return ""
    places: dict[str, int] = {}
    for f in found:
        places[f.where()] = places.get(f.where(), 0) + 1
    if len(places) == 1:
        return f"其中 {len(found)} 张已由{next(iter(places))}开具过，已取消勾选，不会再开。"
    listed = "、".join(f"{where} {n} 张" for where, n in places.items())
    return f"其中 {len(found)} 张已开具过：{listed}，已取消勾选，不会再开。"
