"""The council a visitor has said is theirs, which "councils like mine" starts from.

A visitor chooses it with "This is my council" (remembered in their session
until the browser closes). A signed-in officer who has not chosen one in this
session starts from the council they are a confirmed member of.
"""

from councils.models import Council

SESSION_KEY = "my_council"


def remember_council(session, council: Council) -> None:
    session[SESSION_KEY] = council.code


def remembered_council(session, user) -> Council | None:
    code = session.get(SESSION_KEY)
    if code:
        chosen = Council.objects.filter(code=code).first()
        if chosen:
            return chosen
    if user is not None and user.is_authenticated:
        return Council.objects.of_officer(user).order_by("memberships__created_at", "pk").first()
    return None
