import datetime
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from core.models import WorkerHeartbeat
from councils.models import Council
from pages.views import server_error
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import count_queries, run_in_production


@pytest.mark.django_db
def test_the_home_page_shows_what_is_on_the_shelves(client):
    CaseStudyFactory(
        title="Joint waste crews", reform_type_slugs=["shared-services"], theme_slugs=["housing"]
    )
    CaseStudyFactory(title="Draft", publication_state="draft", published_at=None)

    html = client.get(reverse("home")).content.decode()

    assert "Showcase holds 1 case study from 1 council." in html
    assert (
        'href="/case-studies/?reform_type=shared-services">Shared services</a> <span class="app-count">(1)'
        in html
    )
    assert (
        'href="/case-studies/?theme=housing">Housing and homelessness</a> <span class="app-count">(1)' in html
    )
    assert "Joint waste crews" in html
    assert ">Draft<" not in html
    assert "What this site offers a council officer" in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_costs_the_same_queries_for_5_or_50_case_studies(client, count, no_page_cache):
    for _ in range(count):
        CaseStudyFactory()

    # The stored figures, the two vocabularies, the newest six with what they show (their councils
    # and reform types: the cards name no themes), and the featured collections.
    assert count_queries(client, reverse("home")) == 7


@pytest.mark.django_db
def test_every_demo_page_renders(client, demo):
    assert CaseStudy.objects.published().count() >= 30
    for study in CaseStudy.objects.published():
        response = client.get(study.get_absolute_url())
        assert response.status_code == 200, study.slug
        assert study.title.encode() in response.content.replace(b"&#x27;", b"'")
    for council in Council.objects.all():
        assert client.get(council.get_absolute_url()).status_code == 200, council.code


@pytest.mark.django_db
def test_the_demo_covers_every_reform_type_nation_and_status(demo):
    published = CaseStudy.objects.published()

    assert set(published.values_list("reform_types__slug", flat=True)) >= {
        "shared-services", "place-based", "co-operative-council", "trading-company", "digital",
        "demand-management", "community-assets", "integration", "commissioning", "devolution",
        "reorganisation", "culture-change", "data-intelligence",
    }  # fmt: skip
    assert set(published.values_list("councils__nation", flat=True)) == {
        "England", "Scotland", "Wales", "Northern Ireland",
    }  # fmt: skip
    assert set(published.values_list("status", flat=True)) == {
        "planned", "pilot", "implemented", "scaled", "stopped",
    }  # fmt: skip


@pytest.mark.django_db
def test_load_demo_if_empty_leaves_existing_data_alone():
    CaseStudyFactory()
    out = io.StringIO()

    call_command("load_demo", if_empty=True, stdout=out)

    assert "already present" in out.getvalue()
    assert CaseStudy.objects.count() == 1


@pytest.mark.django_db
def test_load_demo_into_an_empty_database_reports_what_it_loaded():
    out = io.StringIO()

    call_command("load_demo", if_empty=True, stdout=out)

    assert "case studies 35 created" in out.getvalue()


@pytest.mark.django_db
def test_the_about_page_credits_the_data_and_states_the_licences(client):
    html = client.get(reverse("about")).content.decode()

    assert "Open Government Licence v3.0" in html
    assert "Attribution: mySociety" in html
    assert "Creative Commons Attribution 4.0" in html
    assert "Level 5" in html


@pytest.mark.django_db
def test_the_accessibility_statement_renders(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert b"Accessibility statement" in response.content
    assert b"WCAG" in response.content


@pytest.mark.django_db
def test_an_unknown_address_gets_a_404_page_in_the_house_style(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-service-navigation" in response.content


@pytest.mark.django_db
def test_a_server_error_gets_a_500_page_without_touching_the_database():
    request = RequestFactory().get("/")

    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)

    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert len(queries) == 0


@pytest.mark.django_db
def test_the_health_check_reports_the_database_and_a_working_worker(client):
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=timezone.now(), beat_at=timezone.now())

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_a_silent_worker_is_reported_stale_without_taking_the_web_server_out(client, settings):
    settings.WORKER_LEASE_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(seconds=61)
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=long_ago, beat_at=long_ago)

    response = client.get("/healthz")

    assert response.status_code == 200  # a load balancer keeps sending visitors: pages still work
    assert response.json() == {"status": "ok", "database": "ok", "worker": "stale"}


