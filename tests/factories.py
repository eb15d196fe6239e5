import itertools

import factory
from django.utils import timezone

from casestudies.models import (
    CaseStudy,
    CaseStudyCouncil,
    CouncilRole,
    DeliveryStatus,
    PublicationState,
    ReformType,
    Theme,
)
from councils.models import Council, CouncilType, Nation
from search.index import index_case_studies

_codes = itertools.count(1)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    code = factory.LazyFunction(lambda: f"T{next(_codes):05d}")
    name = factory.Sequence(lambda n: f"Testshire {n}")
    official_name = factory.LazyAttribute(lambda council: f"{council.name} District Council")
    council_type = CouncilType.NON_METROPOLITAN_DISTRICT
    nation = Nation.ENGLAND
    region = "South West"
    population = 90000


class CaseStudyFactory(factory.django.DjangoModelFactory):
    """A published case study led by a new council, unless told otherwise."""

    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Shared waste service number {n}")
    slug = factory.Sequence(lambda n: f"shared-waste-service-{n}")
    summary = "Two councils run one waste collection service and share the depot."
    challenge = "Rising costs."
    approach = "Joined the crews."
    outcomes = "Lower costs."
    lessons = "Agree the cost split first."
    status = DeliveryStatus.IMPLEMENTED
    started_year = 2015
    evidence_level = 2
    contact_role = "Head of Waste"
    contact_name = "Robin Example"
    contact_email = factory.Sequence(lambda n: f"contact{n}@secret.example")
    publication_state = PublicationState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def lead(self, create, extracted, **kwargs):
        if not create:
            return
        council = extracted or CouncilFactory()
        CaseStudyCouncil.objects.create(case_study=self, council=council, role=CouncilRole.LEAD)

    @factory.post_generation
    def partners_councils(self, create, extracted, **kwargs):
        for council in extracted or []:
            CaseStudyCouncil.objects.create(case_study=self, council=council, role=CouncilRole.PARTNER)

    @factory.post_generation
    def reform_type_slugs(self, create, extracted, **kwargs):
        if create:
            self.reform_types.set(ReformType.objects.filter(slug__in=extracted or ["shared-services"]))

    @factory.post_generation
    def theme_slugs(self, create, extracted, **kwargs):
        if create:
            self.themes.set(Theme.objects.filter(slug__in=extracted or ["waste-and-environment"]))

    @factory.post_generation
    def search_index(self, create, extracted, **kwargs):
        if create:
            index_case_studies([self.pk])


def officer_of(council: Council, email: str):
    """A signed-up officer with a confirmed place at ``council`` (also kept as ``.council``)."""
    from django.contrib.auth.models import User

    from councils.models import Membership, MembershipStatus

    user = User.objects.create(username=email, email=email)
    Membership.objects.create(user=user, council=council, status=MembershipStatus.CONFIRMED)
    user.council = council
    return user
