"""Entry script for the PyInstaller bundle: the same `invoicedesk` command as the wheel."""

import multiprocessing
import sys

from invoicedesk.cli import main

if __name__ == "__main__":
    # The Excel import parses in a spawned worker process; in a frozen bundle that process
    # starts this same executable, which must hand over to the worker instead of the GUI.
    multiprocessing.freeze_support()
    sys.exit(main())
