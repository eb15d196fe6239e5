"""The geometry of horizontal bar charts, worked out in Python so that a template
draws them as SVG without JavaScript and without styles (the Content Security
Policy allows none inline): every position, size and colour is a presentation
attribute.

Each row is its label (wrapped, above the bars, so the chart reads at 320 px),
then one bar per series side by side in rows (grouped) or one bar of segments
(stacked), each bar followed by its value in text, then a note. Series differ
by pattern as well as colour, and a legend names them, so nothing relies on
colour alone. The colours are GOV.UK's, each at least 3:1 against white."""

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH = 320  # the viewBox: drawn at 100% of the column, so it shrinks to fit a small phone
FONT_SIZE = 14
CHARACTER = 7.8  # the widest a character of Arial is, on average, at FONT_SIZE
LABEL_CHARACTERS = 36  # bold Arial is wider: 36 of them fit in WIDTH
LINE = 18  # a line of text
BAR = 18
GAP = 4
ROW_GAP = 14
TEXT_COLOUR = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"

# Pattern marks (x, y, width, height) drawn in white over a colour, and their rotation.
MARKS = {
    "solid": ([], 0),
    "stripes": ([(0, 0, 3, 8)], 45),
    "dots": ([(2, 2, 3, 3)], 45),
    "lines": ([(0, 0, 8, 2)], 0),
    "cross": ([(0, 0, 2, 8), (0, 0, 8, 2)], 45),
}


@dataclass
class Series:
    key: str
    label: str
    colour: str  # GOV.UK colours with at least 3:1 contrast against white
    marks: str = "solid"
    suffix: str = ""  # said after a grouped bar's value: "a year"
    missing: str = "none"  # said instead when there is no value


@dataclass
class RowSpec:
    label: str
    values: dict[str, int | None]
    note: str = ""


@dataclass
class Pattern:
    id: str
    colour: str
    rotate: int
    marks: list[tuple[int, int, int, int]]


@dataclass
class Segment:
    x: float
    width: float
    fill: str
    title: str


@dataclass
class Bar:
    y: int
    segments: list[Segment]
    text: str
    text_x: float
    text_y: int


@dataclass
class Row:
    labels: list[tuple[str, int]]  # each line of the label with its baseline
    bars: list[Bar]
    note: tuple[str, int] | None


@dataclass
class LegendItem:
    label: str
    fill: str
    y: int
    text_y: int


@dataclass
class Chart:
    id: str
    title: str
    height: int
    width: int = WIDTH
    rows: list[Row] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    font_size: int = FONT_SIZE
    text_colour: str = TEXT_COLOUR
    secondary_text: str = SECONDARY_TEXT


def _text(value: int | None, series: Series, show: Callable) -> str:
    if value is None:
        return series.missing
    return " ".join(filter(None, [show(value), series.suffix]))


def _bar_texts(rows: list[RowSpec], series: list[Series], stacked: bool, show: Callable) -> list[list[str]]:
    texts = []
    for row in rows:
        if stacked:
            texts.append([show(sum(value or 0 for value in row.values.values()))])
        else:
            texts.append([_text(row.values.get(each.key), each, show) for each in series])
    return texts


def draw(
    chart_id: str, title: str, series: list[Series], rows: list[RowSpec], *, stacked: bool = False,
    show: Callable[[int | None], str] = str,
) -> Chart:  # fmt: skip
    """Lay out the bars of ``rows`` (their values keyed by series) in one scale."""
    fills = {each.key: f"url(#{chart_id}-{each.key})" for each in series}
    chart = Chart(id=chart_id, title=title, height=0)
    chart.patterns = [
        Pattern(id=f"{chart_id}-{each.key}", colour=each.colour, rotate=MARKS[each.marks][1],
                marks=MARKS[each.marks][0])
        for each in series
    ]  # fmt: skip
    y = 0
    if len(series) > 1:
        for each in series:
            chart.legend.append(LegendItem(label=each.label, fill=fills[each.key], y=y + 2, text_y=y + 14))
            y += LINE + GAP
        y += ROW_GAP
    texts = _bar_texts(rows, series, stacked, show)
    widest_text = max((len(text) for row in texts for text in row), default=0) * CHARACTER
    scale_width = max(WIDTH - widest_text - 2 * GAP, WIDTH / 3)
    largest = max((value or 0 for row in rows for value in row.values.values()), default=0)
    if stacked:
        largest = max((sum(value or 0 for value in row.values.values()) for row in rows), default=0)
    per_unit = scale_width / largest if largest else 0
    for spec, row_texts in zip(rows, texts, strict=True):
        row, y = _row(spec, row_texts, series, fills, per_unit, stacked, y, show)
        chart.rows.append(row)
        y += ROW_GAP
    chart.height = max(y, LINE)
    return chart


def _row(spec, texts, series, fills, per_unit, stacked, y, show) -> tuple[Row, int]:
    labels = []
    for line in textwrap.wrap(spec.label, LABEL_CHARACTERS) or [""]:
        y += LINE
        labels.append((line, y - 4))
    y += GAP
    groups = [series] if stacked else [[each] for each in series]
    bars = []
    for group, text in zip(groups, texts, strict=True):
        x, segments = 0.0, []
        for each in group:
            value = spec.values.get(each.key) or 0
            width = round(max(value * per_unit, 2 if value else 0), 1)
            if width:
                segments.append(
                    Segment(x=x, width=width, fill=fills[each.key], title=f"{each.label}: {show(value)}")
                )
            x = round(x + width, 1)
        bars.append(Bar(y=y, segments=segments, text=text, text_x=x + GAP, text_y=y + BAR - 4))
        y += BAR + GAP
    note = None
    if spec.note:
        y += LINE - GAP
        note = (spec.note, y - 4)
    return Row(labels=labels, bars=bars, note=note), y
