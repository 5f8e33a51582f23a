"""Accessibility a patient notices: step count, text size, contrast, touch targets, read aloud, the keyboard."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from kiosk.content import load_content
from kiosk.patient.intake import REVIEW, THANKS, WELCOME
from kiosk.system.paths import content_dir
from kiosk_fixtures import kiosk, make_kiosk  # noqa: F401 (pytest fixtures)
from test_wizard_e2e import by_name, click, complete_page, nav
from ui.controls import OptionRow
from ui.theme import TEXT_PAIRS, UI_PAIRS, contrast_ratio, style_sheet, text_sizes, theme, theme_names


def walk(qtbot, window, controller, through_thanks: bool = False):
    """Yield on every screen from welcome to review (or thanks), answering each page as a patient would."""
    yield
    click(qtbot, nav(window, "Start"))
    while True:
        yield
        if controller.session.position == REVIEW:
            if not through_thanks:
                return
            click(qtbot, nav(window, "Submit"))
            yield
            return
        complete_page(qtbot, window, controller)
        click(qtbot, nav(window, "Next"))


def body_size(window) -> int:
    """The point size of the page's ordinary text (not titles, hints or hidden labels)."""
    sizes = [label.font().pointSize() for label in window.page.findChildren(QLabel)
             if label.isVisibleTo(window.page) and not label.objectName() and label.text()]
    assert sizes, controller_position(window)
    return min(sizes)


def controller_position(window) -> str:
    return window.controller.session.position


def step_shown(window) -> tuple[int, int]:
    match = re.fullmatch(r"Step (\d+) of (\d+)", window.step_label.text())
    assert match, window.step_label.text()
    step, steps = int(match[1]), int(match[2])
    assert (window.progress.value(), window.progress.maximum()) == (step, steps), "the bar agrees with the words"
    return step, steps


# -- step N of M -------------------------------------------------------------------


def test_step_count_is_only_the_pages_this_patient_sees(qtbot, make_kiosk, tmp_path: Path) -> None:
    """A page that branching skips is not counted: the last step is 'Step M of M', and M never jumps."""
    folder = tmp_path / "content"
    shutil.copytree(content_dir(), folder)
    shutil.copytree(content_dir().parent / "images", tmp_path / "images")
    opioids = folder / "opioids.yaml"
    text = opioids.read_text(encoding="utf-8")
    assert "    id: opioid_use\n" in text, "the test hides the opioid page; update it if the content was renamed"
    opioids.write_text(text.replace("    id: opioid_use\n", "    id: opioid_use\n    enable_when: "
                                    "[{question: form_preference, operator: \"!=\", answer: tablet}]\n"), encoding="utf-8")
    branched = load_content(folder)
    window, controller, _ = make_kiosk()
    controller.content = controller.default_content = branched
    controller.visits = {branched.visit: branched}  # the new patient after reset answers the branched content
    controller.reset()
    seen: list[tuple[str, int, int]] = []
    for _ in walk(qtbot, window, controller):
        if controller.session.position == WELCOME:
            assert not window.step_label.isVisible() and not window.progress.isVisible()
            continue
        seen.append((controller.session.position, *step_shown(window)))
    assert "opioid_use" not in [name for name, _, _ in seen]
    steps = [step for _, step, _ in seen]
    assert steps == list(range(1, len(seen) + 1)), "each screen is one step further"
    final = seen[-1]
    assert final[0] == REVIEW and final[1] == final[2], f"the last screen says 'Step {final[2]} of {final[2]}'"
    after_branch = [total for name, _, total in seen[[n for n, _, _ in seen].index("about_you") + 1:]]
    assert set(after_branch) == {final[2]}, "once the branch is known, the total is the pages this patient sees"


# -- text size and contrast ------------------------------------------------------------


