"""The OpenAPI 3.1 document the server serves at /openapi.json (issue 6): valid per
openapi-spec-validator, and in step with the server's routes and docs/api.md."""
import json
import os
import re

from openapi_spec_validator import validate

from support import request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROUTES = {"/health", "/health/dashboard", "/metrics", "/openapi.json", "/financial/dashboard",
          "/financial/dashboard/summary", "/financial/dashboard/accounts",
          "/financial/dashboard/transactions", "/financial/dashboard/budgets"}


def test_served_document_is_valid_openapi_31(findash):
    status, headers, body = request(findash, "GET", "/openapi.json")
    assert status == 200
    assert headers["content-type"].startswith("application/json")
    spec = json.loads(body)
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any violation
    assert set(spec["paths"]) == ROUTES


def test_every_route_of_the_document_answers_as_documented(findash):
    spec = json.loads(request(findash, "GET", "/openapi.json")[2])
    for path, item in spec["paths"].items():
        assert "get" in item and "head" in item, path
        status, _, _ = request(findash, "GET", path)
        documented = set(item["get"]["responses"])
        assert str(status) in documented, (path, status, sorted(documented))


def test_api_md_names_exactly_the_documented_paths(findash):
    spec = json.loads(request(findash, "GET", "/openapi.json")[2])
    text = open(os.path.join(ROOT, "docs", "api.md"), encoding="utf-8").read()
    mentioned = set(re.findall(r"`(?:GET |HEAD )?(/[a-z./]+(?:/[a-z]+)*)`", text))
    missing = set(spec["paths"]) - mentioned
    assert not missing, "docs/api.md does not mention %s" % sorted(missing)
