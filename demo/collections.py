"""Two collections for the demo, made as a curator makes them, and published."""

from casestudies.models import CaseStudy
from curated import services
from curated.models import Collection

DEMO_COLLECTIONS = [
    {
        "title": "Sharing services between councils",
        "introduction": (
            "Councils that joined up their back offices, legal teams and regulators. "
            "Read them in order: from two districts sharing one team to a shared service run as a company."
        ),
        "featured": True,
        "items": [
            (
                "south-hams-west-devon-shared-services",
                "Two districts with one workforce: the plainest start.",
            ),
            ("anglia-revenues-partnership", "Revenues and benefits shared by several councils for years."),
            ("hb-public-law-shared-legal-service", "A shared legal service that now sells to others."),
        ],
    },
    {
        "title": "Managing demand in adult social care",
        "introduction": "Reforms that changed the conversation with residents before services were needed.",
        "featured": True,
        "items": [
            ("wigan-deal", "The best-known deal between a council and its residents."),
            ("calderdale-shaping-demand", "Early help that kept people out of long-term care."),
            ("gwynedd-ffordd-gwynedd", "Built around what residents said matters to them."),
        ],
    },
]


def load_demo_collections(*, by) -> int:
    """Make and publish the demo collections that do not exist yet. Returns how many were made."""
    made = 0
    for spec in DEMO_COLLECTIONS:
        if Collection.objects.filter(title=spec["title"]).exists():
            continue
        collection = services.collection_create(
            title=spec["title"], introduction=spec["introduction"], featured=spec["featured"], by=by
        )
        studies = CaseStudy.objects.published().in_bulk(
            [slug for slug, _ in spec["items"]], field_name="slug"
        )
        for slug, note in spec["items"]:
            if slug in studies:
                services.collection_add_item(
                    collection=collection, case_study=studies[slug], note=note, by=by
                )
        if collection.items.exists():
            services.collection_publish(collection=collection, by=by)
        made += 1
    return made
