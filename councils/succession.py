"""Which councils took over from one that no longer exists.

The register's ``replaced-by`` names the councils that took over when one was
abolished; some of those were abolished in turn, so a person looking for an old
council is led along the chain to the councils that serve the area today.
"""

from dataclasses import dataclass

from councils.models import Council

# Councils abolished by a reorganisation of a reorganisation are rare; a chain
# longer than this is a loop in the data, not history.
MAX_GENERATIONS = 5


@dataclass
class Replacement:
    """A council that no longer exists and the current councils that took over its area."""

    former: Council
    successors: list[Council]

    @property
    def year(self) -> int | None:
        """The year it was replaced: when it ended, or else when its successors began."""
        if self.former.end_date:
            return self.former.end_date.year
        starts = [council.start_date.year for council in self.successors if council.start_date]
        return min(starts) if starts else None

    @property
    def sentence(self) -> str:
        """Saying so: "Aylesbury Vale District Council was replaced by
        Buckinghamshire Council in 2020"."""
        names = [council.official_name for council in self.successors]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        when = f" in {self.year}" if self.year else ""
        return f"{self.former.official_name} was replaced by {joined}{when}"


def current_successors(councils: list[Council]) -> dict[int, list[Council]]:
    """For each abolished council given (with ``replaced_by`` prefetched), the
    current councils that took over, following replacements of replacements."""
    found: dict[int, list[Council]] = {}
    for former in councils:
        generation, seen, current = list(former.replaced_by.all()), {former.pk}, []
        for _ in range(MAX_GENERATIONS):
            seen.update(council.pk for council in generation)
            current += [council for council in generation if council.is_current]
            older = [council.pk for council in generation if not council.is_current]
            if not older:
                break
            generation = [
                council
                for council in Council.objects.filter(predecessors__in=older).distinct()
                if council.pk not in seen
            ]
        found[former.pk] = sorted({council.pk: council for council in current}.values(), key=str)
    return found


def replacements(councils: list[Council]) -> list[Replacement]:
    """The abolished councils among ``councils`` that have current successors, and those successors."""
    abolished = [council for council in councils if not council.is_current]
    successors = current_successors(abolished)
    return [Replacement(council, successors[council.pk]) for council in abolished if successors[council.pk]]
