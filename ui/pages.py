"""Builds the widget for each screen from content: welcome, consent, education, questions, review, thanks.

Pages are rebuilt from the controller's state every time they are shown, so
a language switch re-draws the same answers in the new language, and a reset
leaves no widget holding the previous patient's words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import ConsentPage, InfoPage, Question, QuestionPage
from kiosk.rules.estimate import welcome_text
from kiosk.rules.flow import visible_questions
from kiosk.rules.scales import is_grid, layout_blocks
from kiosk.patient.intake import REVIEW, THANKS, WELCOME, IntakeController, Screen
from kiosk.system.paths import resources_dir
from ui.controls import OptionRow, build_control, plain_label
from ui.page_widget import PageWidget

if TYPE_CHECKING:
    from ui.signature import SignaturePad

# The signature pad, the typed signature, scale grids and teach-back notes are imported where a page needs them:
# the welcome screen has none, and the pages that do are built ahead while the patient reads the one before.


def build_page(screen: Screen, controller: IntakeController, clinic: str) -> PageWidget:
    content, language = controller.content, screen.language
    page = PageWidget(screen)
    title = lambda text: page.body.addWidget(plain_label(text, "title"))  # noqa: E731
    if screen.name == WELCOME:
        # The clinic's name is in the top bar already; saying it twice only crowds the first screen.
        title(content.text("welcome_title", language))
        page.body.addWidget(plain_label(welcome_text(content, language)))
        _visit_choice(page, controller, language)
    elif screen.name == THANKS:
        title(content.text("thanks_title", language))
        page.body.addWidget(plain_label(content.text("thanks_body", language)))
    elif screen.name == REVIEW:
        _review(page, controller, language)
    elif isinstance(screen.page, InfoPage):
        _info(page, screen.page, language)
    elif isinstance(screen.page, ConsentPage):
        _consent(page, screen.page, controller, language)
    elif isinstance(screen.page, QuestionPage):
        _questions(page, screen.page, controller, language)
    page.finish()
    return page


def _visit_choice(page: PageWidget, controller: IntakeController, language: str) -> None:
    """First visit or coming back: one row per visit type, unless this kiosk's setting fixes it."""
    choices = controller.visit_choices()
    if not choices:
        return
    content = controller.content
    if "visit_question" in content.ui.strings:
        page.body.addWidget(plain_label(content.text("visit_question", language)))
    group = QButtonGroup(page)
    group.setExclusive(True)
    for visit, label in choices:
        button = QRadioButton()
        button.setObjectName(f"visit_{visit}")
        row = OptionRow(button, label)
        group.addButton(button)
        button.setChecked(controller.session.visit == visit)
        row._restyle(button.isChecked())
        button.toggled.connect(lambda checked, v=visit: checked and controller.choose_visit(v))
        page.body.addWidget(row)


def _info(page: PageWidget, info: InfoPage, language: str) -> None:
    row = QHBoxLayout()
    if info.icon:
        from PySide6.QtSvgWidgets import QSvgWidget  # education pictures: never on the first screen

        icon = QSvgWidget(str(resources_dir() / "images" / info.icon))
        icon.setFixedSize(96, 96)
        icon.setAccessibleName("")
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(plain_label(info.title.get(language), "title"), 1)
    page.body.addLayout(row)
    page.body.addWidget(plain_label(info.body.get(language)))


def _consent(page: PageWidget, consent: ConsentPage, controller: IntakeController, language: str) -> None:
    content = controller.content
    page.body.addWidget(plain_label(consent.title.get(language), "title"))
    page.body.addWidget(plain_label(consent.body.get(language)))
    check = QCheckBox()
    row = OptionRow(check, consent.agree.get(language))
    check.setChecked(controller.answers().get(consent.id) is True)
    row._restyle(check.isChecked())
    def agreed(on: bool) -> None:
        controller.set_answer(consent.id, True if on else None)
        page.refresh_problems(controller.current_problems())

    check.toggled.connect(agreed)
    page.body.addWidget(row)
    _problem_slot(page, consent.id, row)
    if consent.signature:
        from ui.signature import SignaturePad

        page.body.addWidget(plain_label(content.text("signature_hint", language), "muted"))
        def signed(png: bytes | None) -> None:
            controller.set_signature(png)
            page.refresh_problems(controller.current_problems())

        pad = SignaturePad(signed, content.text("signature_hint", language), controller.signature)
        page.signature = pad
        page.body.addWidget(pad)
        typed = _typed_signature(page, pad, controller, content.text("signature_type", language))
        clear = QPushButton(content.text("signature_clear", language))
        clear.setAccessibleName(content.text("signature_clear", language))
        clear.clicked.connect(pad.clear)
        clear.clicked.connect(typed.clear)
        page.body.addWidget(clear, 0, Qt.AlignmentFlag.AlignLeft)
        _problem_slot(page, f"{consent.id}__signature", pad)


