"""A property-based fuzz of the JSON API from its own OpenAPI description (schemathesis): no generated request,
valid or invalid, may cause a server error, and every answer must match the description.

Bounded: 10 valid and 10 invalid examples per operation. (Schemathesis' pytest plugin does not run under
pytest 9 yet, so the operations are driven through their Hypothesis strategies directly.)
"""
from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from tests.integration.web.conftest import PASSWORD

EXAMPLES_PER_MODE = 10
#: A `cursor` is opaque: any string fits the schema, but only the `next_cursor` the API handed out is a page.
#: Refusing any other one with 400 is deliberate, so it is no "valid data rejected" finding.
CONFIG = SchemathesisConfig.from_str("""
[[operations]]
include-path = "/api/cases"
include-method = "GET"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]
""")


@pytest.fixture(scope="module")
def bearer(app, world) -> dict[str, dict[str, str]]:
    """A token per role: a province supervisor (sees cases) and a cooperative (files)."""
    with TestClient(app) as client:
        tokens = {role: client.post("/api/token", json={"login": login, "password": PASSWORD}).json()["access_token"]
                  for role, login in (("pengawas", "pengawas-sultra"), ("koperasi", world.kendari))}
    return {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}


def operations(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=CONFIG)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_generated_request_causes_a_server_error(app, bearer, mode):
    found = operations(app)
    assert len(found) >= 12
    for operation in found:
        headers = bearer["koperasi" if operation.path.startswith("/filings") else "pengawas"]

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=EXAMPLES_PER_MODE, deadline=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck), database=None)
        def answers_as_described(case):
            # A token replaces the generated Authorization value; a case that leaves the header out on
            # purpose (an invalid request) goes without one and must be refused.
            case.call_and_validate(headers=headers if "Authorization" in (case.headers or {}) else {})

        answers_as_described()
