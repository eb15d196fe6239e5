"""The site recovers by itself when the database comes back: this stops and
restarts the throwaway PostgreSQL that `make test` started."""

import os
import shlex
import subprocess
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.db import connection
from werkzeug.test import Client

from showcase.wsgi import application

PG_CTL = os.environ.get("SHOWCASE_PG_CTL")


def pg_ctl(*args: str) -> None:
    command = [*shlex.split(PG_CTL), "-D", os.environ["SHOWCASE_PG_DATA"], *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=60)


@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_while_the_database_is_down_and_recover_without_a_restart(demo):
    if connection.vendor != "postgresql" or not PG_CTL:
        pytest.skip("needs the throwaway PostgreSQL that `make test` starts")
    # Through the WSGI handler, which, unlike the test client, closes broken
    # connections; as production is reached, through the TLS-terminating proxy.
    client = Client(application)

    def visit(path):
        return client.get(f"https://localhost{path}", headers={"X-Forwarded-Proto": "https"})

    assert visit("/healthz").status_code == 200
    # An officer signed in, whose session the page reads from the database as well.
    officer = User.objects.create(username="officer@example.gov.uk", email="officer@example.gov.uk")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update({SESSION_KEY: str(officer.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0]})
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    signed_in = Client(application)
    signed_in.set_cookie(settings.SESSION_COOKIE_NAME, session.session_key, domain="localhost")

    pg_ctl("-m", "immediate", "-w", "stop")
    try:
        down = [visit("/healthz") for _ in range(2)]
        page = visit("/case-studies/")
        their_page = signed_in.get("https://localhost/case-studies/", headers={"X-Forwarded-Proto": "https"})
    finally:
        pg_ctl("-o", os.environ["SHOWCASE_PG_OPTIONS"], "-l", os.environ["SHOWCASE_PG_LOG"], "-w", "start")

    assert [response.status_code for response in down] == [503, 503]
    assert down[-1].json["database"] == "unreachable"
    assert page.status_code == 503
    assert "Sorry, the service is unavailable" in page.get_data(as_text=True)
    assert their_page.status_code == 503
    assert "Sorry, the service is unavailable" in their_page.get_data(as_text=True)

    again = visit("/healthz")
    assert again.status_code == 200
    assert visit("/case-studies/").status_code == 200
