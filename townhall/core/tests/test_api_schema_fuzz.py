"""Every API operation against its OpenAPI schema, with generated input (schemathesis).

Each operation gets a bounded number of generated requests that fit its schema and as many
that do not, sent by an administrator. Whatever they hold, the API must answer without a
server error, with a status code, content type, headers and body its schema documents; a
list must refuse query parameters that break the schema (`page_size=null` used to give 50
rows). Two of schemathesis's checks are left out, with reasons:

- "schema-valid request rejected": a request can fit the schema and still be wrong — a
  department id that does not exist, dates the wrong way round — and the API rightly
  answers 400 (documented) with the fields at fault;
- "schema-violating request accepted" for request bodies: form and multipart bodies carry
  every value as text, so DRF reads "3" as a number and "" as empty, as a page's form
  does; the body is still validated by the write path, which refuses bad values.

Run alone with `pytest -m schema`; TOWNHALL_SCHEMA_EXAMPLES sets the examples per operation
and direction (default 3). The operations are split into SHARDS tests of their own, so that
the suite's parallel workers share them instead of one worker running all of them.
"""

import copy
import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from townhall.accounts.services import token_for

pytestmark = pytest.mark.schema
EXAMPLES = int(os.environ.get("TOWNHALL_SCHEMA_EXAMPLES", "3"))
OPERATIONS = 266  # every operation the schema lists today; more is fine, fewer is a loss
SHARDS = 8
SCHEMA_PATH = "/api/schema/?format=json"


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_api_operation_follows_its_schema(db, users, departments, settings, shard):
    settings.LOGIN_ADDRESS_LIMIT = 10**6  # the generated requests include wrong tokens
    # As Django's test client does: the requests run inside the test's transaction, which
    # closing "old" connections at the end of each request would cut (on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        run_every_operation(users, shard)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_every_operation(users: dict, shard: int) -> None:
    key = token_for(users["admin"])
    auth = {"Authorization": f"Token {key}"}
    schema = load_schema(auth)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= OPERATIONS
    for operation in operations[shard::SHARDS]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                exercise(operation, mode, auth)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failure is listed
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:4000]}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


_SCHEMA: dict[str, Any] = {}


def load_schema(auth: dict) -> schemathesis.schemas.BaseSchema:
    """The API's schema, asked of the application once per test process: building it takes
    seconds, and every shard would otherwise build the same one again."""
    app = get_wsgi_application()
    if not _SCHEMA:
        fetched = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, headers=auth)
        _SCHEMA.update(copy.deepcopy(fetched.raw_schema))
        return fetched
    schema = schemathesis.openapi.from_dict(copy.deepcopy(_SCHEMA))
    schema.app = app
    schema.location = SCHEMA_PATH
    return schema


def exercise(operation: schemathesis.APIOperation, mode: GenerationMode, auth: dict) -> None:
    """Send EXAMPLES generated requests to `operation` and check every answer."""
    excluded = [positive_data_acceptance]
    if mode is GenerationMode.NEGATIVE and operation.body:
        excluded.append(negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @examples(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=auth, excluded_checks=excluded)

    check()
