"""Fill the database with many realistic case studies for benchmarks.

The text is recombined from the demo's real case studies, the councils come
from the register already imported, and the mix of reform types, themes,
statuses and evidence follows the demo. The same --seed gives the same data."""

import datetime
import json
import random
import re
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from casestudies.models import CaseStudy, CaseStudyCouncil, CouncilRole, ReformType, Theme
from casestudies.shelf_keys import refresh_shelf_keys
from councils.models import Council
from search.index import index_case_studies
from search.related import rebuild_related_reforms

DEMO = Path(settings.BASE_DIR) / "demo" / "fixtures" / "demo_case_studies.json"
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)  # fixed, so runs are repeatable
BATCH = 2000


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text or "")
    return [part.strip(" -") for part in parts if len(part.strip(" -")) > 20]


class Corpus:
    """What the demo says, in pieces to recombine."""

    def __init__(self, records: list[dict]):
        self.titles = [r["title"] for r in records]
        self.summaries = [r["summary"] for r in records]
        self.pools = {field: [s for r in records for s in _sentences(r.get(field, ""))]
                      for field in ("challenge", "approach", "outcomes", "lessons")}  # fmt: skip
        self.reform_types = Counter(slug for r in records for slug in r.get("reform_types", []))
        self.themes = Counter(slug for r in records for slug in r.get("themes", []))
        self.statuses = Counter(r.get("status") for r in records if r.get("status"))
        self.evidence = Counter(r.get("evidence_level") for r in records)


def _weighted(rng: random.Random, counter: Counter, k: int = 1) -> list:
    items, weights = zip(*counter.items(), strict=True)
    chosen: list = []
    while len(chosen) < k:
        pick = rng.choices(items, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


class Command(BaseCommand):
    help = "Generate N realistic case studies for benchmarking (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--case-studies", type=int, required=True, help="How many to create.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")
        parser.add_argument("--no-index", action="store_true", help="Skip rebuilding the search index.")

    def handle(self, *args, case_studies: int, seed: int, no_index: bool, **options):
        if case_studies < 1:
            raise CommandError("--case-studies must be at least 1.")
        councils = list(Council.objects.current().order_by("code").values_list("pk", "region"))
        if len(councils) < 10:
            raise CommandError(
                "Import the council register first, e.g. "
                "manage.py import_councils ../shared/data/uk_local_authorities_current.csv"
            )
        corpus = Corpus(json.loads(DEMO.read_text(encoding="utf-8"))["case_studies"])
        types = dict(ReformType.objects.values_list("slug", "pk"))
        themes = dict(Theme.objects.values_list("slug", "pk"))
        names = dict(ReformType.objects.values_list("pk", "name"))
        by_region: dict[str, list[int]] = {}
        for pk, region in councils:
            by_region.setdefault(region, []).append(pk)
        rng = random.Random(seed)  # noqa: S311 (repeatable test data, not secrets)
        started = time.monotonic()
        made = 0
        self.stdout.write(f"Generating {case_studies:,} case studies (seed {seed})...")
        while made < case_studies:
            size = min(BATCH, case_studies - made)
            with transaction.atomic():
                self._batch(rng, corpus, seed, made, size, councils, by_region, types, themes, names)
            made += size
            rate = made / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"  {made:,} / {case_studies:,} ({rate:,.0f} a second)")
        self.stdout.write("Keeping what the shelves filter by...")
        refresh_shelf_keys()  # the links were created in bulk, which no receiver hears
        if not no_index:
            self.stdout.write("Rebuilding the search index...")
            indexed = index_case_studies()
            self.stdout.write(f"  {indexed:,} case studies indexed")
            self.stdout.write("Working out related reforms...")
            self.stdout.write(f"  {rebuild_related_reforms():,} lists")
        elapsed = time.monotonic() - started
        total = CaseStudy.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {made:,} case studies created in {elapsed:,.0f} s; {total:,} in the database."
            )
        )

    def _batch(self, rng, corpus, seed, offset, size, councils, by_region, types, themes, names):
        studies, plans = [], []
        for n in range(offset, offset + size):
            type_slugs = _weighted(rng, corpus.reform_types, rng.choice([1, 1, 1, 2]))
            theme_slugs = _weighted(rng, corpus.themes, rng.choice([1, 2, 2, 3]))
            lead, region = rng.choice(councils)
            neighbours = by_region.get(region, [])
            partners = rng.sample(neighbours, k=min(rng.choice([0, 0, 1, 2, 3]), len(neighbours)))
            partners = [pk for pk in partners if pk != lead]
            published = rng.random() < 0.92
            when = EPOCH - datetime.timedelta(days=rng.randrange(0, 15 * 365), seconds=rng.randrange(86400))
            base_title = rng.choice(corpus.titles)
            title = f"{names[types[type_slugs[0]]]}: {base_title}"[:190]
            saves = rng.random() < 0.45
            studies.append(CaseStudy(
                title=title,
                slug=f"{slugify(base_title)[:150]}-{seed}-{n}",
                summary=rng.choice(corpus.summaries),
                challenge=" ".join(rng.sample(corpus.pools["challenge"], k=3)),
                approach="\n".join(f"- {s}" for s in rng.sample(corpus.pools["approach"], k=4)),
                outcomes=" ".join(rng.sample(corpus.pools["outcomes"], k=3)),
                lessons="\n".join(f"- {s}" for s in rng.sample(corpus.pools["lessons"], k=3)),
                status=_weighted(rng, corpus.statuses)[0],
                started_year=when.year - rng.randrange(0, 3),
                started_month=rng.choice([None, *range(1, 13)]),
                evidence_level=_weighted(rng, corpus.evidence)[0],
                annual_savings_gbp=rng.randrange(20, 5000) * 1000 if saves else None,
                contact_role="Head of Service",
                contact_name="Bench Contact",
                contact_email=f"contact{n}@bench.example",
                publication_state="published" if published else rng.choice(["draft", "submitted"]),
                published_at=when if published else None,
                created_at=when,
                last_confirmed_at=when.date() if published else None,
            ))  # fmt: skip
            plans.append((lead, partners, [types[s] for s in type_slugs], [themes[s] for s in theme_slugs]))
        created = CaseStudy.objects.bulk_create(studies)
        roles, type_links, theme_links = [], [], []
        TypeLink, ThemeLink = CaseStudy.reform_types.through, CaseStudy.themes.through
        for study, (lead, partners, type_ids, theme_ids) in zip(created, plans, strict=True):
            roles.append(CaseStudyCouncil(case_study_id=study.pk, council_id=lead, role=CouncilRole.LEAD))
            roles += [CaseStudyCouncil(case_study_id=study.pk, council_id=pk, role=CouncilRole.PARTNER)
                      for pk in partners]  # fmt: skip
            type_links += [TypeLink(casestudy_id=study.pk, reformtype_id=pk) for pk in type_ids]
            theme_links += [ThemeLink(casestudy_id=study.pk, theme_id=pk) for pk in theme_ids]
        CaseStudyCouncil.objects.bulk_create(roles)
        TypeLink.objects.bulk_create(type_links)
        ThemeLink.objects.bulk_create(theme_links)
