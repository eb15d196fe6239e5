"""Search keeps its index in step by listening to the domain."""

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from casestudies.models import CaseStudy
from casestudies.signals import case_studies_changed
from councils.signals import names_changed
from search.index import index_case_studies, words_withdraw
from search.models import RelatedReform
from search.related import related_changed
from search.signals import indexed


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


@receiver(indexed, dispatch_uid="search-related-reforms")
def work_out_related(sender, ids, **kwargs) -> None:
    # After a full rebuild, search.related.rebuild_related_reforms works out every list at once.
    if ids is not None:
        related_changed(ids)


@receiver(pre_delete, sender=CaseStudy, dispatch_uid="search-related-after-delete")
def work_out_related_after_delete(sender, instance, **kwargs) -> None:
    # Its own list and its place in others' lists go with it; those lists are worked out again.
    naming = list(RelatedReform.objects.filter(related=instance).values_list("case_study_id", flat=True))
    transaction.on_commit(lambda: related_changed(naming))
