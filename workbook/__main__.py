"""``python -m workbook``: the command line."""

import sys

from workbook.cli import main

sys.exit(main())
