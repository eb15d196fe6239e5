from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Submission, review, proposed edits, adoptions and documents: how a case
    study gets onto the shelves and stays true."""

    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from casestudies.apps import watch_the_shelves
        from moderation.models import Attachment

        watch_the_shelves(Attachment)  # documents are listed on the public page
