import pytest
from django.db import transaction
from rest_framework.throttling import AnonRateThrottle

from tests.factories import CaseStudyFactory, CouncilFactory


@pytest.fixture(scope="module")
def once(django_db_setup, django_db_blocker):
    """A transaction around a whole module, rolled back after its last test: what a
    module's fixtures make in it is made once, and each test's own writes are
    undone at its end as always (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shelves(once):
    """Two published case studies, one led by South Hams (SHA), made once for the module;
    the API unthrottled, for the many requests of a corpus."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
        council = CouncilFactory(name="South Hams", code="SHA")
        CaseStudyFactory(lead=council, title="Shared waste service for two districts")
        CaseStudyFactory(title="Joint legal team", summary="Two districts share one legal team.")
        yield council
