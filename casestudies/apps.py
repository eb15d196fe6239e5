from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from casestudies.shelf_version import shelves_changed


def watch_the_shelves(*models) -> None:
    """Replace the shelf version whenever a row of these models is saved or deleted."""
    for model in models:
        post_save.connect(shelves_changed, sender=model, dispatch_uid=f"shelves-save-{model.__name__}")
        post_delete.connect(shelves_changed, sender=model, dispatch_uid=f"shelves-delete-{model.__name__}")


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = "Case studies"

    def ready(self) -> None:
        from casestudies import models, shelf_keys
        from casestudies.signals import case_studies_changed
        from councils.models import Council

        watch_the_shelves(
            models.CaseStudy, models.CaseStudyCouncil, models.Adoption, models.ReformType, models.Theme,
            models.Link, Council,
        )  # fmt: skip
        for through in [models.CaseStudy.reform_types.through, models.CaseStudy.themes.through]:
            m2m_changed.connect(
                shelves_changed, sender=through, dispatch_uid=f"shelves-m2m-{through.__name__}"
            )
            m2m_changed.connect(
                shelf_keys.links_changed, sender=through, dispatch_uid=f"shelf-keys-{through.__name__}"
            )
        for signal in (post_save, post_delete):
            signal.connect(
                shelf_keys.council_link_changed,
                sender=models.CaseStudyCouncil,
                dispatch_uid="shelf-keys-link",
            )
        pre_save.connect(
            shelf_keys.remember_geography, sender=Council, dispatch_uid="shelf-keys-council-before"
        )
        post_save.connect(shelf_keys.geography_changed, sender=Council, dispatch_uid="shelf-keys-council")
        case_studies_changed.connect(shelf_keys.announced, dispatch_uid="shelf-keys-announced")
