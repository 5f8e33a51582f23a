"""The PySide6 view: wizard pages, staff console and theming. Logic lives in `kiosk/`."""
