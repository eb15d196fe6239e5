import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInToken
from accounts.services import MAX_LINKS_PER_ADDRESS, MAX_LINKS_PER_CLIENT
from councils.models import EmailDomain, Membership, MembershipStatus
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    south_hams = CouncilFactory(name="South Hams")
    west_devon = CouncilFactory(name="West Devon")
    EmailDomain.objects.create(council=south_hams, domain="southhams.gov.uk")
    EmailDomain.objects.create(council=south_hams, domain="swdevon.gov.uk")
    EmailDomain.objects.create(council=west_devon, domain="swdevon.gov.uk")
    return {"south_hams": south_hams, "west_devon": west_devon}


def ask_for_link(client, email: str, **extra):
    return client.post(reverse("accounts:sign-in"), {"email": email}, **extra)


def link_from_outbox() -> str:
    return re.search(r"https://testserver(/sign-in/[^\s]+)", mail.outbox[-1].body).group(1)


def test_an_officer_signs_in_with_the_link_from_the_email(client, councils):
    response = ask_for_link(client, "Jo.Bloggs@SouthHams.gov.uk")

    assert (
        "We have sent a sign-in link to <strong>jo.bloggs@southhams.gov.uk</strong>"
        in response.content.decode()
    )
    assert mail.outbox[-1].to == ["jo.bloggs@southhams.gov.uk"]
    assert mail.outbox[-1].subject == "Your link to sign in to Showcase"
    link = link_from_outbox()
    assert client.get(link).status_code == 200  # a page with a button: scanners do not spend the link

    response = client.post(link)

    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    user = User.objects.get(username="jo.bloggs@southhams.gov.uk")
    assert Membership.objects.get(user=user).council == councils["south_hams"]
    assert Membership.objects.get(user=user).status == MembershipStatus.CONFIRMED
    assert "South Hams" in client.get(reverse("accounts:account")).content.decode()


def test_a_shared_domain_makes_the_officer_a_member_of_each_council(client, councils):
    ask_for_link(client, "team@swdevon.gov.uk")
    client.post(link_from_outbox())

    user = User.objects.get(username="team@swdevon.gov.uk")
    assert {m.council.name for m in Membership.objects.filter(user=user)} == {"South Hams", "West Devon"}


def test_a_link_works_once(client, councils):
    ask_for_link(client, "jo@southhams.gov.uk")
    link = link_from_outbox()
    client.post(link)
    client.post(reverse("accounts:sign-out"))

    response = client.post(link)

    assert response.status_code == 400
    assert b"This sign-in link has expired" in response.content
    assert "_auth_user_id" not in client.session


def test_a_link_expires_after_15_minutes(client, councils):
    ask_for_link(client, "jo@southhams.gov.uk")
    SignInToken.objects.update(created_at=timezone.now() - timedelta(minutes=15, seconds=1))

    assert client.post(link_from_outbox()).status_code == 400


def test_a_made_up_link_does_not_sign_in(client, councils):
    assert client.post("/sign-in/not-a-real-token/").status_code == 400


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, councils):
    User.objects.create(username="known@southhams.gov.uk", email="known@southhams.gov.uk")

    known = ask_for_link(client, "known@southhams.gov.uk").content.decode()
    unknown = ask_for_link(client, "stranger@southhams.gov.uk").content.decode()

    strip = lambda html: re.sub(r"<strong>[^<]*</strong>|nonce=\"[^\"]*\"|value=\"[^\"]*\"", "", html)  # noqa: E731
    assert strip(known) == strip(unknown)


def test_an_address_at_no_councils_domain_is_explained_with_a_way_to_ask(client, councils):
    response = ask_for_link(client, "someone@gmail.com")

    assert "We do not recognise your council" in response.content.decode()
    assert len(mail.outbox) == 0
    assert SignInToken.objects.count() == 0

    client.post(
        reverse("accounts:request-domain"),
        {"email": "someone@newcouncil.gov.uk", "council_name": "New Council", "message": "Please add us"},
    )

    assert mail.outbox[-1].to == ["curators@showcase.localhost"]
    assert mail.outbox[-1].reply_to == ["someone@newcouncil.gov.uk"]
    assert "New Council" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("council_name", "New\rCouncil", "Your council must be on one line"),
        ("council_name", "New\x1bCouncil", "Your council contains an invisible control character"),
        ("message", "Please\x0b add us", "Your message contains an invisible control character"),
        ("council_name", "", "Enter your council&#x27;s name"),
    ],
)
def test_a_domain_request_the_curators_email_could_not_carry_is_refused_naming_the_box(
    client, councils, field, value, message
):
    data = {"email": "someone@newcouncil.gov.uk", "council_name": "New Council", "message": "Please add us"}

    response = client.post(reverse("accounts:request-domain"), {**data, field: value})

    html = response.content.decode()
    assert message in html and f'href="#id_{field}"' in html
    assert mail.outbox == []


def test_the_sign_in_page_says_once_that_a_link_is_emailed(client, councils):
    html = client.get(reverse("accounts:sign-in")).content.decode()

    assert html.count("email you a link") == 1
    assert "The address your council gave you, like name@council.gov.uk." in html


