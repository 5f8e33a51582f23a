"""Naltrexone intake kiosk: the Qt-free core (content, flow, scoring, storage, report, CLI)."""

__version__ = "0.1.0"
