"""The tests' name for the one wizard driver (kiosk/testing/wizard.py)."""

from kiosk.testing.wizard import (
    DATE_OF_BIRTH, FREE_TEXT, PATIENT_NAME, Choose, answer_current_page, drive_to_review, plan_answer, tiny_png,
)

__all__ = ["DATE_OF_BIRTH", "FREE_TEXT", "PATIENT_NAME", "Choose", "answer_current_page", "drive_to_review",
           "plan_answer", "tiny_png"]
