"""Collections as open data: the read-only API and an Atom feed of each.

Only published collections, and within them only published case studies,
exactly what /collections/ and its pages show."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from browse.page_cache import cached_public_data
from curated.models import Collection, CollectionItem
from opendata.api import ERRORS, NOT_FOUND
from opendata.api_root import AbsoluteLinks, Pagination
from opendata.feeds import RIGHTS, XMLSafeAtom1Feed


class CollectionItemSerializer(AbsoluteLinks, serializers.Serializer):
    position = serializers.IntegerField(help_text="1 for the first case study shown, and so on.")
    note = serializers.CharField(help_text="The curator's note on why the case study is in the collection.")
    case_study = serializers.SlugField(source="public_case_study.slug")
    title = serializers.CharField(source="public_case_study.title")
    summary = serializers.CharField(source="public_case_study.summary")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, item: CollectionItem) -> str:
        return self.absolute(item.public_case_study.get_absolute_url())

    def get_api_url(self, item: CollectionItem) -> str:
        return self.absolute(reverse("api:case-study-detail", kwargs={"slug": item.public_case_study.slug}))


class CollectionSerializer(AbsoluteLinks, serializers.ModelSerializer):
    introduction = serializers.CharField(help_text="Markdown.")
    case_study_count = serializers.IntegerField(source="public_count")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    feed_url = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = [
            "slug",
            "title",
            "introduction",
            "case_study_count",
            "published_at",
            "updated_at",
            "url",
            "api_url",
            "feed_url",
        ]

    def get_url(self, collection: Collection) -> str:
        return self.absolute(collection.get_absolute_url())

    def get_api_url(self, collection: Collection) -> str:
        return self.absolute(reverse("api:collection-detail", kwargs={"slug": collection.slug}))

    def get_feed_url(self, collection: Collection) -> str:
        return self.absolute(reverse("feed-collection", kwargs={"slug": collection.slug}))


class CollectionDetailSerializer(CollectionSerializer):
    items = serializers.SerializerMethodField()

    class Meta(CollectionSerializer.Meta):
        fields = [*CollectionSerializer.Meta.fields, "items"]

    @extend_schema_field(CollectionItemSerializer(many=True))
    def get_items(self, collection: Collection) -> list:
        items = collection.public_items()
        for position, item in enumerate(items, start=1):
            item.position = position
        return CollectionItemSerializer(items, many=True, context=self.context).data


PUBLISHED = Collection.objects.published().with_public_counts()


@extend_schema(
    summary="Published collections of case studies, newest first",
    responses={200: CollectionSerializer(many=True), 404: NOT_FOUND[404], 429: ERRORS[429]},
)
class CollectionList(generics.ListAPIView):
    """Case studies chosen by the curators around one question, as /collections/ lists them."""

    serializer_class = CollectionSerializer
    pagination_class = Pagination
    queryset = PUBLISHED.order_by("-published_at", "-pk")

    def list(self, request, *args, **kwargs):
        return Response(cached_public_data(request, lambda: super(CollectionList, self).list(request).data))


@extend_schema(
    summary="One published collection, with its case studies in order and the curator's notes",
    responses={200: CollectionDetailSerializer, **NOT_FOUND},
)
class CollectionDetail(generics.RetrieveAPIView):
    serializer_class = CollectionDetailSerializer
    lookup_field = "slug"
    queryset = PUBLISHED


class CollectionFeed(Feed):
    """The case studies of one published collection, in the collection's order."""

    feed_type = XMLSafeAtom1Feed
    feed_copyright = RIGHTS

    def get_object(self, request, slug: str) -> Collection:
        return get_object_or_404(Collection.objects.published(), slug=slug)

    def title(self, obj: Collection) -> str:
        return f"{obj.title}: a collection on Showcase"

    def subtitle(self, obj: Collection) -> str:
        return "Case studies chosen by the curators, each with a note on why it is there."

    def link(self, obj: Collection) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Collection) -> list[CollectionItem]:
        return obj.public_items()

    def item_title(self, item: CollectionItem) -> str:
        return item.public_case_study.title

    def item_description(self, item: CollectionItem) -> str:
        return f"{item.note}\n\n{item.public_case_study.summary}"

    def item_link(self, item: CollectionItem) -> str:
        return item.public_case_study.get_absolute_url()

    def item_pubdate(self, item: CollectionItem):
        return item.added_at

    def item_updateddate(self, item: CollectionItem):
        return max(item.added_at, item.public_case_study.updated_at)

    def item_author_name(self, item: CollectionItem) -> str:
        lead = item.public_case_study.lead_council
        return lead.name if lead else "Showcase"
