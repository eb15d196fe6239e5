"""What browse keeps beside the shelves: figures counted when they change
(browse.figures), so that no page counts the shelves itself."""

from django.db import models


class ShelfSummary(models.Model):
    """The home page's figures. One row."""

    case_studies = models.PositiveIntegerField(default=0)
    councils = models.PositiveIntegerField(default=0, help_text="Councils behind at least one of them.")
    by_reform_type = models.JSONField(default=dict, help_text="Published case studies per reform type slug.")
    by_theme = models.JSONField(default=dict, help_text="Published case studies per theme slug.")
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "shelf summaries"

    def __str__(self) -> str:
        return f"{self.case_studies} case studies from {self.councils} councils"


class CouncilFigures(models.Model):
    """How many published case studies a council led and joined as a partner."""

    council = models.OneToOneField(
        "councils.Council", on_delete=models.CASCADE, primary_key=True, related_name="shelf_figures"
    )
    led = models.PositiveIntegerField(default=0)
    partnered = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "council figures"

    def __str__(self) -> str:
        return f"{self.council_id}: led {self.led}, partner in {self.partnered}"
