"""The time estimate comes from the content: 100 words a minute plus 2 s a tap, for every typical path."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content import Content, load_content
from kiosk.rules.estimate import PathEstimate, estimate_path, promised_minutes, typical_paths, welcome_text
from kiosk.system.paths import content_dir

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MINUTES = 10.0


def run_tool(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "estimate_time.py"), *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.splitlines()


def test_the_tool_reports_every_typical_path_and_ends_with_the_longest() -> None:
    lines = run_tool()
    for language in ("en", "es"):
        for form in ("pill", "shot"):
            for sex in ("female", "male"):
                assert any(line.startswith(f"{language}, {form}, {sex} ") for line in lines), (language, form, sex)
    last = re.fullmatch(r"longest typical path: (\d+\.\d) minutes", lines[-1])
    assert last is not None, lines[-1]
    figures = [float(line.split()[-1]) for line in lines if re.match(r"(en|es), ", line)]
    assert float(last.group(1)) == max(figures)


def test_the_tool_shows_where_the_time_goes_screen_by_screen(content: Content) -> None:
    lines = run_tool()
    longest = max(typical_paths(content), key=lambda p: p.minutes)
    start = lines.index(f"by screen, {longest.name}:")
    rows = [line.split() for line in lines[start + 2:] if line.startswith("  ")]
    assert [row[0] for row in rows][:2] == ["welcome", "consent"] and rows[-1][0] == "thanks"
    assert "phq9" in [row[0] for row in rows] and "review" in [row[0] for row in rows]
    assert sum(int(row[1]) for row in rows) == longest.words
    assert sum(int(row[2]) for row in rows) == longest.taps
    assert sum(float(row[3]) for row in rows) == pytest.approx(longest.seconds, abs=len(rows))


def test_minutes_are_words_at_100_a_minute_plus_2_seconds_a_tap() -> None:
    path = PathEstimate("en", "pill", "male", screens=10, words=500, taps=60)
    assert path.seconds == pytest.approx(500 / 100 * 60 + 60 * 2)
    assert path.minutes == pytest.approx(7.0)


def test_the_shot_and_a_woman_see_more_than_the_pill_and_a_man(content: Content) -> None:
    shot, pill = estimate_path(content, "en", "shot", "female"), estimate_path(content, "en", "pill", "female")
    assert shot.words > pill.words and shot.taps >= pill.taps  # injection-only questions
    woman, man = estimate_path(content, "en", "pill", "female"), estimate_path(content, "en", "pill", "male")
    assert woman.screens > man.screens  # pregnancy questions


def test_the_welcome_promise_is_the_estimate_and_follows_the_content(content: Content, tmp_path: Path) -> None:
    minutes = promised_minutes(content)
    assert minutes == int(-(-max(p.minutes for p in typical_paths(content)) // 1))
    for language in content.languages:
        text = welcome_text(content, language)
        assert f" {minutes} " in text and "{minutes}" not in text
    longer = tmp_path / "content"
    shutil.copytree(content_dir(), longer)
    education = longer / "education.yaml"
    source = education.read_text(encoding="utf-8")
    padding = " ".join(["Ask us."] * 60)
    education.write_text(source.replace("is not habit-forming.", f"is not habit-forming. {padding}"),
                         encoding="utf-8")
    assert promised_minutes(load_content(longer, images=ROOT / "resources" / "images")) > minutes


@pytest.mark.xfail(strict=True, reason="the shipped content reads at about 20 minutes at 100 words a minute: "
                                       "PHQ-9, AUDIT-C, TAPS-1 and consent alone are ~950 words")
def test_the_longest_typical_path_takes_at_most_ten_minutes(content: Content) -> None:
    longest = max(typical_paths(content), key=lambda p: p.minutes)
    assert longest.minutes <= LIMIT_MINUTES, f"{longest.name}: {longest.minutes:.1f} minutes"


FOLLOW_UP_LIMIT_MINUTES = 3.0


def test_the_tool_estimates_the_follow_up_visit_when_asked() -> None:
    lines = run_tool("--visit", "follow-up")
    assert lines[0] == "visit: follow-up"
    follow_up = float(lines[-1].split()[-2])
    intake = float(run_tool()[-1].split()[-2])
    assert follow_up < intake / 2, (follow_up, intake)
    assert not any("welcome screen promises" in line for line in lines), "the promise is the intake's"
    failed = subprocess.run([sys.executable, str(ROOT / "tools" / "estimate_time.py"), "--visit", "monthly"],
                            capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "no visit type 'monthly'" in failed.stderr


@pytest.mark.xfail(strict=True, reason="at 100 words a minute and 2 s a tap the follow-up reads at about 8.6 minutes: "
                                       "PHQ-9 and AUDIT-C alone are ~250 words (2.5 min), the welcome, review and "
                                       "thanks screens ~120 words, and typing the name and birth date ~17 taps")
def test_the_follow_up_takes_at_most_three_minutes() -> None:
    follow_up = load_content(content_dir(), visit="follow-up")
    longest = max(typical_paths(follow_up), key=lambda p: p.minutes)
    assert longest.minutes <= FOLLOW_UP_LIMIT_MINUTES, f"{longest.name}: {longest.minutes:.1f} minutes"
