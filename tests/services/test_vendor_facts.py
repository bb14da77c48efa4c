"""The one table of vendor facts (services/vendor_facts.py): every text the window shows is
marked for translation, the flows follow the clients' capabilities, serials take the platform's
format, and no service or page decides by a platform's name."""

from __future__ import annotations

import datetime as dt
import re
import runpy
from pathlib import Path

from invoicedesk.services.issuing import new_serial
from invoicedesk.services.vendor_facts import FACTS, facts, flows, red_letter_vendors
from invoicedesk.vendors.base import BaseVendor, Profile, Seller, VendorKey
from invoicedesk.vendors.registry import vendor_class

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "invoicedesk"


def test_every_shown_text_is_marked_for_translation() -> None:
    """packaging/tr_wrappers.py hands every _tr-marked text to lupdate."""
    wrapped_strings = runpy.run_path(str(ROOT / "packaging" / "tr_wrappers.py"))["wrapped_strings"]
    marked = {text for _, text in wrapped_strings(PACKAGE / "services" / "vendor_facts.py")}
    shown = set()
    for table in FACTS.values():
        shown.add(table.name)
        if table.full_red_only_why:
            shown.add(table.full_red_only_why)
        for spec in table.fields:
            shown.update({spec.label, spec.placeholder, spec.hint})
    # an empty text, or a header name such as X-Api-Key, needs no translation
    shown = {t for t in shown if t and not t.isascii()}
    assert shown - marked == set()


def test_flows_follow_the_clients() -> None:
    for key in VendorKey:
        cls = vendor_class(key)
        offered = flows(key)
        assert offered.red_letter == (offered.red_form or offered.red_order), key
        assert offered.red_partial == (offered.red_letter and cls.partial_red), key
        assert offered.sms_login == (cls.sms_login_start is not BaseVendor.sms_login_start), key
        assert offered.red_order == hasattr(cls, "red_order"), key
        assert offered.red_form == (cls.red_apply is not BaseVendor.red_apply), key
    assert flows("piaodanyun").red_form and not flows("piaodanyun").red_partial
    assert flows("faw").red_order and flows("faw").red_partial and not flows("faw").red_form
    assert set(red_letter_vendors()) == {VendorKey.PIAODANYUN, VendorKey.FAW}
    assert flows("piaodanyun").sms_login and not flows("ws-invoice").sms_login
    assert not flows("signed-api").issue and flows("signed-api").sync


def test_serials_take_the_platforms_format() -> None:
    now = dt.datetime(2026, 5, 20, 9, 30, 1)
    seller = Seller("演示科技有限公司", "91330106MA2H7Q3D1G")
    for key in VendorKey:
        serial = new_serial(Profile(key.value, key, "http://x", seller), now)
        if key is VendorKey.PIAODANYUN:  # fpqqlsh "税号_自定义编号", at most 40 characters
            assert re.fullmatch(r"91330106MA2H7Q3D1G_260520093001[0-9A-F]{8}", serial)
            assert len(serial) <= 40
        else:
            assert re.fullmatch(r"ID260520093001[0-9A-F]{8}", serial), key


def test_required_fields_of_the_documents() -> None:
    def required(key: VendorKey) -> set[str]:
        return {s.key for s in facts(key).fields if s.required}

    # piaodanyun: xhdwdzdh, xhdwyhzh and loginDppt's password are 必选 是
    assert {"seller_address_phone", "seller_bank_account", "tax_password"} <= required(
        VendorKey.PIAODANYUN
    )
    # ws-invoice: invoice_info's sellerBank / sellerBankAccount, login's area / role are true
    assert {"seller_bank", "seller_bank_account", "area", "role"} <= required(VendorKey.WS_INVOICE)
    assert facts("ws-invoice").url_schemes == ("ws", "wss", "http", "https")
    assert facts("ws-invoice").sandbox.scheme == "ws"


def test_no_service_or_page_decides_by_a_platforms_name() -> None:
    """Only the facts table names platforms (the screenshot tools stage demo accounts)."""
    pattern = re.compile(r"VendorKey\.[A-Z_]+|\"(piaodanyun|faw|ws-invoice|open-api|signed-api)\"")
    found = []
    for folder in ("services", "ui"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            if path.name == "vendor_facts.py" or "screenshot" in path.name:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []
