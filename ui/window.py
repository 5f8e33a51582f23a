"""The patient window: a top bar (language, text size, contrast, read aloud, help), the page, and navigation.

It implements `kiosk.patient.intake.IntakeView`: the controller decides what to show
and the window draws it. Nothing here scores, stores or validates.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from shiboken6 import isValid
from PySide6.QtWidgets import QMainWindow, QPushButton, QWidget

from kiosk.content.model import QuestionPage
from kiosk.rules.flow import visible_questions
from kiosk.patient.intake import REVIEW, THANKS, WELCOME, IntakeController, Screen
from kiosk.settings import Settings
from ui.chrome import build_chrome
from ui.heap import give_back
from ui.messages import PatientMessages
from ui.pages import PageWidget, build_page
from ui.privacy import wipe_clipboard, without_context_menus
from ui.staff_alert import StaffAlert
from ui.theme import style_sheet, text_sizes, theme


class KioskWindow(QMainWindow):
    """Full-screen patient window. Closing, Alt+F4 and Escape do nothing unless staff allow it."""

    staff_alert = Signal(str)
    first_paint = Signal()
    # The hidden staff gesture (long press on the clinic name, top-left). The composition root connects it to
    # the console's staff-secret check; the window itself never leaves kiosk mode on its own.
    staff_exit_requested = Signal()

    def __init__(self, controller: IntakeController, settings: Settings, kiosk_mode: bool = True) -> None:
        super().__init__()
        self.controller = controller
        self.content = controller.content
        self.settings = settings
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self.theme_name = "normal"
        self.size_step = 0
        self.page: PageWidget | None = None
        self.prebuilt: tuple[tuple, PageWidget] | None = None
        self.let_go: list[PageWidget] = []  # pages shown before, kept only until the new page has painted
        self.prebuild_timer = QTimer(self)
        self.prebuild_timer.setSingleShot(True)
        self.prebuild_timer.setInterval(120)  # after the new page has painted
        self.prebuild_timer.timeout.connect(self._prebuild_next)
        self._painted = False
        self.setWindowTitle(settings.clinic_name)
        if kiosk_mode:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self._build()
        # The thank-you screen holds no answers, but it keeps this patient's text size and contrast:
        # it greets the next patient by itself after the idle timeout, as if the patient had tapped Done.
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(settings.idle_timeout_s * 1000)
        self.thanks_timer.timeout.connect(self._thanks_done)
        self.alerts = StaffAlert(self, settings.staff_alert)
        self.messages = PatientMessages(self)
        self.staff_exit_requested.connect(self.alerts.clear)
        self.apply_theme()
        keyboard = QGuiApplication.inputMethod()
        keyboard.visibleChanged.connect(self._make_room_for_keyboard)
        keyboard.keyboardRectangleChanged.connect(self._make_room_for_keyboard)

    # -- layout ------------------------------------------------------------------

    def _build(self) -> None:
        build_chrome(self)
        self.speech = None

    def apply_settings(self, settings: Settings) -> None:
        """Staff saved settings and locked the console: the next patient gets those declared NEXT_PATIENT."""
        name = settings.clinic_name
        self.settings = settings
        self.setWindowTitle(name)
        self.clinic_label.setText(name)
        self.thanks_timer.setInterval(settings.idle_timeout_s * 1000)
        self.alerts.set_mode(settings.staff_alert)
        idle = getattr(self, "idle", None)
        if idle is not None:
            idle.timeout_s, idle.warning_s = settings.idle_timeout_s, min(settings.idle_warning_s, settings.idle_timeout_s)
        if self.controller.waiting():
            self.controller.reset()

    # -- IntakeView ----------------------------------------------------------------

    def show_screen(self, screen: Screen) -> None:
        """Swap in the new page with painting held, so the patient sees one finished frame, not the steps."""
        idle = getattr(self, "idle", None)
        if idle is not None:
            idle.heard()  # only a patient's tap changes the page; the idle watcher need not see the events it sends
        self.setUpdatesEnabled(False)
        try:
            self._show_screen(screen)
        finally:
            self.setUpdatesEnabled(True)

    def _show_screen(self, screen: Screen) -> None:
        language = screen.language
        if screen.name == WELCOME:
            self._close_messages()
            wipe_clipboard()  # a new patient: nothing the last one copied or highlighted can be pasted
        if screen.name == THANKS:
            self.thanks_timer.start()
        else:
            self.thanks_timer.stop()
        text = lambda key: self.content.text(key, language)  # noqa: E731
        old = self.page
        ready = self._take_prebuilt(screen)
        self.page = ready or build_page(screen, self.controller, self.settings.clinic_name)
        if ready is None:
            self.stack.addWidget(self.page)
        if self.kiosk_mode:
            without_context_menus(self.page)
        self.stack.setCurrentWidget(self.page)
        if old is not None:
            self.stack.removeWidget(old)
            if screen.name in (WELCOME, THANKS):
                old.deleteLater()  # the patient is done or gone: nothing of theirs stays in a widget
                self._delete_let_go()
            else:
                old.hide()
                self.let_go.append(old)  # deleted once the new page has painted, with the next page built ahead
        for code, button in self.language_buttons.items():
            self._label(button, self.content.text("this_language", code))
            button.setChecked(code == language)
        self._label(self.size_button, text("text_size"))
        self._label(self.contrast_button, text("high_contrast"))
        self._label(self.read_button, text("read_aloud"))
        self._label(self.help_button, text("need_help"))
        self._label(self.start_over_button, text("start_over"))
        self.start_over_button.setVisible(screen.name not in (WELCOME, THANKS))
        self.crisis_banner.show_text(text("crisis_banner") if self.controller.crisis_shown() else None)
        self._label(self.back_button, text("back"))
        next_key = {WELCOME: "start", REVIEW: "submit", THANKS: "thanks_next"}.get(screen.name, "next")
        self._label(self.next_button, text(next_key))
        self.back_button.setVisible(screen.name not in (WELCOME, THANKS) and screen.step > 1)
        counted = screen.name not in (WELCOME, THANKS)
        self.step_label.setVisible(counted)
        self.progress.setVisible(counted)
        if counted:
            self.step_label.setText(text("step_of").format(step=screen.step, steps=screen.steps))
            self.progress.setRange(0, screen.steps)
            self.progress.setValue(screen.step)
            self.progress.setAccessibleName(self.step_label.text())
        if not self._painted:  # only to tell the first paint: past it, the filter would see every paint event
            self.page.viewport().installEventFilter(self)
        QTimer.singleShot(0, self, self._focus_first)  # dropped with the window if it goes first
        self.prebuild_timer.start()

    # -- building the next page ahead of time ------------------------------------------

    def _page_key(self, screen: Screen) -> tuple:
        """What a built page depends on besides its own answers: which page, language, step, and which questions show."""
        shown: tuple[str, ...] = ()
        if isinstance(screen.page, QuestionPage):
            shown = tuple(q.id for q in visible_questions(self.controller.content, screen.page,
                                                          self.controller.answers()))
        return screen.name, screen.language, screen.step, screen.steps, shown

    def _prebuild_next(self) -> None:
        """While the patient reads, build the page Next will most likely show, hidden in the stack (no extra data:
        it holds only this patient's answers, and is dropped with the page whenever the screen changes otherwise)."""
        self._drop_prebuilt()
        if self.let_go:
            # the pages left go first, and the page ahead is built on the next turn of the event loop, once Qt has
            # freed them: built in the same turn, three pages' widgets were alive at once at the run's peak
            self._delete_let_go()
            QTimer.singleShot(0, self, self._prebuild_next)
            return
        give_back()  # what the pages left freed goes back to the system before the next page takes its share
        upcoming = self.controller.upcoming()
        if upcoming is None or self.page is None:
            return
        page = build_page(upcoming, self.controller, self.settings.clinic_name)
        self.stack.addWidget(page)
        self.prebuilt = (self._page_key(upcoming), page)

    def _delete_let_go(self) -> None:
        """Pages the patient moved on from: deleting a page's few hundred widgets took milliseconds of the
        transition when done at once, so it waits until the new page has painted."""
        for page in self.let_go:
            page.deleteLater()
        self.let_go.clear()

    def _take_prebuilt(self, screen: Screen) -> PageWidget | None:
        if self.prebuilt is not None and screen.name != WELCOME and self.prebuilt[0] == self._page_key(screen):
            page = self.prebuilt[1]
            self.prebuilt = None
            return page
        self._drop_prebuilt()
        return None

    def _drop_prebuilt(self) -> None:
        if self.prebuilt is not None:
            page = self.prebuilt[1]
            self.prebuilt = None
            self.stack.removeWidget(page)
            page.deleteLater()

    def show_problems(self, problems: dict[str, str]) -> None:
        if self.page is not None:
            self.page.show_problems(problems)

    def show_crisis(self) -> None:
        self.messages.show_crisis()

    def alert_staff(self, reason: str) -> None:
        """A signal staff notice without reading the screen (settings.staff_alert), never words about why."""
        self.staff_alert.emit(reason)
        self.alerts.alert(reason)
        if reason == "help" and self.page is not None:
            self.help_button.setText(self.content.text("help_called", self.controller.language))

    def show_not_saved(self) -> None:
        self.messages.show_not_saved()
        self.alert_staff("not_saved")

    def ask_start_over(self) -> None:
        """The patient wants to stop: after a confirm, the same wipe as the idle timeout."""
        self.messages.confirm_start_over(self.wipe)

    def wipe(self) -> None:
        """Forget this patient (answers kept for staff or dropped, per settings) and greet the next one."""
        self.controller.abandon()  # the journal asks the live setting whether to keep what the patient gave
        self.reset_appearance()

    # -- accessibility and appearance -------------------------------------------

    def cycle_text_size(self) -> None:
        self.size_step = (self.size_step + 1) % len(text_sizes())
        self.apply_theme()

    def set_high_contrast(self, on: bool) -> None:
        self.theme_name = "high_contrast" if on else "normal"
        self.apply_theme()

    def reset_appearance(self) -> None:
        """Appearance is remembered for one patient only; what was read aloud is forgotten with them."""
        self.size_step = 0
        self.contrast_button.setChecked(False)
        self.theme_name = "normal"
        self.apply_theme()
        if self.speech is not None:
            self.speech.forget()

    def apply_theme(self) -> None:
        self.setStyleSheet(style_sheet(theme(self.theme_name, self.size_step)))

    def read_aloud(self) -> None:
        if self.speech is not None and self.page is not None:
            self.speech.say(self.page.readable_text(), self.controller.language)

    def set_speech(self, speech: object | None) -> None:
        self.speech = speech
        self.read_button.setVisible(speech is not None)

    # -- kiosk behaviour --------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.kiosk_mode:
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter anywhere the focused control does not use it means Next, for keyboard-only patients.
            event.accept()
            self._next()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.first_paint.emit)
        return super().eventFilter(watched, event)

    def _next(self) -> None:
        if self.controller.advance():
            self.reset_appearance()

    def _close_messages(self) -> None:
        """A new patient never sees the last one's crisis or not-saved message (it would tell what they answered)."""
        self.messages.close_all()

    def _make_room_for_keyboard(self) -> None:
        """The on-screen keyboard (settings.touch_only) must not cover the field being typed in or Next."""
        keyboard = QGuiApplication.inputMethod()
        height = int(keyboard.keyboardRectangle().height()) if keyboard.isVisible() else 0
        self.centralWidget().layout().setContentsMargins(0, 0, 0, height)
        focused = self.focusWidget()
        if height and self.page is not None and focused is not None and self.page.isAncestorOf(focused):
            page = self.page
            QTimer.singleShot(0, lambda: isValid(page) and isValid(focused) and page.ensureWidgetVisible(focused))

    def _thanks_done(self) -> None:
        if self.controller.thanked():
            self._next()

    def _focus_first(self) -> None:
        """Keyboard users land on the page's first control, not on the top bar."""
        if self.page is None:
            return
        from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

        for widget in self.page.inner.findChildren(QWidget):
            if isinstance(widget, (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox)) and widget.isVisibleTo(self.page.inner):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
        self.next_button.setFocus(Qt.FocusReason.TabFocusReason)

    @staticmethod
    def _label(button: QPushButton, text: str) -> None:
        button.setText(text)
        button.setAccessibleName(text)

