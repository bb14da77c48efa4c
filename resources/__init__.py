"""Data files shipped with InvoiceDesk, installed as the package `invoicedesk.resources`."""
