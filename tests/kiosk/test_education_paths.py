"""Education: at most 8 screens for a first visit, only the safety screens for a patient who has done this before."""

from __future__ import annotations

from kiosk.content import Content
from kiosk.content.model import InfoPage
from kiosk.rules.flow import visible_pages

# Facts section 2 (what the labels add) plus the opioid-free interval: what a returning patient still sees.
SAFETY_POINTS = {
    "7 to 10 days": ["does not ease withdrawal", "7 to 10 days"],
    "overdose": ["miss a dose", "end of a shot", "can kill", "family"],
    "naloxone": ["Naloxone", "nalmefene"],
    "emergency": ["wallet card", "medical alert", "pain"],
    "injection site": ["hard lump", "blisters", "2 weeks", "surgery"],
    "mood": ["very sad", "hurting yourself"],
    "liver": ["liver", "blood test", "yellow"],
    "lab tests": ["urine drug tests"],
}

# What each teach-back question checks, in the words its screen must teach.
TEACH_BACK_TAUGHT = {
    "tb_opioid_free": ["7 to 10 days"],
    "tb_overdose": ["miss a dose", "can kill"],
    "tb_emergency": ["wallet card", "medical alert"],
}


def screens(content: Content, answers: dict) -> list[InfoPage]:
    return [p for p in visible_pages(content, answers) if isinstance(p, InfoPage)]


def words(page: InfoPage) -> str:
    return page.title.get("en") + " " + page.body.get("en")


def test_a_first_visit_has_at_most_eight_education_screens(content: Content) -> None:
    first = screens(content, {"education_before": "first_time"})
    assert 5 <= len(first) <= 8
    assert len([p for p in content.pages if isinstance(p, InfoPage)]) <= 8


def test_a_returning_patient_sees_only_the_safety_screens_and_they_cover_every_safety_point(content: Content) -> None:
    first = screens(content, {"education_before": "first_time"})
    again = screens(content, {"education_before": "done_before"})
    assert 0 < len(again) < len(first)
    assert {p.id for p in again} < {p.id for p in first}
    for point, needed in SAFETY_POINTS.items():
        assert any(all(w in words(p) for w in needed) for p in again), f"returning patients miss: {point}"
    shown = " ".join(words(p) for p in again)
    assert "Vivitrol" not in shown and "FDA" not in shown, "background screens are skipped"


def test_the_question_is_asked_before_any_education_screen(content: Content) -> None:
    order = [p.id for p in content.pages]
    first_info = next(i for i, p in enumerate(content.pages) if isinstance(p, InfoPage))
    assert order.index(content.page_of["education_before"].id) < first_info
    options = [o.text.get("en") for o in content.questions["education_before"].options]
    assert "I have done this before" in options


def test_teach_back_asks_only_what_every_patient_was_taught(content: Content) -> None:
    for answers in ({"education_before": "first_time"}, {"education_before": "done_before"}):
        taught = " ".join(words(p) for p in screens(content, answers))
        for qid, needed in TEACH_BACK_TAUGHT.items():
            assert qid in content.questions
            assert all(w in taught for w in needed), f"{qid} asks what {answers} did not teach"
        right = content.questions["tb_opioid_free"].option("seven_to_ten_days")
        assert right is not None and right.text.get("en") in taught
