"""The read-only JSON API for case studies and their vocabularies.

The list accepts exactly the query string of /case-studies/ and answers through
the same ``browse`` function, so the API and the HTML list agree. Records use
the interchange format of the import command, minus the contact's email (never
published anywhere), plus addresses, dates, adopters and council names.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from browse.filters import SORTS, CaseStudyFilter
from browse.page_cache import cached_public_data
from browse.shelves import browse
from casestudies.fields import (
    CONTACT,
    SAVINGS,
    Kind,
    PublicField,
    Where,
    by_key,
    fields_in,
    format_year_month,
)
from casestudies.models import CaseStudy, DeliveryStatus, EvidenceLevel, ReformType, Theme
from councils.models import REGIONS, CouncilType, Nation
from opendata.api_root import AbsoluteLinks, Pagination

FIELDS = fields_in(Where.API)


class CouncilRoleSerializer(serializers.Serializer):
    council = serializers.CharField(source="council.code", help_text="Register code, e.g. SHA.")
    name = serializers.CharField(source="council.name")
    role = serializers.ChoiceField(choices=["lead", "partner"])


class _GroupSerializer(serializers.Serializer):
    # The public fields of one group in casestudies.fields, read from the case study itself.
    # (A docstring here would describe every group in the API schema.)
    group = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {field.name: _group_member(field) for field in FIELDS if field.group == self.group}


def _group_member(field: PublicField) -> serializers.Field:
    source = {"source": field.attribute} if field.attribute != field.name else {}
    if field.kind is Kind.MONEY:
        return serializers.IntegerField(allow_null=True, **source)
    return serializers.CharField(**source)


class SavingsSerializer(_GroupSerializer):
    group = SAVINGS


class ContactSerializer(_GroupSerializer):
    """Who to ask. Their email address is never published; message them through the site."""

    group = CONTACT


GROUPS = {SAVINGS: SavingsSerializer, CONTACT: ContactSerializer}


class LinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class AdopterSerializer(serializers.Serializer):
    """A council that adopted the reform, as a curator approved it."""

    council = serializers.CharField(help_text="Register code of the adopting council.")
    name = serializers.CharField()
    adopted = serializers.CharField(help_text="YYYY or YYYY-MM.")
    status = serializers.ChoiceField(choices=DeliveryStatus.values, help_text="How far it got there.")
    changes = serializers.CharField(help_text="What the adopting council changed.")
    outcomes = serializers.CharField(help_text="What happened there.")
    annual_savings_gbp = serializers.IntegerField(allow_null=True)
    own_case_study = serializers.URLField(allow_null=True, help_text="The adopter's own case study, if any.")


@extend_schema_field(OpenApiTypes.STR)
class YearMonthField(serializers.Field):
    """A year and perhaps a month, held in two attributes, as "YYYY" or "YYYY-MM"."""

    def __init__(self, *, attributes: tuple[str, str], **kwargs) -> None:
        self.attributes = attributes
        super().__init__(source="*", **kwargs)

    def to_representation(self, value) -> str:
        return format_year_month(*(getattr(value, name) for name in self.attributes))


def _declared_field(field: PublicField) -> tuple[type, dict] | None:
    """How the API writes a field the model serializer would not infer as wanted."""
    if field.group:
        return GROUPS[field.group], {"source": "*"}
    match field.kind:
        case Kind.COUNCILS:
            return CouncilRoleSerializer, {"source": "roles_in_order", "many": True}
        case Kind.VOCABULARY:
            return serializers.SlugRelatedField, {"many": True, "read_only": True, "slug_field": "slug"}
        case Kind.TEXT_LIST:
            return serializers.ListField, {"child": serializers.CharField()}
        case Kind.YEAR_MONTH:
            return YearMonthField, {"attributes": field.attributes, "help_text": field.description}
        case Kind.LEVEL:
            levels = [value for value, _ in CaseStudy._meta.get_field(field.attribute).choices]
            return serializers.IntegerField, {
                "allow_null": True, "min_value": min(levels), "max_value": max(levels),
                "help_text": field.description,
            }  # fmt: skip
        case Kind.LINKS:
            return LinkSerializer, {"many": True}
    return None


# About the published record rather than the case study.
RECORD_FIELDS = [
    "adopters",
    "adoption_count",
    "url",
    "api_url",
    "published_at",
    "updated_at",
    "last_confirmed_at",
]
BY_KEY = by_key(FIELDS)


class CaseStudySerializer(AbsoluteLinks, serializers.ModelSerializer):
    # The public fields of casestudies.fields, then the record's adopters, addresses and dates.
    adopters = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = [*BY_KEY, *RECORD_FIELDS]

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in BY_KEY:
            declared = _declared_field(BY_KEY[field_name][0])
            if declared:
                return declared
        return super().build_field(field_name, info, model_class, nested_depth)

    @extend_schema_field(AdopterSerializer(many=True))
    def get_adopters(self, study: CaseStudy) -> list:
        return [
            {
                "council": adoption.council.code,
                "name": adoption.council.name,
                "adopted": format_year_month(adoption.adopted_year, adoption.adopted_month),
                "status": adoption.status,
                "changes": adoption.changes,
                "outcomes": adoption.outcomes,
                "annual_savings_gbp": adoption.annual_savings_gbp,
                "own_case_study": self.absolute(adoption.own_case_study.get_absolute_url())
                if adoption.own_case_study and adoption.own_case_study.is_published
                else None,
            }
            for adoption in (
                study.approved_adoptions  # prefetched by with_adopters(): no query per record
                if hasattr(study, "approved_adoptions")
                else study.adoptions.filter(state="approved").select_related("council", "own_case_study")
            )
        ]

    def get_url(self, study: CaseStudy) -> str:
        return self.absolute(study.get_absolute_url())

    def get_api_url(self, study: CaseStudy) -> str:
        return self.absolute(reverse("api:case-study-detail", kwargs={"slug": study.slug}))


def _filter_parameters() -> list[OpenApiParameter]:
    """The list's query parameters, described from the FilterSet that owns them.
    Vocabulary slugs and council codes are filled in from the database each time
    the schema is generated (see opendata.api_root.add_live_enums)."""
    many = {"reform_type", "theme", "nation", "region", "council_type", "status"}
    enums = {
        "nation": Nation.values,
        "region": REGIONS,
        "council_type": CouncilType.values,
        "status": DeliveryStatus.values,
        "sort": list(SORTS),
        "has_savings": ["yes"],
        "adopted": ["yes"],
    }
    types = {
        "evidence": {"type": "integer", "enum": EvidenceLevel.values},
        "started_from": {"type": "integer", "minimum": 1900, "maximum": 2100},
        "started_to": {"type": "integer", "minimum": 1900, "maximum": 2100},
    }
    descriptions = {
        "q": 'Search words (websearch syntax: "phrase", -word, or). At most 200 characters are used; '
        "null characters are refused.",
        "reform_type": "Reform type slug; repeat for any of several.",
        "theme": "Theme slug; repeat for any of several.",
        "council": "A council's register code (or its name); includes the councils it replaced.",
        "like": "A council's register code (or its name): case studies from councils like it.",
        "evidence": "Minimum evidence level, 1 to 5.",
        "started_from": "Earliest year started.",
        "started_to": "Latest year started.",
        "sort": "Order of results; relevance is the default when q is given, newest otherwise.",
    }
    return [
        OpenApiParameter(
            name,
            types.get(name, OpenApiTypes.STR),
            many=name in many,
            enum=enums.get(name),
            description=descriptions.get(name, ""),
            explode=True if name in many else None,
            # Django refuses null characters in any text (400, with the reason).
            pattern=r"^[^\u0000]*$" if name == "q" else None,
        )
        for name in CaseStudyFilter.base_filters
    ]


ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Each invalid parameter, with what is wrong with it."
    ),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="Too many requests; try again later."),
}
NOT_FOUND = {
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="Nothing published has that identifier."),
    429: ERRORS[429],
}


@extend_schema(
    parameters=_filter_parameters(),
    summary="Published case studies, searched and filtered",
    responses={200: CaseStudySerializer(many=True), **ERRORS, 404: NOT_FOUND[404]},
)
class CaseStudyList(generics.ListAPIView):
    """The same results, in the same order, as /case-studies/ with the same query string."""

    serializer_class = CaseStudySerializer
    pagination_class = Pagination

    def get_queryset(self):
        shelf = browse(self.request.query_params, with_facets=False)
        if shelf.errors:
            raise ValidationError({name: list(errors) for name, errors in shelf.errors.items()})
        return shelf.results.with_shelf_relations().with_adopters().prefetch_related("links")

    def list(self, request, *args, **kwargs):
        # After throttling, so a cached answer still counts against the caller's rate.
        return Response(cached_public_data(request, lambda: super(CaseStudyList, self).list(request).data))


@extend_schema(summary="One published case study", responses={200: CaseStudySerializer, **NOT_FOUND})
class CaseStudyDetail(generics.RetrieveAPIView):
    serializer_class = CaseStudySerializer
    lookup_field = "slug"
    queryset = CaseStudy.objects.published().with_shelf_relations().with_adopters().prefetch_related("links")


class VocabularySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()


@extend_schema(
    summary="The reform types case studies are classified by",
    responses={200: VocabularySerializer(many=True), 429: ERRORS[429]},
)
class ReformTypeList(generics.ListAPIView):
    serializer_class = VocabularySerializer
    queryset = ReformType.objects.order_by("name")
    pagination_class = None


@extend_schema(
    summary="The themes (service areas) case studies are classified by",
    responses={200: VocabularySerializer(many=True), 429: ERRORS[429]},
)
class ThemeList(generics.ListAPIView):
    serializer_class = VocabularySerializer
    queryset = Theme.objects.order_by("name")
    pagination_class = None
