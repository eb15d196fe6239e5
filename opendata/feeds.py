"""Atom feeds of newly published case studies: all, per reform type, per theme,
per council, and per search (any query string of /case-studies/)."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from browse.shelves import browse
from casestudies.models import CaseStudy, ReformType, Theme
from councils.models import Council

FEED_LENGTH = 50
RIGHTS = "Open Government Licence v3.0"


class CaseStudyFeed(Feed):
    feed_type = Atom1Feed
    feed_copyright = RIGHTS
    title = "New case studies on Showcase"
    subtitle = "Public-service reforms published by councils, newest first."

    def link(self, obj=None) -> str:
        return reverse("casestudies:list")

    def base_queryset(self, obj):
        return CaseStudy.objects.published()

    def items(self, obj=None):
        return (
            self.base_queryset(obj)
            .order_by(F("published_at").desc(nulls_last=True), "-pk")
            .with_shelf_relations()[:FEED_LENGTH]
        )

    def item_title(self, item: CaseStudy) -> str:
        return item.title

    def item_description(self, item: CaseStudy) -> str:
        return item.summary

    def item_pubdate(self, item: CaseStudy):
        return item.published_at

    def item_updateddate(self, item: CaseStudy):
        return item.updated_at

    def item_author_name(self, item: CaseStudy) -> str:
        lead = item.lead_council
        return lead.name if lead else "Showcase"

    def item_categories(self, item: CaseStudy) -> list[str]:
        return [term.name for term in item.reform_types.all()] + [term.name for term in item.themes.all()]


class ReformTypeFeed(CaseStudyFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(ReformType, slug=slug)

    def title(self, obj) -> str:
        return f"New {obj.name.lower()} case studies on Showcase"

    def link(self, obj=None) -> str:
        return f"{reverse('casestudies:list')}?reform_type={obj.slug}"

    def base_queryset(self, obj):
        return CaseStudy.objects.published().filter(reform_types=obj)


class ThemeFeed(ReformTypeFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(Theme, slug=slug)

    def link(self, obj=None) -> str:
        return f"{reverse('casestudies:list')}?theme={obj.slug}"

    def base_queryset(self, obj):
        return CaseStudy.objects.published().filter(themes=obj)


class CouncilFeed(CaseStudyFeed):
    def get_object(self, request, code: str):
        return get_object_or_404(Council, code=code.upper())

    def title(self, obj) -> str:
        return f"New case studies from {obj.name} on Showcase"

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()

    def base_queryset(self, obj):
        return CaseStudy.objects.published().filter(councils=obj).distinct()


class SearchFeed(CaseStudyFeed):
    """Any search or filters of /case-studies/, as a feed of what it finds, newest first."""

    def get_object(self, request):
        shelf = browse(request.GET, with_facets=False)
        if shelf.errors:
            raise Http404("Those filters are not valid.")
        return {"shelf": shelf, "query": request.GET.urlencode()}

    def title(self, obj) -> str:
        words = obj["shelf"].search.query
        return f"New case studies for “{words}” on Showcase" if words else "New case studies on Showcase"

    def link(self, obj=None) -> str:
        return f"{reverse('casestudies:list')}?{obj['query']}"

    def base_queryset(self, obj):
        return CaseStudy.objects.filter(pk__in=obj["shelf"].results.values("pk"))
