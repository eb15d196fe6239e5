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


class SynonymGroup(models.Model):
    """Words and phrases officers use for the same thing: a search using any of
    them also finds the others (see search.vocabulary for how each is read)."""

    terms = models.TextField(
        help_text=(
            "One word or phrase a line, for example 'insourcing', 'back in-house'. A phrase counts "
            "when a search has its words in that order. Write an acronym that is also an ordinary "
            "word in capitals ('SEND') to match it only where a search has it in capitals; write "
            "other acronyms in small letters ('s114') to match them however they are typed."
        )
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="What the group is for, for other curators."
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        entries = [line.strip() for line in self.terms.splitlines() if line.strip()]
        return ", ".join(entries[:4]) + (" …" if len(entries) > 4 else "")


class CaseStudyVector(models.Model):
    """Where a published case study sits in the space of meanings (search.embedding),
    for search by meaning. ``vector`` holds search.embedding.DIMENSIONS float16
    values; it is empty once the case study stops being public, so that every
    process learns it has gone (see search.vectors)."""

    case_study = models.OneToOneField(
        "casestudies.CaseStudy", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    model = models.CharField(max_length=60, help_text="The embedding that made the vector.")
    vector = models.BinaryField(blank=True)
    changed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Vector of case study {self.case_study_id}"
