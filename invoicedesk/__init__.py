"""InvoiceDesk: prepare 数电票 invoices offline and issue them through a vendor's API."""

__version__ = "0.1.0"
