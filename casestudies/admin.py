from django.contrib import admin

from casestudies.models import CaseStudy, CaseStudyCouncil, Link, ReformType, Theme
from casestudies.signals import announce_changes


class CaseStudyCouncilInline(admin.TabularInline):
    model = CaseStudyCouncil
    extra = 1
    autocomplete_fields = ["council"]


class LinkInline(admin.TabularInline):
    model = Link
    extra = 0


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "publication_state", "status", "evidence_level", "started_year", "published_at"]
    list_filter = ["publication_state", "status", "evidence_level", "reform_types", "themes", "featured"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["title", "summary", "slug", "councils__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["reform_types", "themes"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "published_at"
    inlines = [CaseStudyCouncilInline, LinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary"]}),
        ("Sections (Markdown)", {"fields": ["challenge", "approach", "outcomes", "lessons"]}),
        (
            "Classification",
            {"fields": ["reform_types", "themes", "partners", "status", "started_year", "started_month"]},
        ),
        (
            "Evidence and money",
            {
                "fields": [
                    "evidence_level",
                    "evidence_verified",
                    "annual_savings_gbp",
                    "one_off_savings_gbp",
                    "investment_gbp",
                    "savings_notes",
                ]
            },
        ),
        ("Contact (never shown publicly)", {"fields": ["contact_role", "contact_name", "contact_email"]}),
        (
            "Publication",
            {
                "fields": [
                    "publication_state",
                    "featured",
                    "published_at",
                    "last_confirmed_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    raw_id_fields = ["created_by"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Councils and vocabulary are saved only now, so the search document is rebuilt last.
        announce_changes([form.instance.pk])


@admin.register(ReformType, Theme)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        announce_changes(obj.case_studies.values_list("pk", flat=True))
