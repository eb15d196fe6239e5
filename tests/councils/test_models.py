import datetime

import pytest
from django.utils import timezone

from councils.models import Council, CouncilAlias, normalise_name
from tests.factories import CouncilFactory


def test_names_are_compared_without_case_punctuation_or_ampersands():
    assert normalise_name("  Armagh City, Banbridge & Craigavon ") == "armagh city banbridge and craigavon"
    assert normalise_name("Ynys Môn") == "ynys mon"


@pytest.mark.django_db
def test_codes_are_stored_upper_case_and_urls_are_lower_case():
    council = CouncilFactory(code="sha", name="South Hams")

    assert council.code == "SHA"
    assert council.get_absolute_url() == "/councils/sha/"


@pytest.mark.django_db
def test_a_council_is_current_until_its_end_date():
    today = timezone.localdate()
    ended = CouncilFactory(end_date=today - datetime.timedelta(days=1))
    ending = CouncilFactory(end_date=today + datetime.timedelta(days=30))
    not_yet = CouncilFactory(start_date=today + datetime.timedelta(days=30))

    assert not ended.is_current
    assert ending.is_current
    assert not not_yet.is_current
    assert set(Council.objects.current()) == {ending}


@pytest.mark.django_db
def test_an_alias_resolves_to_its_council():
    council = CouncilFactory(name="Kingston upon Hull")
    CouncilAlias.objects.create(council=council, name="Hull City Council")

    assert Council.objects.resolve("HULL city council") == council
