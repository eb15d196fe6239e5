"""Search keeps its index in step by listening to the domain."""

from django.dispatch import receiver

from casestudies.signals import case_studies_changed
from councils.signals import names_changed
from search.index import index_case_studies


@receiver(case_studies_changed, dispatch_uid="search-reindex")
def reindex(sender, ids, **kwargs) -> None:
    index_case_studies(ids)


@receiver(names_changed, dispatch_uid="search-reindex-council")
def reindex_council(sender, council, **kwargs) -> None:
    # Case studies are found by their councils' names and aliases.
    index_case_studies(council.case_studies.values_list("pk", flat=True))