def test_text_size_and_contrast_switch_on_every_screen_and_last_one_patient(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    sizes = text_sizes()
    assert len(sizes) >= 3 and sizes == sorted(sizes)
    for _ in walk(qtbot, window, controller, through_thanks=True):
        assert by_name(window, QPushButton, "Text size").isVisible()
        assert by_name(window, QPushButton, "High contrast").isVisible()
        assert by_name(window, QPushButton, "Read aloud").isVisible()
        if controller.session.position == WELCOME:
            seen = []
            for _ in range(len(sizes)):
                seen.append(body_size(window))
                click(qtbot, by_name(window, QPushButton, "Text size"))
            assert seen == sorted(seen) and len(set(seen)) == len(sizes), "each press makes the text bigger"
            click(qtbot, by_name(window, QPushButton, "Text size"))
            click(qtbot, by_name(window, QPushButton, "High contrast"))
        assert body_size(window) == sizes[1], f"the chosen size is kept on {controller.session.position}"
        assert theme("high_contrast")["background"].lower() in window.styleSheet().lower()
    click(qtbot, nav(window, "Done"))
    assert controller.session.position == WELCOME
    assert body_size(window) == sizes[0], "the next patient starts at the normal size"
    assert theme("normal")["background"].lower() in window.styleSheet().lower() and not window.contrast_button.isChecked()


@pytest.mark.parametrize("name", theme_names())
def test_theme_text_contrast_meets_wcag(name: str) -> None:
    needed = 7.0 if name == "high_contrast" else 4.5
    t = theme(name)
    for foreground, background in TEXT_PAIRS:
        ratio = contrast_ratio(t[foreground], t[background])
        assert ratio >= needed, f"{name}: {foreground} on {background} is {ratio:.2f}:1, needs {needed}:1"
    for foreground, background in UI_PAIRS:
        ratio = contrast_ratio(t[foreground], t[background])
        assert ratio >= 3.0, f"{name}: {foreground} shapes on {background} are {ratio:.2f}:1, need 3:1 (WCAG 1.4.11)"


@pytest.mark.parametrize("name", theme_names())
def test_every_text_colour_the_style_sheet_draws_is_a_checked_pair(name: str) -> None:
    """A rule giving both a text colour and a background must be in TEXT_PAIRS, so the check above covers it."""
    t = theme(name)
    by_value: dict[str, set[str]] = {}
    for key, value in t.colours.items():
        by_value.setdefault(value.lower(), set()).add(key)
    checked = {(f, b) for f, b in TEXT_PAIRS}
    rules = re.findall(r"\{([^{}]*)\}", style_sheet(t))
    pairs = 0
    for rule in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", rule)
        back = re.search(r"background:\s*(#[0-9A-Fa-f]{6})", rule)
        if colour and back:
            pairs += 1
            options = {(f, b) for f in by_value[colour[1].lower()] for b in by_value[back[1].lower()]}
            assert options & checked, f"{name}: text {colour[1]} on {back[1]} is not in TEXT_PAIRS: {rule.strip()[:80]}"
    assert pairs >= 4


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


# -- touch targets ----------------------------------------------------------------------


def _targets(window) -> list[QWidget]:
    """Every control a patient touches: buttons, whole option rows, fields and lists (not the staff marker)."""
    found: list[QWidget] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget is window.alerts.marker:
            continue
        if isinstance(widget, (QRadioButton, QCheckBox)):
            found.append(widget.parent() if isinstance(widget.parent(), OptionRow) else widget)
        elif isinstance(widget, (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit)):
            found.append(widget)
    return found


@pytest.mark.parametrize(("size", "step"), [((1280, 800), 0), ((800, 1280), 2)])
def test_every_patient_target_on_every_screen_is_at_least_48_by_48(qtbot, kiosk, size, step) -> None:
    window, controller, _ = kiosk
    window.resize(*size)
    window.size_step = step
    window.apply_theme()
    checked: dict[str, int] = {}
    for _ in walk(qtbot, window, controller, through_thanks=True):
        qtbot.wait(1)
        for widget in _targets(window):
            width, height = widget.width(), widget.height()
            assert width >= 48 and height >= 48, (f"{controller.session.position}: {type(widget).__name__} "
                                                   f"{widget.accessibleName()!r} is {width}x{height}")
            kind = next(k for k in (OptionRow, QPushButton, QLineEdit, QComboBox, QPlainTextEdit, QWidget)
                        if isinstance(widget, k))
            checked[kind.__name__] = checked.get(kind.__name__, 0) + 1
    assert {"QPushButton", "OptionRow", "QLineEdit", "QPlainTextEdit"} <= set(checked), checked
    assert controller.session.position == THANKS


def test_the_idle_warning_button_is_a_big_target(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, nav(window, "Start"))
    for _ in range(3):
        window.idle.tick()
    button = by_name(window.idle.dialog, QPushButton, "I'm still here")
    assert button.width() >= 200 and button.height() >= 80


# -- read aloud ---------------------------------------------------------------------------


def test_read_aloud_speaks_the_screen_in_its_language(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    click(qtbot, by_name(window, QPushButton, "Español"))
    click(qtbot, by_name(window, QPushButton, "Leer en voz alta"))
    language, text = window.speech.last
    assert language == "es" and controller.content.text("welcome_title", "es") in text
    assert controller.content.text("welcome_title", "en") not in text.split("\n")


def test_read_aloud_is_on_every_screen_and_skips_hidden_questions(qtbot, kiosk) -> None:
    window, controller, _ = kiosk
    read = 0
    for _ in walk(qtbot, window, controller):
        page = controller.screen().page
        click(qtbot, by_name(window, QPushButton, "Read aloud"))
        _, text = window.speech.last
        for frame in window.page.findChildren(QWidget, "question"):
            question_text = frame.accessibleName()
            assert (question_text in text) == frame.isVisibleTo(window.page), (
                f"{page.id if page else controller.session.position}: {question_text!r}")
        read += 1
    assert read > 4


def test_read_aloud_is_hidden_without_an_engine(qtbot, make_kiosk, monkeypatch) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: []))
    window, _, _ = make_kiosk(speech_engine="")
    assert window.speech is None and not window.read_button.isVisible()