def _typed_signature(page: PageWidget, pad: SignaturePad, controller: IntakeController, hint: str) -> QLineEdit:
    """Sign by typing the full name: the keyboard-only way through consent. The pad shows what will be kept."""
    from ui.typed_signature import typed_signature_png

    page.body.addWidget(plain_label(hint, "muted"))
    field = QLineEdit()
    field.setAccessibleName(hint)
    field.setMaxLength(120)
    page.body.addWidget(field)

    def typed(text: str) -> None:
        png = typed_signature_png(text, max(pad.width(), 300), max(pad.height(), 160))
        pad.strokes = []
        pad.signed = QImage.fromData(png) if png else None
        pad.update()
        controller.set_signature(png)
        page.refresh_problems(controller.current_problems())

    field.textEdited.connect(typed)
    return field


def _questions(page: PageWidget, section: QuestionPage, controller: IntakeController, language: str) -> None:
    content = controller.content
    page.body.addWidget(plain_label(section.title.get(language), "title"))
    if section.intro:
        page.body.addWidget(plain_label(section.intro.get(language)))
    answers = controller.answers()
    frames: dict[str, QFrame] = {}

    def sync_visibility() -> None:
        """Branching inside a page: show or hide questions in place, keeping focus and answers."""
        shown = {q.id for q in visible_questions(content, section, controller.answers())}
        for qid, frame in frames.items():
            frame.setVisible(qid in shown)

    if section.teach_back:
        from ui.teach_back_note import TeachBackNote
    for block in layout_blocks(section):
        if is_grid(block):
            _grid(page, block, controller, language, frames, sync_visibility)
            continue
        question = block[0]
        frame = QFrame()
        frame.setObjectName("question")
        frame.setAccessibleName(question.text.get(language))
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(0, 8, 0, 8)
        label = plain_label(question.text.get(language))
        label.setProperty("question", "true")  # bold, by the theme: a style sheet of its own per label cost time
        layout.addWidget(label)
        if question.help:
            layout.addWidget(plain_label(question.help.get(language), "muted"))

        note = TeachBackNote(*controller.teach_back_notes(question.id)) if section.teach_back else None

        def changed(value: object, qid: str = question.id, told=note) -> None:
            controller.set_answer(qid, value)
            if told is not None:
                told.show_feedback(controller.teach_back(qid, value))
            sync_visibility()
            if page.any_problem_shown():
                page.refresh_problems(controller.current_problems())

        layout.addWidget(build_control(question, language, content, answers.get(question.id), changed))
        if note is not None:
            layout.addWidget(note)
            note.show_feedback(controller.teach_back(question.id, answers.get(question.id)))
        problem = plain_label("", "problem")
        problem.hide()
        layout.addWidget(problem)
        page.problem_labels[question.id] = problem
        page.anchors[question.id] = label
        frames[question.id] = frame
        page.body.addWidget(frame)
    sync_visibility()


def _grid(page: PageWidget, block: list[Question], controller: IntakeController, language: str,
          frames: dict[str, QFrame], sync_visibility: Callable[[], None]) -> None:
    """Items sharing one answer scale: the answers once, as column headers (same answers, same anchors)."""
    def changed(qid: str, value: object) -> None:
        controller.set_answer(qid, value)
        sync_visibility()
        if page.any_problem_shown():
            page.refresh_problems(controller.current_problems())

    from ui.scale_grid import ScaleGrid

    grid = ScaleGrid(block, language, controller.answers(), changed)
    for question in block:
        page.problem_labels[question.id] = grid.problems[question.id]
        page.anchors[question.id] = grid.labels[question.id]
        frames[question.id] = grid.rows[question.id]
    page.body.addWidget(grid)
    grid.pin_to(page)


def _review(page: PageWidget, controller: IntakeController, language: str) -> None:
    content = controller.content
    page.body.addWidget(plain_label(content.text("review_title", language), "title"))
    page.body.addWidget(plain_label(content.text("review_intro", language)))
    for page_id, question, answer in controller.review_rows():
        frame = QFrame()
        frame.setObjectName("row")
        row = QHBoxLayout(frame)
        texts = QVBoxLayout()
        texts.addWidget(plain_label(question, "muted"))
        texts.addWidget(plain_label(answer))
        row.addLayout(texts, 1)
        change = QPushButton(content.text("change", language))
        change.setAccessibleName(f"{content.text('change', language)}: {question}")
        change.clicked.connect(lambda _=False, pid=page_id: controller.change(pid))
        row.addWidget(change, 0, Qt.AlignmentFlag.AlignVCenter)
        page.body.addWidget(frame)


def _problem_slot(page: PageWidget, key: str, anchor: QWidget) -> None:
    label = plain_label("", "problem")
    label.hide()
    page.body.addWidget(label)
    page.problem_labels[key] = label
    page.anchors[key] = anchor
