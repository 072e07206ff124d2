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
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from core import roles, tokens
from tests.content.factories import FormPageFactory
from tests.factories import UserFactory
from tests.sme_registry.factories import (
    BusinessFactory,
    DirectoryPageFactory,
    RegistrationPageFactory,
)
from tests.training_pages.factories import TrainingIndexPageFactory, TrainingPageFactory

MAX_EXAMPLES = 25
RULES_BEYOND_THE_SCHEMA = {
    "/api/registry/v1/registrations/",
    "/api/registry/v1/registrations/with-files/",
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
    """A registration page, a directory with one listed business, an upcoming training,
    and the API token of Admin Dinas for the staff operations."""
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
    BusinessFactory()
    _token, plaintext = tokens.issue(
        UserFactory(username="admin_dinas", role=roles.ADMIN_DINAS), name="uji skema"
    )
    return {"Authorization": f"Bearer {plaintext}"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    # The same cases on every machine: none replayed from a local example database.
    database=None,
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
    headers = {}
    if case.operation.path.startswith("/api/registry/v1/staff/"):
        headers = registry
        # Generated ids name records that mostly do not exist (404), and generated region
        # codes kecamatan that do not (422): the codes live in reference data, not the schema.
        excluded.append(positive_data_acceptance)
        # The token is put in every request: a case made invalid by leaving the
        # Authorization header out is no longer invalid when sent (the 401 without a
        # token is tested in test_staff_api).
        excluded.append(negative_data_rejection)
    case.call_and_validate(headers=headers, excluded_checks=excluded)


def test_no_two_answer_shapes_share_a_name_in_the_schema():
    """Django-ninja names a component after its class: two classes of one name, one lost."""
    import ninja

    from simbaumi.registry_api import api

    api.get_openapi_schema()  # imports every router
    seen = {}
    for schema in _subclasses(ninja.Schema):
        if schema.__module__.startswith(("sme_registry", "training_pages", "content", "core")):
            seen.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)
