"""Whatever an address names to compare, the answer is a page or a refusal, never a 500,
and nothing typed into it runs on the page."""

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory
from tests.hostile.corpus import HOSTILE, ids

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=ids(HOSTILE))
def test_hostile_slugs_are_left_out_and_escaped(client, name, value):
    CaseStudyFactory(slug="shared-workforce")

    page = client.get(reverse("compare:comparison"), {"s": ["shared-workforce", value]})
    csv = client.get(reverse("compare:csv"), {"s": ["shared-workforce", value]})

    assert page.status_code == 200, name
    assert csv.status_code == 400, name
    assert "<script>alert(1)" not in page.content.decode()
    assert 'id="comparison"' not in page.content.decode()


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=ids(HOSTILE))
def test_hostile_form_values_are_refused_or_ignored_never_a_500(client, name, value):
    CaseStudyFactory(slug="shared-workforce")

    added = client.post(reverse("compare:add"), {"slug": value, "next": "/"})
    sent_back = client.post(reverse("compare:add"), {"slug": "shared-workforce", "next": value})
    removed = client.post(reverse("compare:remove"), {"slug": value, "next": value})

    assert added.status_code == 404, name
    assert sent_back.status_code == 302, name
    assert removed.status_code == 302, name
    assert "<script>alert(1)" not in client.get(reverse("compare:selection")).content.decode()
