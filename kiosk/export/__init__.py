"""Exports for other systems: CSV here; FHIR lives in `kiosk.fhir`."""
