"""The staff console: first-run setup, unlock, queue, PDF preview, print, review, notes, audit, settings, export."""
