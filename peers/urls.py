from django.urls import path

from peers import views

app_name = "peers"

urlpatterns = [
    path("case-studies/<slug:slug>/contact/", views.contact_team, name="contact"),
    path("contact/replied/<str:token>/", views.got_reply, name="got-reply"),
    path("alerts/follow/", views.follow, name="follow"),
    path("alerts/<int:pk>/unfollow/", views.unfollow, name="unfollow"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("review/contact/", views.contact_stats, name="contact-stats"),
]
