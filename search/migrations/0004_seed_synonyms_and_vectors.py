"""The synonyms that were Python constants (search.query.SYNONYM_GROUPS), now
rows curators edit, with the phrases, acronyms and spellings officers use; and
a vector for every case study already published, so search by meaning works
as soon as the site is migrated (later ones are embedded by the worker)."""

from django.db import migrations
from django.utils import timezone

from search.embedding import MODEL, embed
from search.vectors import to_bytes

# (what the group is for, its entries): the groups as they were, some widened,
# then the new ones. See SynonymGroup.terms for how an entry is read.
GROUPS = [
    ("Working together", ["joint", "shared", "sharing", "combined", "collaboration", "partnership"]),
    ("Councils", ["council", "councils", "authority", "authorities", "borough", "district"]),
    (
        "Merging councils; with the American spelling",
        ["merger", "merge", "merged", "merging", "reorganisation", "reorganization", "amalgamation", "unitary"],
    ),
    ("Buying services in", ["outsourcing", "outsourced", "contract", "contracted", "commissioning", "procurement"]),
    (
        "Bringing services back in house",
        ["insourcing", "insourced", "insource", "in-house", "back in-house", "bring back in-house",
         "brought back in-house"],
    ),
    (
        "Spinning a service out",
        ["mutual", "spin-out", "spin out", "spun out", "staff-owned", "employee-owned", "social enterprise",
         "trust", "company"],
    ),
    (
        "Council companies; LATC is a local authority trading company",
        ["company", "trading", "commercial", "teckal", "latc", "local authority trading company",
         "council-owned company", "wholly owned company", "trading company"],
    ),
    ("Waste", ["bins", "waste", "refuse", "recycling", "rubbish"]),
    ("Libraries", ["library", "libraries", "hubs", "hub"]),
    ("Children", ["children", "child", "kids", "families", "young people"]),
    (
        "Children in care; LAC is looked-after children",
        ["looked-after", "looked after children", "children in care", "care proceedings", "taken into care",
         "going into care", "LAC"],
    ),
    ("Adult social care; ASC", ["elderly", "older people", "adult social care", "asc", "adult care", "social care"]),
    ("Acting early", ["prevention", "early help", "early intervention", "demand management", "demand"]),
    ("Digital", ["digital", "online", "website", "channel shift", "self-service", "agile"]),
    ("Money", ["savings", "saving", "efficiency", "cost", "costs", "budget", "cuts"]),
    ("Legal", ["legal", "law", "lawyers", "solicitors"]),
    ("Housing", ["homelessness", "homeless", "housing"]),
    ("Regulation", ["regulatory", "trading standards", "environmental health", "licensing"]),
    ("Energy", ["energy", "fuel", "climate", "carbon"]),
    ("Data", ["data", "analytics", "intelligence", "predictive"]),
    (
        "Culture; with the American spelling",
        ["culture", "behaviour", "behaviours", "behavior", "behaviors", "staff engagement", "leadership"],
    ),
    ("Devolution", ["devolution", "devolved", "city deal", "combined authority"]),
    ("Health", ["integration", "integrated", "nhs", "health"]),
    ("Place", ["place-based", "total place", "community budgets", "place"]),
    ("Co-operatives", ["co-operative", "cooperative", "coop", "co-op"]),
    ("Volunteers", ["volunteers", "volunteering", "community-run", "community groups", "community managed"]),
    ("Transport", ["transport", "buses", "bus", "rail", "trams"]),
    ("Wales", ["welsh", "wales"]),
    ("Scotland", ["scottish", "scotland"]),
    ("England", ["english", "england"]),
    ("Revenues and benefits", ["revenues", "benefits", "council tax", "business rates"]),
    ("Back office; IT in capitals only", ["back office", "back-office", "support services", "hr", "finance", "IT"]),
    (
        "A council that cannot balance its budget issues a section 114 notice",
        ["section 114 notice", "section 114", "s114", "s.114", "bankrupt", "bankruptcy", "council bankruptcy",
         "went bankrupt", "went bust", "effectively bankrupt"],
    ),
    (
        "Special educational needs and disabilities; SEND and SEN in capitals only",
        ["SEND", "special educational needs", "special educational needs and disabilities", "SEN",
         "special needs"],
    ),
    ("Information and communications technology", ["ict", "IT", "information technology", "IT systems"]),
    (
        "The section 151 officer is the council's chief finance officer",
        ["s151", "section 151", "section 151 officer", "chief finance officer", "director of finance"],
    ),
    (
        "Neighbours; with the American spellings",
        ["neighbouring", "neighbour", "neighbours", "neighboring", "neighbor", "neighbors", "next door"],
    ),
    ("British and American spellings", ["programme", "programmes", "program", "programs"]),
    ("British and American spellings", ["centre", "centres", "center", "centers"]),
    ("British and American spellings", ["organisation", "organisations", "organization", "organizations"]),
    ("British and American spellings", ["neighbourhood", "neighbourhoods", "neighborhood", "neighborhoods"]),
    ("British and American spellings", ["modernisation", "modernise", "modernization", "modernize"]),
    ("British and American spellings", ["licence", "licences", "license", "licenses"]),
    ("Practice, and the verb as Americans spell it", ["practice", "practise"]),
]  # fmt: skip


def seed_synonyms(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.bulk_create(
        SynonymGroup(terms="\n".join(terms), note=note) for note, terms in GROUPS
    )


def embed_published(apps, schema_editor):
    # The embedding is plain arithmetic on shipped weights; the rows are written
    # through the historical model, as the worker's task writes them.
    CaseStudy = apps.get_model("casestudies", "CaseStudy")
    CaseStudyVector = apps.get_model("search", "CaseStudyVector")
    published = CaseStudy.objects.filter(publication_state="published").order_by("pk")
    rows = list(published.values_list("pk", "title", "summary", "search_body"))
    now = timezone.now()
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        texts = ["\n".join(part for part in parts if part) for _, *parts in batch]
        CaseStudyVector.objects.bulk_create(
            CaseStudyVector(case_study_id=pk, model=MODEL, vector=to_bytes(vector), changed_at=now)
            for (pk, *_), vector in zip(batch, embed(texts), strict=True)
        )


def forget(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.all().delete()
    apps.get_model("search", "CaseStudyVector").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_synonyms_and_vectors")]

    operations = [
        migrations.RunPython(seed_synonyms, forget),
        migrations.RunPython(embed_published, migrations.RunPython.noop),
    ]
