"""Each figure of a shelf: what it counts, said in words, drawn as a chart
(figures.svg) and given as a table, the same rows the CSV download holds."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from casestudies.models import EVIDENCE_EXPLANATIONS, DeliveryStatus, EvidenceLevel
from councils.models import CouncilType, Nation
from figures import counts
from figures.svg import Chart, RowSpec, Series, draw

BLUE, GREEN, PURPLE, GREY, RED = "#1d70b8", "#00703c", "#4c2c92", "#505a5f", "#d4351c"
COUNT, MONEY, TEXT = "count", "money", "text"


@dataclass
class Column:
    label: str
    kind: str = COUNT

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass
class Figure:
    slug: str
    title: str
    summary: str  # what the figures include, in a sentence or two
    chart: Chart
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    foot: list[list] = field(default_factory=list)  # totals

    @property
    def cells(self) -> list[list[tuple]]:
        """The table's rows as (value, column) pairs, for the template."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]

    @property
    def foot_cells(self) -> list[list[tuple]]:
        return [list(zip(row, self.columns, strict=True)) for row in self.foot]


def studies(n: int) -> str:
    return f"{n:,} case stud{'y' if n == 1 else 'ies'}"


def councils(n: int) -> str:
    return f"{n:,} council{'' if n == 1 else 's'}"


def short_pounds(amount: int | None) -> str:
    """Pounds as a chart labels them: £1.2m, £350k, £9,500 (the table gives them exactly)."""
    if amount is None:
        return "none stated"
    if amount >= 999_500:
        return f"£{amount / 1_000_000:,.1f}m".replace(".0m", "m")
    if amount >= 10_000:
        return f"£{round(amount / 1000)}k"
    return f"£{amount:,}"


def shown_count(n: int | None) -> str:
    return f"{n or 0:,}"


SAVINGS_COLUMNS = [
    Column("Reform type", TEXT),
    Column("Case studies"),
    Column("Recurring savings a year", MONEY),
    Column("Stating a recurring saving"),
    Column("One-off savings", MONEY),
    Column("Stating a one-off saving"),
    Column("Stating no savings"),
]


def savings_figure(matched: QuerySet) -> Figure:
    shelf = counts.count_savings(matched)
    total = shelf.total
    series = [
        Series("annual", "Recurring savings a year", BLUE, "solid", "a year", "no recurring figure"),
        Series("one_off", "One-off savings", GREEN, "stripes", "one-off", "no one-off figure"),
    ]
    rows = [
        RowSpec(
            each.name,
            {"annual": each.annual, "one_off": each.one_off},
            f"{studies(each.studies)}, {each.none_stated:,} stated no savings",
        )
        for each in shelf.by_reform_type
    ]
    recurring = _stated(total.annual, total.annual_stated, "recurring")
    one_off = _stated(total.one_off, total.one_off_stated, "one-off")
    summary = (
        f"Only the savings case studies stated are added up: {recurring}, and {one_off}. "
        f"{total.none_stated:,} of the {studies(total.studies)} stated no savings. "
        "A case study of several reform types counts under each of them"
    )
    if shelf.without_reform_type:
        untyped = shelf.without_reform_type
        summary += (
            f"; {studies(untyped)} with no reform type count{'s' if untyped == 1 else ''} only in the total"
        )
    title = "Savings by reform type"
    return Figure(
        slug="savings-by-reform-type",
        title=title,
        summary=summary + ".",
        chart=draw("chart-savings", title, series, rows, show=short_pounds),
        columns=SAVINGS_COLUMNS,
        rows=[_savings_row(each) for each in shelf.by_reform_type],
        foot=[_savings_row(total)],
    )


def _stated(amount: int | None, stated: int, kind: str) -> str:
    if not stated:
        return f"no {kind} savings were stated"
    each = "a year" if kind == "recurring" else "one-off"
    return f"£{amount:,} {each} from the {studies(stated)} that stated a {kind} saving"


def _savings_row(each: counts.Savings) -> list:
    return [
        each.name, each.studies, each.annual, each.annual_stated,
        each.one_off, each.one_off_stated, each.none_stated,
    ]  # fmt: skip


STATUS_LOOKS = {
    DeliveryStatus.PLANNED: (GREY, "lines"),
    DeliveryStatus.PILOT: (PURPLE, "dots"),
    DeliveryStatus.IMPLEMENTED: (BLUE, "solid"),
    DeliveryStatus.SCALED: (GREEN, "stripes"),
    DeliveryStatus.STOPPED: (RED, "cross"),
}
NO_STATUS = "Status not given"


