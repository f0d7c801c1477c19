"""The OpenAPI 3 schema at /api/schema/ and the docs at /api/docs/, served without any outside resource."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

PATHS = [
    "/api/v1/departments/",
    "/api/v1/departments/{id}/",
    "/api/v1/levels/",
    "/api/v1/levels/{id}/",
    "/api/v1/competencies/",
    "/api/v1/competencies/{id}/",
    "/api/v1/jobs/",
    "/api/v1/jobs/{id}/",
    "/api/v1/employees/",
    "/api/v1/employees/{id}/",
    "/api/v1/employees/{id}/profile/",
]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def _parameters(schema: dict[str, Any], path: str) -> set[str]:
    return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}


def _properties(schema: dict[str, Any], component: str) -> dict[str, Any]:
    props: dict[str, Any] = schema["components"]["schemas"][component]["properties"]
    return props


def test_the_schema_is_valid_openapi_3(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "TalentLoop API"
    validate_schema(schema)


def test_the_schema_lists_every_resource_with_its_methods(schema: dict[str, Any]) -> None:
    # Later capabilities add their own paths (and test them); the foundation's must all be there.
    assert set(PATHS) <= set(schema["paths"])
    for name in ("departments", "competencies", "jobs", "employees"):
        assert set(schema["paths"][f"/api/v1/{name}/"]) == {"get", "post"}
        assert set(schema["paths"][f"/api/v1/{name}/{{id}}/"]) == {"get", "put", "patch"}
    assert set(schema["paths"]["/api/v1/levels/"]) == {"get"}


def test_lists_are_paginated_and_filterable(schema: dict[str, Any]) -> None:
    for name in ("departments", "levels", "competencies", "jobs", "employees"):
        assert {"page", "page_size"} <= _parameters(schema, f"/api/v1/{name}/")
        ok = schema["paths"][f"/api/v1/{name}/"]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        component = ok["$ref"].rsplit("/", 1)[1]
        assert set(_properties(schema, component)) == {"count", "next", "previous", "results"}
    assert {"department", "status", "manager", "search", "include_subdepartments"} <= _parameters(
        schema, "/api/v1/employees/"
    )
    assert {"status", "department"} <= _parameters(schema, "/api/v1/jobs/")
    assert {"search", "active"} <= _parameters(schema, "/api/v1/competencies/")


def test_ids_are_integers_and_related_objects_are_ids(schema: dict[str, Any]) -> None:
    department = _properties(schema, "Department")
    assert department["id"]["type"] == "integer"
    assert department["parent"]["type"] == "integer"
    employee = _properties(schema, "Employee")
    for field in ("department", "job", "manager"):
        assert employee[field]["type"] == "integer"
    line = _properties(schema, "CompetencyModelLine")
    assert line["competency"]["type"] == "integer"
    assert _properties(schema, "Job")["competency_model"]["type"] == "array"


def test_bearer_tokens_are_declared(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.django_db
def test_schema_generation_has_no_warnings() -> None:
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=out)
    assert out.getvalue().startswith("openapi: 3.")


@pytest.mark.django_db
def test_the_docs_page_loads_only_its_own_assets(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references
    assert [r for r in references if not r.startswith("/")] == []
    assert not re.search(r"https?://", html)
    for url in references:
        asset = client.get(url)
        assert asset.status_code == 200, url
        getattr(asset, "close", lambda: None)()
