"""备份 and 恢复: the whole data folder (database and archive) in one file.

A backup is a zip: `manifest.json` (format, app version, schema version, time, file list with
SHA-256), `invoicedesk.sqlite3` (a consistent copy made with SQLite's backup API) and every other
file of the data folder (the invoice archive) under `files/`. Restoring checks everything first
(manifest, hashes, database integrity, a schema no newer than this program knows) and only then
replaces the folder, keeping the previous contents aside until the new ones are in place.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from invoicedesk import __version__
from invoicedesk.store.snapshot import check_database, copy_database

FORMAT = "invoicedesk-backup-1"
DB_NAME = "invoicedesk.sqlite3"
# Files of the data folder that are never backed up: SQLite's side files (the copy above covers
# them) and earlier backups or restore leftovers.
SKIP_SUFFIXES = ("-wal", "-shm", "-journal")
SKIP_DIRS = ("backups", ".restore-old", ".restore-new")


class BackupError(Exception):
    """A backup could not be made or restored; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class BackupInfo:
    created_at: str
    app_version: str
    schema_version: int
    file_count: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _data_files(data_dir: Path) -> list[Path]:
    files = []
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if not path.is_file() or rel.parts[0] in SKIP_DIRS:
            continue
        if rel.name == DB_NAME or rel.name.endswith(SKIP_SUFFIXES):
            continue
        files.append(path)
    return files


def suggested_backup_folder() -> Path:
    """Where the backup dialog suggests writing: the user's documents folder (platformdirs:
    XDG's on Linux, Documents on Windows and macOS), created when a fresh account has none yet;
    the home folder when it cannot be created."""
    folder = Path(platformdirs.user_documents_dir())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return folder


def write_error_message(exc: OSError, target: Path) -> str:
    """A Chinese sentence for a failed write of `target`, saying what to do (never the raw
    exception: a bookkeeper cannot act on "FileNotFoundError")."""
    folder = target.parent
    if isinstance(exc, FileNotFoundError) or not folder.is_dir():
        return f"文件夹“{folder}”不存在。请点“浏览…”选择一个已有的文件夹，或先创建这个文件夹。"
    if isinstance(exc, PermissionError):
        return f"没有写入“{folder}”的权限。请点“浏览…”换一个文件夹（如“文档”）。"
    if exc.errno == errno.ENOSPC:
        return f"“{folder}”所在的磁盘空间不足。请清理磁盘，或换一个磁盘上的文件夹。"
    if isinstance(exc, IsADirectoryError) or target.is_dir():
        return f"“{target}”是一个文件夹。请在路径最后写上备份文件名，如 invoicedesk-backup.zip。"
    reason = exc.strerror or "未知原因"
    return f"无法写入“{target}”（{reason}）。请换一个文件夹或文件名再试。"


def make_backup(data_dir: Path, target: Path, *, now: dt.datetime) -> BackupInfo:
    """Write the backup file `target`. Safe while the program runs. Raises BackupError only
    (a failed write gets a Chinese message naming the folder and what to do)."""
    partial = target.with_name(target.name + ".part")
    try:
        return _write_backup(data_dir, target, partial, now)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(write_error_message(exc, target)) from exc


def _write_backup(data_dir: Path, target: Path, partial: Path, now: dt.datetime) -> BackupInfo:
    with tempfile.TemporaryDirectory() as tmp:
        db_copy = Path(tmp) / DB_NAME
        schema = 0
        if (data_dir / DB_NAME).exists():
            copy_database(data_dir / DB_NAME, db_copy)
            ok, schema, detail = check_database(db_copy)
            if not ok:
                raise BackupError(f"数据库自检失败（{detail}），未生成备份。请联系技术支持。")
        entries = []
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            if db_copy.exists():
                archive.write(db_copy, DB_NAME)
                entries.append({"name": DB_NAME, "sha256": _sha256(db_copy)})
            for path in _data_files(data_dir):
                name = "files/" + path.relative_to(data_dir).as_posix()
                archive.write(path, name)
                entries.append({"name": name, "sha256": _sha256(path)})
            created_at = now.isoformat(timespec="seconds")
            manifest = {
                "format": FORMAT,
                "app_version": __version__,
                "schema_version": schema,
                "created_at": created_at,
                "files": entries,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(target)
    return BackupInfo(created_at, __version__, schema, len(entries))


def inspect_backup(backup: Path, *, max_schema: int) -> BackupInfo:
    """Check a backup file completely without touching the data folder."""
    try:
        archive = zipfile.ZipFile(backup)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"无法读取备份文件“{backup.name}”：它不是有效的备份文件。") from exc
    with archive, tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError(
                "备份文件缺少清单（manifest.json），不是 InvoiceDesk 的备份。"
            ) from exc
        if manifest.get("format") != FORMAT:
            raise BackupError("备份文件的格式无法识别，请使用 InvoiceDesk 生成的备份。")
        for entry in manifest["files"]:
            try:
                data = archive.read(entry["name"])
            except KeyError as exc:
                raise BackupError(f"备份文件不完整：缺少 {entry['name']}。") from exc
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise BackupError(f"备份文件已损坏：{entry['name']} 校验不一致。")
        if DB_NAME in archive.namelist():
            db = Path(archive.extract(DB_NAME, tmp))
            ok, schema, detail = check_database(db)
            if not ok:
                raise BackupError(f"备份中的数据库已损坏（{detail}），不能恢复。")
            if schema > max_schema:
                raise BackupError(
                    f"该备份来自更新版本的 InvoiceDesk（数据版本 {schema}），请先升级本程序再恢复。"
                )
        return BackupInfo(
            manifest["created_at"],
            manifest.get("app_version", ""),
            int(manifest.get("schema_version", 0)),
            len(manifest["files"]),
        )


def restore_backup(backup: Path, data_dir: Path, *, max_schema: int) -> BackupInfo:
    """Replace the data folder with the backup's contents. The program must have closed its
    database first. Checks the whole file before changing anything."""
    info = inspect_backup(backup, max_schema=max_schema)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = data_dir / ".restore-new"
    old = data_dir / ".restore-old"
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir()
    with zipfile.ZipFile(backup) as archive:
        for name in archive.namelist():
            if name == "manifest.json":
                continue
            rel = Path(name[len("files/") :]) if name.startswith("files/") else Path(name)
            if rel.is_absolute() or ".." in rel.parts:
                raise BackupError(f"备份文件中有不安全的路径：{name}")
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    # Move the current contents aside, then the new ones in; the old ones go last.
    old.mkdir()
    for path in list(data_dir.iterdir()):
        if path.name in (".restore-new", ".restore-old", "backups"):
            continue
        path.rename(old / path.name)
    for path in list(staging.iterdir()):
        path.rename(data_dir / path.name)
    staging.rmdir()
    shutil.rmtree(old, ignore_errors=True)
    return info
