from django.contrib import admin

from councils.models import Council, CouncilAlias, EmailDomain, Membership, MembershipStatus
from councils.signals import names_changed


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 1


class CouncilAliasInline(admin.TabularInline):
    model = CouncilAlias
    extra = 0
    fields = ["name"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "council_type", "nation", "region", "end_date"]
    list_filter = ["nation", "council_type", "region"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["name", "official_name", "code", "gss_code", "aliases__name"]
    autocomplete_fields = ["county", "combined_authority", "replaced_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [EmailDomainInline, CouncilAliasInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        names_changed.send(sender="councils", council=form.instance)

    fieldsets = [
        (None, {"fields": ["code", "official_name", "name", "gss_code", "council_type"]}),
        (
            "Where",
            {
                "fields": [
                    "nation",
                    "region",
                    "county",
                    "combined_authority",
                    "population",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        ("Life", {"fields": ["start_date", "end_date", "replaced_by"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "council"]
    search_fields = ["domain", "council__name"]
    autocomplete_fields = ["council"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "council", "status", "created_at"]
    list_filter = ["status"]
    show_facets = admin.ShowFacets.ALWAYS
    search_fields = ["user__email", "council__name"]
    autocomplete_fields = ["council"]
    raw_id_fields = ["user"]
    readonly_fields = ["confirmed_by", "created_at"]
    actions = ["confirm"]

    @admin.action(description="Confirm the selected officers as members of these councils")
    def confirm(self, request, queryset):
        updated = queryset.exclude(status=MembershipStatus.CONFIRMED).update(
            status=MembershipStatus.CONFIRMED, confirmed_by=request.user
        )
        self.message_user(request, f"Confirmed {updated} membership(s).")