# -- keyboard only -------------------------------------------------------------------------


def test_keyboard_alone_completes_the_wizard_signature_included(qtbot, kiosk) -> None:
    """Tab, arrows, Space, Enter and typing only: no clicks, no setters, no drawing."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window, controller, _ = kiosk
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    pages = 0
    for _ in range(80):
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
        qtbot.wait(10)  # the page puts focus on its first control once it is shown
        if controller.session.position == REVIEW:
            break
        page = controller.screen().page
        _answer_by_keyboard(qtbot, window)
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)
        assert controller.session.position != page.id, f"Enter did not leave {page.id}: {controller._problems(page)}"
        pages += 1
    assert controller.session.position == REVIEW and pages >= 5
    assert controller.session.signature_png, "the consent was signed by typing the name"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert controller.session.position == THANKS and controller.session.submitted is not None
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert controller.session.position == WELCOME


def _answer_by_keyboard(qtbot, window) -> None:
    """Walk the page's controls with Tab and answer each with the keys a patient would use."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    seen: set[int] = set()
    for _ in range(200):
        widget = QApplication.focusWidget()
        if widget is None or not window.page.isAncestorOf(widget) or id(widget) in seen:
            break
        seen.add(id(widget))
        if isinstance(widget, QRadioButton) and not any(b.isChecked() for b in widget.group().buttons()):
            qtbot.keyClick(widget, Qt.Key.Key_Down)  # arrows move within the answers...
            qtbot.keyClick(widget, Qt.Key.Key_Up)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # ...and Space chooses
        elif isinstance(widget, QCheckBox) and not widget.isChecked():
            qtbot.keyClick(widget, Qt.Key.Key_Space)
        elif widget.objectName() == "datePart" and "—" in widget.text():
            qtbot.keyClick(widget, Qt.Key.Key_Space)  # opens the part's grid, focus in it...
            for _ in range(3):
                if QApplication.focusWidget().objectName() == "dateGrid":
                    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # ...Enter picks, on to the next
        elif isinstance(widget, QComboBox) and widget.currentIndex() <= 0:
            qtbot.keyClick(widget, Qt.Key.Key_Down)
        elif isinstance(widget, QLineEdit) and not widget.text():
            name = widget.accessibleName()
            qtbot.keyClicks(widget, "1990" if "Year" in name else ("1" if widget.validator() else "Pat Keys"))
        elif isinstance(widget, QPlainTextEdit) and not widget.toPlainText():
            qtbot.keyClicks(widget, "none")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_read_aloud_asks_the_engine_for_a_voice_in_the_screen_language() -> None:
    """With an engine that has Spanish and English voices, a Spanish screen is read with a Spanish voice."""
    from PySide6.QtCore import QLocale

    from ui.speech import Speech

    class Engine:
        def __init__(self) -> None:
            self.locale: QLocale | None = None
            self.said: list[str] = []
            self.stopped = 0

        def availableLocales(self) -> list[QLocale]:  # noqa: N802 (Qt's name)
            return [QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
                    QLocale(QLocale.Language.Spanish, QLocale.Country.Mexico)]

        def setLocale(self, locale: QLocale) -> None:  # noqa: N802
            self.locale = locale

        def say(self, text: str) -> None:
            self.said.append(text)

        def stop(self, _hint: object) -> None:
            self.stopped += 1

    engine = Engine()
    speech = Speech(engine)  # type: ignore[arg-type]
    speech.say("Hola", "es")
    assert engine.locale.language() == QLocale.Language.Spanish and engine.said == ["Hola"]
    speech.say("Hello", "en")
    assert engine.locale.language() == QLocale.Language.English
    speech.forget()
    assert speech.last is None and engine.stopped == 1, "the next patient does not hear the last one's screen"
