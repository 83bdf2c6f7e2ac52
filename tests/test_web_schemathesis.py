"""The JSON API against its own OpenAPI document, fuzzed by schemathesis on a real server.

Schemathesis reads ``/api/openapi.json`` and sends each operation requests generated from
its parameters' schemas (valid and invalid ones). Whatever it sends: no 5xx, every answer
matches the status codes, content types, headers and schemas the document declares, and
requests that break the schema are refused. The
run is derandomized and bounded (a few examples per operation), on loopback only.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a test dependency")

from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from .kgserver import ROOMY, start


@pytest.fixture(scope="module")
def api_schema():  # type: ignore[no-untyped-def]
    server = start(timeout=ROOMY)  # the contract is under test here, not the time limit
    return schemathesis.openapi.from_url(server.url + "api/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_documented_contract(case):  # type: ignore[no-untyped-def]
    # a request that fits the schema may still name an entity, a source or a day that does
    # not exist: that is a documented 400 / 404, not a failure to accept valid data
    case.call_and_validate(timeout=30, excluded_checks=[positive_data_acceptance])
