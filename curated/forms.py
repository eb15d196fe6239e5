from django import forms

from casestudies.models import CaseStudy
from curated.models import INTRODUCTION_MAX_LENGTH, NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, Collection

NOTE_HELP = "Why it is in the collection, in a sentence or two. Shown beside it."


class CollectionForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter a title for the collection",
            "max_length": f"The title must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    introduction = forms.CharField(
        required=False,
        max_length=INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the collection is for and who it helps. Markdown: ## for a heading, * for a list.",
        error_messages={
            "max_length": f"The introduction must be {INTRODUCTION_MAX_LENGTH} characters or fewer"
        },
    )
    featured = forms.BooleanField(
        required=False,
        label="Feature it on the home page",
        help_text="The three newest featured collections are shown.",
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Curator's note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HELP,
        error_messages={
            "required": "Enter why the case study is in the collection",
            "max_length": f"The note must be {NOTE_MAX_LENGTH} characters or fewer",
        },
    )


class AddItemForm(NoteForm):
    case_study = forms.ModelChoiceField(
        queryset=CaseStudy.objects.none(),
        label="Case study",
        help_text="Published case studies not yet in the collection.",
        empty_label="Choose a case study",
        error_messages={
            "required": "Choose a case study to add",
            "invalid_choice": "Choose a published case study that is not already in the collection",
        },
    )

    field_order = ["case_study", "note"]

    def __init__(self, *args, collection: Collection, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_study"].queryset = (
            CaseStudy.objects.published()
            .exclude(pk__in=collection.items.values("case_study_id"))
            .only("pk", "title")
            .order_by("title", "pk")
        )
