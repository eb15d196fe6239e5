"""Search by meaning keeps its vectors in step with the search index, and a
curator's change to the vocabulary reaches every process."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casestudies.shelf_version import shelves_changed
from search.models import SynonymGroup
from search.signals import indexed
from search.vector_tasks import embed_every_case_study, vectors_changed


@receiver(indexed, dispatch_uid="search-embed")
def embed_what_was_indexed(sender, ids, **kwargs) -> None:
    # A vector is made from the search document, so it follows the index, by a task.
    if ids is None:
        embed_every_case_study.enqueue()
    else:
        vectors_changed(ids)


@receiver(post_save, sender=SynonymGroup, dispatch_uid="search-vocabulary-saved")
@receiver(post_delete, sender=SynonymGroup, dispatch_uid="search-vocabulary-deleted")
def vocabulary_changed(sender, **kwargs) -> None:
    # Searches change with the vocabulary: cached pages and each process's copy go.
    shelves_changed()
