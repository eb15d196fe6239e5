import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casestudies.models import CaseStudy

pytestmark = pytest.mark.django_db


def generate(n: int, seed: int) -> list[tuple]:
    out = io.StringIO()
    call_command("generate_bench_data", case_studies=n, seed=seed, stdout=out)
    rows = list(
        CaseStudy.objects.order_by("slug").values_list(
            "slug", "title", "status", "publication_state", "started_year"
        )
    )
    return rows, out.getvalue()


def test_the_same_seed_gives_the_same_case_studies(register_csv):
    call_command("import_councils", str(register_csv), stdout=io.StringIO())

    first, report = generate(60, seed=3)
    links = CaseStudy.objects.filter(council_roles__role="lead").count()
    CaseStudy.objects.all().delete()
    second, _ = generate(60, seed=3)
    CaseStudy.objects.all().delete()
    other, _ = generate(60, seed=4)

    assert first == second and first != other
    assert len(first) == 60 and links == 60  # every one has a lead council
    assert "60 / 60" in report and "Done: 60 case studies created" in report
    assert {row[3] for row in first} >= {"published"}
    assert len({row[2] for row in first}) >= 3  # a mix of statuses


def test_it_needs_the_register_first():
    with pytest.raises(CommandError, match="Import the council register first"):
        call_command("generate_bench_data", case_studies=5, stdout=io.StringIO())
