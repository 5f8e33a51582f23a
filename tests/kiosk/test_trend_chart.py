"""The trend chart on a follow-up's page 1: what each panel draws, for known series, and where it goes on the page."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.graphics.shapes import Circle, Line, String

from kiosk.report.pdf import ClinicianReport
from kiosk.report.trend import VisitPoint
from kiosk.report.trend_chart import NOT_CONFIRMED, POINT, panels, trend_chart
from kiosk.rules.assessment import Evidence, Flag
from report_samples import golden_report

DAY = dt.date(2026, 1, 5)


def visits(*rows: tuple[int | None, int | None, int | None, int | None]) -> tuple[VisitPoint, ...]:
    """One visit every 28 days: (PHQ-9, AUDIT-C, cravings, days since opioid)."""
    return tuple(VisitPoint(DAY + dt.timedelta(days=28 * i), "intake" if i == 0 else "follow-up", *row)
                 for i, row in enumerate(rows))


def strings(node) -> list[str]:
    found = [node.text] if isinstance(node, String) else []
    for child in getattr(node, "contents", []):
        found += strings(child)
    return found


def dashed_lines(node) -> list[Line]:
    found = [node] if isinstance(node, Line) and node.strokeDashArray else []
    for child in getattr(node, "contents", []):
        found += dashed_lines(child)
    return found


TREND = visits((19, 6, 8, 8), (12, None, 7, 30), (13, 4, 5, None), (4, 2, 2, 90))


def test_each_panel_draws_its_series_in_days_since_the_first_visit_and_skips_what_was_not_measured() -> None:
    drawn = {p.measure.field: p for p in panels(TREND)}
    assert drawn["phq9"].points == ((0, 19), (28, 12), (56, 13), (84, 4)) and drawn["phq9"].top == 27
    assert drawn["audit_c"].points == ((0, 6), (56, 4), (84, 2)) and drawn["audit_c"].top == 12
    assert drawn["cravings"].points == ((0, 8), (28, 7), (56, 5), (84, 2)) and drawn["cravings"].top == 10
    assert drawn["days_since_opioid"].points == ((0, 8), (28, 30), (84, 90)) and drawn["days_since_opioid"].top == 90
    assert drawn["phq9"].changes == ((28, 12, -7), (84, 4, -9)), "changes of 5+ between measured visits"
    assert drawn["audit_c"].changes == ()


def test_the_drawing_plots_those_values_on_fixed_scales_and_writes_the_marks() -> None:
    chart = trend_chart(TREND, 500)
    plot = chart.plots["phq9"]
    assert plot.data == [[(0, 19), (28, 12), (56, 13), (84, 4)]]
    assert (plot.yValueAxis.valueMin, plot.yValueAxis.valueMax) == (0, 27)
    assert (plot.xValueAxis.valueMin, plot.xValueAxis.valueMax) == (0, 84)
    assert chart.plots["audit_c"].data == [[(0, 6), (56, 4), (84, 2)]]
    assert chart.plots["days_since_opioid"].yValueAxis.valueMax == 90
    text = strings(chart)
    assert {"PHQ-9", "AUDIT-C", "Cravings (0-10)", "Days since last opioid", "-7", "-9", "remission <5"} <= set(text)
    (remission,) = dashed_lines(chart)
    assert abs(remission.y1 - (plot.y + plot.height * 5 / 27)) < 0.01, "the remission line is drawn at PHQ-9 = 5"
    two_by_two = trend_chart(TREND, 200, columns=2, height=150)
    assert two_by_two.plots["cravings"].data == chart.plots["cravings"].data and two_by_two.height == 150


def drawn_points(chart, field: str, span: int, top: int) -> list[tuple[int, int, str]]:
    """(days, value, 'hollow' or 'filled') of each visit's point drawn in one panel, read back from the drawing."""
    plot = chart.plots[field]
    [panel] = [group for group in chart.contents if plot in getattr(group, "contents", [])]
    return [(round((c.cx - plot.x) / plot.width * span), round((c.cy - plot.y) / plot.height * top),
             "hollow" if c.fillColor.hexval() == "0xffffff" else "filled")
            for c in panel.contents if isinstance(c, Circle) and c.r == POINT]


