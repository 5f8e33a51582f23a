"""Questions in a row that share one answer scale are shown as one grid: the answers once, as column headers.

Validated instruments (PHQ-9, TAPS-1) keep every item's wording, but their
shared answers ("Not at all" ... "Nearly every day") are read once per grid
instead of under every item, as on the paper forms. The wizard lays pages out
by this rule and the time estimate counts words by it, so the estimate reads
what the screen shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.content.model import Question, QuestionPage

# Fewer items than this read as easily with the answers under each one.
MIN_GRID_ITEMS = 3


def scale_of(question: Question) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None:
    """The answers a choice question offers (codes and texts in every language), or None for other types."""
    if question.type != "choice" or not question.options or question.feedback is not None:
        return None
    return tuple((o.code, tuple(sorted(o.text.root.items()))) for o in question.options)


def layout_blocks(page: QuestionPage) -> list[list[Question]]:
    """The page's questions in order, in blocks: a grid block is a run of MIN_GRID_ITEMS or more choice
    questions with the same answers; every other question is a block of its own."""
    if page.teach_back:
        return [[q] for q in page.questions]
    blocks: list[list[Question]] = []
    run: list[Question] = []

    def close() -> None:
        if len(run) >= MIN_GRID_ITEMS:
            blocks.append(list(run))
        else:
            blocks.extend([q] for q in run)
        run.clear()

    for question in page.questions:
        scale = scale_of(question)
        if scale is None or (run and scale_of(run[0]) != scale):
            close()
        if scale is None:
            blocks.append([question])
        else:
            run.append(question)
    close()
    return blocks


def is_grid(block: Sequence[Question]) -> bool:
    return len(block) >= MIN_GRID_ITEMS
