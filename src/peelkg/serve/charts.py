"""The grade history chart as SVG, drawn on the server: one line per question, one column per
cycle year, the grade's rank on the vertical axis (best at the top). Text goes through the
template's escaping; this module only computes coordinates."""

from __future__ import annotations

from dataclasses import dataclass

FOUR_POINT = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
COLOURS = ("#1b6ca8", "#d35400", "#2e8540", "#8e44ad", "#b03a2e", "#5d6d7e", "#117a65")


@dataclass
class Series:
    label: str
    colour: str
    points: list[tuple[float, float, str, str]]  # x, y, year, grade
    legend: tuple[float, float] = (0, 0)  # where its key is drawn

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _, _) in enumerate(self.points))


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    years: list[tuple[float, str]]
    ranks: list[tuple[float, str]]
    series: list[Series]


def grade_history(rows: list[dict], width: int = 720, row_height: int = 44) -> Chart | None:
    """``rows`` of force-grade-history (year, questionNumber, shortQuestion, grade, rank)."""
    if not rows:
        return None
    years = sorted({str(r["year"]) for r in rows})
    labels = dict(FOUR_POINT)
    for r in rows:  # the grades' own names (the five-point scale has Adequate at rank 3)
        labels[int(r["rank"])] = str(r["grade"])
    ranks = list(range(1, max(labels) + 1))
    left, top, right = 170, 20, 30
    plot_width = width - left - right
    step = plot_width / max(len(years) - 1, 1)
    x_of = {y: left + (i * step if len(years) > 1 else plot_width / 2) for i, y in enumerate(years)}
    y_of = {k: top + i * row_height for i, k in enumerate(ranks)}
    legend_top = top + (len(ranks) - 1) * row_height + 44
    by_question: dict[tuple[int, str], list[dict]] = {}
    for r in rows:
        by_question.setdefault((int(r["questionNumber"]), str(r["shortQuestion"])), []).append(r)
    series = []
    for index, ((_, label), points) in enumerate(sorted(by_question.items())):
        # Questions drawn on the same spot would hide each other: offset each a little.
        dx = (index - (len(by_question) - 1) / 2) * 4
        pts = [(x_of[str(p["year"])] + dx, y_of[int(p["rank"])], str(p["year"]), str(p["grade"]))
               for p in sorted(points, key=lambda p: str(p["year"]))]
        key = (20 + (index % 3) * (width - 40) / 3, legend_top + (index // 3) * 20)
        series.append(Series(label, COLOURS[index % len(COLOURS)], pts, key))
    height = int(legend_top + ((len(series) + 2) // 3) * 20 + 6)
    return Chart(width, height, left, top, [(x_of[y], y) for y in years],
                 [(y_of[k], labels[k]) for k in ranks], series)
