import sys

from invoicedesk.cli import main

sys.exit(main())
