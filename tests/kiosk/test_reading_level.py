"""Every education screen is short, plain (US grade 6 or below by Flesch-Kincaid) and has its own picture."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import textstat

from kiosk.content import Content, load_content
from kiosk.content.model import InfoPage
from kiosk.system.paths import content_dir, resources_dir

MAX_GRADE = 6.0
MAX_WORDS = 80

SCREENS = [p for p in load_content(content_dir()).pages if isinstance(p, InfoPage)]


def test_there_are_education_screens() -> None:
    assert 1 <= len(SCREENS) <= 8, f"{len(SCREENS)} education screens: fold them into at most 8"


@pytest.mark.parametrize("screen", SCREENS, ids=[s.id for s in SCREENS])
def test_english_screen_reads_at_grade_6_or_below(screen: InfoPage) -> None:
    text = f"{screen.title.get('en')}. {screen.body.get('en')}"
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{screen.id}: Flesch-Kincaid grade {grade}"


@pytest.mark.parametrize("screen", SCREENS, ids=[s.id for s in SCREENS])
def test_screen_is_short_in_every_language(screen: InfoPage) -> None:
    for language, body in screen.body.root.items():
        assert len(body.split()) <= MAX_WORDS, f"{screen.id} ({language}): {len(body.split())} words"


def test_the_grade_check_can_fail() -> None:
    dense = ("Naltrexone hydrochloride, a competitive opioid-receptor antagonist, attenuates reinforcement "
             "consequent upon exogenous opioid administration, necessitating comprehensive pharmacological evaluation.")
    assert textstat.flesch_kincaid_grade(dense) > MAX_GRADE


def test_every_screen_has_its_own_picture(content: Content) -> None:
    icons = [s.icon for s in SCREENS]
    assert all(icons) and len(set(icons)) == len(icons)
    for icon in icons:
        root = ET.parse(resources_dir() / "images" / icon).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text, f"{icon} needs a <title> describing it"
