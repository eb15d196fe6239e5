import datetime

import pytest

from councils.models import Council
from councils.register import import_register
from councils.succession import current_successors, replacements
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def test_a_council_from_the_register_is_replaced_by_its_successor_in_the_year_it_ended(register_csv):
    import_register(register_csv.read_text(encoding="utf-8"))

    (replaced,) = replacements([Council.objects.get(code="AYL")])

    assert (
        replaced.sentence == "Aylesbury Vale District Council was replaced by Buckinghamshire Council in 2020"
    )


def test_a_council_replaced_by_several_names_them_all():
    former = CouncilFactory(official_name="Old Shire District Council", end_date=datetime.date(2009, 3, 31))
    former.replaced_by.set(
        [
            CouncilFactory(official_name="East Shire Council"),
            CouncilFactory(official_name="West Shire Council"),
        ]
    )

    (replaced,) = replacements([former])

    assert replaced.sentence == (
        "Old Shire District Council was replaced by East Shire Council and West Shire Council in 2009"
    )


def test_a_successor_that_was_itself_replaced_leads_on_to_the_current_council():
    oldest = CouncilFactory(end_date=datetime.date(1996, 3, 31))
    middle = CouncilFactory(end_date=datetime.date(2020, 3, 31))
    today = CouncilFactory()
    oldest.replaced_by.set([middle])
    middle.replaced_by.set([today])

    assert current_successors([oldest]) == {oldest.pk: [today]}


def test_a_loop_in_the_data_ends_without_a_current_successor():
    first = CouncilFactory(end_date=datetime.date(2000, 3, 31))
    second = CouncilFactory(end_date=datetime.date(2001, 3, 31))
    first.replaced_by.set([second])
    second.replaced_by.set([first])

    assert replacements([first]) == []


def test_a_current_council_has_no_replacement():
    assert replacements([CouncilFactory()]) == []