@pytest.mark.django_db
def test_no_worker_at_all_is_reported_stale(client):
    assert client.get("/healthz").json()["worker"] == "stale"


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_pages_carry_no_inline_scripts_or_styles(client):
    CaseStudyFactory()
    for url in [reverse("home"), reverse("casestudies:list"), reverse("councils:directory")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert '<script type="module"' in html


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "showcase.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"DEBUG": "false", "ALLOWED_HOSTS": "showcase.example"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_settings({"DEBUG": "false", "SECRET_KEY": "x" * 60})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_production_starts_with_what_it_needs_and_hashes_static_files():
    result = run_settings({"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "showcase.example"})
    check = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings; "
         "print(settings.STORAGES['staticfiles']['BACKEND'])"],
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "showcase.example",
             "DJANGO_SETTINGS_MODULE": "showcase.settings"},
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert "started" in result.stdout
    assert check.stdout.strip() == "core.storage.StaticStorage"


def test_a_misspelt_boolean_is_refused_with_its_name():
    result = run_settings({"DEBUG": "ture"})

    assert "DEBUG must be true or false, not 'ture'" in result.stderr


@pytest.mark.django_db
def test_the_admin_requires_staff(client):
    CouncilFactory()

    response = client.get("/admin/councils/council/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_production_serves_hashed_static_files_through_whitenoise(tmp_path):
    assert (settings.BASE_DIR / "build" / "static" / "css" / "main.css").exists(), "run `make assets` first"
    script = (
        "import re, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.test import Client\n"
        "html = Client().get('/').content.decode()\n"
        "css = re.search(r'/static/css/main\\.[0-9a-f]{12}\\.css', html).group(0)\n"
        "response = Client().get(css)\n"
        "print(css, response.status_code, response.headers['Cache-Control'])\n"
    )
    result = run_in_production(script, tmp_path, ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false")

    assert result.returncode == 0, result.stderr
    _css, status, cache = result.stdout.split(maxsplit=2)
    assert status == "200"
    assert "max-age=315360000" in cache and "immutable" in cache


@pytest.mark.django_db
def test_an_unreachable_database_gives_a_503_page_in_the_house_style(client, monkeypatch):
    from django.db import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("browse.views.browse", unreachable)

    response = client.get(reverse("casestudies:list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Sorry, the service is unavailable" in response.content
    assert b"govuk-service-navigation" in response.content


@pytest.mark.django_db
def test_the_health_check_says_what_is_wrong_but_logs_where(client, monkeypatch, caplog):
    from django.db import OperationalError, connection

    def unreachable(*args, **kwargs):
        raise OperationalError(
            'connection to server at "db.internal.example" (10.0.0.7), port 5432 failed: Connection refused'
        )

    monkeypatch.setattr(connection, "cursor", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "worker": "unknown"}
    assert "db.internal.example" in caplog.text and "5432" in caplog.text  # for whoever reads the logs


@pytest.mark.django_db
def test_the_privacy_and_cookie_pages_say_what_is_kept_and_for_how_long(client):
    privacy = client.get(reverse("privacy")).content.decode()
    cookies = client.get(reverse("cookies")).content.decode()

    assert "deleted after 90 days" in privacy and "for 15 minutes" in privacy
    assert "sessionid" in cookies and "After 2 hours without using the site" in cookies
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("privacy")}"' in home and f'href="{reverse("cookies")}"' in home
    assert "govuk-phase-banner" in home and "Beta" in home


@pytest.mark.django_db
def test_feedback_reaches_the_curators_and_bad_input_names_the_field(client):
    empty = client.post(reverse("feedback"), {"doing": "", "feedback": "", "email": "not-an-email"})
    assert empty.status_code == 400
    page = empty.content.decode()
    assert "Enter what you were trying to do" in page and "Enter an email address in the right format" in page

    sent = client.post(
        reverse("feedback"),
        {
            "doing": "Find a shared legal service",
            "feedback": "The filters hid the results",
            "page": "/case-studies/",
        },
    )

    assert sent.status_code == 200 and "Thank you for your feedback" in sent.content.decode()
    message = mail.outbox[-1]
    assert message.to == [settings.CURATORS_EMAIL] and "The filters hid the results" in message.body
    assert "/case-studies/" in message.body


@pytest.mark.django_db
def test_feedback_from_one_place_is_limited_and_robots_send_nothing(client):
    data = {"doing": "Looking", "feedback": "Fine"}
    answers = [client.post(reverse("feedback"), data).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    mail.outbox.clear()
    client.post(reverse("feedback"), {**data, "website": "http://spam.example"}, REMOTE_ADDR="10.9.9.9")
    assert mail.outbox == []


@pytest.mark.django_db
def test_home_and_council_pages_announce_their_feeds(client):
    council = CouncilFactory(name="Teignbridge")
    CaseStudyFactory(lead=council)

    home = client.get(reverse("home")).content.decode()
    page = client.get(council.get_absolute_url()).content.decode()

    announced = 'rel="alternate" type="application/atom+xml" title="New case studies on Showcase"'
    assert f'<link {announced} href="{reverse("feed-all")}">' in home
    feed = reverse("feed-council", args=[council.code])
    assert f'type="application/atom+xml" title="Case studies from Teignbridge" href="{feed}"' in page
    assert f'<a class="govuk-link" href="{feed}">' in page


@pytest.mark.django_db
def test_plain_http_is_redirected_except_for_the_load_balancers_health_check():
    from django.test import Client

    plain = Client()  # no TLS, no proxy header: what a load balancer's probe sends

    assert plain.get("/healthz").status_code == 200
    page = plain.get("/about/")
    assert page.status_code == 301 and page["Location"] == "https://testserver/about/"
