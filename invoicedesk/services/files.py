"""Invoice files (PDF/OFD/XML) downloaded into the archive folder of the data folder.

Names come from a template (default `{date}_{number}_{buyer}.{ext}`) made safe for Windows,
macOS and Linux file systems. Each file gets a SHA-256; a file whose hash is already archived
is not written again (the existing one is returned). This module never issues anything, so a
download problem can never cause a second invoice.

Files are archived when an invoice is issued or first synced (`archive_soon`, in the
background), so that opening one later needs no network and survives the platform forgetting
it. Retries happen at one level only: the transport retries each download (an idempotent read);
an invoice whose files could not be fetched then is tried again by `archive_missing` (at start
and after each sync), never by a loop around the transport's own retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invoicedesk.services.convert import invoice_from_row
from invoicedesk.vendors.base import (
    BaseVendor,
    IssuedInvoice,
    NotSupported,
    Profile,
    VendorError,
)

DEFAULT_TEMPLATE = "{date}_{number}_{buyer}.{ext}"
ARCHIVE_DIR = "archive"
KINDS = ("pdf", "ofd", "xml")
_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
MAX_NAME = 150  # characters; keeps full paths well under Windows' 260

VendorGetter = Callable[[str], Awaitable[tuple[Profile, BaseVendor]]]

log = logging.getLogger(__name__)


class FileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    path: Path
    sha256: str
    size: int
    duplicate: bool  # the same bytes were archived before; nothing new was written


def sanitize(part: str) -> str:
    """One path component safe on every desktop file system."""
    text = unicodedata.normalize("NFC", part)
    text = _BAD.sub("_", text).strip(" .")
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text or "_"


def file_name(template: str, fields: Mapping[str, str]) -> str:
    try:
        raw = template.format_map({k: sanitize(v) for k, v in fields.items()})
    except (KeyError, ValueError, IndexError):
        raw = DEFAULT_TEMPLATE.format_map({k: sanitize(v) for k, v in fields.items()})
    name = sanitize(raw)
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: MAX_NAME - len(ext) - 1]}{dot}{ext}" if dot else name[:MAX_NAME]
    return name


class FileService:
    def __init__(
        self,
        store: Any,
        vendors: VendorGetter,
        data_dir: Path,
        recent: dict[tuple[str, str], IssuedInvoice] | None = None,
    ) -> None:
        self.store = store
        self.vendors = vendors
        self.archive = data_dir / ARCHIVE_DIR
        self.recent = recent if recent is not None else {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}
        self._gate = asyncio.Semaphore(2)  # background downloads never crowd out issuing

    # ---- archiving at issue/sync time, in the background ---------------------------------

    def archive_soon(self, profile_name: str, number: str) -> None:
        """Archive every file the platform offers for this invoice, in the background."""
        task = asyncio.get_running_loop().create_task(self._archive_all(profile_name, number))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the background archiving started so far (tests, orderly shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def archive_missing(self, profile_name: str, limit: int = 50) -> int:
        """Try again (after a sync) this account's newest invoices that have no archived file
        yet; returns how many were tried."""
        numbers = await asyncio.to_thread(self.store.numbers_without_files, profile_name, limit)
        for number in numbers:
            self.archive_soon(profile_name, number)
        return len(numbers)

    async def _archive_all(self, profile_name: str, number: str) -> None:
        async with self._gate:
            for kind in KINDS:
                try:
                    await self.download(profile_name, number, kind)
                except NotSupported:
                    continue  # this platform does not offer the kind: nothing to keep
                except (VendorError, FileError, OSError) as exc:
                    # kept for archive_missing; opening the file later also fetches it
                    log.info("archiving %s of %s failed: %s", kind, number, exc)
                    if kind == "pdf":
                        return

    async def template(self) -> str:
        value = await asyncio.to_thread(self.store.get_setting, "files.template")
        return str(value) if value else DEFAULT_TEMPLATE

    async def download(
        self, profile_name: str, number: str, kind: str = "pdf", *, force: bool = False
    ) -> StoredFile:
        """Fetch one file of an invoice in history and archive it (retried by the transport).

        An invoice whose file of this kind is already archived (and still on disk) is not
        fetched again unless `force`; the archived file is returned as a duplicate."""
        if kind not in KINDS:
            raise FileError(f"不支持的文件类型“{kind}”，可选 PDF、OFD 或 XML。")
        profile, vendor = await self.vendors(profile_name)
        row = await asyncio.to_thread(self.store.invoice_by_number, number, profile.name)
        if row is None:
            row = await asyncio.to_thread(self._by_serial, profile.name, number)
        if row is None:
            raise FileError(f"发票历史中没有号码为 {number} 的发票，请先同步或查询该发票。")
        # one download of a file at a time: opening it while it is being archived in the
        # background waits for that download instead of fetching a second copy
        async with self._locks.setdefault((row.id, kind), asyncio.Lock()):
            if not force:
                have = await asyncio.to_thread(self._archived, row.id, kind)
                if have is not None:
                    return have
            key = (profile.name, row.number or row.serial or "")
            inv = self.recent.get(key) or invoice_from_row(row)
            data = await self._fetch(vendor, inv, kind)
            return await self._archive(row, data, kind)

    def _archived(self, invoice_id: int, kind: str) -> StoredFile | None:
        for f in self.store.files(invoice_id):
            if f.kind == kind and Path(f.path).is_file():
                return StoredFile(Path(f.path), f.sha256, f.size, duplicate=True)
        return None

    def _by_serial(self, profile: str, serial: str) -> Any:
        j = self.store.journal_by_serial(profile, serial)
        if j is None:
            return None
        if j.invoice_number:
            return self.store.invoice_by_number(j.invoice_number, profile)
        # issued, number still to be found (号码待查): its history row is keyed by the serial
        return self.store.invoice_by_serial_unnumbered(serial, profile)

    async def _fetch(self, vendor: BaseVendor, inv: IssuedInvoice, kind: str) -> bytes:
        # one try here: the transport retries the read itself (retry_policy.DOWNLOAD)
        return await vendor.download(inv, kind)

    async def _archive(self, row: Any, data: bytes, kind: str) -> StoredFile:
        sha = hashlib.sha256(data).hexdigest()
        existing = await asyncio.to_thread(self.store.file_by_sha256, sha)
        if existing is not None:
            return StoredFile(Path(existing.path), sha, len(data), duplicate=True)
        fields = {
            "date": (row.issued_at or "")[:10] or "nodate",
            "number": row.number or row.serial or "",
            "buyer": row.buyer_name or row.buyer_tax_id or "",
            "ext": kind,
            "kind": kind,
            "serial": row.serial or "",
            "profile": row.profile,
        }
        name = file_name(await self.template(), fields)
        path = await asyncio.to_thread(self._write, name, data)
        await asyncio.to_thread(self.store.add_file, row.id, kind, path, sha, len(data))
        return StoredFile(path, sha, len(data), duplicate=False)

    def _write(self, name: str, data: bytes) -> Path:
        self.archive.mkdir(parents=True, exist_ok=True)
        target = self.archive / name
        stem, suffix = target.stem, target.suffix
        n = 2
        while target.exists():  # same name, other content: keep both
            target = self.archive / f"{stem}-{n}{suffix}"
            n += 1
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # a crash never leaves half a file under the real name
        return target
