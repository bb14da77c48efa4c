"""Where passwords, API keys, tokens and signature secrets live: the OS keyring, or memory.

Never a plaintext file, never SQLite. Keyring calls block (D-Bus, Keychain), so they run in a
thread. When the machine has no usable keyring, `KeyringSecretStore` raises `NoKeyring`; the
caller then offers "this session only" (`MemorySecretStore`) instead of writing secrets to disk.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Protocol

SERVICE = "InvoiceDesk"

# The secret names vendors ask for (vendors/base.py SecretGetter).
SECRET_NAMES = ("api_key", "password", "tax_password", "secret", "token")


class NoKeyring(Exception):
    """This computer has no usable keyring (no Secret Service, Keychain or Credential Locker)."""

    def __init__(self) -> None:
        super().__init__(
            "本机没有可用的系统密钥环，无法安全保存密码和密钥。"
            "请安装并解锁系统密钥环（如 GNOME Keyring 或 KWallet），"
            "或选择“仅本次使用”（密码只保存在内存中，关闭程序后需重新输入）。"
        )
        self.message = str(self)


class SecretStore(Protocol):
    async def get(self, profile: str, name: str) -> str | None: ...

    async def set(self, profile: str, name: str, value: str) -> None: ...

    async def delete(self, profile: str, name: str) -> None: ...


def _key(profile: str, name: str) -> str:
    return f"{profile}/{name}"


class MemorySecretStore:
    """Secrets in this process only: tests, and "this session only" without a keyring."""

    def __init__(self) -> None:
        self._items: dict[str, str] = {}

    async def get(self, profile: str, name: str) -> str | None:
        return self._items.get(_key(profile, name))

    async def set(self, profile: str, name: str, value: str) -> None:
        self._items[_key(profile, name)] = value

    async def delete(self, profile: str, name: str) -> None:
        self._items.pop(_key(profile, name), None)


def keyring_usable() -> bool:
    """False for keyring's "fail"/"null" backends, an empty chain and any plaintext backend."""
    import keyring
    from keyring.backends import chainer, fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(_safe_backend(b) for b in backend.backends)
    return _safe_backend(backend)


def _safe_backend(backend: object) -> bool:
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    # keyrings.alt's PlaintextKeyring (and similar) would put secrets in a file: refuse.
    return "plaintext" not in type(backend).__name__.lower()


class KeyringSecretStore:
    """The OS keyring, one entry per (profile, name) under the service "InvoiceDesk"."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def _call(self, what: str, *args: str) -> str | None:
        import keyring
        import keyring.errors

        if not keyring_usable():
            raise NoKeyring()
        try:
            if what == "get":
                return keyring.get_password(self.service, args[0])
            if what == "set":
                keyring.set_password(self.service, args[0], args[1])
                return None
            with contextlib.suppress(keyring.errors.PasswordDeleteError):  # already gone
                keyring.delete_password(self.service, args[0])
            return None
        except keyring.errors.NoKeyringError:
            raise NoKeyring() from None
        except keyring.errors.KeyringError as exc:
            # The keyring's own text may not be Chinese but never holds our secret.
            raise NoKeyring() from exc

    async def get(self, profile: str, name: str) -> str | None:
        return await asyncio.to_thread(self._call, "get", _key(profile, name))

    async def set(self, profile: str, name: str, value: str) -> None:
        await asyncio.to_thread(self._call, "set", _key(profile, name), value)

    async def delete(self, profile: str, name: str) -> None:
        await asyncio.to_thread(self._call, "delete", _key(profile, name))


def default_secret_store() -> SecretStore:
    """The keyring when usable, else raise NoKeyring (the caller decides about memory)."""
    if not keyring_usable():
        raise NoKeyring()
    return KeyringSecretStore()
