import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casestudies.models import CaseStudy, ReformType, Theme
from casestudies.vocabularies import seed_vocabularies
from councils.models import Council, EmailDomain
from councils.register import RegisterError, import_register
from demo.collections import load_demo_collections
from opendata.interchange import InterchangeError, import_case_studies

DEMO_COUNCILS = settings.BASE_DIR / "demo" / "fixtures" / "demo_councils.csv"
DEMO_CASE_STUDIES = settings.BASE_DIR / "demo" / "fixtures" / "demo_case_studies.json"

# A curator to sign in as (by emailed link, printed in the console in development);
# CURATOR_EMAIL_DOMAINS lets the partnership's own domain sign in.
DEMO_CURATOR = "curator@showcase.localhost"
# An officer to sign in as: any address at a demo council's domain works.
DEMO_OFFICER = "jo@southhams.gov.uk"

# Curated officer email domains for a few demo councils, so that signing in
# can be tried locally. South Hams and West Devon share one domain.
DEMO_EMAIL_DOMAINS = {
    "SHA": ["southhams.gov.uk", "swdevon.gov.uk"],
    "WDE": ["westdevon.gov.uk", "swdevon.gov.uk"],
    "OLD": ["oldham.gov.uk"],
    "WGN": ["wigan.gov.uk"],
    "SRY": ["surreycc.gov.uk"],
    "BUC": ["buckinghamshire.gov.uk"],
    "MON": ["monmouthshire.gov.uk"],
    "CRY": ["croydon.gov.uk"],
}


class Command(BaseCommand):
    help = (
        "Load the demo: the councils it needs and its case studies of real UK reforms. "
        "With --if-empty, does nothing when any case study exists."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Only load when there are no case studies yet."
        )

    def handle(self, *args, if_empty: bool, **options) -> None:
        if if_empty and CaseStudy.objects.exists():
            self.stdout.write("Case studies already present: demo data not loaded.")
            return
        with transaction.atomic():
            seed_vocabularies(ReformType, Theme)
            try:
                councils = import_register(Path(DEMO_COUNCILS).read_text(encoding="utf-8"))
            except RegisterError as error:
                raise CommandError("Demo councils are invalid:\n" + "\n".join(error.problems)) from error
            for code, domains in DEMO_EMAIL_DOMAINS.items():
                council = Council.objects.get(code=code)
                for domain in domains:
                    EmailDomain.objects.get_or_create(council=council, domain=domain)
            curator, _ = User.objects.get_or_create(
                username=DEMO_CURATOR,
                defaults={"email": DEMO_CURATOR, "is_staff": True, "is_superuser": True},
            )
            data = json.loads(Path(DEMO_CASE_STUDIES).read_text(encoding="utf-8"))
            try:
                studies = import_case_studies(data)
            except InterchangeError as error:
                raise CommandError(f"Demo case studies are invalid:\n{error}") from error
            load_demo_collections(by=curator)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: councils {len(councils.created)} created, {len(councils.updated)} updated, "
                f"{len(councils.unchanged)} unchanged; case studies {len(studies.created)} created, "
                f"{len(studies.updated)} updated, {len(studies.unchanged)} unchanged."
            )
        )
        self.stdout.write(
            f"Sign in at /sign-in/ as the demo curator {DEMO_CURATOR} or as an officer of South Hams, "
            f"such as {DEMO_OFFICER}: the link is printed by the worker in this console."
        )
