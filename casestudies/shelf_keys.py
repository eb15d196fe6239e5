"""What the shelves filter and count by, kept on each case study's own row.

The shelves filter and count case studies by their reform types, themes and the
nations, regions and types of their councils. Read through the link tables,
each of those is a join, or a subquery over every link, per filter and per
facet. Kept here as one short text each ("|merger|shared-services|"), a filter
is a LIKE on the row itself and each facet count groups by one column, so a
search over many thousands of case studies never leaves the case study table.

The keys are rebuilt whenever what they come from changes: the links of a case
study (receivers connected in casestudies.apps), a council's nation, region or
type, and every announced change (casestudies.signals)."""

from collections import defaultdict
from itertools import islice

from django.db.models import Q

from casestudies.models import CaseStudy, CaseStudyCouncil
from councils.models import Council

SEPARATOR = "|"
# Facet name (as in the query string) -> the column holding its values.
KEY_FIELDS = {
    "reform_type": "shelf_reform_types",
    "theme": "shelf_themes",
    "nation": "shelf_nations",
    "region": "shelf_regions",
    "council_type": "shelf_council_types",
}
GEOGRAPHY = ("nation", "region", "council_type")
BATCH = 1000


def encode(values) -> str:
    """Distinct values in a fixed order, each between separators: "|a|b|" ("" for none)."""
    kept = sorted({str(value) for value in values if value})
    return f"{SEPARATOR}{SEPARATOR.join(kept)}{SEPARATOR}" if kept else ""


def decode(key: str | None) -> list[str]:
    return [value for value in (key or "").split(SEPARATOR) if value]


def having_any(facet: str, values) -> Q:
    """Case studies whose ``facet`` includes any of ``values``."""
    condition = Q(pk__in=[])
    for value in values:
        condition |= Q(**{f"{KEY_FIELDS[facet]}__contains": f"{SEPARATOR}{value}{SEPARATOR}"})
    return condition


def refresh_shelf_keys(ids=None) -> int:
    """Rebuild the keys of these case studies (every one when None); returns how many."""
    studies = CaseStudy.objects.order_by("pk")
    if ids is not None:
        studies = studies.filter(pk__in=list(ids))
    pks = studies.values_list("pk", flat=True).iterator(chunk_size=BATCH)
    done = 0
    while batch := list(islice(pks, BATCH)):
        values = _values_of(batch)
        CaseStudy.objects.bulk_update(
            [
                CaseStudy(pk=pk, **{field: encode(values[pk][facet]) for facet, field in KEY_FIELDS.items()})
                for pk in batch
            ],
            list(KEY_FIELDS.values()),
        )
        done += len(batch)
    return done


def _values_of(pks: list[int]) -> dict[int, dict[str, set]]:
    values: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    types = CaseStudy.reform_types.through.objects.filter(casestudy_id__in=pks)
    for pk, slug in types.values_list("casestudy_id", "reformtype__slug"):
        values[pk]["reform_type"].add(slug)
    themes = CaseStudy.themes.through.objects.filter(casestudy_id__in=pks)
    for pk, slug in themes.values_list("casestudy_id", "theme__slug"):
        values[pk]["theme"].add(slug)
    links = CaseStudyCouncil.objects.filter(case_study_id__in=pks)
    for pk, *geography in links.values_list("case_study_id", *(f"council__{name}" for name in GEOGRAPHY)):
        for name, value in zip(GEOGRAPHY, geography, strict=True):
            values[pk][name].add(value)
    return values


# ---------------------------------------------------------------------------
# Receivers (connected in casestudies.apps)


def links_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    """m2m_changed for a case study's reform types or themes, from either side."""
    if action == "pre_clear" and reverse:
        # Which case studies lose the term is known only before the clear.
        instance._shelf_keys_cleared = list(
            sender.objects.filter(**{f"{instance._meta.model_name}_id": instance.pk}).values_list(
                "casestudy_id", flat=True
            )
        )
        return
    if not action.startswith("post_"):
        return
    if not reverse:
        refresh_shelf_keys([instance.pk])
    elif action == "post_clear":
        refresh_shelf_keys(getattr(instance, "_shelf_keys_cleared", []))
    else:
        refresh_shelf_keys(pk_set or [])


def council_link_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete of a CaseStudyCouncil."""
    refresh_shelf_keys([instance.case_study_id])


def remember_geography(sender, instance, **kwargs) -> None:
    """pre_save of a Council: what its nation, region and type were."""
    if instance.pk is None:
        return
    instance._shelf_geography = Council.objects.filter(pk=instance.pk).values_list(*GEOGRAPHY).first()


def geography_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """post_save of a Council: its case studies' keys follow its nation, region and type."""
    before = getattr(instance, "_shelf_geography", None)
    if created or before is None or before == tuple(getattr(instance, name) for name in GEOGRAPHY):
        return
    refresh_shelf_keys(instance.case_study_roles.values_list("case_study_id", flat=True))


def announced(sender, ids, **kwargs) -> None:
    """casestudies.signals.case_studies_changed: a vocabulary term may have a new slug."""
    refresh_shelf_keys(ids)
