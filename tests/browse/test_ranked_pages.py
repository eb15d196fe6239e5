"""A search ranks only its first matches in full (search.backends.bounded); a
page among them is read from them alone, and every page still shows what the
whole ranking shows there."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from browse.shelves import browse
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


# In quotes: the searcher chooses the words, so nothing is found by meaning alone,
# which would be ranked in full too.
QUOTED = '"shared waste"'


@pytest.fixture
def many_matches(monkeypatch):
    monkeypatch.setattr("search.backends.bounded.RANK_CANDIDATES", 4)
    for n in range(9):
        CaseStudyFactory(title=f"Shared waste crews {n}", summary="Shared waste crews for two districts.")


def test_the_first_matches_by_a_cheap_order_are_ranked_and_come_first(many_matches):
    shelf = browse(QueryDict(f"q={QUOTED}"))
    rows = list(shelf.results)

    assert len(rows) == 9
    assert [row.search_candidate for row in rows] == [1] * 4 + [0] * 5
    assert {row.title for row in rows[:4]} == {f"Shared waste crews {n}" for n in range(5, 9)}  # the newest


def test_a_page_reads_the_same_case_studies_from_the_ranked_ones_or_from_all(many_matches):
    shelf = browse(QueryDict(f"q={QUOTED}"))
    paged = shelf.paged()
    everything = [row.pk for row in shelf.results]

    assert paged.ranked is not None and paged.ranked_count == 4
    for start, stop in [(0, 2), (2, 4), (4, 6), (6, 9)]:
        assert [row.pk for row in paged[start:stop]] == everything[start:stop]


def test_every_page_of_a_search_is_reachable(client, many_matches, monkeypatch):
    monkeypatch.setattr("browse.views.PAGE_SIZE", 2)
    titles = set()
    for page in range(1, 6):
        html = client.get(reverse("casestudies:list"), {"q": QUOTED, "page": page}).content.decode()
        titles |= {f"Shared waste crews {n}" for n in range(9) if f"Shared waste crews {n}<" in html}

    assert len(titles) == 9
