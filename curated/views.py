"""The public pages of collections, and following one by email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from browse.page_cache import cache_public_page
from casestudies.permissions import is_curator
from curated import alerts, services
from curated.models import Collection, CollectionFollow


@require_safe
@cache_public_page
def collection_list(request: HttpRequest) -> HttpResponse:
    collections = Collection.objects.published().with_public_counts().order_by("-published_at", "-pk")
    return render(request, "curated/list.html", {"collections": collections})


@require_safe
@cache_public_page
def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    collection = get_object_or_404(Collection, slug=slug)
    # Curators may look at a draft (never cached: they are signed in); nobody else may.
    if not collection.is_published and not is_curator(request.user):
        raise Http404("No such collection.")
    following = (
        request.user.is_authenticated
        and CollectionFollow.objects.filter(user=request.user, collection=collection).exists()
    )
    return render(
        request,
        "curated/detail.html",
        {"collection": collection, "items": collection.public_items(), "following": following},
    )


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    collection = get_object_or_404(Collection.objects.published(), slug=slug)
    created = services.collection_follow(user=request.user, collection=collection)
    messages.success(
        request,
        f"You are following {collection.title}. We will email you when a case study is added to it."
        if created
        else f"You already follow {collection.title}.",
    )
    return redirect(collection)


@login_required
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    # Only a follower learns anything here, so a draft's title stays with the curators.
    followed = get_object_or_404(
        CollectionFollow.objects.select_related("collection"), user=request.user, collection__slug=slug
    )
    collection = followed.collection
    services.collection_unfollow(user=request.user, collection=collection)
    messages.success(request, f"You no longer follow {collection.title}.")
    return redirect(collection) if collection.is_published else redirect("curated:list")


@csrf_exempt  # the signed token is the authority; mail clients POST here for one-click unsubscribe
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    followed = alerts.follow_for_token(token)
    if request.method == "POST":
        title = followed.collection.title if followed else ""
        if followed:
            followed.delete()
        return render(request, "curated/unsubscribed.html", {"title": title})
    if followed is None:
        return render(request, "curated/unsubscribed.html", {"title": ""})
    return render(request, "curated/unsubscribe.html", {"follow": followed})
