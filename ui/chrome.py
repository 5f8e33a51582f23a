"""The frame around every patient page: top bar, tools, crisis banner, the page stack and the navigation row.

`build_chrome` sets the widgets as attributes of the window, which labels
them per language in `show_screen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ui.controls import plain_label
from ui.crisis import CrisisBanner
from ui.flow_layout import FlowLayout
from ui.staff_exit import LongPress

if TYPE_CHECKING:
    from ui.window import KioskWindow


def build_chrome(window: KioskWindow) -> None:
    controller, settings = window.controller, window.settings
    root = QWidget()
    outer = QVBoxLayout(root)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(0)
    top = QHBoxLayout()
    top.setContentsMargins(16, 8, 16, 0)
    window.clinic_label = plain_label(settings.clinic_name, "clinic")
    window.clinic_label.setMinimumHeight(48)
    window.staff_press = LongPress(window.clinic_label)
    window.staff_press.triggered.connect(window.staff_exit_requested.emit)
    top.addWidget(window.clinic_label, 1)
    window.help_button = QPushButton()
    window.help_button.setObjectName("help")
    window.help_button.clicked.connect(controller.call_for_help)
    top.addWidget(window.help_button, 0, Qt.AlignmentFlag.AlignTop)
    outer.addLayout(top)
    tools = QWidget()
    bar = FlowLayout(tools)
    bar.setContentsMargins(16, 6, 16, 6)
    window.language_buttons = {}
    for language in window.content.languages:
        if language not in settings.languages:
            continue
        button = QPushButton()
        button.setCheckable(True)
        button.clicked.connect(lambda _=False, lang=language: controller.set_language(lang))
        window.language_buttons[language] = button
        bar.addWidget(button)
    window.size_button = QPushButton()
    window.size_button.clicked.connect(window.cycle_text_size)
    window.contrast_button = QPushButton()
    window.contrast_button.setCheckable(True)
    window.contrast_button.toggled.connect(window.set_high_contrast)
    window.read_button = QPushButton()
    window.read_button.clicked.connect(window.read_aloud)
    window.read_button.hide()
    # Start over sits with the tools, away from Next and Need help, so a patient aiming at those does not hit it;
    # the row wraps at large text sizes where the top bar would not.
    window.start_over_button = QPushButton()
    window.start_over_button.setObjectName("start-over")
    window.start_over_button.clicked.connect(window.ask_start_over)
    for button in (window.size_button, window.contrast_button, window.read_button, window.start_over_button):
        bar.addWidget(button)
    outer.addWidget(tools)
    window.crisis_banner = CrisisBanner()
    outer.addWidget(window.crisis_banner)
    window.stack = QStackedWidget()
    outer.addWidget(window.stack, 1)
    nav = QHBoxLayout()
    nav.setContentsMargins(16, 8, 16, 12)
    window.back_button = QPushButton()
    window.back_button.clicked.connect(controller.back)
    window.step_label = plain_label("", "step", wrap=False)
    window.progress = QProgressBar()
    window.progress.setTextVisible(False)
    window.next_button = QPushButton()
    window.next_button.setObjectName("primary")
    window.next_button.setDefault(True)
    window.next_button.clicked.connect(window._next)
    middle = QVBoxLayout()
    middle.addWidget(window.step_label, 0, Qt.AlignmentFlag.AlignHCenter)
    middle.addWidget(window.progress)
    nav.addWidget(window.back_button)
    nav.addLayout(middle, 1)
    nav.addWidget(window.next_button)
    outer.addLayout(nav)
    window.setCentralWidget(root)
