"""Curators' pages for collections, under /review/collections/: make one, edit
its title and introduction, add, annotate, order and remove case studies,
publish and unpublish. Every change is a POST; nothing needs JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from casestudies.models import PublicationState
from casestudies.permissions import curator_required
from curated import services
from curated.forms import AddItemForm, CollectionForm, NoteForm
from curated.models import Collection, CollectionItem


@curator_required
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    collections = Collection.objects.with_public_counts().order_by("status", "title")
    return render(request, "curated/review_list.html", {"collections": collections})


@curator_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        collection = services.collection_create(**form.cleaned_data, by=request.user)
        messages.success(request, f"Collection “{collection.title}” made. Add case studies to it.")
        return redirect("curated:review-edit", pk=collection.pk)
    status = 400 if form.errors else 200
    return render(request, "curated/review_create.html", {"form": form}, status=status)


def _edit_page(request, collection: Collection, *, status: int = 200, **forms) -> HttpResponse:
    items = list(collection.items.select_related("case_study").order_by("position", "pk"))
    for item in items:
        posted = forms.get("note_form")
        item.note_form = (
            posted
            if posted and posted.prefix == f"item-{item.pk}"
            else NoteForm(prefix=f"item-{item.pk}", initial={"note": item.note})
        )
        item.is_public = item.case_study.publication_state == PublicationState.PUBLISHED
    context = {
        "collection": collection,
        "items": items,
        "details_form": forms.get("details_form")
        or CollectionForm(initial={f: getattr(collection, f) for f in ("title", "introduction", "featured")}),
        "add_form": forms.get("add_form") or AddItemForm(collection=collection),
        "publish_error": forms.get("publish_error", ""),
        "events": collection.events.select_related("by")[:20],
    }
    return render(request, "curated/review_edit.html", context, status=status)


@curator_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk)
    if request.method == "GET":
        return _edit_page(request, collection)
    form = CollectionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, collection, status=400, details_form=form)
    services.collection_update(collection=collection, **form.cleaned_data, by=request.user)
    messages.success(request, "Title and introduction saved.")
    return redirect("curated:review-edit", pk=collection.pk)


@curator_required
@require_POST
def review_add_item(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk)
    form = AddItemForm(request.POST, collection=collection)
    if form.is_valid():
        try:
            item = services.collection_add_item(collection=collection, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{item.case_study.title}” added.")
            return redirect("curated:review-edit", pk=collection.pk)
    return _edit_page(request, collection, status=400, add_form=form)


def _item(pk: int, item_pk: int) -> CollectionItem:
    return get_object_or_404(
        CollectionItem.objects.select_related("collection", "case_study"), pk=item_pk, collection_id=pk
    )


@curator_required
@require_POST
def review_edit_note(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(pk, item_pk)
    form = NoteForm(request.POST, prefix=f"item-{item.pk}")
    if not form.is_valid():
        return _edit_page(request, item.collection, status=400, note_form=form)
    services.collection_edit_note(item=item, note=form.cleaned_data["note"], by=request.user)
    messages.success(request, f"Note on “{item.case_study.title}” saved.")
    return redirect("curated:review-edit", pk=pk)


@curator_required
@require_POST
def review_move_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(pk, item_pk)
    services.collection_move_item(item=item, up=request.POST.get("direction") == "up", by=request.user)
    return redirect("curated:review-edit", pk=pk)


@curator_required
@require_POST
def review_remove_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(pk, item_pk)
    services.collection_remove_item(item=item, by=request.user)
    messages.success(request, f"“{item.case_study.title}” removed from the collection.")
    return redirect("curated:review-edit", pk=pk)


@curator_required
@require_POST
def review_publish(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk)
    try:
        services.collection_publish(collection=collection, by=request.user)
    except ValidationError as error:
        return _edit_page(request, collection, status=400, publish_error=error.messages[0])
    messages.success(request, f"“{collection.title}” is published.")
    return redirect("curated:review-edit", pk=pk)


@curator_required
@require_POST
def review_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk)
    services.collection_unpublish(collection=collection, by=request.user)
    messages.success(request, f"“{collection.title}” is no longer public.")
    return redirect("curated:review-edit", pk=pk)
