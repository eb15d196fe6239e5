from django.urls import path

from curated import review_views, views

app_name = "curated"

urlpatterns = [
    path("collections/", views.collection_list, name="list"),
    path("collections/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("collections/<slug:slug>/", views.collection_detail, name="detail"),
    path("collections/<slug:slug>/follow/", views.follow, name="follow"),
    path("collections/<slug:slug>/unfollow/", views.unfollow, name="unfollow"),
    path("review/collections/", review_views.review_list, name="review-list"),
    path("review/collections/new/", review_views.review_create, name="review-create"),
    path("review/collections/<int:pk>/", review_views.review_edit, name="review-edit"),
    path("review/collections/<int:pk>/items/", review_views.review_add_item, name="review-add-item"),
    path(
        "review/collections/<int:pk>/items/<int:item_pk>/note/",
        review_views.review_edit_note,
        name="review-edit-note",
    ),
    path(
        "review/collections/<int:pk>/items/<int:item_pk>/move/",
        review_views.review_move_item,
        name="review-move-item",
    ),
    path(
        "review/collections/<int:pk>/items/<int:item_pk>/remove/",
        review_views.review_remove_item,
        name="review-remove-item",
    ),
    path("review/collections/<int:pk>/publish/", review_views.review_publish, name="review-publish"),
    path("review/collections/<int:pk>/unpublish/", review_views.review_unpublish, name="review-unpublish"),
]
