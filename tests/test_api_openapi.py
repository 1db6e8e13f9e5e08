"""The OpenAPI document describes exactly the routes there are, and is valid OpenAPI 3.1."""

import re

from openapi_spec_validator import validate


def api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api_docs.openapi":
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    return routes


def test_the_document_and_the_routes_agree(app, client):
    document = client.get("/api/v1/openapi.json").json
    described = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert described == api_routes(app)


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_documents_its_errors_and_staff_ones_their_security(client):
    document = client.get("/api/v1/openapi.json").json
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (path, method)
            if path.startswith("/api/v1/staff/"):
                assert operation["security"] == [{"bearerAuth": []}]
                assert "401" in responses, (path, method)
            if "requestBody" in operation:
                assert {"400", "415", "422"} <= set(responses), (path, method)
