from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from casestudies.models import CaseStudy
from councils.models import Council
from curated.models import Collection


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "home", "casestudies:list", "councils:directory", "curated:list",
            "about", "accessibility", "api-docs",
        ]  # fmt: skip

    def location(self, item: str) -> str:
        return reverse(item)


class CaseStudySitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return CaseStudy.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: CaseStudy):
        return item.updated_at


class CouncilSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Council.objects.only("code").order_by("pk")


class CollectionSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Collection.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Collection):
        return item.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "case-studies": CaseStudySitemap,
    "councils": CouncilSitemap,
    "collections": CollectionSitemap,
}
