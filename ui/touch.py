"""Finger scrolling: a page moves with a drag (and keeps gliding a little), as on any tablet.

A press reaches the control under the finger at once (no delay on taps);
once the finger moves a few millimetres Qt's QScroller takes over and the
control gets a release outside itself, so a drag only scrolls: it never
selects text or ticks an option on the way.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QScrollerProperties

# Tuned for a waiting-room tablet: a drag starts after about 3 mm, the page does not bounce past its ends
# (an elastic overshoot reads as "something is wrong" to many patients), and a fling glides briefly.
_PROPERTIES = {
    QScrollerProperties.ScrollMetric.DragStartDistance: 0.003,
    QScrollerProperties.ScrollMetric.MousePressEventDelay: 0.0,
    QScrollerProperties.ScrollMetric.DecelerationFactor: 0.3,
    QScrollerProperties.ScrollMetric.MaximumVelocity: 0.6,
}
_NO_OVERSHOOT = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff


def enable_drag_scroll(area: QAbstractScrollArea) -> QScroller:
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    for metric, value in _PROPERTIES.items():
        properties.setScrollMetric(metric, value)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, _NO_OVERSHOOT)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, _NO_OVERSHOOT)
    scroller.setScrollerProperties(properties)
    return scroller
