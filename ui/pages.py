"""Builds the widget for each screen from content: welcome, consent, education, questions, review, thanks.

Pages are rebuilt from the controller's state every time they are shown, so
a language switch re-draws the same answers in the new language, and a reset
leaves no widget holding the previous patient's words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import ConsentPage, InfoPage, QuestionPage
from kiosk.estimate import welcome_text
from kiosk.flow import visible_questions
from kiosk.intake import REVIEW, THANKS, WELCOME, IntakeController, Screen
from kiosk.paths import resources_dir
from ui.controls import OptionRow, build_control, plain_label
from ui.signature import SignaturePad
from ui.typed_signature import typed_signature_png


class PageWidget(QScrollArea):
    """A scrollable page; `problem_labels` lets the window show a message under each question."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.screen = screen
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.inner = QWidget()
        self.body = QVBoxLayout(self.inner)
        self.body.setContentsMargins(32, 24, 32, 24)
        self.body.setSpacing(16)
        self.setWidget(self.inner)
        self.problem_labels: dict[str, object] = {}
        self.signature: SignaturePad | None = None

    def finish(self) -> None:
        self.body.addStretch(1)

    def readable_text(self) -> str:
        """What read-aloud speaks: every visible label, in order."""
        from PySide6.QtWidgets import QLabel

        return "\n".join(label.text() for label in self.inner.findChildren(QLabel)
                         if label.text() and label.isVisibleTo(self.inner))


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
    check.toggled.connect(lambda on: controller.set_answer(consent.id, True if on else None))
    page.body.addWidget(row)
    _problem_slot(page, consent.id)
    if consent.signature:
        page.body.addWidget(plain_label(content.text("signature_hint", language), "muted"))
        pad = SignaturePad(controller.set_signature, content.text("signature_hint", language),
                           controller.signature)
        page.signature = pad
        page.body.addWidget(pad)
        typed = _typed_signature(page, pad, controller, content.text("signature_type", language))
        clear = QPushButton(content.text("signature_clear", language))
        clear.setAccessibleName(content.text("signature_clear", language))
        clear.clicked.connect(pad.clear)
        clear.clicked.connect(typed.clear)
        page.body.addWidget(clear, 0, Qt.AlignmentFlag.AlignLeft)
        _problem_slot(page, f"{consent.id}__signature")


def _typed_signature(page: PageWidget, pad: SignaturePad, controller: IntakeController, hint: str) -> QLineEdit:
    """Sign by typing the full name: the keyboard-only way through consent. The pad shows what will be kept."""
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

    for question in section.questions:
        frame = QFrame()
        frame.setObjectName("question")
        frame.setAccessibleName(question.text.get(language))
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(0, 8, 0, 8)
        label = plain_label(question.text.get(language))
        label.setStyleSheet("font-weight: bold;")
        layout.addWidget(label)
        if question.help:
            layout.addWidget(plain_label(question.help.get(language), "muted"))

        feedback = plain_label("", "muted") if section.teach_back else None

        def changed(value: object, qid: str = question.id, asked=question, told=feedback) -> None:
            controller.set_answer(qid, value)
            if told is not None:
                _teach_back_feedback(told, asked, value, content, language)
            sync_visibility()

        layout.addWidget(build_control(question, language, content, answers.get(question.id), changed))
        if feedback is not None:
            layout.addWidget(feedback)
            _teach_back_feedback(feedback, question, answers.get(question.id), content, language)
        problem = plain_label("", "problem")
        problem.hide()
        layout.addWidget(problem)
        page.problem_labels[question.id] = problem
        frames[question.id] = frame
        page.body.addWidget(frame)
    sync_visibility()


def _teach_back_feedback(label, question, value, content, language: str) -> None:
    """As soon as a teach-back answer is chosen, tell the patient the right answer and why, kindly."""
    right = next((o for o in question.options if o.correct), None)
    if value is None or right is None:
        label.hide()
        return
    if value == right.code:
        text = content.text("teach_back_right", language)
    else:
        text = content.text("teach_back_answer", language).format(answer=right.text.get(language))
    if question.feedback is not None:
        text += " " + question.feedback.get(language)
    label.setText(text)
    label.show()


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


def _problem_slot(page: PageWidget, key: str) -> None:
    label = plain_label("", "problem")
    label.hide()
    page.body.addWidget(label)
    page.problem_labels[key] = label
