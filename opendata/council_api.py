"""The read-only JSON API for the council register (mySociety, CC BY 4.0)."""

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from councils.models import REGIONS, Council, CouncilType, Nation
from opendata.api_root import AbsoluteLinks, Pagination


class CouncilFilter(django_filters.FilterSet):
    nation = django_filters.ChoiceFilter(choices=Nation.choices)
    region = django_filters.ChoiceFilter(choices=[(region, region) for region in REGIONS])
    type = django_filters.ChoiceFilter(field_name="council_type", choices=CouncilType.choices)
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=[("current", "Current"), ("abolished", "Abolished")]
    )

    class Meta:
        model = Council
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        abolished = Q(end_date__lte=today)
        return queryset.filter(abolished) if value == "abolished" else queryset.exclude(abolished)


class CouncilSerializer(AbsoluteLinks, serializers.ModelSerializer):
    type = serializers.CharField(source="council_type")
    type_name = serializers.CharField(source="get_council_type_display")
    county = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    combined_authority = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    replaced_by = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    predecessors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    current = serializers.BooleanField(source="is_current")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = Council
        fields = [
            "code", "name", "official_name", "gss_code", "type", "type_name", "nation", "region", "county",
            "combined_authority", "start_date", "end_date", "current", "replaced_by", "predecessors",
            "population", "latitude", "longitude", "url", "api_url",
        ]  # fmt: skip

    def get_url(self, council: Council) -> str:
        return self.absolute(council.get_absolute_url())

    def get_api_url(self, council: Council) -> str:
        return self.absolute(reverse("api:council-detail", kwargs={"code": council.code.lower()}))


COUNCILS = Council.objects.select_related("county", "combined_authority").prefetch_related(
    "replaced_by", "predecessors"
)


@extend_schema(
    summary="Councils past and current",
    responses={
        200: CouncilSerializer(many=True),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Each invalid parameter, with what is wrong."),
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such page of results."),
        429: OpenApiResponse(OpenApiTypes.OBJECT, description="Too many requests; try again later."),
    },
)
class CouncilList(generics.ListAPIView):
    """Councils past and current; filter by nation, region, type and status."""

    serializer_class = CouncilSerializer
    queryset = COUNCILS.order_by("name", "code")
    filter_backends = [DjangoFilterBackend]
    filterset_class = CouncilFilter
    pagination_class = Pagination


@extend_schema(
    summary="One council, by register code",
    responses={
        200: CouncilSerializer,
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="No council has that register code."),
        429: OpenApiResponse(OpenApiTypes.OBJECT, description="Too many requests; try again later."),
    },
)
class CouncilDetail(generics.RetrieveAPIView):
    serializer_class = CouncilSerializer

    def get_object(self):
        return get_object_or_404(COUNCILS, code=self.kwargs["code"].upper())
