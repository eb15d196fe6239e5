"""Browse keeps its figures in step by listening to search and the domain."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from browse.figures import figures_changed
from casestudies.models import CaseStudy
from casestudies.shelf_version import shelves_changed
from councils.signals import postcodes_loaded
from search.signals import indexed


@receiver(indexed, dispatch_uid="browse-figures")
def count_again(sender, ids, **kwargs) -> None:
    figures_changed()


@receiver(post_delete, sender=CaseStudy, dispatch_uid="browse-figures-after-delete")
def count_again_after_delete(sender, instance, **kwargs) -> None:
    transaction.on_commit(figures_changed)


@receiver(postcodes_loaded, dispatch_uid="browse-directory-postcodes")
def directory_changed(sender, **kwargs) -> None:
    # The council directory shows its postcode box once there are postcodes: no
    # copy of it cached before the load may be served after.
    shelves_changed()