def test_visits_staff_have_not_confirmed_are_hollow_points_with_a_legend_line() -> None:
    """Two earlier visits matched by name and birth date only: hollow, like the console's timeline, and said so."""
    suggested = (replace(TREND[0], unconfirmed=True), replace(TREND[1], unconfirmed=True), *TREND[2:])
    chart = trend_chart(suggested, 500)
    assert drawn_points(chart, "phq9", 84, 27) == [(0, 19, "hollow"), (28, 12, "hollow"), (56, 13, "filled"),
                                                   (84, 4, "filled")]
    assert drawn_points(chart, "audit_c", 84, 12) == [(0, 6, "hollow"), (56, 4, "filled"), (84, 2, "filled")]
    assert {"confirmed visit", NOT_CONFIRMED} <= set(strings(chart))
    assert chart.height == 76, "the legend fits in the chart's own height"

    beside_table = trend_chart(suggested, 200, columns=2, height=150)
    assert {"confirmed visit", "not confirmed by staff"} <= set(strings(beside_table)) and beside_table.height == 150
    assert NOT_CONFIRMED not in strings(beside_table), "the short wording where the long one would run off the page"

    confirmed = trend_chart(TREND, 500)
    assert [kind for *_, kind in drawn_points(confirmed, "phq9", 84, 27)] == ["filled"] * 4
    assert "confirmed visit" not in strings(confirmed) and NOT_CONFIRMED not in strings(confirmed), "no legend needed"


def test_a_measure_no_visit_had_says_so_and_a_single_earlier_visit_still_draws() -> None:
    chart = trend_chart(visits((10, None, None, None), (3, None, None, None)), 500)
    assert set(chart.plots) == {"phq9"} and strings(chart).count("not measured") == 3
    assert chart.plots["phq9"].data == [[(0, 10), (28, 3)]] and "-7" in strings(chart)


def _page_text(pdf: bytes, page: int) -> str:
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[page].extract_text().split())


TWELVE = visits(*[(19 - i, 6 - i // 2, 8 - i // 2, 8 + 28 * i) for i in range(12)])


def test_twelve_visits_put_the_chart_beside_the_table_on_page_one() -> None:
    """A year of visits: the panels sit two by two beside the table, so page 1 still holds the clinician box."""
    data = replace(golden_report(), trend=TWELVE, visit="follow-up", flags=golden_report().flags[:1], derived=())
    page_one = _page_text(ClinicianReport(deterministic=True).render(data), 0)
    assert "Since last visit" in page_one and "Days since last opioid" in page_one and "remission <5" in page_one
    assert "2026-01-05" in page_one and "2026-11-09" in page_one, "the first and the last of 12 rows"
    assert "Clinician use" in page_one and "Notes" in page_one
    assert "page 2" not in page_one


def test_a_full_page_one_keeps_its_must_haves_and_the_latest_visits_and_page_two_has_every_visit() -> None:
    data = replace(golden_report(), trend=TWELVE, visit="follow-up")
    pdf = ClinicianReport(deterministic=True).render(data)
    page_one, page_two = _page_text(pdf, 0), _page_text(pdf, 1)
    assert "URGENT" in page_one and "Clinician use" in page_one and "Notes" in page_one
    assert "The chart, and the 3 earlier visits not in this table, are at the top of page 2." in page_one
    assert "2026-11-09" in page_one and "2026-01-05" not in page_one, "the latest visits stay on page 1"
    assert "Response: PHQ-9 fell 50% or more from baseline 19" in page_one, "named against the first visit"
    assert page_two.index("Since last visit: the trend chart") < page_two.index("2026-01-05") \
        < page_two.index("Flags continued from page 1")


def test_when_flags_fill_page_one_the_chart_opens_page_two_and_page_one_says_so() -> None:
    many = tuple(Flag(f"review_{n}", "review", f"Review point number {n} for the prescriber to go through.",
                      (Evidence("Answer", "Yes"),)) for n in range(14))
    data = replace(golden_report(), trend=TREND, visit="follow-up", flags=golden_report().flags + many)
    pdf = ClinicianReport(deterministic=True).render(data)
    page_one, page_two = _page_text(pdf, 0), _page_text(pdf, 1)
    assert "The chart of these numbers is at the top of page 2." in page_one
    assert "19" in page_one and "4 (-9)" in page_one, "the numbers stay on page 1"
    assert page_two.index("Since last visit: the trend chart") < page_two.index("Flags continued from page 1")


def test_the_tour_picture_of_a_return_visit_is_made_through_the_product(tmp_path) -> None:
    """`make screenshots` runs tools/trend_page.py: import, confirm, record shots, render, pdftoppm."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "page.png"
    result = subprocess.run([sys.executable, str(root / "tools" / "trend_page.py"), str(out)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 50_000
