"""No secret reaches a log or an exception text: `redact()` masks secrets in any value, and
a logging filter applies it to our loggers and to httpx/httpcore/websockets."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

# ---------------------------------------------------------------------------------------------
# Redaction
# ---------------------------------------------------------------------------------------------

MASK = "***"

# Keys whose values are secrets, compared lower-case with "-" and "_" removed.
_SECRET_KEYS = frozenset(
    {
        "password",
        "pass",
        "passwd",
        "pwd",
        "sellerloginpassword",
        "taxpassword",
        "apikey",
        "xapikey",
        "token",
        "accesstoken",
        "refreshtoken",
        "authorization",
        "secret",
        "interfacekey",
        "sign",
        "signature",
        "smscode",
        "cookie",
        "setcookie",
    }
)

_KEY_ALT = (
    r"password|pass|passwd|pwd|sellerLoginPassword|tax_password|api[_-]?key|x-api-key|"
    r"token|access_token|refresh_token|authorization|secret|interfacekey|sign|signature|"
    r"sms_?code|cookie|set-cookie"
)
# "key": "value"  /  'key': 'value'  (JSON and Python reprs)
_QUOTED = re.compile(rf"""(?i)(["'](?:{_KEY_ALT})["']\s*:\s*)(["'])(?:\\.|(?!\2).)*\2""")
# key=value in form bodies and query strings
_FORM = re.compile(rf"(?i)(?<![\w-])((?:{_KEY_ALT})=)[^&\s\"']*")
# Header lines: "Authorization: Bearer xyz", "X-Api-Key: xyz"
_HEADER = re.compile(r"(?im)^((?:authorization|x-api-key|cookie|set-cookie)\s*:\s*).*$")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+")

_known_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Remember a secret value so that `redact` masks it wherever it appears verbatim.

    Clients call this right after reading a secret from the SecretStore. Very short values are
    skipped: masking them would mangle ordinary text.
    """
    if len(value) >= 4:
        _known_secrets.add(value)


def _norm_key(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def redact(value: Any) -> Any:
    """A copy of `value` with secrets masked: dicts/lists by key, text by pattern and by value."""
    if isinstance(value, Mapping):
        return {
            k: (MASK if isinstance(k, str) and _norm_key(k) in _SECRET_KEYS else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact(v) for v in value)
    if isinstance(value, bytes):
        return redact(value.decode("utf-8", errors="replace"))
    if isinstance(value, str):
        text = _QUOTED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}{m.group(2)}", value)
        text = _FORM.sub(lambda m: f"{m.group(1)}{MASK}", text)
        text = _HEADER.sub(lambda m: f"{m.group(1)}{MASK}", text)
        text = _BEARER.sub(lambda m: f"{m.group(1)}{MASK}", text)
        for secret in sorted(_known_secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text
    return value


class RedactingFilter(logging.Filter):
    """Applies `redact` to each record's final message (and drops its args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not crash logging
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()
# Logger filters are not inherited by child loggers, so name the children that log.
REDACTED_LOGGERS = (
    "invoicedesk",
    "invoicedesk.vendors",
    "invoicedesk.vendors.transport",
    "invoicedesk.vendors.open_api",
    "invoicedesk.vendors.signed_api",
    "invoicedesk.vendors.faw",
    "invoicedesk.vendors.piaodanyun",
    "invoicedesk.vendors.ws_invoice",
    "invoicedesk.services",
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "websockets",
    "websockets.client",
    "websockets.protocol",
)


def install_log_redaction(handlers: bool = True) -> None:
    """Put the redacting filter on our loggers, the network libraries' loggers and (with
    `handlers`) on the root logger's handlers, which also covers loggers not named above.
    Safe to call more than once; app.py calls it again after configuring logging."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    if handlers:
        for handler in logging.getLogger().handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)


install_log_redaction(handlers=False)
