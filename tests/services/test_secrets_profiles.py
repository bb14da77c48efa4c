from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from invoicedesk.services.profiles import ProfileError, ProfileService, demo_secret
from invoicedesk.services.secrets import KeyringSecretStore, MemorySecretStore, NoKeyring
from invoicedesk.store import Store
from invoicedesk.vendors.base import VendorKey


def test_memory_store_roundtrip() -> None:
    async def go() -> None:
        s = MemorySecretStore()
        await s.set("a", "password", "pw-1")
        assert await s.get("a", "password") == "pw-1"
        assert await s.get("b", "password") is None
        await s.delete("a", "password")
        assert await s.get("a", "password") is None

    asyncio.run(go())


def test_keyring_store_uses_the_os_keyring(memory_keyring: Any) -> None:
    async def go() -> None:
        s = KeyringSecretStore()
        await s.set("acct", "api_key", "key-123")
        assert await s.get("acct", "api_key") == "key-123"
        await s.delete("acct", "api_key")
        await s.delete("acct", "api_key")  # twice is fine
        assert await s.get("acct", "api_key") is None

    asyncio.run(go())
    assert memory_keyring.items == {}


def test_no_keyring_is_a_typed_chinese_error() -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(NoKeyring) as info:
        asyncio.run(KeyringSecretStore().set("acct", "password", "pw"))
    assert "密钥环" in info.value.message and "pw" not in str(info.value)


def test_sandbox_profiles_keep_secrets_out_of_sqlite(data_dir: Path, memory_keyring: Any) -> None:
    store = Store.open(data_dir / "db.sqlite3")
    try:
        svc = ProfileService(store, KeyringSecretStore())
        made = asyncio.run(
            svc.sandbox_profiles({k.value: f"http://127.0.0.1:1/{k.value}" for k in VendorKey})
        )
        assert sorted(p.name for p in made) == sorted(k.value for k in VendorKey)
        got = asyncio.run(svc.get("ws-invoice"))
        assert got.base_url == "ws://127.0.0.1:1/ws-invoice"
        assert got.options["userId"] == "sandbox-user"
        assert ("InvoiceDesk", "faw/token") in memory_keyring.items
        with pytest.raises(ProfileError):
            asyncio.run(svc.get("nope"))
    finally:
        store.close()
    blob = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    for secret in (b"sandbox-password", b"sandbox-api-key", b"sandbox-secret", b"sandbox-token"):
        assert secret not in blob


def test_demo_secret_only_for_loopback_sandbox_profiles() -> None:
    from invoicedesk.vendors.base import Profile, Seller

    seller = Seller("s", "91330106MA2H7Q3D1G")
    local = Profile("x", VendorKey.FAW, "http://127.0.0.1:5/faw", seller, options={"sandbox": "1"})
    remote = Profile(
        "x", VendorKey.FAW, "https://faw.example.com", seller, options={"sandbox": "1"}
    )
    plain = Profile("x", VendorKey.FAW, "http://127.0.0.1:5/faw", seller)
    assert demo_secret(local, "token") == "sandbox-token"
    assert demo_secret(remote, "token") is None
    assert demo_secret(plain, "token") is None


def test_a_plaintext_keyring_is_refused(tmp_path: Path) -> None:
    import keyring.backend

    class PlaintextKeyring(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            (tmp_path / "leak.txt").write_text(password)

        def delete_password(self, service: str, username: str) -> None:
            return None

    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(NoKeyring):
        asyncio.run(KeyringSecretStore().set("acct", "password", "pw-plain"))
    assert not (tmp_path / "leak.txt").exists()
