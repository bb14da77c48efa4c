"""Profiles: vendor, base URL, seller identity and user names in the store; secrets elsewhere.

A profile's secrets go to the SecretStore (OS keyring). The sandbox profiles carry
`options["sandbox"] = "1"`: their credentials are the public demo accounts of
shared/vendor-apis/README.md, so when no keyring can hold them (a CI machine, a second process)
`demo_secret` supplies them, but only for a profile pointing at this computer (loopback).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from invoicedesk.domain.treatments import TreatmentSupport
from invoicedesk.services.secrets import SECRET_NAMES, SecretStore
from invoicedesk.services.vendor_facts import facts
from invoicedesk.vendors.base import Capability, Profile, Seller, VendorKey

SANDBOX_SELLER = Seller(name="演示科技有限公司", tax_id="91330106MA2H7Q3D1G")

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ProfileError(Exception):
    """A profile is missing or invalid; the message is Chinese and names what to do."""


def is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in _LOOPBACK


def demo_secret(profile: Profile, name: str) -> str | None:
    """The public demo credential for a sandbox profile on loopback, else None."""
    if profile.options.get("sandbox") != "1" or not is_loopback(profile.base_url):
        return None
    return facts(profile.vendor).sandbox.secrets.get(name)


def profile_from_row(row: Any) -> Profile:
    options = row.options if isinstance(row.options, Mapping) else {}
    return Profile(
        name=row.name,
        vendor=VendorKey(row.vendor),
        base_url=row.base_url,
        seller=Seller(name=row.seller_name, tax_id=row.seller_tax_id),
        user_name=row.user_name or "",
        options={str(k): str(v) for k, v in options.items()},
    )


def sandbox_base_urls(root: str) -> dict[VendorKey, str]:
    """Base URL per vendor under a sandbox root such as http://127.0.0.1:8765."""
    root = root.rstrip("/")
    return {key: f"{root}/{key.value}" for key in VendorKey}


class ProfileService:
    def __init__(self, store: Any, secrets: SecretStore) -> None:
        self.store = store
        self.secrets = secrets

    async def save(self, profile: Profile, secrets: Mapping[str, str] | None = None) -> None:
        """Create or update a profile; secrets (by name) go to the SecretStore, never the store.

        Secrets are written first: if the keyring refuses (NoKeyring), no half-made profile
        is left behind."""
        for name, value in (secrets or {}).items():
            if name not in SECRET_NAMES:
                raise ProfileError(f"未知的密钥名称“{name}”。")
            await self.secrets.set(profile.name, name, value)
        await asyncio.to_thread(
            self.store.save_profile,
            profile.name,
            profile.vendor.value,
            profile.base_url,
            profile.seller.name,
            profile.seller.tax_id,
            profile.user_name,
            dict(profile.options),
        )

    async def list_all(self) -> list[Profile]:
        rows = await asyncio.to_thread(self.store.list_profiles)
        return [profile_from_row(r) for r in rows]

    async def get(self, name: str) -> Profile:
        row = await asyncio.to_thread(self.store.get_profile, name)
        if row is None:
            raise ProfileError(
                f"找不到开票账户“{name}”。请先用“invoicedesk profile list”查看已有账户，"
                "或用“invoicedesk profile sandbox --url 地址”创建演示账户。"
            )
        return profile_from_row(row)

    async def delete(self, name: str) -> None:
        for secret in SECRET_NAMES:
            await self.secrets.delete(name, secret)
        await asyncio.to_thread(self.store.delete_profile, name)

    async def sandbox_profiles(
        self, base_urls: Mapping[str, str] | Mapping[VendorKey, str], *, store_secrets: bool = True
    ) -> list[Profile]:
        """One profile per vendor, named by its key, with the sandbox demo accounts."""
        made = []
        for raw_key, url in base_urls.items():
            key = VendorKey(raw_key)
            demo = facts(key).sandbox
            if url.startswith("http") and demo.scheme != "http":
                url = demo.scheme + url[len("http") :]  # e.g. a socket base; HTTP reads derive
            profile = Profile(
                name=key.value,
                vendor=key,
                base_url=url.rstrip("/"),
                seller=SANDBOX_SELLER,
                user_name=demo.user_name,
                options={**demo.options, "sandbox": "1"},
            )
            await self.save(profile, dict(demo.secrets) if store_secrets else None)
            made.append(profile)
        return made


def capabilities_of(vendor: VendorKey) -> Capability:
    """What an account's platform can do (the capability matrix), for the UI to enable actions."""
    from invoicedesk.vendors.registry import capabilities_of as registry_capabilities

    return registry_capabilities(vendor)


def treatments_of(vendor: VendorKey) -> TreatmentSupport:
    """What an account's platform can carry of the tax treatments (the form and the batch say
    so before anything is sent)."""
    from invoicedesk.vendors.registry import treatments_of as registry_treatments

    return registry_treatments(vendor)
