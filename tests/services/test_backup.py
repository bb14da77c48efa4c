"""备份/恢复: a backup of the data folder restores every row and file, and a damaged or foreign
file is refused before anything is changed."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zipfile
from pathlib import Path

import pytest

from invoicedesk.services.backup import (
    DB_NAME,
    BackupError,
    inspect_backup,
    make_backup,
    restore_backup,
)

NOW = dt.datetime(2026, 11, 21, 9, 30)


def _fill(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / DB_NAME)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE drafts (id TEXT PRIMARY KEY, json TEXT)")
    conn.executemany("INSERT INTO drafts VALUES (?, ?)", [(f"d{i}", "{}") for i in range(50)])
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    archive = data_dir / "archive" / "2026"
    archive.mkdir(parents=True)
    (archive / "2026-11-01_26332000000000000001_甲公司.pdf").write_bytes(b"%PDF-1.4 x")
    (archive / "2026-11-01_26332000000000000001_甲公司.xml").write_text("<xml/>")


def _rows(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        return int(conn.execute("SELECT count(*) FROM drafts").fetchone()[0])
    finally:
        conn.close()


def test_backup_delete_restore_gives_back_rows_and_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _fill(data)
    backup = tmp_path / "backup.zip"
    info = make_backup(data, backup, now=NOW)
    assert info.schema_version == 3
    assert info.file_count == 3

    for path in sorted(data.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    data.rmdir()

    restore_backup(backup, data, max_schema=3)
    assert _rows(data) == 50
    pdf = data / "archive" / "2026" / "2026-11-01_26332000000000000001_甲公司.pdf"
    assert pdf.read_bytes() == b"%PDF-1.4 x"
    assert not (data / ".restore-old").exists()
    assert not (data / ".restore-new").exists()


def test_damaged_backup_is_refused_and_data_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _fill(data)
    backup = tmp_path / "backup.zip"
    make_backup(data, backup, now=NOW)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            payload = src.read(item.filename)
            if item.filename.endswith(".pdf"):
                payload = b"tampered"
            dst.writestr(item, payload)
    with pytest.raises(BackupError, match="校验不一致"):
        restore_backup(damaged, data, max_schema=3)
    assert _rows(data) == 50


def test_not_a_backup_and_newer_schema_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(BackupError, match="不是有效的备份文件"):
        inspect_backup(junk, max_schema=3)

    data = tmp_path / "data"
    data.mkdir()
    _fill(data)
    backup = tmp_path / "backup.zip"
    make_backup(data, backup, now=NOW)
    with pytest.raises(BackupError, match="升级"):
        inspect_backup(backup, max_schema=2)
