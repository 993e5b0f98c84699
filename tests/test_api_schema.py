"""The API holds to its OpenAPI description: schemathesis generates requests from the
document the running server publishes and sends each with the token of every role. No
answer may be a server error, and every answer must match the status codes, media types,
headers and schemas the document gives for it."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fixtures_api import ROLES

# Few examples per operation, each sent with five tokens: a backend's run takes ~30 s.
MAX_EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_every_answer_matches_the_description(api_live):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_url(api_live.url + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12  # every operation of the API is described
    for operation in operations:
        _fuzz(operation, api_live.tokens)


def _fuzz(operation, tokens: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """A few generated requests to ``operation``, each sent with every role's token."""

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy())
    def check(case) -> None:  # type: ignore[no-untyped-def]
        for role in ROLES:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            case.call_and_validate(headers=headers, checks=CHECKS)

    check()
