"""Which councils a map of the shelves shows, and how large: for every council
behind the matched published case studies, how many it is part of and in
which roles. Three grouped queries however many councils there are."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from casestudies.models import Adoption, AdoptionState, CaseStudyCouncil, CouncilRole
from councils.models import Council
from maps.projection import Point, in_frame, project

ADOPTER = "adopter"
# Each council is drawn in the first of these roles it plays, with its own mark.
ROLES = [
    (CouncilRole.LEAD.value, "Led"),
    (CouncilRole.PARTNER.value, "Partner in"),
    (ADOPTER, "Adopted"),
]
ROLE_LABELS = dict(ROLES)
# How each role is drawn: a solid disc, a ring, a dashed ring, so that the roles
# differ in shape as well as colour (GOV.UK's blue, green and purple).
MARKS = {
    CouncilRole.LEAD.value: {
        "fill": "#1d70b8",
        "fill_opacity": "0.8",
        "stroke": "#0b0c0c",
        "width": "1",
        "dash": "none",
    },
    CouncilRole.PARTNER.value: {
        "fill": "#ffffff",
        "fill_opacity": "0.6",
        "stroke": "#00703c",
        "width": "2.5",
        "dash": "none",
    },
    ADOPTER: {"fill": "#ffffff", "fill_opacity": "0.6", "stroke": "#912b88", "width": "2.5", "dash": "3 2"},
}
LEGEND = [{"role": role, "label": label, "mark": MARKS[role]} for role, label in ROLES]
LARGEST_RADIUS = 18.0  # SVG units, for the council with the most case studies
RADIUS_OF_ONE = 6.0  # at most, for a council with one case study
SMALLEST_RADIUS = 3.5  # so that a council with one case study among many can still be seen and clicked


@dataclass
class PlacedCouncil:
    council: Council
    roles: dict[str, int] = field(default_factory=dict)  # role -> how many case studies
    point: Point | None = None  # None: the register has no coordinates for it
    radius: float = 0.0
    list_url: str = ""  # the case study list showing its case studies

    @property
    def count(self) -> int:
        return sum(self.roles.values())

    @property
    def main_role(self) -> str:
        return next(role for role, _ in ROLES if self.roles.get(role))

    @property
    def mark(self) -> dict:
        return MARKS[self.main_role]

    @property
    def role_summary(self) -> list[tuple[str, int]]:
        """("Led", 2), ("Partner in", 1): the roles it plays, in order."""
        return [(label, self.roles[role]) for role, label in ROLES if self.roles.get(role)]


def councils_behind(studies: QuerySet) -> list[PlacedCouncil]:
    """The councils behind ``studies`` (already only published ones), with
    their counts by role, most case studies first. Approved adoptions count
    as a role: the council took the reform up."""
    matched = studies.order_by().values("pk")
    placed: dict[int, PlacedCouncil] = {}
    links = (
        CaseStudyCouncil.objects.filter(case_study__in=matched)
        .values("council_id", "role")
        .annotate(studies=Count("case_study_id", distinct=True))
        .order_by()
    )
    adoptions = (
        Adoption.objects.filter(case_study__in=matched, state=AdoptionState.APPROVED)
        .values("council_id")
        .annotate(studies=Count("case_study_id", distinct=True))
        .order_by()
    )
    counts = [(row["council_id"], row["role"], row["studies"]) for row in links]
    counts += [(row["council_id"], ADOPTER, row["studies"]) for row in adoptions]
    councils = Council.objects.in_bulk({council_id for council_id, _, _ in counts})
    for council_id, role, number in counts:
        entry = placed.setdefault(council_id, PlacedCouncil(council=councils[council_id]))
        entry.roles[role] = entry.roles.get(role, 0) + number
    ordered = sorted(placed.values(), key=lambda entry: (-entry.count, entry.council.name))
    _place(ordered)
    return ordered


def _place(councils: list[PlacedCouncil]) -> None:
    """Positions from the register's coordinates; areas in proportion to the counts."""
    most = max((entry.count for entry in councils), default=1)
    # A study's worth of area, so that the largest circle is LARGEST_RADIUS; on a
    # small shelf no larger than a few studies' worth, or one study would fill a county.
    per_study = min(LARGEST_RADIUS / math.sqrt(most), RADIUS_OF_ONE)
    for entry in councils:
        latitude, longitude = entry.council.latitude, entry.council.longitude
        if latitude is None or longitude is None or not in_frame(float(longitude), float(latitude)):
            continue
        entry.point = project(float(longitude), float(latitude))
        entry.radius = round(max(SMALLEST_RADIUS, per_study * math.sqrt(entry.count)), 1)
