import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casestudies.models import CaseStudy, CaseStudyCouncil, CouncilRole, PublicationState
from tests.factories import CaseStudyFactory, CouncilFactory


@pytest.mark.django_db
def test_only_published_case_studies_are_public():
    published = CaseStudyFactory()
    for state in set(PublicationState.values) - {PublicationState.PUBLISHED}:
        CaseStudyFactory(publication_state=state, published_at=None)

    assert list(CaseStudy.objects.published()) == [published]


@pytest.mark.django_db
def test_a_case_study_has_at_most_one_lead_council():
    study = CaseStudyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyCouncil.objects.create(case_study=study, council=CouncilFactory(), role=CouncilRole.LEAD)


@pytest.mark.django_db
def test_a_council_appears_once_per_case_study():
    council = CouncilFactory()
    study = CaseStudyFactory(lead=council)

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyCouncil.objects.create(case_study=study, council=council, role=CouncilRole.PARTNER)


@pytest.mark.django_db
def test_the_database_refuses_an_evidence_level_outside_1_to_5():
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(evidence_level=6)


@pytest.mark.django_db
def test_a_published_case_study_must_have_a_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStudyFactory(published_at=None)


def test_a_summary_over_400_characters_is_invalid():
    study = CaseStudy(summary="x" * 401, started_year=2015)

    with pytest.raises(ValidationError) as error:
        study.clean()

    assert "at most 400 characters (it has 401)" in str(error.value)


def test_the_start_reads_as_a_person_would_say_it():
    assert CaseStudy(started_year=2011, started_month=4).started_display == "April 2011"
    assert CaseStudy(started_year=2011).started_display == "2011"
    assert CaseStudy(started_year=2011, started_month=4).started_iso == "2011-04"


def test_each_evidence_level_is_explained():
    for level in range(1, 6):
        assert CaseStudy(evidence_level=level).evidence_explanation
