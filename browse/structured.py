"""schema.org JSON-LD for a case study page, so that search engines and link
previews describe it properly."""

from django.http import HttpRequest

from casestudies.models import CaseStudy

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def structured_data(request: HttpRequest, study: CaseStudy) -> dict:
    lead = study.lead_council
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": study.title,
        "description": study.summary,
        "url": request.build_absolute_uri(study.get_absolute_url()),
        "datePublished": study.published_at.isoformat() if study.published_at else None,
        "dateModified": study.updated_at.isoformat(),
        "license": OGL,
        "author": {"@type": "GovernmentOrganization", "name": lead.official_name} if lead else None,
        "publisher": {"@type": "Organization", "name": "Showcase"},
        "about": [term.name for term in study.reform_types.all()]
        + [term.name for term in study.themes.all()],
        "contributor": [
            {"@type": "GovernmentOrganization", "name": link.council.official_name}
            for link in study.roles_in_order()
            if link.role != "lead"
        ],
    }
