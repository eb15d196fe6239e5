from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict


def paginate(request: HttpRequest, items, per_page: int, *, count: int | None = None) -> Page:
    """The page the query string asks for; nonsense page numbers give the nearest real page.
    ``count``, when the caller knows it already, saves counting the items again."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never counted
    return paginator.get_page(request.GET.get("page"))


def page_links(request: HttpRequest, page: Page) -> dict:
    """What the GOV.UK pagination component needs, keeping every other parameter."""

    def url_for(number: int) -> str:
        query: QueryDict = request.GET.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"

    numbers = []
    last = page.paginator.num_pages
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            numbers.append({"ellipsis": True})
        else:
            numbers.append({"number": number, "url": url_for(number), "current": number == page.number})
    return {
        "previous": url_for(page.number - 1) if page.has_previous() else None,
        "next": url_for(page.number + 1) if page.has_next() else None,
        "numbers": numbers if last > 1 else [],
    }
