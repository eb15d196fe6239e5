"""Search keeps its index in step by listening to the domain."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from casestudies.models import CaseStudy
from casestudies.signals import case_studies_changed
from councils.signals import names_changed
from search.index import index_case_studies, words_withdraw


@receiver(case_studies_changed, dispatch_uid="search-reindex")
def reindex(sender, ids, **kwargs) -> None:
    index_case_studies(ids)


@receiver(names_changed, dispatch_uid="search-reindex-council")
def reindex_council(sender, council, **kwargs) -> None:
    # Case studies are found by their councils' names and aliases.
    index_case_studies(council.case_studies.values_list("pk", flat=True))


@receiver(pre_delete, sender=CaseStudy, dispatch_uid="search-withdraw-words")
def withdraw_words(sender, instance, **kwargs) -> None:
    # However it is deleted (a curator in the admin, an account deleted with its
    # drafts), a case study's words leave the suggestions with it.
    words_withdraw(case_study_ids=[instance.pk])
