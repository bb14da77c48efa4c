"""The log file keeps httpx's warnings but not its line per request (the audit log has every
vendor call)."""

from __future__ import annotations

import logging
from pathlib import Path

from invoicedesk import logging_setup


def test_httpx_request_lines_stay_out_of_the_log_file_but_its_warnings_do_not(
    data_dir: Path,
) -> None:
    path = logging_setup.setup_logging(data_dir)
    try:
        httpx_log = logging.getLogger("httpx")
        httpx_log.info('HTTP Request: POST http://127.0.0.1/x "HTTP/1.1 200 OK"')
        httpx_log.warning("connection trouble")
        logging.getLogger("invoicedesk.services").info("issued 1 invoice")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
    finally:
        logging_setup.remove_logging(data_dir)
    assert "HTTP Request" not in text
    assert "connection trouble" in text
    assert "issued 1 invoice" in text
    assert logging.getLogger("httpx").level == logging.NOTSET  # removed with the file handler
