"""Schemathesis generates requests from our OpenAPI schema and checks each
answer against it: no server errors, documented status codes and shapes, and
every request the schema calls valid is accepted. Bounded (25 examples an
operation), so that it is part of every `make test`."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle

from showcase.wsgi import application

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes database connections after each request, which
    would close the test's own transaction on PostgreSQL; Django's test client
    avoids this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def behind_the_tls_proxy(environ, start_response):
    """The site as production runs it: TLS ends at the load balancer, which says so."""
    environ["HTTP_X_FORWARDED_PROTO"] = "https"
    return application(environ, start_response)


@pytest.mark.django_db
def test_the_api_keeps_to_its_schema(demo, monkeypatch, keep_test_connection):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    # Loaded inside the test, so the schema lists the demo's codes and slugs.
    schema = schemathesis.openapi.from_wsgi("/api/schema/", behind_the_tls_proxy)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8  # case studies, councils, collections (list and one each), two vocabularies

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
