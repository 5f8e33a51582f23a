"""`python -m kiosk` runs the same command line as `naltrexone-kiosk`."""

import sys

from kiosk.cli import main

sys.exit(main())
