"""The registry API against its own OpenAPI schema, with generated requests (schemathesis).

Every operation gets a bounded number of generated requests, valid and invalid;
each answer must be no server error and must match the schema: a documented
status code, the documented content type and body. The runs are kept small
(`MAX_EXAMPLES` per operation) so the suite stays fast; the count is printed.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.content.factories import FormPageFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    DirectoryPageFactory,
    RegistrationPageFactory,
)
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory

MAX_EXAMPLES = 25
RULES_BEYOND_THE_SCHEMA = {
    "/api/registry/v1/registrations/",
    "/api/registry/v1/activities/{activity_id}/sign-ups/",
    "/api/registry/v1/owner-link/",
    "/api/registry/v1/forms/{page_id}/submissions/",
}


def _schema():
    """The schema the API serves at openapi.json, called on the site's own WSGI handler."""
    from simbaumi.registry_api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/registry/v1"))
    loaded.app = WSGIHandler()
    return loaded


schema = _schema()


@pytest.fixture
def test_connection_kept():
    """Requests through the WSGI handler must not close the test's database connection.

    Django closes old connections at the start and end of each request; inside a
    test's transaction that would end it (PostgreSQL), so, as Django's test client
    does, these requests leave the connection alone.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registry(db, home_page, settings, test_connection_kept):
    """A registration page, a directory with one listed business, an upcoming training."""
    settings.REGISTRATIONS_PER_HOUR = 10_000
    settings.STATUS_LOOKUPS_PER_HOUR = 10_000
    settings.TRAINING_SIGN_UPS_PER_HOUR = 10_000
    settings.OWNER_LINKS_PER_HOUR = 10_000
    settings.FORM_SUBMISSIONS_PER_HOUR = 10_000
    RegistrationPageFactory(parent=home_page)
    DirectoryPageFactory(parent=home_page)
    BusinessFactory(validated=True, directory_opt_in=True)
    TrainingPageFactory(parent=TrainingIndexPageFactory(parent=home_page), sessions=[3])
    FormPageFactory(parent=home_page, slug="hubungi-kami")


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_matches_the_schema(case, registry):
    excluded = []
    if case.operation.path in RULES_BEYOND_THE_SCHEMA:
        # A registration's rules (a NIK's digits and region, a KBLI code in its sector,
        # a desa in its kecamatan), a tracking code that must exist, a form page's own
        # questions go beyond what the schema can say: a document the schema allows may
        # still be refused, with a 422 naming each field (or a 409 or 404).
        excluded.append(positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)

