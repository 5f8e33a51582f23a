"""Entry point of the PyInstaller bundle: the same command line as `naltrexone-kiosk`."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
