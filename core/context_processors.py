from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site(request: HttpRequest) -> dict:
    items = [
        (reverse("casestudies:list"), "Case studies"),
        (reverse("councils:directory"), "Councils"),
        (reverse("about"), "About"),
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.append((reverse("submissions:new"), "Share a reform"))
        if user.is_staff:
            items.append((reverse("review:queue"), "Review"))
        items.append((reverse("accounts:account"), "Your account"))
    else:
        items.append((reverse("accounts:sign-in"), "Sign in"))
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "nav_items": [
            {"href": href, "label": label, "active": request.path.startswith(href)} for href, label in items
        ],
    }
