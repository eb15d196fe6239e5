import os
import subprocess
import sys

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    """How many database queries one successful GET of ``url`` costs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-production-secret-key-for-tests-only-0123456789-abcdefghijk",
    "ALLOWED_HOSTS": "showcase.example",
    "DJANGO_SETTINGS_MODULE": "showcase.settings",
}


def run_in_production(script: str, tmp_path, **extra_env: str) -> subprocess.CompletedProcess:
    """Run a Python script under production settings, with its own database and static folder."""
    # The browser tests need DJANGO_ALLOW_ASYNC_UNSAFE; a deployment must not have it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


class HttpsClient(Client):
    """The test client over HTTPS: production redirects plain HTTP and sets its
    cookies Secure, so that is how every test visits the site."""

    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        return super().request(**request)
