"""Control characters (vertical tab, form feed, escape ...) are invisible, never
typed on purpose, and cannot travel in XML or in an email header. The forms
refuse them, naming the field; text that holds them already (written before
the forms checked, or by another route) still reaches every feed and email."""

import feedparser
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from casestudies.models import CaseStudy
from tests.factories import CaseStudyFactory, CouncilFactory, officer_of
from tests.moderation.drafting import save_topic, start, topic_data, topic_of, write
from tests.moderation.test_submission import complete

pytestmark = pytest.mark.django_db

CONTROL = ["\x08", "\x1b", "\x7f", "\x9b"]


@pytest.fixture
def officer(db):
    return officer_of(CouncilFactory(name="South Hams"), "jo@southhams.gov.uk")


def start_draft(client, officer, **fields):
    """The first page of a new case study, saved."""
    client.force_login(officer)
    return start(client, {**complete(officer.council), **fields})


def save_page_of(client, officer, name: str, value: str):
    """A draft written whole, then the page asking for ``name`` saved again with ``value`` in it."""
    client.force_login(officer)
    study = write(client, complete(officer.council))
    topic = topic_of(name)
    return save_topic(client, study, topic, topic_data(topic, {**complete(officer.council), name: value}))


def feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception  # well-formed XML
    return parsed


@pytest.mark.parametrize("character", CONTROL)
def test_a_control_character_in_the_title_is_refused_naming_the_field(client, officer, character):
    response = start_draft(client, officer, title=f"Shared{character}legal team")

    html = response.content.decode()
    assert response.status_code == 400
    assert f"Title contains an invisible control character (U+{ord(character):04X})" in html
    assert 'href="#id_title"' in html
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize("name", ["summary", "approach", "lessons", "savings_notes", "contact_name"])
def test_a_control_character_in_any_text_is_refused_naming_the_field(client, officer, name):
    response = save_page_of(client, officer, name, "Some text\x1b[31m with an escape code")

    label = CaseStudy._meta.get_field(name).verbose_name.capitalize()
    assert response.status_code == 400
    assert f"{label} contains an invisible control character (U+001B)" in response.content.decode()
    # Refused: the draft keeps what it held before.
    assert getattr(CaseStudy.objects.get(), name) == complete(officer.council).get(name, "")


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\x0b", "\x0c", "\u2028"])
def test_a_title_must_be_on_one_line(client, officer, line_break):
    response = start_draft(client, officer, title=f"Shared{line_break}legal team")

    assert response.status_code == 400
    assert "Title must be on one line: remove the line break" in response.content.decode()


def test_tabs_and_line_breaks_are_kept_in_text_of_several_lines(client, officer):
    approach = "Two steps:\r\n\r\n- one team\r\n-\tone manager"

    response = save_page_of(client, officer, "approach", approach)

    assert response.status_code == 302
    assert CaseStudy.objects.get().approach == approach


def test_the_search_feed_never_fails_on_control_characters_in_the_query(client, db):
    assert feed(client, "/case-studies/feed.atom?q=%0B%0C%1B").feed.title == "New case studies on Showcase"
    title = feed(client, "/case-studies/feed.atom?q=legal%1Bteam").feed.title
    assert title == "New case studies for “legalteam” on Showcase"


def test_every_feed_listing_a_title_with_control_characters_is_served(client, officer):
    # Written before the forms refused them (or imported): the feeds leave them out.
    CaseStudyFactory(
        title="Shared\x0blegal\x1b team",
        summary="Two\x0c districts share\x1f one legal team.",
        lead=officer.council,
        reform_type_slugs=["shared-services"],
        theme_slugs=["libraries"],
    )

    for url in [
        "/feeds/case-studies.atom",
        "/feeds/reform-types/shared-services.atom",
        "/feeds/themes/libraries.atom",
        f"/feeds/councils/{officer.council.code}.atom",
        "/case-studies/feed.atom?q=legal",
    ]:
        [entry] = feed(client, url).entries
        assert entry.title == "Sharedlegal team", url
        assert entry.summary == "Two districts share one legal team.", url


def test_moderation_emails_are_sent_for_a_title_with_control_characters(client, officer):
    study = CaseStudyFactory(title="Shared\x0blegal\x0c team\u2028for two", created_by=officer)
    client.force_login(User.objects.create(username="cat@network.org", is_staff=True))

    client.post(reverse("review:case-study-action", args=[study.pk, "archive"]), {"message": "Out of date."})

    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert mail.outbox[0].subject == "Archived: Shared legal team for two"
