"""Entry script for the PyInstaller bundle: the same `invoicedesk` command as the wheel."""

import sys

from invoicedesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
