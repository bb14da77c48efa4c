"""The 发票历史 page: a table over SQL with filters, details, files, export and sync."""