def years_figure(matched: QuerySet) -> Figure:
    years = counts.count_years(matched)
    statuses = [(status.value, status.label) for status in DeliveryStatus]
    if any("" in by_status for by_status in years.values()):  # only drafts should lack one
        statuses.append(("", NO_STATUS))
    series = [
        Series(value or "none", label, *STATUS_LOOKS.get(value, (GREY, "solid"))) for value, label in statuses
    ]
    ordered = sorted(years, key=lambda year: (year is None, year or 0))
    rows = [
        RowSpec(
            str(year) if year else "Year not given",
            {each.key: years[year].get(value, 0) for each, (value, _) in zip(series, statuses, strict=True)},
        )
        for year in ordered
    ]
    table = [[spec.label, *spec.values.values(), sum(spec.values.values())] for spec in rows]
    totals = [sum(row[index] for row in table) for index in range(1, len(statuses) + 2)]
    title = "Case studies by the year they started, and their status"
    return Figure(
        slug="case-studies-by-start-year",
        title=title,
        summary=(
            f"{studies(totals[-1] if table else 0)}, each counted once in the year it started and by its "
            "delivery status now, including those that stopped. Years with no case studies are left out."
        ),
        chart=draw("chart-years", title, series, rows, stacked=True, show=shown_count),
        columns=[Column("Year started", TEXT), *(Column(label) for _, label in statuses), Column("All")],
        rows=table,
        foot=[["All years", *totals]] if table else [],
    )


def evidence_figure(matched: QuerySet) -> Figure:
    levels = counts.count_evidence(matched)
    shown = [(level, label, EVIDENCE_EXPLANATIONS[level]) for level, label in EvidenceLevel.choices]
    if levels.get(None):
        shown.append((None, "No level given", "The case study does not say how strong its evidence is."))
    rows = [RowSpec(label, {"studies": levels.get(level, 0)}) for level, label, _ in shown]
    title = "Strength of evidence"
    return Figure(
        slug="evidence-levels",
        title=title,
        summary=(
            f"{studies(sum(levels.values()))}, each counted once at its own level of Nesta's Standards of "
            "Evidence, from level 1 (a clear account of what was done and why) to level 5 (proven to work "
            "when repeated elsewhere)."
        ),
        chart=draw(
            "chart-evidence", title, [Series("studies", "Case studies", BLUE)], rows, show=shown_count
        ),
        columns=[Column("Level", TEXT), Column("What it means", TEXT), Column("Case studies")],
        rows=[[label, meaning, levels.get(level, 0)] for level, label, meaning in shown],
        foot=[["All levels", "", sum(levels.values())]],
    )


def _councils_figure(slug: str, title: str, by: dict[str, int], choices, total: int, every: bool) -> Figure:
    shown = [(value, label) for value, label in choices if every or by.get(value)]
    rows = [RowSpec(str(label), {"councils": by.get(value, 0)}) for value, label in shown]
    what = "Nation" if slug.endswith("nation") else "Type of council"
    return Figure(
        slug=slug,
        title=title,
        summary=(
            f"The {councils(total)} taking part in these case studies, as lead or partner, each counted once "
            "however many of them it took part in."
        ),
        chart=draw(f"chart-{slug}", title, [Series("councils", "Councils", BLUE)], rows, show=shown_count),
        columns=[Column(what, TEXT), Column("Councils")],
        rows=[[spec.label, spec.values["councils"]] for spec in rows],
        foot=[["All councils", total]],
    )


def council_figures(matched: QuerySet) -> list[Figure]:
    found = counts.count_councils(matched)
    return [
        _councils_figure(
            "councils-by-nation", "Councils by nation", found.by_nation, Nation.choices, found.total, True
        ),
        _councils_figure(
            "councils-by-type", "Councils by type", found.by_type, CouncilType.choices, found.total, False
        ),
    ]


def all_figures(matched: QuerySet) -> list[Figure]:
    return [
        savings_figure(matched),
        years_figure(matched),
        evidence_figure(matched),
        *council_figures(matched),
    ]


def _council_figure(slug: str) -> Callable[[QuerySet], Figure]:
    return lambda matched: next(each for each in council_figures(matched) if each.slug == slug)


# Each figure by the name of its CSV download.
FIGURES: dict[str, Callable[[QuerySet], Figure]] = {
    "savings-by-reform-type": savings_figure,
    "case-studies-by-start-year": years_figure,
    "evidence-levels": evidence_figure,
    "councils-by-nation": _council_figure("councils-by-nation"),
    "councils-by-type": _council_figure("councils-by-type"),
}

__all__ = ["FIGURES", "Figure", "all_figures"]
