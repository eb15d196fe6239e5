"""What search keeps beside the case studies.

The word table has been ``casestudies_searchword`` since before search had its
own room, so that model keeps the ``casestudies`` app label and its migrations
stay where they were: moving it was a change of folder, not of database.
"""

from django.db import models


class SearchWord(models.Model):
    """A word that appears in at least one published case study, for "Did you
    mean ...?" suggestions. ``frequency`` is how many published case studies use it."""

    word = models.CharField(max_length=100, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        app_label = "casestudies"

    def __str__(self) -> str:
        return self.word


class PublishedWords(models.Model):
    """The words one published case study gives the suggestion vocabulary.

    Kept so that exactly those words can be counted out again when the case
    study is edited, stops being public or is deleted: a word nobody may read
    any more must never be offered as a suggestion. Only published case
    studies have a row."""

    case_study = models.OneToOneField(
        "casestudies.CaseStudy", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    words = models.TextField(help_text="Space-separated.")

    class Meta:
        verbose_name_plural = "published words"

    def __str__(self) -> str:
        return f"Words of case study {self.case_study_id}"


class RelatedReform(models.Model):
    """One of a case study's related reforms, as search.related last worked them out."""

    case_study = models.ForeignKey("casestudies.CaseStudy", on_delete=models.CASCADE, related_name="+")
    related = models.ForeignKey("casestudies.CaseStudy", on_delete=models.CASCADE, related_name="related_to")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["case_study", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "position"], name="one_related_reform_per_position"
            ),
            models.UniqueConstraint(fields=["case_study", "related"], name="each_related_reform_once"),
        ]

    def __str__(self) -> str:
        return f"Related reform {self.position + 1} of case study {self.case_study_id}"
