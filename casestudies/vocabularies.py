"""The curated vocabularies' fixed slugs, with starting names and descriptions.

Seeded by a data migration; ``seed_vocabularies`` only adds what is missing,
so curators' later edits to names and descriptions are kept.
"""

REFORM_TYPES = [
    (
        "shared-services",
        "Shared services",
        "Two or more bodies running a service, team or back office together.",
    ),
    (
        "place-based",
        "Place-based budgets and Total Place",
        "Public bodies in an area pooling money and decisions around a place or its people.",
    ),
    (
        "co-operative-council",
        "Co-operative council",
        "Running services with and through residents, staff and community groups as partners.",
    ),
    (
        "trading-company",
        "Trading company",
        "A council-owned company that sells services, often to other councils or the public.",
    ),
    ("digital", "Digital redesign", "Redesigning services around what users need, online and off."),
    (
        "demand-management",
        "Demand management",
        "Reducing the need for services by acting earlier or differently.",
    ),
    (
        "community-assets",
        "Community assets",
        "Transferring buildings or services to community groups to run.",
    ),
    (
        "integration",
        "Integration with health and other services",
        "Joining council services with the NHS, police or other public services.",
    ),
    (
        "commissioning",
        "Commissioning and procurement",
        "Changing how services are bought, from whom and on what terms.",
    ),
    (
        "devolution",
        "Devolution and combined authorities",
        "Powers and money moved to councils or groups of councils.",
    ),
    ("reorganisation", "Reorganisation", "Merging, creating or restructuring councils."),
    ("culture-change", "Culture change", "Changing how a council's people work, lead and take risks."),
    (
        "data-intelligence",
        "Data and intelligence",
        "Using shared data and analysis to target services and prevent need.",
    ),
]

THEMES = [
    ("adult-social-care", "Adult social care"),
    ("children-and-families", "Children and families"),
    ("early-years", "Early years"),
    ("education-and-skills", "Education and skills"),
    ("housing", "Housing and homelessness"),
    ("libraries", "Libraries"),
    ("culture-and-leisure", "Culture and leisure"),
    ("transport", "Transport and highways"),
    ("waste-and-environment", "Waste and environment"),
    ("planning-and-regeneration", "Planning and regeneration"),
    ("economic-growth", "Economic growth"),
    ("regulatory-services", "Regulatory services"),
    ("revenues-and-benefits", "Revenues and benefits"),
    ("customer-services", "Customer services"),
    ("public-health", "Public health"),
    ("community-safety", "Community safety"),
    ("back-office", "Back office and support services"),
    ("climate-and-energy", "Climate and energy"),
]


def seed_vocabularies(reform_type_model, theme_model) -> int:
    """Create any missing term; return how many were created. Takes the model
    classes so that a migration can pass its historical models."""
    created = 0
    for slug, name, description in REFORM_TYPES:
        _, made = reform_type_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        created += made
    for slug, name in THEMES:
        _, made = theme_model.objects.get_or_create(slug=slug, defaults={"name": name})
        created += made
    return created