def test_links_are_rate_limited_per_address(client, councils):
    for _ in range(MAX_LINKS_PER_ADDRESS):
        assert ask_for_link(client, "jo@southhams.gov.uk").status_code == 200

    response = ask_for_link(client, "jo@southhams.gov.uk")

    assert response.status_code == 429
    assert len(mail.outbox) == MAX_LINKS_PER_ADDRESS


def test_links_are_rate_limited_per_client(client, councils):
    for number in range(MAX_LINKS_PER_CLIENT):
        assert ask_for_link(client, f"officer{number}@southhams.gov.uk").status_code == 200

    assert ask_for_link(client, "one.more@southhams.gov.uk").status_code == 429
    assert ask_for_link(client, "one.more@southhams.gov.uk", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_a_bad_address_gets_a_clear_error(client, councils):
    html = ask_for_link(client, "not an email").content.decode()

    assert "There is a problem" in html
    assert "Enter an email address in the right format" in html


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_signing_in_never_redirects_off_the_site(client, councils, target):
    client.post(reverse("accounts:sign-in"), {"email": "jo@southhams.gov.uk", "next": target})

    response = client.post(link_from_outbox(), {"next": target})

    assert response["Location"] == reverse("accounts:account")


def test_signing_in_returns_to_the_page_asked_for(client, councils):
    client.post(reverse("accounts:sign-in"), {"email": "jo@southhams.gov.uk", "next": "/case-studies/"})

    assert client.post(link_from_outbox(), {"next": "/case-studies/"})["Location"] == "/case-studies/"


def test_the_account_page_needs_signing_in(client, db):
    response = client.get(reverse("accounts:account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_deleting_an_account_keeps_published_case_studies(client, councils):
    ask_for_link(client, "jo@southhams.gov.uk")
    client.post(link_from_outbox())
    user = User.objects.get(username="jo@southhams.gov.uk")
    published = CaseStudyFactory(created_by=user, lead=councils["south_hams"])
    draft = CaseStudyFactory(created_by=user, publication_state="draft", published_at=None)

    client.post(reverse("accounts:delete"), {"confirm": "yes"})

    assert not User.objects.filter(pk=user.pk).exists()
    published.refresh_from_db()
    assert published.created_by is None
    assert published.lead_council == councils["south_hams"]
    assert not type(draft).objects.filter(pk=draft.pk).exists()


def test_deleting_needs_the_box_ticked(client, councils):
    ask_for_link(client, "jo@southhams.gov.uk")
    client.post(link_from_outbox())

    client.post(reverse("accounts:delete"))

    assert User.objects.filter(username="jo@southhams.gov.uk").exists()


def test_signing_out_needs_a_post(client, councils):
    assert client.get(reverse("accounts:sign-out")).status_code == 405


def test_a_page_that_needs_signing_in_says_why_and_the_link_returns_there(client, councils):
    study = CaseStudyFactory(title="Joint legal team")
    contact = reverse("peers:contact", args=[study.slug])

    page = client.get(contact, follow=True)

    assert page.redirect_chain[-1][0].startswith(reverse("accounts:sign-in"))
    assert "Sign in to contact the team behind this reform" in page.content.decode()
    client.post(page.redirect_chain[-1][0], {"email": "jo@southhams.gov.uk"})
    assert client.post(link_from_outbox())["Location"] == contact
    assert client.get(contact).status_code == 200


def test_a_curator_who_signs_in_lands_on_the_review_queue(client, councils):
    User.objects.create(username="cat@southhams.gov.uk", email="cat@southhams.gov.uk", is_staff=True)
    ask_for_link(client, "cat@southhams.gov.uk")

    response = client.post(link_from_outbox())

    assert response["Location"] == reverse("review:queue")


def test_the_admin_points_curators_to_the_review_queue(client):
    client.force_login(User.objects.create(username="cat@network.org", is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("review:queue")}"' in page


def test_the_emailed_link_arrives_whole_on_one_line(client, councils):
    study = CaseStudyFactory(title="Joint legal team")
    client.post(
        reverse("accounts:sign-in") + "?next=" + reverse("peers:contact", args=[study.slug]),
        {"email": "jo@southhams.gov.uk"},
    )

    sent = mail.outbox[-1].message().as_bytes().decode()

    link = re.search(r"https://testserver/sign-in/\S+", mail.outbox[-1].body).group(0)
    assert len(link) > 78  # longer than the line length that used to fold it
    assert "Content-Transfer-Encoding: 7bit" in sent and "quoted-printable" not in sent
    assert link in sent.splitlines()


def test_the_demo_curator_signs_in_by_link_and_others_at_that_domain_get_none(client, demo):
    ask_for_link(client, "curator@showcase.localhost")
    assert client.post(link_from_outbox())["Location"] == reverse("review:queue")
    client.logout()
    mail.outbox.clear()

    response = ask_for_link(client, "someone@showcase.localhost")

    assert "We have sent a sign-in link" in response.content.decode()  # the same answer as for a curator
    assert mail.outbox == []


def test_the_demo_officer_signs_in_as_a_member_of_south_hams(client, demo):
    ask_for_link(client, "jo@southhams.gov.uk")
    client.post(link_from_outbox())

    assert "South Hams" in client.get(reverse("accounts:account")).content.decode()
