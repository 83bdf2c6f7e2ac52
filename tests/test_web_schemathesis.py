"""The JSON API against its own OpenAPI document, fuzzed by schemathesis on a real server.

Schemathesis reads ``/api/openapi.json`` and sends each operation requests generated from
its parameters' schemas (valid and invalid ones). Whatever it sends: no 5xx, every answer
matches the status codes, content types, headers and schemas the document declares, and
requests that break the schema are refused. The
run is derandomized and bounded (a few examples per operation), on loopback only.

"Refused" is judged on the request as it reaches the server: schemathesis may mutate a
query parameter into a value that the query string carries as a valid one (``null`` sent
as ``kind=``, the empty choice; a scalar in place of the repeatable ``type`` array, sent as
``type=x``, a one-element array). Such a request breaks no documented rule and its 200 is
right; schemathesis's own allowances for this miss combinations of two such mutations, and
it drew one now and then (GET /api/communities, ``kind`` and ``type``), more often with the
cores busy. ``bad_data_is_refused`` asks schemathesis's check only about requests whose
query, as sent, breaks the document.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a test dependency")

import re
from urllib.parse import parse_qs, urlsplit

import jsonschema
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation

from .kgserver import ROOMY, start


@pytest.fixture(scope="module")
def api_schema():  # type: ignore[no-untyped-def]
    server = start(timeout=ROOMY)  # the contract is under test here, not the time limit
    return schemathesis.openapi.from_url(server.url + "api/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


def _as_read(value: str, spec: dict) -> object:  # type: ignore[type-arg]
    """One query-string value as its documented type reads it (a string otherwise; a type
    may be one of several, as a number or the empty string)."""
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    return value


def query_as_sent_is_valid(response, case) -> bool:  # type: ignore[no-untyped-def]
    """Whether the query string the server received fits the operation's documented query
    parameters (a repeatable one as the list of its values, any other given at most once)."""
    operation = case.operation
    documented = [param for param in operation.schema.raw_schema["paths"][operation.path]
                  [operation.method.lower()].get("parameters", []) if param["in"] == "query"]
    sent = parse_qs(urlsplit(response.request.url).query, keep_blank_values=True)
    instance, properties = {}, {}
    for param in documented:
        name, spec = param["name"], param["schema"]
        properties[name] = spec
        if name not in sent:
            continue
        if spec.get("type") == "array":
            instance[name] = [_as_read(value, spec.get("items", {})) for value in sent[name]]
        elif len(sent[name]) > 1:
            return False
        else:
            instance[name] = _as_read(sent[name][0], spec)
    required = [param["name"] for param in documented if param.get("required")]
    return jsonschema.Draft202012Validator(
        {"type": "object", "properties": properties, "required": required}).is_valid(instance)


def bad_data_is_refused(ctx, response, case):  # type: ignore[no-untyped-def]
    """schemathesis's negative_data_rejection, but for a request whose only mutations are in
    its query and whose query, as sent, is a valid one (module docstring)."""
    meta = case.meta
    only_query = meta is not None and not any(
        meta.is_negative_at(location) for location in ParameterLocation
        if location is not ParameterLocation.QUERY)
    if only_query and query_as_sent_is_valid(response, case):
        return True
    return negative_data_rejection(ctx, response, case)


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_documented_contract(case):  # type: ignore[no-untyped-def]
    # a request that fits the schema may still name an entity, a source or a day that does
    # not exist: that is a documented 400 / 404, not a failure to accept valid data
    case.call_and_validate(timeout=30, additional_checks=[bad_data_is_refused],
                           excluded_checks=[positive_data_acceptance, negative_data_rejection])
