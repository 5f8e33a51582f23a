"""Theme colours and text sizes from resources/styles/themes.json, turned into a Qt style sheet.

JSON rather than YAML: the parser is already loaded, so the first screen does not wait for a YAML library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from kiosk.system.paths import resources_dir

# Which colour is drawn on which: (foreground, background). The contrast test walks these, and a test
# checks that every colour pairing `style_sheet` draws text with is listed here.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("text", "surface"),
    ("text", "selected"),
    ("muted", "background"),  # hints, counters, step label, placeholders
    ("muted", "surface"),  # the question above each answer on the review screen
    ("accent_text", "accent"),
    ("error", "background"),
    ("help_text", "help"),
)

# Shapes a patient must see to use a control (WCAG 1.4.11 non-text contrast, 3:1): borders of fields and rows,
# the checked mark, the focus ring, the progress bar, the staff marker.
UI_PAIRS: tuple[tuple[str, str], ...] = (
    ("border", "background"),
    ("border", "surface"),
    ("accent", "background"),
    ("accent", "selected"),
    ("focus", "background"),
    ("focus", "surface"),
    ("accent", "surface"),
    ("help", "background"),
)


@dataclass(frozen=True)
class Theme:
    name: str
    colours: dict[str, str]
    text_size: int

    def __getitem__(self, key: str) -> str:
        return self.colours[key]


@lru_cache(maxsize=1)
def _data() -> dict:
    with open(resources_dir() / "styles" / "themes.json", encoding="utf-8") as handle:
        return json.load(handle)


def theme_names() -> list[str]:
    return list(_data()["themes"])


def text_sizes() -> list[int]:
    return list(_data()["text_sizes"])


def theme(name: str = "normal", size_step: int = 0) -> Theme:
    sizes = text_sizes()
    return Theme(name, dict(_data()["themes"][name]), sizes[max(0, min(size_step, len(sizes) - 1))])


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour like #1B1F24."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def style_sheet(t: Theme) -> str:
    """One style sheet for every patient screen: big text, big targets, a visible focus ring."""
    s = t.text_size
    check_name = "check-dark.svg" if relative_luminance(t["accent"]) > 0.5 else "check.svg"
    check = (resources_dir() / "images" / check_name).as_posix()
    arrow_name = "arrow-down-light.svg" if relative_luminance(t["background"]) < 0.5 else "arrow-down-dark.svg"
    arrow = (resources_dir() / "styles" / arrow_name).as_posix()
    return f"""
    QWidget {{ background: {t['background']}; color: {t['text']}; font-size: {s}pt; }}
    QLabel#title {{ font-size: {int(s * 1.5)}pt; font-weight: bold; }}
    QLabel#clinic {{ font-size: {int(s * 1.1)}pt; font-weight: bold; }}
    QLabel#problem {{ color: {t['error']}; font-weight: bold; }}
    QLabel[question="true"] {{ font-weight: bold; }}
    QLabel#muted, QLabel#counter, QLabel#step {{ color: {t['muted']}; }}
    QFrame#question {{ border: none; }}
    QFrame#row {{ background: {t['surface']}; border: 2px solid {t['border']}; border-radius: 10px; }}
    QFrame#row[checked="true"] {{ background: {t['selected']}; border: 3px solid {t['accent']}; }}
    QFrame#row QLabel {{ background: transparent; }}
    QListWidget#dateGrid::item {{ background: {t['surface']}; color: {t['text']}; border: 2px solid {t['border']};
                                  border-radius: 10px; }}
    QListWidget#dateGrid::item:selected {{ background: {t['selected']}; color: {t['text']};
                                           border: 3px solid {t['accent']}; }}
    QRadioButton, QCheckBox {{ background: transparent; spacing: 0px; }}
    QRadioButton::indicator, QCheckBox::indicator {{ width: 28px; height: 28px; border: 3px solid {t['border']};
                   background: {t['background']}; }}
    QRadioButton::indicator {{ border-radius: 17px; }}
    QCheckBox::indicator {{ border-radius: 6px; }}
    QRadioButton::indicator:checked {{ background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
                   stop:0 {t['accent']}, stop:0.55 {t['accent']}, stop:0.6 {t['background']}, stop:1 {t['background']});
                   border-color: {t['accent']}; }}
    QCheckBox::indicator:checked {{ background: {t['accent']}; border-color: {t['accent']}; image: url({check}); }}
    QPushButton:checked {{ background: {t['selected']}; border: 3px solid {t['accent']}; }}
    QScrollBar:vertical {{ width: 28px; background: {t['surface']}; }}
    QScrollBar::handle:vertical {{ background: {t['border']}; border-radius: 8px; min-height: 56px; }}
    QScrollBar:horizontal {{ height: 28px; background: {t['surface']}; }}
    QScrollBar::handle:horizontal {{ background: {t['border']}; border-radius: 8px; min-width: 56px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0px; height: 0px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
    QPushButton {{ background: {t['surface']}; color: {t['text']}; border: 2px solid {t['border']};
                   border-radius: 10px; padding: 10px 18px; min-height: 48px; min-width: 48px; }}
    QPushButton#primary, QPushButton#still-here {{ background: {t['accent']}; color: {t['accent_text']};
                   border-color: {t['accent']}; font-weight: bold; }}
    QPushButton#still-here {{ min-width: 320px; min-height: 96px; font-size: {int(s * 1.3)}pt; }}
    QPushButton#help {{ background: {t['help']}; color: {t['help_text']}; border-color: {t['help']}; }}
    QPushButton:focus, QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus,
    QRadioButton:focus, QCheckBox:focus {{ border: 3px solid {t['focus']}; }}
    QLineEdit, QPlainTextEdit, QComboBox, QSpinBox {{ background: {t['background']}; color: {t['text']};
                   border: 2px solid {t['border']}; border-radius: 8px; padding: 8px; min-height: 48px;
                   placeholder-text-color: {t['muted']}; }}
    QComboBox {{ padding-right: 44px; }}
    QComboBox::drop-down {{ subcontrol-origin: border; subcontrol-position: center right; width: 40px;
                   border: none; background: transparent; }}
    QComboBox::down-arrow {{ image: url({arrow}); width: 20px; height: 20px; }}
    QComboBox QAbstractItemView {{ background: {t['background']}; color: {t['text']};
                   selection-background-color: {t['selected']}; selection-color: {t['text']}; }}
    QPushButton#stepper {{ font-size: {int(s * 1.4)}pt; font-weight: bold; padding: 4px 12px; min-width: 64px; }}
    QFrame#staff-marker {{ background: {t['help']}; border: none; border-radius: 0px; }}
    QProgressBar {{ border: 2px solid {t['border']}; border-radius: 6px; background: {t['surface']}; max-height: 14px; }}
    QProgressBar::chunk {{ background: {t['accent']}; }}
    QScrollArea {{ border: none; }}
    QFrame#overlay-card {{ background: {t['background']}; border: 4px solid {t['accent']}; border-radius: 16px; }}
    QFrame#overlay-card QLabel, QWidget#overlay-buttons {{ background: transparent; }}
    QLabel#overlay-title {{ font-size: {int(s * 1.4)}pt; font-weight: bold; }}
    QLabel#overlay-text {{ font-size: {int(s * 1.2)}pt; }}
    QLabel#crisis-title {{ font-size: {int(s * 2.0)}pt; font-weight: bold; }}
    QLabel#crisis-body {{ font-size: {int(s * 1.5)}pt; }}
    QPushButton#crisis-continue {{ background: {t['accent']}; color: {t['accent_text']}; border-color: {t['accent']};
                   font-weight: bold; min-width: 320px; min-height: 96px; font-size: {int(s * 1.3)}pt; }}
    QFrame#crisis-banner {{ background: {t['selected']}; border-top: 3px solid {t['accent']};
                   border-bottom: 3px solid {t['accent']}; }}
    QFrame#crisis-banner QLabel, QFrame#crisis-banner QSvgWidget {{ background: transparent; font-weight: bold; }}
    QPushButton#start-over {{ background: {t['background']}; }}
    QComboBox QAbstractItemView::item {{ min-height: 48px; padding: 4px 12px; }}
    QFrame#tb-right {{ background: {t['selected']}; border-left: 6px solid {t['accent']}; border-radius: 6px; }}
    QFrame#tb-not-quite {{ background: {t['surface']}; border-left: 6px solid {t['border']}; border-radius: 6px; }}
    QFrame#tb-right QLabel, QFrame#tb-not-quite QLabel {{ background: transparent; }}
    QFrame#tb-right QLabel#tb-icon, QFrame#tb-not-quite QLabel#tb-icon {{ background: {t['accent']};
                   color: {t['accent_text']}; border-radius: 18px; font-weight: bold; qproperty-alignment: AlignCenter; }}
    """
