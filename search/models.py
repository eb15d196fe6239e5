"""What search keeps beside the case studies.

The table has been ``casestudies_searchword`` since before search had its own
room, so the model keeps the ``casestudies`` app label and its migrations stay
where they were: moving it was a change of folder, not of database.
"""

from django.db import models


class SearchWord(models.Model):
    """A word that appears on the shelves, for "Did you mean ...?" suggestions."""

    word = models.CharField(max_length=100, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        app_label = "casestudies"

    def __str__(self) -> str:
        return self.word
