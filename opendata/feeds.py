"""Atom feeds of newly published case studies: all, per reform type, per theme,
per council, and per search (any query string of /case-studies/)."""

import re

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from browse.shelves import browse
from casestudies.models import CaseStudy, ReformType, Theme
from councils.models import Council

FEED_LENGTH = 50
RIGHTS = "Open Government Licence v3.0"

# What XML 1.0 cannot carry at all, not even escaped: most C0 control
# characters, lone surrogates and the two non-characters U+FFFE and U+FFFF.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return NOT_IN_XML.sub("", text)


class XMLSafeGenerator(SimplerXMLGenerator):
    """Django's generator refuses such characters with UnserializableContentError
    (a 500 for every reader of the feed); this one leaves them out, whatever
    part of the feed they came from: a query echoed, a title, a summary, a name."""

    def characters(self, content) -> None:
        super().characters(xml_safe(content) if content else content)

    def startElement(self, name, attrs) -> None:
        super().startElement(
            name, {key: xml_safe(value) if isinstance(value, str) else value for key, value in attrs.items()}
        )


class XMLSafeAtom1Feed(Atom1Feed):
    def write(self, outfile, encoding) -> None:
        # Atom1Feed.write, with the generator that cannot be broken by the text.
        handler = XMLSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class CaseStudyFeed(Feed):
    feed_type = XMLSafeAtom1Feed
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
        words = xml_safe(obj["shelf"].search.query).strip()
        return f"New case studies for “{words}” on Showcase" if words else "New case studies on Showcase"

    def link(self, obj=None) -> str:
        return f"{reverse('casestudies:list')}?{obj['query']}"

    def base_queryset(self, obj):
        return CaseStudy.objects.filter(pk__in=obj["shelf"].results.values("pk"))
