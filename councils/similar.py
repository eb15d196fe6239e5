"""Councils like mine: which current councils are similar to a given one, and why.

A council counts as like yours when it is of the same type (a non-metropolitan
district is like another non-metropolitan district) and it is either in the
same region (the same nation outside England) or has a population within 20%
of yours. An abolished council is compared through the councils that replaced it.
"""

from dataclasses import dataclass, field

from councils.models import Council, Nation

POPULATION_TOLERANCE = 0.20


@dataclass
class Likeness:
    council: Council
    reasons: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return ", ".join(self.reasons)


def _place(council: Council) -> str:
    if council.nation == Nation.ENGLAND and council.region:
        return council.region
    return council.nation


def _likeness(mine: Council, other: Council) -> Likeness | None:
    if other.pk == mine.pk or other.council_type != mine.council_type:
        return None
    same_place = _place(other) == _place(mine) and bool(_place(mine))
    close_population = bool(
        mine.population
        and other.population
        and abs(other.population - mine.population) <= POPULATION_TOLERANCE * mine.population
    )
    if not (same_place or close_population):
        return None
    reasons = [f"also a {mine.get_council_type_display().lower()}"]
    if same_place:
        reasons.append(f"in {_place(mine)}" if mine.nation != Nation.ENGLAND else f"in the {_place(mine)}")
    if close_population:
        reasons.append(f"population within 20% ({other.population:,} against {mine.population:,})")
    return Likeness(other, reasons)


def councils_like(mine: Council) -> dict[int, Likeness]:
    """Current councils like ``mine``, keyed by id, each with the reasons it counts."""
    bases = [mine] if mine.is_current else [c for c in mine.replaced_by.all() if c.is_current] or [mine]
    found: dict[int, Likeness] = {}
    candidates = list(Council.objects.current())
    for base in bases:
        for other in candidates:
            likeness = _likeness(base, other)
            if likeness is None or other.pk == mine.pk:
                continue
            if base.pk != mine.pk:
                type_name = base.get_council_type_display().lower()
                likeness.reasons[0] = f"a {type_name} like {base.name}, which replaced {mine.name}"
            found.setdefault(other.pk, likeness)
    return found


def region_or_nation(council: Council) -> str:
    return _place(council)
